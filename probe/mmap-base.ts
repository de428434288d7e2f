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
  const stackMaxRandomSize = 0n; // no PF_RANDOMIZE
  const pad = stackMaxRandomSize + stackGuardGap;
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

/** What the randomised (ASLR) session reads off its own layout. */
export interface InferredBases extends Bases {
  /** arch_rnd(mmap64_rnd_bits): the random page-multiple both bases share. */
  readonly rnd: bigint;
}

/**
 * The bases of a process exec'd WITH randomisation (PF_RANDOMIZE set): rnd is
 * unknown, so it is read off the layout. The ELF interpreter is the first
 * mapping the allocator places at exec (load_elf_interp maps it with no hint,
 * before the vdso and before it loads any library), so top-down its highest
 * VMA ends exactly at mm->mmap_base; `interpEnd` is that end. Then
 *   mmap_base = PAGE_ALIGN(TASK_SIZE - gap - rnd), gap = clamp(rlim + pad, 128M, TASK_SIZE / 6 * 5),
 *   pad = stack_maxrandom_size + stack_guard_gap, stack_maxrandom_size = 0x3fffff << PAGE_SHIFT
 *   (__STACK_RND_MASK for a 64-bit task; 0 without PF_RANDOMIZE),
 * and, since rnd is a page multiple, rnd = round_up(TASK_SIZE - gap - mmap_base, PAGE_SIZE), and
 * mmap_legacy_base = __TASK_UNMAPPED_BASE(TASK_SIZE) + rnd. rnd must lie in
 * [0, 2^mmap_rnd_bits pages): a value outside shows the inference is wrong.
 */
export function inferTopdownBases(
  inp: Omit<BaseInputs, 'legacy'> & {
    readonly pfRandomize: boolean;
    readonly mmapRndBits: bigint;
    readonly interpEnd: bigint;
  },
): InferredBases | { error: string } {
  const stackMaxRandomSize = inp.pfRandomize ? 0x3fffffn << 12n : 0n;
  let gap = inp.rlimStack;
  const pad = stackMaxRandomSize + inp.stackGuardGap;
  if (((gap + pad) & ULONG_MASK) > gap) gap = gap + pad;
  const maxGap = (inp.taskSize / 6n) * 5n;
  if (gap < SIZE_128M) gap = SIZE_128M;
  else if (gap > maxGap) gap = maxGap;
  // PAGE_ALIGN(x - rnd) = mmap_base with rnd a page multiple: x - rnd lies in
  // (mmap_base - PAGE_SIZE, mmap_base], so rnd = round_up(x - mmap_base, PAGE_SIZE)
  // (x = TASK_SIZE - gap is not page-aligned when the gap is the 5/6 cap).
  const rnd = pageAlign(inp.taskSize - gap - inp.interpEnd, inp.pageSize);
  const limit = (1n << inp.mmapRndBits) * inp.pageSize;
  if (
    inp.taskSize - gap - inp.interpEnd < 0n ||
    rnd >= limit ||
    pageAlign(inp.taskSize - gap - rnd, inp.pageSize) !== inp.interpEnd
  ) {
    return {
      error:
        `the interpreter's ` +
        `end ${'0x' + inp.interpEnd.toString(16)} implies no rnd in [0, 2^${inp.mmapRndBits} pages)`,
    };
  }
  return {
    topdown: true,
    mmapBase: inp.interpEnd,
    mmapLegacyBase: x86MmapLegacyBase(inp.taskSize, inp.pageSize) + rnd,
    rnd,
  };
}
