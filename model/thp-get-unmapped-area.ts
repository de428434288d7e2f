// __thp_get_unmapped_area(), thp_get_unmapped_area_vmflags() and
// thp_get_unmapped_area() (mm/huge_memory.c, v6.18): pad the search by `size`,
// then move the result up to the next address congruent to the file offset
// (off_sub), or, top-down with off_sub == 0, to ret + size so the mapping sits at
// the top of the padded hole. 0 means "could not align, fall back".
//
// The arithmetic keeps the kernel's types: off, off_end and off_align are loff_t
// (signed 64-bit), len_pad and ret are unsigned long.

import type { AreaResult, KFile, MmapFlags, MmCtx, VmFlags } from './context.js';
import { isErr } from './context.js';
import { mmGetUnmappedAreaVmflags, plainPath } from './mm-get-unmapped-area.js';
import { ilog2, roundUpS64, s64, u64 } from './u64.js';

/** What __thp_get_unmapped_area returned, and whether it got past the "is alignment useful" checks. */
interface ThpAttempt {
  /** The kernel's return value: an address, or 0 for "fall back". */
  readonly ret: bigint;
  /** True once the compat bail-out and the whole-chunk test passed: alignment was wanted. */
  readonly wanted: boolean;
}

function thpAttempt(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  off: bigint,
  flags: MmapFlags,
  size: bigint,
  vmFlags: VmFlags,
): ThpAttempt {
  const offEnd = s64(off + len);
  const offAlign = roundUpS64(off, size);
  // !IS_ENABLED(CONFIG_64BIT) || in_compat_syscall(): every modelled kernel is 64-bit.
  if (ctx.compat) return { ret: 0n, wanted: false };
  // The file range must hold a whole aligned size-chunk.
  if (offEnd <= offAlign || u64(offEnd - offAlign) < size) return { ret: 0n, wanted: false };
  const lenPad = u64(len + size);
  if (lenPad < len || u64(off + lenPad) < u64(off)) return { ret: 0n, wanted: true };
  const ret = mmGetUnmappedAreaVmflags(ctx, file, addr, lenPad, u64(off >> ctx.geometry.pageShift), flags, vmFlags);
  // The failure might be due to the padding; the caller retries without it.
  if (isErr(ret)) return { ret: 0n, wanted: true };
  // Allocation at the hint succeeded (always so for MAP_FIXED): keep it unaligned.
  if (ret === addr) return { ret: addr, wanted: true };
  const offSub = u64(off - ret) & (size - 1n);
  if (ctx.mm.topdown && offSub === 0n) return { ret: u64(ret + size), wanted: true };
  return { ret: u64(ret + offSub), wanted: true };
}

/**
 * __thp_get_unmapped_area(filp, addr, len, off, flags, size, vm_flags).
 * `off` is the loff_t byte offset (pgoff << PAGE_SHIFT); returns 0n to mean "fall back".
 */
export function __thpGetUnmappedArea(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  off: bigint,
  flags: MmapFlags,
  size: bigint,
  vmFlags: VmFlags,
): bigint {
  return thpAttempt(ctx, file, addr, len, off, flags, size, vmFlags).ret;
}

/** Page order of an alignment size (size = PAGE_SIZE << order). */
export function orderOfSize(ctx: MmCtx, size: bigint): number {
  const o = ilog2(size) - Number(ctx.geometry.pageShift);
  return o > 0 ? o : 0;
}

/**
 * thp_get_unmapped_area_vmflags(filp, addr, len, pgoff, flags, vm_flags) with
 * the alignment as a parameter (upstream passes PMD_SIZE; v2's hook passes
 * PAGE_SIZE << order): the aligned attempt, else the unaligned placement.
 */
export function thpGetUnmappedAreaVmflags(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
  size: bigint = ctx.geometry.pageSize << BigInt(ctx.geometry.pmdOrder),
): AreaResult {
  const ps = ctx.geometry.pageSize;
  const off = s64(pgoff << ctx.geometry.pageShift);
  const a = thpAttempt(ctx, file, addr, len, off, flags, size, vmFlags);
  const order = orderOfSize(ctx, size);
  if (a.ret !== 0n) {
    const path = plainPath(flags, addr, a.ret);
    if (path !== 'plain') return { addr: a.ret, path, order: 0, alignment: ps };
    return { addr: a.ret, path: 'aligned', order, alignment: size };
  }
  const r = mmGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, vmFlags);
  const path = plainPath(flags, addr, r);
  if (path === 'plain' && a.wanted) return { addr: r, path: 'fallback', order, alignment: size };
  return { addr: r, path, order: 0, alignment: ps };
}

/** thp_get_unmapped_area(): f_op->get_unmapped_area of THP-capable filesystems, vm_flags = 0. */
export function thpGetUnmappedArea(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
): AreaResult {
  return thpGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, { shadowStack: false });
}
