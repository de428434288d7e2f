// Peter Xu's v2 (20251204151003.171039-1-peterx@redhat.com, patch 2/4): in
// __get_unmapped_area(), for a file without get_unmapped_area,
// mmap_should_align() (THP built in, no address hint, the file has
// get_mapping_order) decides; the order is taken as the driver gives it
// (negative -> 0, PAGE_SIZE << order overflowing -> PAGE_SIZE, no clamp) and
// thp_get_unmapped_area_vmflags(..., align = PAGE_SIZE << order) places the
// mapping: __thp_get_unmapped_area pads by align and moves to the offset's
// congruence class, or the plain placement runs when it answers 0.
//
// Anonymous memory: v2 moves the anon-THP rule into mmap_should_align()
// unchanged, so the hook leaves it to the upstream branch (returns null).

import type { AreaResult, MappingOrderHook } from '../context.js';
import { thpGetUnmappedAreaVmflags } from '../thp-get-unmapped-area.js';
import { getMappingOrder, hasGetMappingOrder } from './driver-order.js';
import { withChosenAlignment } from './chosen-alignment.js';

/** check_shl_overflow(PAGE_SIZE, order, &align) ? PAGE_SIZE : align, for order >= 0. */
export function v2Align(pageSize: bigint, order: number): bigint {
  if (order >= 64) return pageSize;
  const align = pageSize << BigInt(order);
  return align >= 1n << 64n ? pageSize : align;
}

export const v2Hook: MappingOrderHook = (ctx, file, addr, len, pgoff, flags, vmFlags): AreaResult | null => {
  // mmap_should_align(): never align when an address hint is given.
  if (addr !== 0n) return null;
  if (!hasGetMappingOrder(file)) return null;
  let order = getMappingOrder(ctx, file, pgoff, len);
  if (order < 0) order = 0;
  const align = v2Align(ctx.geometry.pageSize, order);
  return withChosenAlignment(ctx, thpGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, vmFlags, align), align);
};
