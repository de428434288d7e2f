// mm_get_unmapped_area_vmflags() / mm_get_unmapped_area() (mm/mmap.c): the
// arch allocator, top-down when MMF_TOPDOWN is set, else bottom-up. x86 (and the
// tiny geometries, which share its arithmetic) use arch/x86/kernel/sys_x86_64.c;
// arm64 uses the generic allocators.

import type { AreaResult, KAddr, KFile, MmapFlags, MmCtx, VmFlags } from './context.js';
import { NO_VM_FLAGS, isErr } from './context.js';
import { genericGetUnmappedArea, genericGetUnmappedAreaTopdown } from './generic-get-unmapped-area.js';
import { archGetUnmappedArea, archGetUnmappedAreaTopdown } from './x86-get-unmapped-area.js';

/** mm_get_unmapped_area_vmflags(mm, file, addr, len, pgoff, flags, vm_flags). */
export function mmGetUnmappedAreaVmflags(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
): KAddr {
  if (ctx.geometry.allocator === 'x86') {
    return ctx.mm.topdown
      ? archGetUnmappedAreaTopdown(ctx, file, addr, len, pgoff, flags, vmFlags)
      : archGetUnmappedArea(ctx, file, addr, len, pgoff, flags, vmFlags);
  }
  return ctx.mm.topdown
    ? genericGetUnmappedAreaTopdown(ctx, file, addr, len, pgoff, flags, vmFlags)
    : genericGetUnmappedArea(ctx, file, addr, len, pgoff, flags, vmFlags);
}

/** mm_get_unmapped_area(): the same with vm_flags = 0. */
export function mmGetUnmappedArea(
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
): KAddr {
  return mmGetUnmappedAreaVmflags(ctx, file, addr, len, pgoff, flags, NO_VM_FLAGS);
}

/**
 * The path of a placement no alignment was attempted for: MAP_FIXED, the hint
 * kept (the result is the nonzero hint the allocator was given), or a plain search.
 */
export function plainPath(flags: MmapFlags, hint: bigint, r: KAddr): AreaResult['path'] {
  if (flags.fixed) return 'fixed';
  if (!isErr(r) && hint !== 0n && r === hint) return 'hint';
  return 'plain';
}

/** An AreaResult for an unaligned placement (order 0). */
export function plainResult(ctx: MmCtx, flags: MmapFlags, hint: bigint, r: KAddr): AreaResult {
  return { addr: r, path: plainPath(flags, hint, r), order: 0, alignment: ctx.geometry.pageSize };
}
