// Kernel constants per architecture: the one place they live. The TLA+ constants
// for the tiny geometries and the Z3 widths are generated from or checked
// against this file, never copied by hand.
//
// Orders are page orders (as in the kernel: PMD_ORDER = PMD_SHIFT - PAGE_SHIFT);
// sizes are bytes as bigint.

export type ArchName =
  'x86_64' | 'arm64-4k' | 'arm64-16k' | 'arm64-64k' | 'tiny-16' | 'tiny-32' | 'tiny-64' | 'tiny-128' | 'tiny-arm64';

/** Which arch get_unmapped_area the kernel uses for this architecture. */
export type AllocatorFamily =
  | 'x86' // arch/x86/kernel/sys_x86_64.c (HAVE_ARCH_UNMAPPED_AREA[_TOPDOWN])
  | 'generic'; // mm/mmap.c generic_get_unmapped_area[_topdown]

export interface Geometry {
  readonly name: ArchName;
  readonly allocator: AllocatorFamily;
  readonly pageShift: bigint;
  readonly pageSize: bigint;
  readonly pmdOrder: number;
  /** null where the page-table level cannot hold a leaf (arm64-64k, 3 levels). */
  readonly pudOrder: number | null;
  /** Every leaf order the MMU can use, contiguous hints included (cont-PTE, cont-PMD), ascending, starting at 0. */
  readonly leafOrders: readonly number[];
  /** Orders a huge PFN map may install (CONFIG_ARCH_SUPPORTS_P{M,U}D_PFNMAP), ascending, 0 excluded. */
  readonly pfnmapOrders: readonly number[];
  /** TASK_SIZE for a 64-bit task with the default map window (DEFAULT_MAP_WINDOW). */
  readonly taskSize: bigint;
  /** TASK_SIZE_MAX: the whole user space, reachable only with a hint above taskSize (x86 5-level, arm64 LVA). */
  readonly taskSizeMax: bigint;
  /** TASK_SIZE of a compat (32-bit) task. */
  readonly compatTaskSize: bigint;
  /** Defaults for the `mm` fields of a scenario (documented in docs and the README). */
  readonly defaults: {
    readonly mmapBase: bigint;
    readonly mmapLegacyBase: bigint;
    readonly mmapMinAddr: bigint;
    readonly stackGuardGap: bigint;
  };
}

const KiB = 1n << 10n;
const MiB = 1n << 20n;
const GiB = 1n << 30n;

function pageAlign(x: bigint, pageSize: bigint): bigint {
  return (x + pageSize - 1n) & ~(pageSize - 1n);
}

// TASK_UNMAPPED_BASE without randomisation: x86 mmap_legacy_base() is
// __TASK_UNMAPPED_BASE(task_size) = PAGE_ALIGN(task_size / 3); arm64 defines
// TASK_UNMAPPED_BASE as PAGE_ALIGN(DEFAULT_MAP_WINDOW / 4).
function unmappedBase(allocator: AllocatorFamily, taskSize: bigint, pageSize: bigint): bigint {
  return pageAlign(taskSize / (allocator === 'x86' ? 3n : 4n), pageSize);
}

// mmap_base() (arch/x86/mm/mmap.c, mm/util.c): the gap below TASK_SIZE is the
// stack rlimit plus stack_guard_gap and the stack randomisation pad, clamped to
// at least 128M; with the default 8M rlimit the clamp wins, and without ASLR
// mmap_base = PAGE_ALIGN(TASK_SIZE - 128M) (0x7ffff7fff000 on x86_64, as the
// probe reads it off this machine).
const MMAP_BASE_MIN_GAP = 128n << 20n;

function real(
  name: ArchName,
  allocator: AllocatorFamily,
  pageShift: bigint,
  pmdOrder: number,
  pudOrder: number | null,
  leafOrders: number[],
  pfnmapOrders: number[],
  taskSize: bigint,
  taskSizeMax: bigint,
): Geometry {
  const pageSize = 1n << pageShift;
  return {
    name,
    allocator,
    pageShift,
    pageSize,
    pmdOrder,
    pudOrder,
    leafOrders,
    pfnmapOrders,
    taskSize,
    taskSizeMax,
    // x86: IA32_PAGE_OFFSET (0xffffe000 without ADDR_LIMIT_3GB); arm64: TASK_SIZE_32 = 4G - PAGE_SIZE.
    compatTaskSize: allocator === 'x86' ? 0xffffe000n : (1n << 32n) - pageSize,
    defaults: {
      mmapBase: pageAlign(taskSize - MMAP_BASE_MIN_GAP, pageSize),
      mmapLegacyBase: unmappedBase(allocator, taskSize, pageSize),
      mmapMinAddr: 64n * KiB, // CONFIG_DEFAULT_MMAP_MIN_ADDR on x86_64/arm64 distributions
      stackGuardGap: 256n << pageShift, // stack_guard_gap default: 256 pages
    },
  };
}

