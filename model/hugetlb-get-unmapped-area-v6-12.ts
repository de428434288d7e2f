// The hugetlbfs f_op->get_unmapped_area of v6.12, where hugetlb files do not
// go through the arch allocators (that came in v6.13 with Oscar Salvador's
// "Unify hugetlb into arch_get_unmapped_area functions") but search on their own, with
// info.align_mask = PAGE_MASK & ~huge_page_mask(h), align_offset 0 and no
// start_gap:
// - x86 (HAVE_ARCH_HUGETLB_UNMAPPED_AREA): arch/x86/mm/hugetlbpage.c
//   hugetlb_get_unmapped_area() and its static _bottomup/_topdown helpers. The
//   hint is rounded DOWN (addr &= huge_page_mask(h)) and tested with
//   mmap_address_hint_valid() and the next VMA's guard gap whatever MMF_TOPDOWN
//   says; the top-down fallback searches [TASK_UNMAPPED_BASE, TASK_SIZE_LOW)
//   without trying the hint again.
// - generic (arm64): fs/hugetlbfs/inode.c generic_hugetlb_get_unmapped_area()
//   and its static helpers. mmap_end comes from the raw hint; the top-down
//   fallback searches from mm->mmap_base up to arch_get_mmap_end(-ENOMEM), which
//   on arm64 is TASK_SIZE because -ENOMEM as an unsigned long is above
//   DEFAULT_MAP_WINDOW.
// MAP_FIXED goes through prepare_hugepage_range() (include/asm-generic/hugetlb.h):
// EINVAL unless addr and len are multiples of the huge page.

import type { AreaResult, KAddr, KFile, MmapFlags, MmCtx } from './context.js';
import { isErr, offsetInPage } from './context.js';
import { hugePageMaskAlign, hugePageSize } from './file-ops.js';
import { archGetMmapBase, archGetMmapEnd, hintFits } from './generic-get-unmapped-area.js';
import { findVma, vmStartGap } from './guard-gap.js';
import {
  defaultMapWindow,
  getMmapBase,
  taskSize,
  taskSize32bit,
  taskSize64bit,
  taskSizeLow,
  taskSizeMax,
  taskUnmappedBase,
} from './task-size.js';
import { orderOfSize } from './thp-get-unmapped-area.js';
import { alignUp, u64 } from './u64.js';
import { vmUnmappedArea, type VmUnmappedAreaInfo } from './vm-unmapped-area.js';
import { mmapAddressHintValid } from './x86-get-unmapped-area.js';

/** -ENOMEM as the unsigned long the generic top-down fallback hands to arch_get_mmap_end(). */
const ENOMEM_AS_ADDR = u64(-12n);

type HugetlbInfo = Omit<VmUnmappedAreaInfo, 'topdown' | 'lowLimit' | 'highLimit'>;

/** The struct vm_unmapped_area_info both families fill for a hugetlb file. */
function hugetlbInfo(ctx: MmCtx, file: KFile, len: bigint): HugetlbInfo {
  return { length: len, alignMask: hugePageMaskAlign(ctx, file), alignOffset: 0n, startGap: 0n };
}

/** x86 hugetlb_get_unmapped_area_bottomup() (arch/x86/mm/hugetlbpage.c, v6.12). */
function x86HugetlbBottomup(ctx: MmCtx, file: KFile, addr: bigint, len: bigint): KAddr {
  const highLimit = ctx.compat ? taskSize32bit(ctx) : taskSize64bit(ctx, addr > defaultMapWindow(ctx));
  const lowLimit = getMmapBase(ctx, true);
  return vmUnmappedArea(ctx, { ...hugetlbInfo(ctx, file, len), topdown: false, lowLimit, highLimit });
}

/** x86 hugetlb_get_unmapped_area_topdown() (arch/x86/mm/hugetlbpage.c, v6.12), with its bottom-up fallback. */
function x86HugetlbTopdown(ctx: MmCtx, file: KFile, addr: bigint, len: bigint): KAddr {
  const dmw = defaultMapWindow(ctx);
  let highLimit = getMmapBase(ctx, false);
  if (addr > dmw && !ctx.compat) highLimit = u64(highLimit + taskSizeMax(ctx) - dmw);
  const info: VmUnmappedAreaInfo = {
    ...hugetlbInfo(ctx, file, len),
    topdown: true,
    lowLimit: ctx.geometry.pageSize,
    highLimit,
  };
  const r = vmUnmappedArea(ctx, info);
  if (!offsetInPage(ctx, r)) return r;
  return vmUnmappedArea(ctx, { ...info, topdown: false, lowLimit: taskUnmappedBase(ctx), highLimit: taskSizeLow(ctx) });
}

