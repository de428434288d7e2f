// generic_get_unmapped_area() and generic_get_unmapped_area_topdown()
// (mm/mmap.c), used by architectures without HAVE_ARCH_UNMAPPED_AREA[_TOPDOWN]
// (arm64 here), with arm64's arch_get_mmap_end() / arch_get_mmap_base()
// (arch/arm64/include/asm/processor.h).
//
// The generic allocators ignore pgoff: align_offset stays 0 and align_mask is
// set only for hugetlbfs files (then the VA is aligned to the huge page, not
// congruent to the offset).
//
// Modelling note: in a bottom-up mm (MMF_TOPDOWN clear) arch_pick_mmap_layout()
// stores the legacy base in mm->mmap_base; the scenario keeps that value in
// mm.mmapLegacyBase, which is what the bottom-up search reads here.

import type { KAddr, KFile, MmapFlags, MmCtx, VmFlags } from './context.js';
import { offsetInPage } from './context.js';
import { hugePageMaskAlign, isFileHugepages } from './file-ops.js';
import { findVmaPrev, stackGuardPlacement, vmEndGap, vmStartGap } from './guard-gap.js';
import { defaultMapWindow, taskSize, taskUnmappedBase } from './task-size.js';
import { pageAlign, u64 } from './u64.js';
import { vmUnmappedArea, type VmUnmappedAreaInfo } from './vm-unmapped-area.js';

/** arm64 arch_get_mmap_end(addr, len, flags): TASK_SIZE for a hint above the window, else DEFAULT_MAP_WINDOW. */
export function archGetMmapEnd(ctx: MmCtx, addr: bigint): bigint {
  const dmw = defaultMapWindow(ctx);
  return addr > dmw ? taskSize(ctx) : dmw;
}

/**
 * arm64 arch_get_mmap_base(addr, base): base shifted up by TASK_SIZE - DEFAULT_MAP_WINDOW for a hint above the window.
 */
export function archGetMmapBase(ctx: MmCtx, addr: bigint, base: bigint): bigint {
  const dmw = defaultMapWindow(ctx);
  return addr > dmw ? u64(base + taskSize(ctx) - dmw) : base;
}

/** The hint test both generic allocators (and v6.12's generic_hugetlb_get_unmapped_area) share. */
export function hintFits(ctx: MmCtx, addr: bigint, len: bigint, mmapEnd: bigint): boolean {
  const { vma, prev } = findVmaPrev(ctx, addr);
  return (
    u64(mmapEnd - len) >= addr &&
    addr >= ctx.mm.mmapMinAddr &&
    (vma === null || u64(addr + len) <= vmStartGap(ctx, vma)) &&
    (prev === null || addr >= vmEndGap(ctx, prev))
  );
}

/**
 * The steps both generic allocators take before their search: the length
 * test, MAP_FIXED, and the page-aligned hint kept when it fits. Returns the
 * answer when one of them decides, else the (page-aligned) hint and mmap_end
 * the search goes on with.
 */
function beforeSearch(
  ctx: MmCtx,
  addr: bigint,
  len: bigint,
  flags: MmapFlags,
): { done: KAddr } | { addr: bigint; mmapEnd: bigint } {
  const mmapEnd = archGetMmapEnd(ctx, addr);
  if (len > u64(mmapEnd - ctx.mm.mmapMinAddr)) return { done: 'ENOMEM' };
  if (flags.fixed) return { done: addr };
  if (addr !== 0n) {
    addr = pageAlign(addr, ctx.geometry.pageSize);
    if (hintFits(ctx, addr, len, mmapEnd)) return { done: addr };
  }
  return { addr, mmapEnd };
}

/**
 * info.align_mask for a hugetlbfs file (v6.13 on); v6.12's generic allocators
 * set none, but no v6.12 hugetlb file reaches them (model/hugetlb-get-unmapped-area-v6-12.ts).
 */
function hugetlbAlignMask(ctx: MmCtx, file: KFile | null): bigint {
  return file !== null && isFileHugepages(file) ? hugePageMaskAlign(ctx, file) : 0n;
}

/** generic_get_unmapped_area(): bottom-up. */
export function genericGetUnmappedArea(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  _pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): KAddr {
  const pre = beforeSearch(ctx, addr, len, flags);
  if ('done' in pre) return pre.done;
  const { mmapEnd } = pre;
  const info: VmUnmappedAreaInfo = {
    topdown: false,
    length: len,
    lowLimit: ctx.mm.mmapLegacyBase,
    highLimit: mmapEnd,
    alignMask: hugetlbAlignMask(ctx, file),
    alignOffset: 0n,
    startGap: stackGuardPlacement(ctx, vmFlags),
  };
  return vmUnmappedArea(ctx, info);
}

/** generic_get_unmapped_area_topdown(), with its bottom-up retry from TASK_UNMAPPED_BASE. */
export function genericGetUnmappedAreaTopdown(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  _pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): KAddr {
  const pre = beforeSearch(ctx, addr, len, flags);
  if ('done' in pre) return pre.done;
  const { addr: hint, mmapEnd } = pre;
  const info: VmUnmappedAreaInfo = {
    topdown: true,
    length: len,
    lowLimit: ctx.geometry.pageSize,
    highLimit: archGetMmapBase(ctx, hint, ctx.mm.mmapBase),
    alignMask: hugetlbAlignMask(ctx, file),
    alignOffset: 0n,
    startGap: stackGuardPlacement(ctx, vmFlags),
  };
  const r = vmUnmappedArea(ctx, info);
  if (!offsetInPage(ctx, r)) return r;
  // Same info, bottom-up, from TASK_UNMAPPED_BASE to mmap_end (start_gap and align_mask kept).
  return vmUnmappedArea(ctx, { ...info, topdown: false, lowLimit: taskUnmappedBase(ctx), highLimit: mmapEnd });
}