interface TinyOrders {
  readonly allocator: AllocatorFamily;
  readonly pmdOrder: number;
  readonly pudOrder: number;
  readonly leafOrders: number[];
  readonly pfnmapOrders: number[];
}

/** x86_64's shape: a PMD of 2 pages, a PUD of 4, both installable by a PFN map. */
const X86_TINY: TinyOrders = {
  allocator: 'x86',
  pmdOrder: 1,
  pudOrder: 2,
  leafOrders: [0, 1, 2],
  pfnmapOrders: [1, 2],
};

/**
 * arm64-4k's shape (cont-PTE < PMD < cont-PMD < PUD, a PFN map installs PMDs only), scaled down: cont-PTE
 * 2 pages (order 1), PMD 4 (2), cont-PMD 8 (3), PUD 16 (4). Two leaf orders no PFN map installs lie on either
 * side of the PMD, which is what separates "a leaf order" from "a PFN-map order" in the policies.
 */
const ARM64_TINY: TinyOrders = {
  allocator: 'generic',
  pmdOrder: 2,
  pudOrder: 4,
  leafOrders: [0, 1, 2, 3, 4],
  pfnmapOrders: [2],
};

/**
 * Tiny geometries shared with the TLA+ spec: 4K pages in an address space of N pages, with the orders and the
 * allocator of x86_64 or of arm64 scaled down. Same arithmetic as the real ones, only smaller.
 */
function tiny(name: ArchName, pages: bigint, o: TinyOrders = X86_TINY): Geometry {
  const pageShift = 12n;
  const pageSize = 1n << pageShift;
  const taskSize = pages * pageSize;
  return {
    name,
    allocator: o.allocator,
    pageShift,
    pageSize,
    pmdOrder: o.pmdOrder,
    pudOrder: o.pudOrder,
    leafOrders: o.leafOrders,
    pfnmapOrders: o.pfnmapOrders,
    taskSize,
    taskSizeMax: taskSize,
    compatTaskSize: taskSize / 2n,
    defaults: {
      mmapBase: taskSize,
      mmapLegacyBase: unmappedBase(o.allocator, taskSize, pageSize),
      mmapMinAddr: pageSize,
      stackGuardGap: pageSize,
    },
  };
}

export const GEOMETRIES: Readonly<Record<ArchName, Geometry>> = {
  // 4-level paging, 47-bit user space: TASK_SIZE = TASK_SIZE_MAX = DEFAULT_MAP_WINDOW = (1 << 47) - PAGE_SIZE,
  // as on the machine the probe runs on (a 5-level kernel on a CPU without la57). With 5-level paging
  // TASK_SIZE_MAX is (1 << 56) - PAGE_SIZE, reached only by a hint above the window: set mm.taskSizeMax.
  x86_64: real('x86_64', 'x86', 12n, 9, 18, [0, 9, 18], [9, 18], (1n << 47n) - 4096n, (1n << 47n) - 4096n),
  // arm64, 48-bit VA: cont-PTE 16 x 4K = 64K (order 4), cont-PMD 16 x 2M = 32M (order 13).
  // PFN maps: PMD only. arm64 selects ARCH_SUPPORTS_PMD_PFNMAP, but ARCH_SUPPORTS_PUD_PFNMAP needs
  // HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD, which arm64 does not select (v6.18).
  'arm64-4k': real('arm64-4k', 'generic', 12n, 9, 18, [0, 4, 9, 13, 18], [9], 1n << 48n, 1n << 52n),
  // 16K pages: cont-PTE 128 x 16K = 2M (7), PMD 32M (11), cont-PMD 32 x 32M = 1G (16), PUD 64G (22).
  'arm64-16k': real('arm64-16k', 'generic', 14n, 11, 22, [0, 7, 11, 16, 22], [11], 1n << 48n, 1n << 52n),
  // 64K pages, 3 levels: cont-PTE 32 x 64K = 2M (5), PMD 512M (13), cont-PMD 32 x 512M = 16G (18); no PUD leaf.
  'arm64-64k': real('arm64-64k', 'generic', 16n, 13, null, [0, 5, 13, 18], [13], 1n << 48n, 1n << 52n),
  'tiny-16': tiny('tiny-16', 16n),
  'tiny-32': tiny('tiny-32', 32n),
  'tiny-64': tiny('tiny-64', 64n),
  'tiny-128': tiny('tiny-128', 128n),
  'tiny-arm64': tiny('tiny-arm64', 16n, ARM64_TINY),
};

export const ARCH_NAMES = Object.keys(GEOMETRIES) as ArchName[];

export function isArchName(s: string): s is ArchName {
  return Object.prototype.hasOwnProperty.call(GEOMETRIES, s);
}

export function geometry(name: ArchName): Geometry {
  return GEOMETRIES[name];
}

export { KiB, MiB, GiB };
