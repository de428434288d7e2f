// vm_unmapped_area() (mm/mmap.c) and its two searches unmapped_area() /
// unmapped_area_topdown() (mm/vma.c, v6.18), step for step.
//
// Contract (the comment on vm_unmapped_area): a range that meets no VMA, lies in
// [low_limit, high_limit), is at least `length` long and satisfies
// (begin & align_mask) == (align_offset & align_mask). The searches are
// conservative: they look for length + align_mask + start_gap bytes, and the
// neighbour checks use that padded length (bottom-up: `gap + length - 1`) or
// the end of the empty range (top-down: `gap_end`), so a gap that would fit
// exactly may be skipped. That is upstream behaviour and is kept.

import type { KAddr, MmCtx } from './context.js';
import { hasStartGapFlags, vmEndGap, vmStartGap } from './guard-gap.js';
import { areaHighest, areaLowest } from './maple-gap.js';
import { u64 } from './u64.js';

/** struct vm_unmapped_area_info. */
export interface VmUnmappedAreaInfo {
  /** flags & VM_UNMAPPED_AREA_TOPDOWN. */
  readonly topdown: boolean;
  readonly length: bigint;
  readonly lowLimit: bigint;
  readonly highLimit: bigint;
  readonly alignMask: bigint;
  readonly alignOffset: bigint;
  readonly startGap: bigint;
}

/** The padded search length, or null when it wraps (the `length < info->length` test). */
function searchLength(info: VmUnmappedAreaInfo): bigint | null {
  const length = u64(info.length + info.alignMask + info.startGap);
  return length < info.length ? null : length;
}

/** unmapped_area(): the lowest fitting gap. */
export function unmappedArea(ctx: MmCtx, info: VmUnmappedAreaInfo): KAddr {
  const length = searchLength(info);
  if (length === null) return 'ENOMEM';
  let lowLimit = info.lowLimit < ctx.mm.mmapMinAddr ? ctx.mm.mmapMinAddr : info.lowLimit;
  const highLimit = info.highLimit;
  for (;;) {
    const area = areaLowest(ctx, lowLimit, u64(highLimit - 1n), length);
    if (area === null) return 'ENOMEM';
    // Start gap first, then the smallest step that makes it congruent.
    let gap = u64(area.index + info.startGap);
    gap = u64(gap + (u64(info.alignOffset - gap) & info.alignMask));
    const next = area.next;
    if (next !== null && hasStartGapFlags(next)) {
      // Avoid the prev check if possible (mm/vma.c); note the padded length.
      if (vmStartGap(ctx, next) < u64(gap + length - 1n)) {
        lowLimit = next.end;
        continue;
      }
    } else {
      const prev = area.prev;
      if (prev !== null && vmEndGap(ctx, prev) > gap) {
        lowLimit = vmEndGap(ctx, prev);
        continue;
      }
    }
    return gap;
  }
}

/** unmapped_area_topdown(): the highest fitting gap. */
export function unmappedAreaTopdown(ctx: MmCtx, info: VmUnmappedAreaInfo): KAddr {
  const length = searchLength(info);
  if (length === null) return 'ENOMEM';
  const lowLimit = info.lowLimit < ctx.mm.mmapMinAddr ? ctx.mm.mmapMinAddr : info.lowLimit;
  let highLimit = info.highLimit;
  for (;;) {
    const area = areaHighest(ctx, lowLimit, u64(highLimit - 1n), length);
    if (area === null) return 'ENOMEM';
    const gapEnd = u64(area.last + 1n);
    let gap = u64(gapEnd - info.length);
    gap = u64(gap - (u64(gap - info.alignOffset) & info.alignMask));
    const next = area.next;
    if (next !== null && hasStartGapFlags(next)) {
      if (vmStartGap(ctx, next) < gapEnd) {
        highLimit = vmStartGap(ctx, next);
        continue;
      }
    } else {
      const prev = area.prev;
      if (prev !== null && vmEndGap(ctx, prev) > gap) {
        highLimit = prev.start;
        continue;
      }
    }
    return gap;
  }
}

/** vm_unmapped_area(info). */
export function vmUnmappedArea(ctx: MmCtx, info: VmUnmappedAreaInfo): KAddr {
  return info.topdown ? unmappedAreaTopdown(ctx, info) : unmappedArea(ctx, info);
}
