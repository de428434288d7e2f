// Runs the generated kselftest in a guest: the test kernel built with the whole of kernel/patches/test/series
// (kernel/build.ts, cached), tools/testing/selftests/mm/mapping_order.c (rendered by selftest/render.ts)
// compiled statically against the pristine tree's kselftest.h, QEMU's ivshmem-plain for a 64M BAR2, VFIO in
// no-IOMMU mode, and the test binding the device itself.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernel, type KernelBuild } from '../kernel/build.js';
import { kernelSource } from '../kernel/source.js';
import { cacheRoot } from '../kernel/cache.js';
import { buildInitramfs } from '../vm/initramfs.js';
import { bootGuest } from '../vm/qemu.js';
import { compileStatic } from '../vm/static-cc.js';
import { BAR_SIZE } from './vectors.js';
import { renderC } from './render.js';
import type { PolicyName } from '../model/types.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SERIES = join(REPO, 'kernel', 'patches', 'test', 'series');

/** The patch files of the series, in order (comment and blank lines skipped). */
export function seriesPatches(series = SERIES): string[] {
  return readFileSync(series, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => join(dirname(series), l));
}

/** ivshmem-plain's PCI ids (QEMU hw/misc/ivshmem.c: PCI_VENDOR_ID_IVSHMEM, PCI_DEVICE_ID_IVSHMEM). */
const IVSHMEM = { vendor: '0x1af4', device: '0x1110' };

export interface GuestRun {
  /** What the test printed (TAP on stdout). */
  readonly tap: string;
  readonly exit: { code: number | null; signal: string | null };
  readonly bdf: string;
  /** /sys/module/vfio_pci_core/parameters/mapping_order_driver after the run (patch 0008): "bar" is asked for. */
  readonly driver: string;
}

export interface Prepared {
  readonly kernel: KernelBuild;
  readonly initramfs: string;
}

/** Builds (or reuses) the kernel of the whole series and the initramfs holding the test. */
export async function prepare(log: (l: string) => void, patches = seriesPatches()): Promise<Prepared> {
  const kernel = await buildKernel({ patches, log });
  const source = await kernelSource(log);
  // The C file as the patch adds it, compiled where "../kselftest.h" resolves to the pristine tree's.
  const dir = join(cacheRoot(), 'selftest');
  mkdirSync(dir, { recursive: true });
  const c = join(dir, 'mapping_order.c');
  writeFileSync(c, renderC());
  const bin = compileStatic(c, ['-I', join(source.dir, 'tools', 'testing', 'selftests', 'mm')]);
  const initramfs = buildInitramfs([{ guestPath: '/bin/mapping_order', hostPath: bin }]);
  return { kernel, initramfs };
}

/** Boots with `mapping_order_policy=<policy>` and the BAR-order driver, runs the test, powers off. */
export async function runInGuest(p: Prepared, policy: PolicyName, log: (l: string) => void): Promise<GuestRun> {
  const guest = await bootGuest({
    kernel: p.kernel.bzImage,
    initramfs: p.initramfs,
    append: `vfio.enable_unsafe_noiommu_mode=1 mapping_order_policy=${policy} vfio_pci_core.mapping_order_driver=bar`,
    extraArgs: ['-object', `memory-backend-ram,id=bar,size=${BAR_SIZE >> 20n}M`, '-device', 'ivshmem-plain,memdev=bar'],
    log,
  });
  try {
    const bdf = await findIvshmem(guest.readFile.bind(guest));
    const proc = guest.exec(['/bin/mapping_order', bdf]);
    let tap = '';
    proc.stdout.on('data', (d: Buffer) => (tap += d.toString('utf8')));
    const exit = await proc.exit;
    const driver = (await guest.readFile('/sys/module/vfio_pci_core/parameters/mapping_order_driver'))
      .toString('utf8')
      .trim();
    return { tap, exit: { code: exit.code, signal: exit.signal }, bdf, driver };
  } finally {
    const off = await guest.poweroff();
    log(`qemu: exited ${off.exitCode} ${off.ms}ms after poweroff`);
  }
}

/** The ivshmem device's address: bus 0, the first slots of QEMU's pc machine. */
async function findIvshmem(readFile: (p: string) => Promise<Buffer>): Promise<string> {
  for (let slot = 0; slot < 32; slot++) {
    const bdf = `0000:00:${slot.toString(16).padStart(2, '0')}.0`;
    try {
      const vendor = (await readFile(`/sys/bus/pci/devices/${bdf}/vendor`)).toString('utf8').trim();
      const device = (await readFile(`/sys/bus/pci/devices/${bdf}/device`)).toString('utf8').trim();
      if (vendor === IVSHMEM.vendor && device === IVSHMEM.device) return bdf;
    } catch {
      // No device in this slot.
    }
  }
  throw new Error('no ivshmem-plain device in the guest (0000:00:00.0 - 0000:00:1f.0)');
}
