// mm->mmap_base and mm->mmap_legacy_base of the probe helper, computed the way
// arch/x86/mm/mmap.c computes them at exec (arch_pick_mmap_layout ->
// arch_pick_mmap_base -> mmap_base / mmap_legacy_base), for a process that
// exec'd with ADDR_NO_RANDOMIZE: load_elf_binary then leaves PF_RANDOMIZE
// clear, so arch_rnd() and stack_maxrandom_size() are both 0 and the bases
// depend only on RLIMIT_STACK (bprm->rlim_stack, the limit at exec),
// stack_guard_gap and TASK_SIZE. docs/PROBE.md walks through the numbers.

/** RLIM_INFINITY as the kernel stores it: ~0UL. */
export const RLIM_INFINITY = (1n << 64n) - 1n;
const ULONG_MASK = (1n << 64n) - 1n;
const SIZE_128M = 128n << 20n;

export interface BaseInputs {
  /** task_size_64bit(0) = DEFAULT_MAP_WINDOW: (1 << 47) - PAGE_SIZE with 4-level paging. */
  readonly taskSize: bigint;
  readonly pageSize: bigint;
  /** rlim_stack->rlim_cur at exec; RLIM_INFINITY for "unlimited". */
  readonly rlimStack: bigint;
  /** stack_guard_gap in bytes (mm/mmap.c: 256 pages unless stack_guard_gap= on the command line). */
  readonly stackGuardGap: bigint;
  /** ADDR_COMPAT_LAYOUT or vm.legacy_va_layout: mmap_is_legacy(). */
  readonly legacy: boolean;
}

export interface Bases {
  /** MMF_TOPDOWN: set unless mmap_is_legacy(). */
  readonly topdown: boolean;
  readonly mmapBase: bigint;
  readonly mmapLegacyBase: bigint;
}

function pageAlign(x: bigint, pageSize: bigint): bigint {
  return (x + pageSize - 1n) & ~(pageSize - 1n) & ULONG_MASK;
}

/**
 * arch/x86/mm/mmap.c mmap_base(rnd = 0, task_size, rlim_stack):
 *   gap = rlim_cur; pad = stack_maxrandom_size (0 without PF_RANDOMIZE) + stack_guard_gap;
 *   if (gap + pad > gap) gap += pad;       (unsigned: skipped when it wraps, i.e. RLIM_INFINITY)
 *   gap = clamp(gap, SIZE_128M, task_size / 6 * 5);
 *   return PAGE_ALIGN(task_size - gap - rnd);
 */
export function x86MmapBase(taskSize: bigint, pageSize: bigint, rlimStack: bigint, stackGuardGap: bigint): bigint {
  let gap = rlimStack;
  const pad = 0n + stackGuardGap;
  if (((gap + pad) & ULONG_MASK) > gap) gap = gap + pad;
  const maxGap = (taskSize / 6n) * 5n;
  if (gap < SIZE_128M) gap = SIZE_128M;
  else if (gap > maxGap) gap = maxGap;
  return pageAlign(taskSize - gap, pageSize);
}

/** mmap_legacy_base(rnd = 0, task_size) = __TASK_UNMAPPED_BASE(task_size) = PAGE_ALIGN(task_size / 3). */
export function x86MmapLegacyBase(taskSize: bigint, pageSize: bigint): bigint {
  return pageAlign(taskSize / 3n, pageSize);
}

/** arch_pick_mmap_layout + arch_pick_mmap_base for the 64-bit bases. */
export function x86Bases(inp: BaseInputs): Bases {
  const mmapLegacyBase = x86MmapLegacyBase(inp.taskSize, inp.pageSize);
  const mmapBase = inp.legacy
    ? mmapLegacyBase
    : x86MmapBase(inp.taskSize, inp.pageSize, inp.rlimStack, inp.stackGuardGap);
  return { topdown: !inp.legacy, mmapBase, mmapLegacyBase };
}

/**
 * stack_guard_gap from the kernel command line (mm/mmap.c cmdline_parse_stack_guard_gap:
 * "stack_guard_gap=N" in pages, parsed with simple_strtoul base 10), else 256 pages.
 */
export function stackGuardGapFromCmdline(cmdline: string, pageSize: bigint): bigint {
  let pages = 256n;
  for (const word of cmdline.trim().split(/\s+/)) {
    if (word === '--') break; // the rest goes to init, not to the kernel
    const m = /^stack_guard_gap=(\d+)/.exec(word);
    if (m) pages = BigInt(m[1]!);
  }
  return pages * pageSize;
}

/**
 * The mmap_min_addr the allocator uses (security/min_addr.c update_mmap_min_addr):
 * with CONFIG_LSM_MMAP_MIN_ADDR built in (CONFIG_SECURITY_SELINUX), it is
 * max(vm.mmap_min_addr, CONFIG_LSM_MMAP_MIN_ADDR) whether or not SELinux runs;
 * /proc/sys/vm/mmap_min_addr shows only dac_mmap_min_addr, the value
 * cap_mmap_addr() (security_mmap_addr) compares MAP_FIXED addresses with.
 */
export function effectiveMmapMinAddr(dacMmapMinAddr: bigint, lsmMmapMinAddr: bigint | null): bigint {
  if (lsmMmapMinAddr === null) return dacMmapMinAddr;
  return dacMmapMinAddr > lsmMmapMinAddr ? dacMmapMinAddr : lsmMmapMinAddr;
}

/** CONFIG_LSM_MMAP_MIN_ADDR from kernel config text, or null when not set. */
export function lsmMmapMinAddrFromConfig(config: string): bigint | null {
  const m = /^CONFIG_LSM_MMAP_MIN_ADDR=(\d+)$/m.exec(config);
  return m ? BigInt(m[1]!) : null;
}
