// __get_unmapped_area() (mm/mmap.c, v6.18 and v6.12): pick the file's own
// get_unmapped_area (or shmem's for anonymous MAP_SHARED), force pgoff to 0 for
// anonymous memory, consult the mapping-order hook where v2 puts
// mmap_should_align(), align large mappings without a get_unmapped_area for THP
// (anonymous private only in 6.18; every such file too in 6.12), and check the
// result (TASK_SIZE, page offset, security_mmap_addr).
//
// Simplifications: arch_mmap_check() is a no-op on x86 and arm64; the LSM
// check is commoncap's alone: security_mmap_addr() refuses an address below
// dac_mmap_min_addr (mm.dacMmapMinAddr, default mm.mmapMinAddr; the modelled
// process lacks CAP_SYS_RAWIO) and an active SELinux's own mmap_zero check is
// not modelled; CONFIG_TRANSPARENT_HUGEPAGE=y.

import type { AreaResult, KFile, MmapFlags, MmCtx, VmFlags } from './context.js';
import { isErr, offsetInPage } from './context.js';
import { hugetlbGetUnmappedArea } from './hugetlb-get-unmapped-area.js';
import { mmGetUnmappedAreaVmflags, plainResult } from './mm-get-unmapped-area.js';
import { shmemGetUnmappedArea } from './shmem-get-unmapped-area.js';
import { taskSize } from './task-size.js';
import { thpGetUnmappedArea, thpGetUnmappedAreaVmflags } from './thp-get-unmapped-area.js';
import { isAligned } from './u64.js';

/** An f_op->get_unmapped_area: (file, addr, len, pgoff, flags), no vm_flags. */
export type GetArea = (
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
) => AreaResult;

/** file->f_op->get_unmapped_area for each kind of file (null: none). */
export function fileGetArea(file: KFile): GetArea | null {
  switch (file.kind) {
    case 'thp':
      return thpGetUnmappedArea;
    case 'shmem':
    case 'shmem-huge':
      return shmemGetUnmappedArea;
    case 'hugetlb':
      return (ctx, _f, addr, len, pgoff, flags) => hugetlbGetUnmappedArea(ctx, file, addr, len, pgoff, flags);
    case 'plain':
    case 'driver':
    case 'anon':
      return null;
  }
}

/**
 * security_mmap_addr(addr) with commoncap alone and no CAP_SYS_RAWIO
 * (cap_mmap_addr): it compares with dac_mmap_min_addr, the sysctl, which is
 * below the allocator's mmap_min_addr when CONFIG_LSM_MMAP_MIN_ADDR is larger.
 */
export function securityMmapAddr(ctx: MmCtx, addr: bigint): 'EPERM' | null {
  return addr < (ctx.mm.dacMmapMinAddr ?? ctx.mm.mmapMinAddr) ? 'EPERM' : null;
}

/**
 * Whether __get_unmapped_area's THP branch takes a mapping that has no
 * get_unmapped_area of its own. v6.18 mm/mmap.c __get_unmapped_area tests
 * `!file` (34d7cf637c43, v6.13): anonymous memory only. v6.12 mm/mmap.c
 * __get_unmapped_area has no file test: a driver or plain file is aligned too.
 */
function thpAlignsWithoutGetArea(ctx: MmCtx, file: KFile | null): boolean {
  return ctx.kernel === '6.12' || file === null;
}

/**
 * What __get_unmapped_area does for a mapping without get_unmapped_area of its own when no hook places it:
 * the THP branch, else the plain search. A policy that falls back to baseline's placement calls this too
 * (kernel/patches: mmap_default_area()), so under 6.12 its fallback keeps the THP attempt.
 */
export function defaultArea(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): AreaResult {
  const pmdSize = ctx.geometry.pageSize << BigInt(ctx.geometry.pmdOrder);
  if (thpAlignsWithoutGetArea(ctx, file) && addr === 0n && isAligned(len, pmdSize)) {
    // Larger mappings are THP aligned (no hint, PMD-multiple length), a file's congruently with its pgoff.
    return thpGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, vmFlags);
  }
  return plainResult(ctx, flags, addr, mmGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, vmFlags));
}

/** __get_unmapped_area(file, addr, len, pgoff, flags, vm_flags). */
export function __getUnmappedArea(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): AreaResult {
  const TASK_SIZE = taskSize(ctx);
  if (len > TASK_SIZE) return plainResult(ctx, flags, addr, 'ENOMEM');

  let getArea: GetArea | null = null;
  if (file !== null) getArea = fileGetArea(file);
  // mmap_region() will call shmem_zero_setup(): use shmem's allocator in case it can be huge.
  else if (flags.shared) getArea = shmemGetUnmappedArea;

  if (file === null) pgoff = 0n;

  let r: AreaResult;
  if (getArea !== null) {
    r = getArea(ctx, file, addr, len, pgoff, flags);
  } else {
    const hooked = ctx.mappingOrder !== null ? ctx.mappingOrder(ctx, file, addr, len, pgoff, flags, vmFlags) : null;
    r = hooked ?? defaultArea(ctx, file, addr, len, pgoff, flags, vmFlags);
  }

  if (isErr(r.addr)) return r;
  if (r.addr > TASK_SIZE - len) return { ...r, addr: 'ENOMEM' };
  if (offsetInPage(ctx, r.addr)) return { ...r, addr: 'EINVAL' };
  const error = securityMmapAddr(ctx, r.addr);
  return error !== null ? { ...r, addr: error } : r;
}
