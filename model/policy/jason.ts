// Jason Gunthorpe's semantics (20251216144224.GE6079@nvidia.com and
// docs/KERNEL.md#jasons-semantics), as v2 with the clamp moved into the core:
//   O1 = min(O_drv, floor_log2(len) - PAGE_SHIFT)   ("lowest of order or size rounded down to a power of two")
//   O2 = the largest arch leaf order <= O1           ("then highest arch supported leaf size below the above")
// O2 == 0 is exactly baseline (no hook); otherwise v2's mechanism with
// size = PAGE_SIZE << O2. Hint and MAP_FIXED as in v2.

import type { AreaResult, MappingOrderHook } from '../context.js';
import { thpGetUnmappedAreaVmflags } from '../thp-get-unmapped-area.js';
import { ilog2 } from '../u64.js';
import { getMappingOrder, hasGetMappingOrder } from './driver-order.js';
import { largestLeafOrderAtMost } from './leaf-order.js';
import { withChosenAlignment } from './chosen-alignment.js';

/** O2 for a driver order and a length (len > 0, page-aligned). */
export function jasonOrder(
  pageShift: bigint,
  leafOrderAtMost: (max: number) => number,
  drvOrder: number,
  len: bigint,
): number {
  const o1 = Math.min(drvOrder, ilog2(len) - Number(pageShift));
  return leafOrderAtMost(o1);
}

export const jasonHook: MappingOrderHook = (ctx, file, addr, len, pgoff, flags, vmFlags): AreaResult | null => {
  if (addr !== 0n) return null;
  if (!hasGetMappingOrder(file)) return null;
  const g = ctx.geometry;
  const o2 = jasonOrder(g.pageShift, (m) => largestLeafOrderAtMost(g, m), getMappingOrder(ctx, file, pgoff, len), len);
  if (o2 === 0) return null;
  const size = g.pageSize << BigInt(o2);
  return withChosenAlignment(ctx, thpGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, vmFlags, size), size);
};
