// Builds the guest kernel (or reuses the cached one), boots it, reads /proc/version and powers off,
// printing how long each step took. The quickest check that the harness works on a machine:
//   node --import tsx vm/smoke.ts [--accel tcg|kvm|auto] [--patch FILE]... [--append 'ARGS']
// Exit codes as everywhere (io/errors.ts): 0 ok, 2 a bad argument, 3 a missing tool, 4 a tool failed.

import { exitCodeFor, InputError } from '../io/errors.js';
import { buildKernel } from '../kernel/build.js';
import type { AccelChoice } from './accel.js';
import { buildInitramfs } from './initramfs.js';
import { bootGuest } from './qemu.js';

function parseArgs(argv: string[]): { accel: AccelChoice; patches: string[]; append: string } {
  const out = { accel: 'tcg' as AccelChoice, patches: [] as string[], append: '' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new InputError(flag ?? 'argv', 'needs a value');
    if (flag === '--accel' && (value === 'tcg' || value === 'kvm' || value === 'auto')) out.accel = value;
    else if (flag === '--patch') out.patches.push(value);
    else if (flag === '--append') out.append = value;
    else throw new InputError(flag ?? 'argv', 'unknown option (--accel tcg|kvm|auto, --patch FILE, --append ARGS)');
    i++;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (l: string): void => console.log(l);
  const kernel = await buildKernel({ patches: args.patches, log });
  console.log(`smoke: kernel ${kernel.cached ? 'reused' : 'built'} in ${kernel.seconds.toFixed(1)}s`);
  const guest = await bootGuest({
    kernel: kernel.bzImage,
    initramfs: buildInitramfs(),
    accel: args.accel,
    append: args.append,
    log,
  });
  const version = (await guest.readFile('/proc/version')).toString('utf8').trim();
  console.log(`smoke: ${version}`);
  const off = await guest.poweroff();
  console.log(
    `smoke: boot to ready ${(guest.bootMs / 1000).toFixed(2)}s (accel ${guest.accel}),` +
      ` qemu exited ${off.exitCode} ${off.ms}ms after poweroff`,
  );
}

main().catch((e: unknown) => {
  console.error(`smoke: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(exitCodeFor(e));
});
