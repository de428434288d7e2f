// Guard gaps around VMAs (include/linux/mm.h: stack_guard_start_gap,
// vm_start_gap, vm_end_gap) and the requester's own start gap
// (stack_guard_placement, mm/mmap.c and arch/x86/kernel/sys_x86_64.c).
//
// Simplification: no modelled architecture has VM_GROWSUP (parisc only), so
// vm_end_gap() is vm_end; it is kept as a function so the neighbour checks read
// like mm/vma.c.

import type { MmCtx, VmFlags } from './context.js';
import type { Vma } from './types.js';
import { u64 } from './u64.js';

/** VM_STARTGAP_FLAGS = VM_GROWSDOWN | VM_SHADOW_STACK. */
export function hasStartGapFlags(vma: Vma): boolean {
  return vma.growsDown === true || vma.shadowStack === true;
}

/** stack_guard_start_gap(vma): stack_guard_gap below VM_GROWSDOWN, PAGE_SIZE below VM_SHADOW_STACK. */
export function stackGuardStartGap(ctx: MmCtx, vma: Vma): bigint {
  if (vma.growsDown === true) return ctx.mm.stackGuardGap;
  if (vma.shadowStack === true) return ctx.geometry.pageSize;
  return 0n;
}

/** vm_start_gap(vma): vm_start minus the start guard, clamped to 0 on underflow. */
export function vmStartGap(ctx: MmCtx, vma: Vma): bigint {
  const vmStart = u64(vma.start - stackGuardStartGap(ctx, vma));
  return vmStart > vma.start ? 0n : vmStart;
}

/** vm_end_gap(vma): vm_end (no VM_GROWSUP on the modelled architectures). */
export function vmEndGap(_ctx: MmCtx, vma: Vma): bigint {
  return vma.end;
}

/** stack_guard_placement(vm_flags): info.start_gap, PAGE_SIZE for a shadow stack. */
export function stackGuardPlacement(ctx: MmCtx, vmFlags: VmFlags): bigint {
  return vmFlags.shadowStack ? ctx.geometry.pageSize : 0n;
}

/** find_vma(mm, addr): the first VMA with vm_end > addr, or null. */
export function findVma(ctx: MmCtx, addr: bigint): Vma | null {
  for (const v of ctx.vmas) if (v.end > addr) return v;
  return null;
}

/** find_vma_prev(mm, addr, &prev): find_vma's VMA and the VMA before it (the last with vm_end <= addr). */
export function findVmaPrev(ctx: MmCtx, addr: bigint): { vma: Vma | null; prev: Vma | null } {
  let prev: Vma | null = null;
  for (const v of ctx.vmas) {
    if (v.end > addr) return { vma: v, prev };
    prev = v;
  }
  return { vma: null, prev };
}
