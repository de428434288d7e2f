// hugetlb_get_unmapped_area() (fs/hugetlbfs/inode.c, v6.18): the hugetlbfs
// f_op->get_unmapped_area. It checks the length and a MAP_FIXED address
// against the huge page size, rounds a hint up to it, and leaves the rest to the
// arch allocator, which sets align_mask = huge_page_mask_align(file) and
// align_offset = 0 for hugetlb files: the VA is aligned to the huge page
// (pgoff is not used; hugetlbfs' mmap rejects an unaligned pgoff later, see do-mmap.ts).

import type { AreaResult, KFile, MmapFlags, MmCtx } from './context.js';
import { NO_VM_FLAGS, isErr } from './context.js';
import { hugePageSize } from './file-ops.js';
import { hugetlbGetUnmappedAreaV612 } from './hugetlb-get-unmapped-area-v6-12.js';
import { mmGetUnmappedAreaVmflags } from './mm-get-unmapped-area.js';
import { orderOfSize } from './thp-get-unmapped-area.js';
import { alignUp } from './u64.js';

/** hugetlb_get_unmapped_area(file, addr, len, pgoff, flags). */
export function hugetlbGetUnmappedArea(
  ctx: MmCtx,
  file: KFile,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
): AreaResult {
  // v6.18 fs/hugetlbfs/inode.c hugetlb_get_unmapped_area hands the ALIGNed hint to
  // mm_get_unmapped_area_vmflags (since v6.13); v6.12 arch/x86/mm/hugetlbpage.c
  // hugetlb_get_unmapped_area and fs/hugetlbfs/inode.c generic_hugetlb_get_unmapped_area search on their own.
  if (ctx.kernel === '6.12') return hugetlbGetUnmappedAreaV612(ctx, file, addr, len, flags);
  const size = hugePageSize(ctx, file);
  const order = orderOfSize(ctx, size);
  const mask = size - 1n;
  const aligned = (a: AreaResult['addr']): AreaResult => ({ addr: a, path: 'aligned', order, alignment: size });
  if ((len & mask) !== 0n) return aligned('EINVAL');
  if (flags.fixed && (addr & mask) !== 0n)
    return { addr: 'EINVAL', path: 'fixed', order: 0, alignment: ctx.geometry.pageSize };
  const addr0 = addr !== 0n ? alignUp(addr, size) : 0n;
  const r = mmGetUnmappedAreaVmflags(ctx, file, addr0, len, pgoff, flags, NO_VM_FLAGS);
  if (flags.fixed) return { addr: r, path: 'fixed', order: 0, alignment: ctx.geometry.pageSize };
  if (!isErr(r) && addr0 !== 0n && r === addr0)
    return { addr: r, path: 'hint', order: 0, alignment: ctx.geometry.pageSize };
  return aligned(r);
}
