// optimal: this project's proposal (docs/OPTIMAL.md has the definition and the
// reason for each choice, as kdoc-ready text). In short:
//   O = the largest arch leaf order o, 1 <= o <= O_drv, whose chunk
//       S = PAGE_SIZE << o fits whole in the file range:
//       round_up(off, S) + S <= off + len;
//   none -> exactly baseline (so order 0, negative orders and useless orders change nothing);
//   MAP_FIXED -> baseline (addr unchanged); compat -> baseline;
//   a hint -> tried as baseline tries it; kept if free;
//   else ONE search of the arch allocator with info.align_mask = (S-1) & PAGE_MASK,
//       info.align_offset = off (vm_unmapped_area's own congruence), which pads by
//       S - PAGE_SIZE: the least padding that guarantees a congruent fit;
//   that search failing -> baseline's placement.

import type { AreaResult, MappingOrderHook, MmCtx } from '../context.js';
import { isErr } from '../context.js';
import type { Geometry } from '../geometry.js';
import { defaultArea } from '../get-unmapped-area.js';
import { mmGetUnmappedAreaVmflags, plainResult } from '../mm-get-unmapped-area.js';
import { u64 } from '../u64.js';
import { archSearchAligned } from './arch-search-aligned.js';
import { getMappingOrder, hasGetMappingOrder } from './driver-order.js';

/**
 * The order optimal aligns to for (O_drv, off, len): the largest leaf order
 * o in [1, O_drv] with round_up(off, S) + S <= off + len, or 0 for none.
 * off is the unsigned long byte offset; the test is exact (no wrap), as a
 * kernel version would write it with check_add_overflow().
 */
export function optimalOrder(g: Geometry, drvOrder: number, off: bigint, len: bigint): number {
  let best = 0;
  for (const o of g.leafOrders) {
    if (o < 1 || o > drvOrder || o <= best) continue;
    const S = g.pageSize << BigInt(o);
    const offAlign = (off + S - 1n) & ~(S - 1n);
    if (offAlign + S <= off + len) best = o;
  }
  return best;
}

export const optimalHook: MappingOrderHook = (
  ctx: MmCtx,
  file,
  addr,
  len,
  pgoff,
  flags,
  vmFlags,
): AreaResult | null => {
  if (!hasGetMappingOrder(file) || flags.fixed || ctx.compat) return null;
  const g = ctx.geometry;
  const off = u64(pgoff << g.pageShift);
  const order = optimalOrder(g, getMappingOrder(ctx, file, pgoff, len), off, len);
  if (order === 0) return null;
  // With a hint, baseline's own answer first: the hint if it is free.
  const baseline = addr !== 0n ? mmGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, vmFlags) : null;
  if (baseline !== null && !isErr(baseline) && baseline === addr) return plainResult(ctx, flags, addr, baseline);
  const S = g.pageSize << BigInt(order);
  const va = archSearchAligned(ctx, file, addr, len, pgoff, vmFlags, (S - 1n) & ~(g.pageSize - 1n));
  if (!isErr(va)) return { addr: va, path: 'aligned', order, alignment: S };
  // No congruent room: baseline's placement, which under 6.12 is the THP attempt for a PMD-multiple length
  // with no hint (the patch's mmap_default_area()); under 6.18 the plain search.
  const fallback = baseline ?? defaultArea(ctx, file, addr, len, pgoff, flags, vmFlags).addr;
  return { addr: fallback, path: 'fallback', order, alignment: S };
};
