// Scenario helpers for the CLI: the default mm of an architecture (from the
// geometry's defaults) and the VMA list normalised the way the kernel keeps it
// (sorted, non-empty, non-overlapping).

import { GEOMETRIES, type ArchName } from './geometry.js';
import type { Mm, Vma } from './types.js';
import { hex } from './u64.js';

/** The mm a scenario gets for the fields it omits: top-down layout and the geometry's defaults. */
export function defaultMm(arch: ArchName): Mm {
  const g = GEOMETRIES[arch];
  return {
    topdown: true,
    mmapBase: g.defaults.mmapBase,
    mmapLegacyBase: g.defaults.mmapLegacyBase,
    taskSize: g.taskSize,
    mmapMinAddr: g.defaults.mmapMinAddr,
    stackGuardGap: g.defaults.stackGuardGap,
  };
}

/** A VMA list the kernel could not hold; `index` is the offending entry's position in the input. */
export class VmaLayoutError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`vmas[${index}]: ${message}`);
    this.name = 'VmaLayoutError';
  }
}

/**
 * Sort VMAs by start and check them: start < end, both page-aligned when
 * `pageSize` is given, no two overlapping. Throws VmaLayoutError naming the
 * input index of the offending VMA.
 */
export function normaliseVmas(vmas: readonly Vma[], pageSize?: bigint): Vma[] {
  vmas.forEach((v, i) => {
    if (v.start < 0n) throw new VmaLayoutError(i, `start ${hex(v.start)} is negative`);
    if (v.end <= v.start) throw new VmaLayoutError(i, `end ${hex(v.end)} must be above start ${hex(v.start)}`);
    if (v.end > 1n << 64n) throw new VmaLayoutError(i, `end ${hex(v.end)} is above the 64-bit address space`);
    if (pageSize !== undefined && ((v.start | v.end) & (pageSize - 1n)) !== 0n)
      throw new VmaLayoutError(i, `start and end must be multiples of the page size ${hex(pageSize)}`);
  });
  const order = vmas
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (a.v.start < b.v.start ? -1 : a.v.start > b.v.start ? 1 : a.i - b.i));
  for (let k = 1; k < order.length; k++) {
    const a = order[k - 1]!;
    const b = order[k]!;
    if (b.v.start < a.v.end) {
      const later = a.i > b.i ? a : b;
      const other = later === a ? b : a;
      throw new VmaLayoutError(
        later.i,
        `[${hex(later.v.start)}, ${hex(later.v.end)}) overlaps ` +
          `vmas[${other.i}] [${hex(other.v.start)}, ${hex(other.v.end)})`,
      );
    }
  }
  return order.map((o) => o.v);
}
