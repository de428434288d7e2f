// The scenario and answer types: a request written in the kernel's terms
// (pgoff, len, MAP_FIXED, the VMAs of the mm), never in the model's internals.
// All addresses and sizes are bytes as bigint.

import type { ArchName } from './geometry.js';
import type { KernelVersion } from './kernel-version.js';

export type { KernelVersion } from './kernel-version.js';

export type PolicyName = 'baseline' | 'v2' | 'jason' | 'optimal';

/** The backing of the mapping as __get_unmapped_area sees it (docs/CLI.md#file). */
export type FileKind = 'anon' | 'plain' | 'shmem' | 'shmem-huge' | 'thp' | 'hugetlb' | 'driver';

/** The parts of struct mm_struct and the sysctls the allocator reads. */
export interface Mm {
  /** MMF_TOPDOWN. */
  readonly topdown: boolean;
  /** mm->mmap_base: the top-down search's high limit. */
  readonly mmapBase: bigint;
  /** mm->mmap_legacy_base (x86 get_mmap_base(1)): the bottom-up search's low limit. */
  readonly mmapLegacyBase: bigint;
  /** TASK_SIZE of this task (DEFAULT_MAP_WINDOW for a 64-bit task). */
  readonly taskSize: bigint;
  /** vm.mmap_min_addr. */
  readonly mmapMinAddr: bigint;
  /** stack_guard_gap in bytes. */
  readonly stackGuardGap: bigint;
  /** x86 mm->mmap_compat_base (top-down limit of a 32-bit syscall); default derived in model/task-size.ts. */
  readonly mmapCompatBase?: bigint;
  /** x86 mm->mmap_compat_legacy_base (bottom-up limit of a 32-bit syscall); default derived in model/task-size.ts. */
  readonly mmapCompatLegacyBase?: bigint;
  /**
   * dac_mmap_min_addr (the vm.mmap_min_addr sysctl): the limit cap_mmap_addr()
   * (security_mmap_addr) applies to the final address of a process without
   * CAP_SYS_RAWIO. `mmapMinAddr` is then the allocator's mmap_min_addr, which is
   * max(this, CONFIG_LSM_MMAP_MIN_ADDR) when that option is built in
   * (security/min_addr.c update_mmap_min_addr). Absent: equal to mmapMinAddr.
   */
  readonly dacMmapMinAddr?: bigint;
  /**
   * TASK_SIZE_MAX of the machine: x86 (1 << 47) - PAGE_SIZE with 4-level paging,
   * (1 << 56) - PAGE_SIZE with 5-level (a CONFIG_X86_5LEVEL kernel on a CPU
   * without la57 has the 4-level value); arm64 TASK_SIZE_64. It is TASK_SIZE of
   * a 64-bit x86 task, so __get_unmapped_area's `addr > TASK_SIZE - len` check
   * and the hint tests use it. Absent: the geometry's taskSizeMax.
   */
  readonly taskSizeMax?: bigint;
}

export interface Vma {
  readonly start: bigint;
  readonly end: bigint;
  /** VM_GROWSDOWN: stack_guard_gap below it is kept free. */
  readonly growsDown?: boolean;
  /** VM_SHADOW_STACK: one page below it is kept free. */
  readonly shadowStack?: boolean;
}

export interface FileDesc {
  readonly kind: FileKind;
  /** For kind 'driver': 'vfio-pci' | 'vfio-pci-jason' | 'order:K' | a misbehaving driver. */
  readonly driver?: string;
  readonly barSize?: bigint;
  readonly barPhys?: bigint;
  readonly barIndex?: number;
  /** For kind 'hugetlb': the huge page size (default: PMD size). */
  readonly hugePageSize?: bigint;
}

export interface Request {
  /** The address argument of mmap (a hint, or the address for MAP_FIXED). */
  readonly addr: bigint;
  readonly len: bigint;
  /** In pages, as mmap2/ksys_mmap_pgoff pass it. */
  readonly pgoff: bigint;
  readonly fixed: boolean;
  readonly shared: boolean;
  /** in_compat_syscall(): a 32-bit task. */
  readonly compat?: boolean;
  /** VM_SHADOW_STACK in vm_flags: start_gap = PAGE_SIZE. */
  readonly shadowStack?: boolean;
}

export interface Scenario {
  readonly arch: ArchName;
  readonly policy: PolicyName;
  /** The kernel whose placement rules apply (model/kernel-version.ts); absent: DEFAULT_KERNEL, 6.18. */
  readonly kernel?: KernelVersion;
  readonly mm: Mm;
  readonly vmas: readonly Vma[];
  readonly file: FileDesc;
  readonly request: Request;
}

/** Error names as the kernel spells its errnos. */
export type Errno = 'ENOMEM' | 'EINVAL' | 'EPERM' | 'EOVERFLOW' | 'EEXIST';

/**
 * Which way the VA was chosen:
 * - fixed: MAP_FIXED, the address returned as given;
 * - hint: the address hint was free and kept;
 * - aligned: an alignment path (THP, shmem huge, hugetlb, the hook) produced the VA;
 * - fallback: an alignment path was tried, gave up, and the plain search placed it;
 * - plain: no alignment was attempted.
 */
export type PlacementPath = 'fixed' | 'hint' | 'aligned' | 'fallback' | 'plain';

export interface Placement {
  readonly va: bigint | null;
  readonly error: Errno | null;
  readonly path: PlacementPath;
  /** Page order of the alignment the placement aimed for (0 when none). */
  readonly order: number;
  /** PAGE_SIZE << order, in bytes. */
  readonly alignment: bigint;
}
