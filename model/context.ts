// The state the allocator reads, shaped like the kernel's: the mm (current->mm
// and the sysctls), the VMAs in address order, whether the syscall is a compat
// one, and the hook slot the mapping-order policies plug into.
//
// Kernel functions of the model take (ctx, file, addr, len, pgoff, flags[, vmFlags])
// like the kernel takes (filp, addr, len, pgoff, flags, vm_flags), with `current`
// replaced by ctx.

import type { Geometry } from './geometry.js';
import type { KernelVersion } from './kernel-version.js';
import type { Errno, FileDesc, Mm, PlacementPath, Vma } from './types.js';

/**
 * An `unsigned long` as the allocator returns it: an address, or an error
 * value (the kernel's -ENOMEM cast to unsigned long; IS_ERR_VALUE()).
 * Never thrown.
 */
export type KAddr = bigint | Errno;

/** IS_ERR_VALUE(x). */
export function isErr(x: KAddr): x is Errno {
  return typeof x === 'string';
}

/**
 * offset_in_page(x) != 0, applied to a value that may be an error: the kernel
 * tests `addr & ~PAGE_MASK` on error values too (an -errno has its low bits
 * set), so an error counts as "offset in page".
 */
export function offsetInPage(ctx: MmCtx, x: KAddr): boolean {
  return isErr(x) || (x & (ctx.geometry.pageSize - 1n)) !== 0n;
}

/** The mmap flags the allocator looks at. MAP_PRIVATE is `!shared`. */
export interface MmapFlags {
  /** MAP_FIXED (MAP_FIXED_NOREPLACE is not modelled: it differs only after the VA is chosen). */
  readonly fixed: boolean;
  /** MAP_SHARED. */
  readonly shared: boolean;
}

/** The vm_flags bits the allocator looks at. */
export interface VmFlags {
  /** VM_SHADOW_STACK: start_gap = PAGE_SIZE (stack_guard_placement()). */
  readonly shadowStack: boolean;
}

/** vm_flags == 0, as x86's top-down fallback and hugetlbfs pass it. */
export const NO_VM_FLAGS: VmFlags = { shadowStack: false };

/**
 * A file as __get_unmapped_area sees it; `null` is "no file" (anonymous,
 * private or shared). Which f_op->get_unmapped_area it has follows from its kind
 * (model/get-unmapped-area.ts: fileGetArea).
 */
export type KFile = FileDesc;

/**
 * What a get_unmapped_area path produced: the kernel's return value plus
 * how it got there (the path of types.ts), the page order of the alignment
 * aimed for and its size in bytes (PAGE_SIZE << order; PAGE_SIZE when order 0).
 */
export interface AreaResult {
  readonly addr: KAddr;
  readonly path: PlacementPath;
  readonly order: number;
  readonly alignment: bigint;
}

/**
 * The hook slot (docs/SEMANTICS.md §2): consulted by __getUnmappedArea after the file's own
 * get_unmapped_area and before the THP branch, exactly where v2 calls
 * mmap_should_align(). Returns null for "does not apply, continue with the
 * upstream dispatch" (the dispatch of ctx.kernel), else the placement it made.
 */
export type MappingOrderHook = (
  ctx: MmCtx,
  file: KFile | null,
  addr: bigint,
  len: bigint,
  pgoff: bigint,
  flags: MmapFlags,
  vmFlags: VmFlags,
) => AreaResult | null;

/** current, current->mm, the sysctls, the kernel version, and the hook. */
export interface MmCtx {
  readonly geometry: Geometry;
  /** Which kernel's rules the mirrored functions follow where 6.12 and 6.18 differ. */
  readonly kernel: KernelVersion;
  readonly mm: Mm;
  /** The mm's VMAs sorted by start, non-overlapping (normaliseVmas). */
  readonly vmas: readonly Vma[];
  /** in_compat_syscall() / in_32bit_syscall(): a 32-bit task on a 64-bit kernel. */
  readonly compat: boolean;
  /** The mapping-order hook of the policy under test; null for baseline. */
  readonly mappingOrder: MappingOrderHook | null;
}
