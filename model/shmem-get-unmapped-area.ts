// shmem_get_unmapped_area() (mm/shmem.c, v6.18): place plainly first, then,
// if huge pages are possible and the range holds a whole huge page, search
// again with len + hpage_size - PAGE_SIZE (file NULL, pgoff 0) and shift the
// result to the first address congruent to the file offset. Any failure keeps
// the plain placement.
//
// Machine configuration modelled (the defaults of the test machine):
// - CONFIG_TRANSPARENT_HUGEPAGE=y; /sys/kernel/mm/transparent_hugepage/shmem_enabled
//   is `never` (shmem_huge = SHMEM_HUGE_NEVER, neither DENY nor FORCE), so the
//   internal shm_mnt has huge=never;
// - file kind 'shmem' (memfd on shm_mnt, or a tmpfs mounted huge=never):
//   SHMEM_SB(sb)->huge == SHMEM_HUGE_NEVER and order 0, so shmem returns the plain placement;
// - file kind 'shmem-huge' (a tmpfs mounted huge=always): hpage_size = HPAGE_PMD_SIZE;
// - anonymous MAP_SHARED (file NULL): sb = shm_mnt->mnt_sb, huge=never, and
//   hpage_orders = huge_shmem_orders_always | _within_size | _madvise, which are
//   all 0 here (every hugepages-*kB/shmem_enabled is `never` or `inherit`, and
//   `inherit` is only added when shm_mnt is not huge=never). So order stays 0
//   and anonymous shared mappings get the plain placement too.

import type { AreaResult, KFile, MmapFlags, MmCtx } from './context.js';
import { isErr, offsetInPage } from './context.js';
import { mmGetUnmappedArea, plainPath } from './mm-get-unmapped-area.js';
import { taskSize } from './task-size.js';
import { u64 } from './u64.js';

/** The SHMEM_SB(sb)->huge setting the file's superblock has (see the header). */
export function shmemSbHuge(file: KFile | null): 'never' | 'always' {
  return file !== null && file.kind === 'shmem-huge' ? 'always' : 'never';
}

/** shmem_get_unmapped_area(file, uaddr, len, pgoff, flags). */
export function shmemGetUnmappedArea(
  ctx: MmCtx,
  file: KFile | null,
  uaddr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
): AreaResult {
  const ps = ctx.geometry.pageSize;
  const TASK_SIZE = taskSize(ctx);
  if (len > TASK_SIZE) return { addr: 'ENOMEM', path: flags.fixed ? 'fixed' : 'plain', order: 0, alignment: ps };

  const addr = mmGetUnmappedArea(ctx, file, uaddr, len, pgoff, flags);
  const plain: AreaResult = { addr, path: plainPath(flags, uaddr, addr), order: 0, alignment: ps };
  if (isErr(addr)) return plain;
  if (offsetInPage(ctx, addr)) return plain;
  if (addr > TASK_SIZE - len) return plain;
  if (flags.fixed) return plain;
  // A hint that was honoured is respected as before.
  if (uaddr === addr) return plain;

  // hpage_size = HPAGE_PMD_SIZE; the anon-shmem mTHP orders are all 0 here (header).
  const hpageSize = ps << BigInt(ctx.geometry.pmdOrder);
  if (shmemSbHuge(file) === 'never') return plain;
  const order = ctx.geometry.pmdOrder;

  if (len < hpageSize) return plain;
  const offset = u64(pgoff << ctx.geometry.pageShift) & (hpageSize - 1n);
  if (offset !== 0n && offset + len < 2n * hpageSize) return plain;
  if ((addr & (hpageSize - 1n)) === offset) return { addr, path: 'aligned', order, alignment: hpageSize };

  const fallback: AreaResult = { addr, path: 'fallback', order, alignment: hpageSize };
  const inflatedLen = u64(len + hpageSize - ps);
  if (inflatedLen > TASK_SIZE) return fallback;
  if (inflatedLen < len) return fallback;

  let inflatedAddr = mmGetUnmappedArea(ctx, null, uaddr, inflatedLen, 0n, flags);
  if (isErr(inflatedAddr)) return fallback;
  if (offsetInPage(ctx, inflatedAddr)) return fallback;

  const inflatedOffset = inflatedAddr & (hpageSize - 1n);
  inflatedAddr = u64(inflatedAddr + offset - inflatedOffset);
  if (inflatedOffset > offset) inflatedAddr = u64(inflatedAddr + hpageSize);

  if (inflatedAddr > TASK_SIZE - len) return fallback;
  return { addr: inflatedAddr, path: 'aligned', order, alignment: hpageSize };
}
