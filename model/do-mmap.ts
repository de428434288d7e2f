// The mmap entry steps around __get_unmapped_area(): ksys_mmap_pgoff()'s
// hugetlbfs length rounding, do_mmap()'s pre-steps that shape the address and
// its checks on the file after the address is chosen (mm/mmap.c, v6.18), and
// the pgoff checks of hugetlbfs' mmap.
//
// Not modelled (they do not move the address; they can only fail or succeed the
// same way for every policy): READ_IMPLIES_EXEC, the map_count limit, mlock
// limits, MAP_FIXED_NOREPLACE's EEXIST, MAP_HUGETLB anonymous mappings, file mode
// and seal checks, mmap_region() itself (merging, accounting, the driver's
// ->mmap), hugetlb reservations.

import type { AreaResult, KFile, MmapFlags, MmCtx, VmFlags } from './context.js';
import { isErr } from './context.js';
import { fileMmapSizeMax, hugePageSize, isFileHugepages } from './file-ops.js';
import { __getUnmappedArea } from './get-unmapped-area.js';
import { alignUp, pageAlign, pageMask, u64 } from './u64.js';

/** round_hint_to_min(hint): page-mask it; a nonzero hint below mmap_min_addr becomes PAGE_ALIGN(mmap_min_addr). */
export function roundHintToMin(ctx: MmCtx, hint: bigint): bigint {
  hint = pageMask(hint, ctx.geometry.pageSize);
  if (hint !== 0n && hint < ctx.mm.mmapMinAddr) return pageAlign(ctx.mm.mmapMinAddr, ctx.geometry.pageSize);
  return hint;
}

/** file_mmap_ok(file, inode, pgoff, len). */
export function fileMmapOk(ctx: MmCtx, file: KFile, pgoff: bigint, len: bigint): boolean {
  let maxsize = fileMmapSizeMax(file);
  if (maxsize !== 0n && len > maxsize) return false;
  maxsize = u64(maxsize - len);
  return !(pgoff > maxsize >> ctx.geometry.pageShift);
}

/**
 * hugetlbfs' mmap: the offset must be a multiple of the huge page
 * (pgoff & (~huge_page_mask(h) >> PAGE_SHIFT)) and must fit a loff_t
 * (vm_pgoff & PGOFF_LOFFT_MAX); either failure is -EINVAL.
 */
export function hugetlbfsMmapPgoffOk(ctx: MmCtx, file: KFile, pgoff: bigint): boolean {
  const shift = ctx.geometry.pageShift;
  const hpMaskPages = (hugePageSize(ctx, file) - 1n) >> shift;
  const pgoffLofftMax = u64(((1n << (shift + 1n)) - 1n) << (64n - (shift + 1n)));
  return (pgoff & hpMaskPages) === 0n && (pgoff & pgoffLofftMax) === 0n;
}

function preError(ctx: MmCtx, flags: MmapFlags, e: 'EINVAL' | 'ENOMEM' | 'EOVERFLOW'): AreaResult {
  return { addr: e, path: flags.fixed ? 'fixed' : 'plain', order: 0, alignment: ctx.geometry.pageSize };
}

/** do_mmap(file, addr, len, prot, flags, vm_flags, pgoff, ...), the parts that decide the address or its errno. */
export function doMmap(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): AreaResult {
  if (len === 0n) return preError(ctx, flags, 'EINVAL');
  if (!flags.fixed) addr = roundHintToMin(ctx, addr);
  len = pageAlign(len, ctx.geometry.pageSize);
  if (len === 0n) return preError(ctx, flags, 'ENOMEM');
  // offset overflow?
  if (u64(pgoff + (len >> ctx.geometry.pageShift)) < pgoff) return preError(ctx, flags, 'EOVERFLOW');

  const r = __getUnmappedArea(ctx, file, addr, len, pgoff, flags, vmFlags);
  if (isErr(r.addr)) return r;

  if (file !== null) {
    if (!fileMmapOk(ctx, file, pgoff, len)) return { ...r, addr: 'EOVERFLOW' };
    if (isFileHugepages(file) && !hugetlbfsMmapPgoffOk(ctx, file, pgoff)) return { ...r, addr: 'EINVAL' };
  }
  return r;
}

/** ksys_mmap_pgoff(): a hugetlbfs file's length is rounded up to its huge page size first. */
export function ksysMmapPgoff(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): AreaResult {
  if (file !== null && isFileHugepages(file)) len = alignUp(len, hugePageSize(ctx, file));
  return doMmap(ctx, file, addr, len, pgoff, flags, vmFlags);
}
