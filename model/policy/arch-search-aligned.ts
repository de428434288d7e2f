// The arch allocator's search with the alignment passed down into
// vm_unmapped_area_info, as Jason asked in v1 (20250619135852.GC1643312:
// "the order should be passed down to arch code" so the maple-tree search does
// it in one operation) and as Liam pointed out the info struct already allows:
// info.align_mask = (S - 1) & PAGE_MASK, info.align_offset = off. Everything
// else is the arch allocator's own search step for step, without MAP_FIXED and
// without the hint test (the caller tried the hint first):
// - x86 (arch/x86/kernel/sys_x86_64.c): top-down from get_mmap_base(0) (raised
//   by TASK_SIZE_MAX - DEFAULT_MAP_WINDOW for a hint above the window) down to
//   PAGE_SIZE, then bottom-up from get_mmap_base(1) with vm_flags = 0; a
//   bottom-up mm searches bottom-up only;
// - generic (mm/mmap.c, arm64): top-down from arch_get_mmap_base() to
//   PAGE_SIZE, then bottom-up from TASK_UNMAPPED_BASE to mmap_end; bottom-up
//   from mm->mmap_base otherwise.

import type { KAddr, KFile, MmCtx, VmFlags } from '../context.js';
import { NO_VM_FLAGS, offsetInPage } from '../context.js';
import { archGetMmapBase, archGetMmapEnd } from '../generic-get-unmapped-area.js';
import { stackGuardPlacement } from '../guard-gap.js';
import {
  defaultMapWindow,
  getMmapBase,
  taskSize,
  taskSize32bit,
  taskSize64bit,
  taskSizeMax,
  taskUnmappedBase,
} from '../task-size.js';
import { u64 } from '../u64.js';
import { vmUnmappedArea, type VmUnmappedAreaInfo } from '../vm-unmapped-area.js';

function x86BottomUp(
  ctx: MmCtx,
  addr: bigint,
  len: bigint,
  base: Omit<VmUnmappedAreaInfo, 'topdown' | 'lowLimit' | 'highLimit'>,
): KAddr {
  // find_start_end() without MAP_32BIT.
  const begin = getMmapBase(ctx, true);
  const end = ctx.compat ? taskSize32bit(ctx) : taskSize64bit(ctx, addr > defaultMapWindow(ctx));
  if (len > end) return 'ENOMEM';
  return vmUnmappedArea(ctx, { ...base, topdown: false, lowLimit: begin, highLimit: end });
}

/**
 * The search of arch_get_unmapped_area[_topdown]() for `len` bytes at an
 * address ≡ off (mod alignMask + PAGE_SIZE), off = pgoff << PAGE_SHIFT.
 * Returns an address or ENOMEM (never the hint unless the search lands there).
 */
export function archSearchAligned(
  ctx: MmCtx,
  _file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  vmFlags: VmFlags,
  alignMask: bigint,
): KAddr {
  const alignOffset = u64(pgoff << ctx.geometry.pageShift);
  if (ctx.geometry.allocator === 'x86') {
    if (len > taskSize(ctx)) return 'ENOMEM';
    const common = { length: len, alignMask, alignOffset, startGap: stackGuardPlacement(ctx, vmFlags) };
    if (!ctx.mm.topdown) return x86BottomUp(ctx, addr, len, common);
    let highLimit = getMmapBase(ctx, false);
    if (addr > defaultMapWindow(ctx) && !ctx.compat)
      highLimit = u64(highLimit + taskSizeMax(ctx) - defaultMapWindow(ctx));
    const r = vmUnmappedArea(ctx, { ...common, topdown: true, lowLimit: ctx.geometry.pageSize, highLimit });
    if (!offsetInPage(ctx, r)) return r;
    // The top-down fallback runs with vm_flags = 0 (no start gap), as x86's does.
    return x86BottomUp(ctx, addr, len, { ...common, startGap: stackGuardPlacement(ctx, NO_VM_FLAGS) });
  }
  const mmapEnd = archGetMmapEnd(ctx, addr);
  if (len > u64(mmapEnd - ctx.mm.mmapMinAddr)) return 'ENOMEM';
  const common = { length: len, alignMask, alignOffset, startGap: stackGuardPlacement(ctx, vmFlags) };
  if (!ctx.mm.topdown)
    return vmUnmappedArea(ctx, { ...common, topdown: false, lowLimit: ctx.mm.mmapLegacyBase, highLimit: mmapEnd });
  const info: VmUnmappedAreaInfo = {
    ...common,
    topdown: true,
    lowLimit: ctx.geometry.pageSize,
    highLimit: archGetMmapBase(ctx, addr, ctx.mm.mmapBase),
  };
  const r = vmUnmappedArea(ctx, info);
  if (!offsetInPage(ctx, r)) return r;
  return vmUnmappedArea(ctx, { ...info, topdown: false, lowLimit: taskUnmappedBase(ctx), highLimit: mmapEnd });
}
