// x86's own allocators (arch/x86/kernel/sys_x86_64.c, HAVE_ARCH_UNMAPPED_AREA
// and HAVE_ARCH_UNMAPPED_AREA_TOPDOWN) and the hint test of arch/x86/mm/mmap.c.
// They differ from the generic ones: align_offset = pgoff << PAGE_SHIFT, the
// bottom-up low limit is get_mmap_base(1) (mmap_legacy_base), the bottom-up
// hint test has no mmap_min_addr term and the top-down one goes through
// mmap_address_hint_valid(), the top-down high limit grows by
// TASK_SIZE_MAX - DEFAULT_MAP_WINDOW for a hint above the window, and the
// top-down fallback calls the bottom-up allocator with vm_flags = 0.
//
// Simplifications, each a configuration the modelled machine does not have:
// - va_align (AMD family 15h I-cache aliasing, align_va_addr=) is off
//   (va_align.flags < 0), so get_align_mask() is 0 for non-hugetlb files and
//   get_align_bits() is 0;
// - MAP_32BIT and MAP_ABOVE4G are not modelled (MmapFlags has neither bit);
// - LAM does not restrict the address space (full_va_allowed()).

import type { KAddr, KFile, MmapFlags, MmCtx, VmFlags } from './context.js';
import { NO_VM_FLAGS, offsetInPage } from './context.js';
import { hugePageMaskAlign, isFileHugepages } from './file-ops.js';
import { findVma, stackGuardPlacement, vmStartGap } from './guard-gap.js';
import { defaultMapWindow, getMmapBase, taskSize, taskSize32bit, taskSize64bit, taskSizeMax } from './task-size.js';
import { pageAlign, pageMask, u64 } from './u64.js';
import { vmUnmappedArea, type VmUnmappedAreaInfo } from './vm-unmapped-area.js';

/**
 * get_align_mask(filp): the hugetlb mask; va_align is off. The hugetlb case
 * (and the hugetlb tests below) is v6.13's; v6.12's get_align_mask(void) has
 * none, and no v6.12 hugetlb file reaches these allocators
 * (model/hugetlb-get-unmapped-area-v6-12.ts), so the same code serves both.
 */
function getAlignMask(ctx: MmCtx, file: KFile | null): bigint {
  if (file !== null && isFileHugepages(file)) return hugePageMaskAlign(ctx, file);
  return 0n;
}

/** get_align_bits(filp): va_align.bits & get_align_mask(), 0 with va_align off. */
function getAlignBits(_ctx: MmCtx, _file: KFile | null): bigint {
  return 0n;
}

/**
 * mmap_address_hint_valid(addr, len) (arch/x86/mm/mmap.c): the hint must fit
 * below TASK_SIZE and must not cross DEFAULT_MAP_WINDOW.
 */
export function mmapAddressHintValid(ctx: MmCtx, addr: bigint, len: bigint): boolean {
  if (u64(taskSize(ctx) - len) < addr) return false;
  const dmw = defaultMapWindow(ctx);
  return addr > dmw === u64(addr + len) > dmw;
}

/** find_start_end(addr, flags, &begin, &end) without MAP_32BIT. */
function findStartEnd(ctx: MmCtx, addr: bigint): { begin: bigint; end: bigint } {
  const begin = getMmapBase(ctx, true);
  const end = ctx.compat ? taskSize32bit(ctx) : taskSize64bit(ctx, addr > defaultMapWindow(ctx));
  return { begin, end };
}

/** x86 arch_get_unmapped_area(): bottom-up. */
export function archGetUnmappedArea(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): KAddr {
  if (flags.fixed) return addr;
  const { begin, end } = findStartEnd(ctx, addr);
  if (len > end) return 'ENOMEM';
  if (addr !== 0n) {
    addr = pageAlign(addr, ctx.geometry.pageSize);
    const vma = findVma(ctx, addr);
    if (end - len >= addr && (vma === null || u64(addr + len) <= vmStartGap(ctx, vma))) return addr;
  }
  const huge = file !== null && isFileHugepages(file);
  let alignOffset = huge ? 0n : u64(pgoff << ctx.geometry.pageShift);
  const startGap = huge ? 0n : stackGuardPlacement(ctx, vmFlags);
  let alignMask = 0n;
  if (file !== null) {
    alignMask = getAlignMask(ctx, file);
    alignOffset = u64(alignOffset + getAlignBits(ctx, file));
  }
  const info: VmUnmappedAreaInfo = {
    topdown: false,
    length: len,
    lowLimit: begin,
    highLimit: end,
    alignMask,
    alignOffset,
    startGap,
  };
  return vmUnmappedArea(ctx, info);
}

/** x86 arch_get_unmapped_area_topdown(), with its bottom-up fallback. */
export function archGetUnmappedAreaTopdown(
  ctx: MmCtx,
  file: KFile | null,
  addr0: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): KAddr {
  let addr = addr0;
  if (len > taskSize(ctx)) return 'ENOMEM';
  // No address checking for MAP_FIXED (see mmap_address_hint_valid()).
  if (flags.fixed) return addr;
  hint: if (addr !== 0n) {
    addr = pageMask(addr, ctx.geometry.pageSize);
    if (!mmapAddressHintValid(ctx, addr, len)) break hint;
    const vma = findVma(ctx, addr);
    if (vma === null || u64(addr + len) <= vmStartGap(ctx, vma)) return addr;
  }
  const huge = file !== null && isFileHugepages(file);
  let highLimit = getMmapBase(ctx, false);
  // A hint above DEFAULT_MAP_WINDOW opens the whole address space (not for 32-bit syscalls).
  if (addr > defaultMapWindow(ctx) && !ctx.compat)
    highLimit = u64(highLimit + taskSizeMax(ctx) - defaultMapWindow(ctx));
  let alignOffset = huge ? 0n : u64(pgoff << ctx.geometry.pageShift);
  const startGap = huge ? 0n : stackGuardPlacement(ctx, vmFlags);
  let alignMask = 0n;
  if (file !== null) {
    alignMask = getAlignMask(ctx, file);
    alignOffset = u64(alignOffset + getAlignBits(ctx, file));
  }
  const info: VmUnmappedAreaInfo = {
    topdown: true,
    length: len,
    lowLimit: ctx.geometry.pageSize,
    highLimit,
    alignMask,
    alignOffset,
    startGap,
  };
  const r = vmUnmappedArea(ctx, info);
  if (!offsetInPage(ctx, r)) return r;
  // A failed mmap() very likely causes application failure: retry bottom-up,
  // from the original hint and with vm_flags = 0 (so no shadow-stack start gap).
  return archGetUnmappedArea(ctx, file, addr0, len, pgoff, flags, NO_VM_FLAGS);
}
