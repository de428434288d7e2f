// The address-space limits the allocator reads, per allocator family and
// syscall width: TASK_SIZE, TASK_SIZE_MAX, DEFAULT_MAP_WINDOW,
// TASK_UNMAPPED_BASE, and x86's get_mmap_base() / task_size_*bit().
//
// Mapping of the scenario's fields onto the kernel's macros:
// - mm.taskSize is DEFAULT_MAP_WINDOW of a 64-bit task (x86: (1 << 47) - PAGE_SIZE;
//   arm64: DEFAULT_MAP_WINDOW_64 = 1 << VA_BITS_MIN);
// - geometry.taskSizeMax is TASK_SIZE_MAX (x86 with 5-level paging) or
//   TASK_SIZE_64 = 1 << vabits_actual (arm64 with 52-bit VA): reachable only by a
//   hint above the window. A scenario whose mm.taskSize exceeds it raises it.
// - geometry.compatTaskSize is IA32_PAGE_OFFSET (x86) / TASK_SIZE_32 (arm64).

import type { MmCtx } from './context.js';
import { pageAlign } from './u64.js';

/** DEFAULT_MAP_WINDOW. On x86 a constant; on arm64 TASK_SIZE_32 for a compat task. */
export function defaultMapWindow(ctx: MmCtx): bigint {
  if (ctx.geometry.allocator === 'generic' && ctx.compat) return ctx.geometry.compatTaskSize;
  return ctx.mm.taskSize;
}

/** TASK_SIZE_MAX (x86) / TASK_SIZE_64 (arm64): the mm's own value when the scenario gives it (4- vs 5-level paging). */
export function taskSizeMax(ctx: MmCtx): bigint {
  const g = ctx.mm.taskSizeMax ?? ctx.geometry.taskSizeMax;
  return g > ctx.mm.taskSize ? g : ctx.mm.taskSize;
}

/**
 * TASK_SIZE: x86 `TIF_ADDR32 ? IA32_PAGE_OFFSET : TASK_SIZE_MAX`,
 * arm64 `TIF_32BIT ? TASK_SIZE_32 : TASK_SIZE_64`. A compat request is modelled
 * as a 32-bit task (TIF_ADDR32 / TIF_32BIT set and in a 32-bit syscall).
 */
export function taskSize(ctx: MmCtx): bigint {
  return ctx.compat ? ctx.geometry.compatTaskSize : taskSizeMax(ctx);
}

/**
 * x86 TASK_SIZE_LOW (arch/x86/include/asm/page_64_types.h): IA32_PAGE_OFFSET
 * for a 32-bit task, else DEFAULT_MAP_WINDOW.
 */
export function taskSizeLow(ctx: MmCtx): bigint {
  return ctx.compat ? ctx.geometry.compatTaskSize : defaultMapWindow(ctx);
}

/**
 * TASK_UNMAPPED_BASE as a bottom-up retry reads it: arm64
 * PAGE_ALIGN(DEFAULT_MAP_WINDOW / 4) (the generic top-down allocator); x86
 * __TASK_UNMAPPED_BASE(TASK_SIZE_LOW) = PAGE_ALIGN(TASK_SIZE_LOW / 3) (only
 * v6.12's hugetlb top-down fallback; x86's own allocators use mmap_legacy_base).
 */
export function taskUnmappedBase(ctx: MmCtx): bigint {
  const ps = ctx.geometry.pageSize;
  if (ctx.geometry.allocator === 'generic') return pageAlign(defaultMapWindow(ctx) / 4n, ps);
  return pageAlign(taskSizeLow(ctx) / 3n, ps);
}

/** x86 task_size_32bit(): IA32_PAGE_OFFSET. */
export function taskSize32bit(ctx: MmCtx): bigint {
  return ctx.geometry.compatTaskSize;
}

/** x86 task_size_64bit(full_addr_space) (arch/x86/mm/mmap.c). */
export function taskSize64bit(ctx: MmCtx, fullAddrSpace: boolean): bigint {
  return fullAddrSpace ? taskSizeMax(ctx) : defaultMapWindow(ctx);
}

/**
 * x86 get_mmap_base(is_legacy) (arch/x86/mm/mmap.c): in a 32-bit syscall the
 * compat bases (CONFIG_HAVE_ARCH_COMPAT_MMAP_BASES), else mmap_legacy_base /
 * mmap_base.
 */
export function getMmapBase(ctx: MmCtx, isLegacy: boolean): bigint {
  if (ctx.compat) return isLegacy ? compatLegacyBase(ctx) : compatBase(ctx);
  return isLegacy ? ctx.mm.mmapLegacyBase : ctx.mm.mmapBase;
}

const SIZE_128M = 128n << 20n;

/**
 * mm->mmap_compat_base when the scenario does not give it: x86 mmap_base() for
 * task_size_32bit() without randomisation and with an 8 MiB stack rlimit:
 * gap = 8M + stack_guard_gap, clamped to [128M, task_size / 6 * 5], so 128M,
 * and PAGE_ALIGN(task_size - gap).
 */
export function compatBase(ctx: MmCtx): bigint {
  if (ctx.mm.mmapCompatBase !== undefined) return ctx.mm.mmapCompatBase;
  const ts = taskSize32bit(ctx);
  let gap = (8n << 20n) + ctx.mm.stackGuardGap;
  const gapMax = (ts / 6n) * 5n;
  if (gap < SIZE_128M) gap = SIZE_128M;
  else if (gap > gapMax) gap = gapMax;
  return pageAlign(ts - gap, ctx.geometry.pageSize);
}

/** mm->mmap_compat_legacy_base when not given: __TASK_UNMAPPED_BASE(task_size_32bit()), no randomisation. */
export function compatLegacyBase(ctx: MmCtx): bigint {
  if (ctx.mm.mmapCompatLegacyBase !== undefined) return ctx.mm.mmapCompatLegacyBase;
  return pageAlign(taskSize32bit(ctx) / 3n, ctx.geometry.pageSize);
}
