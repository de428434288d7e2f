// The two maple-tree gap searches vm_unmapped_area relies on
// (lib/maple_tree.c mas_empty_area / mas_empty_area_rev, reached through
// mm/vma.h vma_iter_area_lowest / vma_iter_area_highest), over the mm's VMAs
// as a sorted list. An empty range is the space between two VMAs (below the
// first one from 0, above the last one up to ULONG_MAX).
//
// Contract mirrored (inclusive [min, max] as the maple tree takes it):
// - min > max, or max - min < size - 1: no area (-EBUSY/-EINVAL in the tree, -ENOMEM to the caller);
// - lowest: the first empty range whose part inside [min, max] holds `size`
//   bytes; index = max(range start, min), last = index + size - 1;
// - highest: the last such range; last = min(range end, max), index = last - size + 1.
// The neighbours are found as vma_next()/vma_prev() find them after the search:
// the VMA just above the empty range and the VMA just below it.

import type { MmCtx } from './context.js';
import type { Vma } from './types.js';
import { U64_MAX } from './u64.js';

export interface EmptyArea {
  /** mas.index: first byte of the area. */
  readonly index: bigint;
  /** mas.last: last byte of the area (inclusive). */
  readonly last: bigint;
  /** vma_next(): the VMA above the empty range, or null. */
  readonly next: Vma | null;
  /** vma_prev(): the VMA below the empty range, or null. */
  readonly prev: Vma | null;
}

interface EmptyRange {
  readonly start: bigint;
  /** Inclusive. */
  readonly end: bigint;
  readonly prev: Vma | null;
  readonly next: Vma | null;
}

function emptyRanges(vmas: readonly Vma[]): EmptyRange[] {
  const out: EmptyRange[] = [];
  let cursor = 0n;
  let prev: Vma | null = null;
  for (const v of vmas) {
    if (v.start > cursor) out.push({ start: cursor, end: v.start - 1n, prev, next: v });
    cursor = v.end;
    prev = v;
  }
  if (cursor <= U64_MAX) out.push({ start: cursor, end: U64_MAX, prev, next: null });
  return out;
}

function badRange(min: bigint, max: bigint, size: bigint): boolean {
  return min > max || size === 0n || max - min < size - 1n;
}

/** vma_iter_area_lowest(vmi, min, max_exclusive, size) = mas_empty_area(min, max_exclusive - 1, size). */
export function areaLowest(ctx: MmCtx, min: bigint, max: bigint, size: bigint): EmptyArea | null {
  if (badRange(min, max, size)) return null;
  for (const r of emptyRanges(ctx.vmas)) {
    const lo = r.start > min ? r.start : min;
    const hi = r.end < max ? r.end : max;
    if (hi >= lo && hi - lo + 1n >= size) return { index: lo, last: lo + size - 1n, next: r.next, prev: r.prev };
  }
  return null;
}

/** vma_iter_area_highest(vmi, min, max_exclusive, size) = mas_empty_area_rev(min, max_exclusive - 1, size). */
export function areaHighest(ctx: MmCtx, min: bigint, max: bigint, size: bigint): EmptyArea | null {
  if (badRange(min, max, size)) return null;
  const ranges = emptyRanges(ctx.vmas);
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    const lo = r.start > min ? r.start : min;
    const hi = r.end < max ? r.end : max;
    if (hi >= lo && hi - lo + 1n >= size) return { index: hi - size + 1n, last: hi, next: r.next, prev: r.prev };
  }
  return null;
}
