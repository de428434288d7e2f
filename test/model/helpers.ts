// Test helpers: a context in kernel terms (geometry, mm, VMAs) and hex printing.

import type { MmCtx } from '../../model/context.js';
import { GEOMETRIES, type ArchName } from '../../model/geometry.js';
import { DEFAULT_KERNEL, type KernelVersion } from '../../model/kernel-version.js';
import { defaultMm } from '../../model/mm-defaults.js';
import type { Mm, Vma } from '../../model/types.js';

export const K = 1n << 10n;
export const M = 1n << 20n;
export const G = 1n << 30n;
export const PS = 4096n;

export const hex = (x: bigint | string): string => (typeof x === 'string' ? x : `0x${x.toString(16)}`);

export function mkCtx(
  opts: { arch?: ArchName; mm?: Partial<Mm>; vmas?: Vma[]; compat?: boolean; kernel?: KernelVersion } = {},
): MmCtx {
  const arch = opts.arch ?? 'x86_64';
  return {
    geometry: GEOMETRIES[arch],
    kernel: opts.kernel ?? DEFAULT_KERNEL,
    mm: { ...defaultMm(arch), ...opts.mm },
    vmas: [...(opts.vmas ?? [])].sort((a, b) => (a.start < b.start ? -1 : 1)),
    compat: opts.compat ?? false,
    mappingOrder: null,
  };
}
