// What the allocator asks of a struct file: is it hugetlbfs
// (is_file_hugepages), its hstate's page size, huge_page_mask_align(), and the
// inode type behind file_mmap_size_max() (mm/mmap.c).
//
// Kinds and what they stand for (docs/CLI.md#file):
// - plain: a regular file whose f_op has no get_unmapped_area;
// - thp: a regular file whose get_unmapped_area is thp_get_unmapped_area (ext4, xfs, ...);
// - shmem / shmem-huge: a tmpfs or memfd file (shmem_get_unmapped_area), mounted huge=never / huge=always;
// - hugetlb: a hugetlbfs file (hugetlb_get_unmapped_area);
// - driver: a device file without get_unmapped_area (under baseline; the policies
//   add get_mapping_order). It is not S_ISREG, so file_mmap_size_max() is ULONG_MAX
//   (vfio's device fd is an anonymous inode without FOP_UNSIGNED_OFFSET).

import type { MmCtx, KFile } from './context.js';
import { U64_MAX } from './u64.js';

/** is_file_hugepages(file). */
export function isFileHugepages(file: KFile | null): boolean {
  return file !== null && file.kind === 'hugetlb';
}

/** huge_page_size(hstate_file(file)): file.hugePageSize, default the PMD size. */
export function hugePageSize(ctx: MmCtx, file: KFile): bigint {
  return file.hugePageSize ?? ctx.geometry.pageSize << BigInt(ctx.geometry.pmdOrder);
}

/** huge_page_mask_align(file) = PAGE_MASK & ~huge_page_mask(h) = (size - 1) & PAGE_MASK. */
export function hugePageMaskAlign(ctx: MmCtx, file: KFile): bigint {
  return (hugePageSize(ctx, file) - 1n) & ~(ctx.geometry.pageSize - 1n);
}

/** MAX_LFS_FILESIZE on 64-bit: LLONG_MAX. */
export const MAX_LFS_FILESIZE = (1n << 63n) - 1n;

/** file_mmap_size_max(file, inode): regular files MAX_LFS_FILESIZE, the driver's anon inode ULONG_MAX. */
export function fileMmapSizeMax(file: KFile): bigint {
  return file.kind === 'driver' ? U64_MAX : MAX_LFS_FILESIZE;
}
