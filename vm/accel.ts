// Which QEMU accelerator runs the guest. TCG (emulation) works everywhere and is the default; KVM is much
// faster but only where /dev/kvm is usable, and a nested or restricted KVM can fail in ways only a boot
// shows, so `auto` takes KVM only after a short trial boot under it succeeded, once per process.

import { accessSync, constants } from 'node:fs';

export type Accel = 'tcg' | 'kvm';
export type AccelChoice = Accel | 'auto';

/** Why KVM cannot be used here, or null when /dev/kvm can be opened read-write. */
export function kvmUnavailable(): string | null {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return null;
  } catch (e) {
    return `/dev/kvm: ${(e as NodeJS.ErrnoException).code ?? 'not usable'}`;
  }
}

let decided: Promise<{ accel: Accel; why: string }> | null = null;

/**
 * The accelerator for `choice`. For `auto`, `trial` boots a guest under KVM and powers it off (rejecting
 * on any failure or timeout); its outcome is remembered for the rest of the process.
 */
export function resolveAccel(choice: AccelChoice, trial: () => Promise<void>): Promise<{ accel: Accel; why: string }> {
  if (choice !== 'auto') return Promise.resolve({ accel: choice, why: 'requested' });
  decided ??= (async () => {
    const no = kvmUnavailable();
    if (no) return { accel: 'tcg' as const, why: no };
    try {
      await trial();
      return { accel: 'kvm' as const, why: 'a trial boot under KVM succeeded' };
    } catch (e) {
      return { accel: 'tcg' as const, why: `the trial boot under KVM failed: ${(e as Error).message}` };
    }
  })();
  return decided;
}