/** prepare_hugepage_range() (include/asm-generic/hugetlb.h, v6.12): MAP_FIXED must be huge-page aligned. */
function prepareHugepageRange(ctx: MmCtx, file: KFile, addr: bigint, len: bigint): KAddr {
  const mask = hugePageSize(ctx, file) - 1n;
  return ((addr | len) & mask) !== 0n ? 'EINVAL' : addr;
}

/** x86 hugetlb_get_unmapped_area() (arch/x86/mm/hugetlbpage.c, v6.12), after the length-multiple test. */
function x86HugetlbGetUnmappedArea(ctx: MmCtx, file: KFile, addr: bigint, len: bigint, flags: MmapFlags): KAddr {
  if (len > taskSize(ctx)) return 'ENOMEM';
  if (flags.fixed) return prepareHugepageRange(ctx, file, addr, len);
  if (addr !== 0n) {
    addr &= ~(hugePageSize(ctx, file) - 1n);
    if (mmapAddressHintValid(ctx, addr, len)) {
      const vma = findVma(ctx, addr);
      if (vma === null || u64(addr + len) <= vmStartGap(ctx, vma)) return addr;
    }
  }
  return ctx.mm.topdown ? x86HugetlbTopdown(ctx, file, addr, len) : x86HugetlbBottomup(ctx, file, addr, len);
}

/** generic_hugetlb_get_unmapped_area() (fs/hugetlbfs/inode.c, v6.12), after the length-multiple test. */
function genericHugetlbGetUnmappedArea(ctx: MmCtx, file: KFile, addr: bigint, len: bigint, flags: MmapFlags): KAddr {
  const mmapEnd = archGetMmapEnd(ctx, addr);
  if (len > u64(mmapEnd - ctx.mm.mmapMinAddr)) return 'ENOMEM';
  if (flags.fixed) return prepareHugepageRange(ctx, file, addr, len);
  if (addr !== 0n) {
    addr = alignUp(addr, hugePageSize(ctx, file));
    if (hintFits(ctx, addr, len, mmapEnd)) return addr;
  }
  const base = hugetlbInfo(ctx, file, len);
  if (!ctx.mm.topdown) {
    // mm->mmap_base of a bottom-up mm is the legacy base (model/generic-get-unmapped-area.ts).
    return vmUnmappedArea(ctx, { ...base, topdown: false, lowLimit: ctx.mm.mmapLegacyBase, highLimit: mmapEnd });
  }
  const highLimit = archGetMmapBase(ctx, addr, ctx.mm.mmapBase);
  const r = vmUnmappedArea(ctx, { ...base, topdown: true, lowLimit: ctx.geometry.pageSize, highLimit });
  if (!offsetInPage(ctx, r)) return r;
  // The fallback reuses `addr`, now -ENOMEM: its high limit is arch_get_mmap_end(-ENOMEM, ...).
  const fallbackEnd = archGetMmapEnd(ctx, ENOMEM_AS_ADDR);
  return vmUnmappedArea(ctx, { ...base, topdown: false, lowLimit: ctx.mm.mmapBase, highLimit: fallbackEnd });
}

/** The v6.12 hugetlbfs get_unmapped_area of the geometry's family. */
export function hugetlbGetUnmappedAreaV612(
  ctx: MmCtx,
  file: KFile,
  addr: bigint,
  len: bigint,
  flags: MmapFlags,
): AreaResult {
  const ps = ctx.geometry.pageSize;
  const size = hugePageSize(ctx, file);
  const order = orderOfSize(ctx, size);
  if ((len & (size - 1n)) !== 0n) return { addr: 'EINVAL', path: 'aligned', order, alignment: size };
  const x86 = ctx.geometry.allocator === 'x86';
  const r = x86
    ? x86HugetlbGetUnmappedArea(ctx, file, addr, len, flags)
    : genericHugetlbGetUnmappedArea(ctx, file, addr, len, flags);
  if (flags.fixed) return { addr: r, path: 'fixed', order: 0, alignment: ps };
  // The hint as the family tested it: rounded down on x86, up in the generic code.
  const hint = x86 ? addr & ~(size - 1n) : alignUp(addr, size);
  if (!isErr(r) && addr !== 0n && r === hint) return { addr: r, path: 'hint', order: 0, alignment: ps };
  return { addr: r, path: 'aligned', order, alignment: size };
}
