// The probe's case list: which real mmaps to make, on which layout, around
// which holes. A case group turns the session's facts (bases, the VMAs at the
// group's start, the arena) into steps: blockers that shape the address space,
// probes (an mmap compared with the model), and unmaps. Everything a group maps
// is unmapped after it (probe/run-session.ts), so groups do not leak into
// each other; groups that change the layout for good say so.

import type { Vma } from '../model/types.js';
import type { Bases } from './mmap-base.js';
import { hex } from '../model/u64.js';

export const KiB = 1n << 10n;
export const MiB = 1n << 20n;
export const GiB = 1n << 30n;
export const TiB = 1n << 40n;
const PS = 4n * KiB;
const PMD = 2n * MiB;

/**
 * What backs a probed mapping: no file, a memfd (shmem, never huge), a file on a tmpfs mounted huge=always,
 * an MFD_HUGETLB memfd (hugetlbfs, the default huge page size, mapped MAP_NORESERVE), a file with no
 * get_unmapped_area of its own (a PCI sysfs resource file: the VM probe's ivshmem BAR).
 */
export type Backing = 'anon' | 'memfd' | 'tmpfs' | 'hugetlb' | 'bar';

export interface ProbeRequest {
  readonly backing: Backing;
  /** The addr argument: a hint, or the address for MAP_FIXED. */
  readonly addr: bigint;
  readonly len: bigint;
  /** In pages (the mmap offset is pgoff << PAGE_SHIFT). */
  readonly pgoff: bigint;
  readonly fixed: boolean;
  readonly shared: boolean;
  /** Keep the mapping (it shapes the next probes); the group's cleanup removes it. */
  readonly keep?: boolean;
}

export type Step =
  /** A PROT_NONE MAP_FIXED_NOREPLACE blocker over [start, end); growsDown adds MAP_GROWSDOWN. */
  | { readonly op: 'block'; readonly start: bigint; readonly end: bigint; readonly growsDown?: boolean }
  | { readonly op: 'unmap'; readonly start: bigint; readonly end: bigint }
  /** Blockers over every free range inside [lo, hi) (read from a fresh snapshot). */
  | { readonly op: 'fill'; readonly lo: bigint; readonly hi: bigint }
  | { readonly op: 'probe'; readonly what: string; readonly req: ProbeRequest }
  /** A case that cannot run on this machine, with the reason. */
  | { readonly op: 'skip'; readonly what: string; readonly reason: string };

/** What a group knows when it builds its steps. */
export interface GroupEnv {
  readonly pageSize: bigint;
  readonly taskSize: bigint;
  readonly stackGuardGap: bigint;
  /** The allocator's mmap_min_addr (max of the sysctl and CONFIG_LSM_MMAP_MIN_ADDR). */
  readonly mmapMinAddr: bigint;
  /** vm.mmap_min_addr: security_mmap_addr()'s limit for MAP_FIXED. */
  readonly dacMmapMinAddr: bigint;
  readonly bases: Bases;
  /** The VMAs at the start of the group. */
  readonly vmas: readonly Vma[];
  /**
   * The arena: top-down, everything in [top, mmap_base) is occupied, so the
   * highest free range the search can use ends at `top`; bottom-up, everything
   * in [mmap_legacy_base, bottom) is occupied, so the lowest starts at `bottom`.
   */
  readonly arena: { readonly top: bigint } | { readonly bottom: bigint } | null;
  /** 5-level paging (la57): hints above the 47-bit window are valid there. */
  readonly la57: boolean;
  /** The size of the 'bar' file (a PCI BAR's sysfs resource file), null when there is none. */
  readonly barSize: bigint | null;
}

export interface CaseGroup {
  readonly name: string;
  /** What the group pins, for the report. */
  readonly about: string;
  /** Needs the arena (set up by the session before the first group that needs it). */
  readonly arena: boolean;
  steps(env: GroupEnv): Step[];
}

/** "2M", "4K", "2M+4K": a length the way people write it. */
export function size(x: bigint): string {
  if (x === 0n) return '0';
  const units: Array<[bigint, string]> = [
    [TiB, 'T'],
    [GiB, 'G'],
    [MiB, 'M'],
    [KiB, 'K'],
  ];
  const parts: string[] = [];
  let rest = x;
  for (const [u, n] of units) {
    if (rest >= u) {
      parts.push(`${rest / u}${n}`);
      rest %= u;
    }
  }
  if (rest > 0n) parts.push(`${rest}`);
  return parts.length > 2 ? hex(x) : parts.join('+');
}

function kindName(b: Backing, shared: boolean): string {
  const f = shared ? 'shared' : 'private';
  return b === 'anon' ? `anon ${f}` : `${b} ${f}`;
}

export function describe(r: ProbeRequest, extra = ''): string {
  const parts = [kindName(r.backing, r.shared), `len=${size(r.len)}`];
  if (r.backing !== 'anon' || r.pgoff !== 0n) parts.push(`pgoff=${r.pgoff}`);
  if (r.fixed) parts.push(`MAP_FIXED@${hex(r.addr)}`);
  else if (r.addr !== 0n) parts.push(`hint=${hex(r.addr)}`);
  if (r.keep) parts.push('kept');
  if (extra) parts.push(extra);
  return parts.join(' ');
}

function probe(req: ProbeRequest, extra = ''): Step {
  return { op: 'probe', what: describe(req, extra), req };
}

function req(backing: Backing, len: bigint, o: Partial<Omit<ProbeRequest, 'backing' | 'len'>> = {}): ProbeRequest {
  return {
    backing,
    len,
    addr: o.addr ?? 0n,
    pgoff: o.pgoff ?? 0n,
    fixed: o.fixed ?? false,
    shared: o.shared ?? backing !== 'anon',
    ...(o.keep ? { keep: true } : {}),
  };
}

/** The main thread's stack VMA (the highest VM_GROWSDOWN one). */
export function stackVma(vmas: readonly Vma[]): Vma {
  const s = [...vmas].reverse().find((v) => v.growsDown);
  if (!s) throw new Error('no VM_GROWSDOWN VMA (the [stack]) in the snapshot');
  return s;
}

function isTopdown(env: GroupEnv): env is GroupEnv & { arena: { top: bigint } } {
  return env.arena !== null && 'top' in env.arena;
}

function arenaOf(env: GroupEnv): { top: bigint } | { bottom: bigint } {
  if (env.arena === null) throw new Error('group needs the arena');
  return env.arena;
}

// Lengths around the PMD size: below, exactly, above by a page, multiples, and
// an odd multiple-plus-pages that still holds whole PMDs at any offset.
const NATURAL_LENS = [
  4n * KiB,
  8n * KiB,
  12n * KiB,
  36n * KiB,
  64n * KiB,
  1n * MiB,
  PMD - PS,
  PMD,
  PMD + PS,
  2n * PMD,
  3n * PMD,
  5n * MiB + 8n * KiB,
  16n * MiB,
  1n * GiB,
  1n * GiB + PMD,
];

/** Anonymous mappings on the process's own layout: PMD multiples (THP rule) and not, private and shared. */
export const naturalAnon: CaseGroup = {
  name: 'natural-anon',
  about: 'anonymous mmaps, no hint, on the process layout as exec left it (libraries, vdso, stack)',
  arena: false,
  steps() {
    const out: Step[] = [];
    for (const shared of [false, true]) for (const len of NATURAL_LENS) out.push(probe(req('anon', len, { shared })));
    // Anonymous pgoff is ignored (__get_unmapped_area forces it to 0).
    out.push(probe(req('anon', PMD, { pgoff: 1n })));
    out.push(probe(req('anon', 2n * PMD, { pgoff: 3n, shared: true })));
    return out;
  },
};

/** A run of kept mappings: each one changes the layout the next one sees (THP's top-down ret + size). */
export const sequenceAnon: CaseGroup = {
  name: 'sequence-anon',
  about: 'consecutive kept anonymous mmaps, mixing PMD multiples and small sizes',
  arena: false,
  steps() {
    const lens = [PMD, PS, PMD, 2n * PMD, 12n * KiB, PMD + PS, 3n * PMD, PMD, 64n * KiB, 4n * PMD];
    const out: Step[] = [];
    for (const shared of [false, true])
      for (const len of lens) out.push(probe(req('anon', len, { shared, keep: true })));
    return out;
  },
};

function fileLens(): bigint[] {
  return [4n * KiB, 64n * KiB, PMD - PS, PMD, PMD + PS, 2n * PMD, 3n * PMD + 8n * KiB];
}

const FILE_PGOFFS = [0n, 1n, 511n, 512n, 513n];

/** memfd and huge tmpfs files on the process layout. */
export const naturalFiles: CaseGroup = {
  name: 'natural-files',
  about: 'memfd (shmem, never huge) and tmpfs huge=always files, no hint, aligned and unaligned pgoff',
  arena: false,
  steps() {
    const out: Step[] = [];
    for (const len of fileLens()) {
      for (const pgoff of FILE_PGOFFS) {
        out.push(probe(req('tmpfs', len, { pgoff })));
        if (pgoff === 0n || pgoff === 513n) out.push(probe(req('tmpfs', len, { pgoff, shared: false })));
      }
      for (const pgoff of [0n, 1n]) out.push(probe(req('memfd', len, { pgoff })));
    }
    return out;
  },
};

/** Kept huge tmpfs mappings in a row. */
export const sequenceFiles: CaseGroup = {
  name: 'sequence-files',
  about: 'consecutive kept tmpfs huge=always and memfd mmaps',
  arena: false,
  steps() {
    const seq: Array<[Backing, bigint, bigint]> = [
      ['tmpfs', PMD, 0n],
      ['tmpfs', 2n * PMD, 1n],
      ['memfd', PMD, 0n],
      ['tmpfs', PMD + PS, 512n],
      ['tmpfs', 3n * PMD, 7n],
      ['memfd', 64n * KiB, 0n],
      ['tmpfs', PMD, 0n],
    ];
    return seq.map(([b, len, pgoff]) => probe(req(b, len, { pgoff, keep: true })));
  },
};

/**
 * A hole of exactly `hole` bytes at the place the search looks first (the top
 * of the arena top-down, its bottom bottom-up), `shift` bytes from the arena
 * boundary (so the hole's ends sit at different offsets from a PMD boundary),
 * with a 256M blocker on its far side: a request either fits the hole or lands
 * beyond the blocker.
 */
function holeSteps(env: GroupEnv, shift: bigint, hole: bigint, r: ProbeRequest, extra: string): Step[] {
  const blocker = 256n * MiB;
  const a = arenaOf(env);
  const label = `hole=${size(hole)}${shift ? ` shift=${size(shift)}` : ''}${extra ? ' ' + extra : ''}`;
  if ('top' in a) {
    const t = a.top - shift;
    const steps: Step[] = [];
    if (shift) steps.push({ op: 'block', start: t, end: a.top });
    steps.push({ op: 'block', start: t - hole - blocker, end: t - hole });
    steps.push(probe(r, label));
    steps.push({ op: 'unmap', start: t - hole - blocker, end: a.top });
    return steps;
  }
  const b = a.bottom + shift;
  const steps: Step[] = [];
  if (shift) steps.push({ op: 'block', start: a.bottom, end: b });
  steps.push({ op: 'block', start: b + hole, end: b + hole + blocker });
  steps.push(probe(r, label));
  steps.push({ op: 'unmap', start: a.bottom, end: b + hole + blocker });
  return steps;
}

/**
 * The tight-hole sizes for a request of `len`: exactly len, len + 2M - 4K (shmem's inflation),
 * len + 2M (THP's padding), one page more.
 */
function holeSizes(len: bigint): bigint[] {
  return [len, len + PMD - PS, len + PMD, len + PMD + PS];
}

const SHIFTS = [0n, 0x5000n, 1n * MiB];

/** Tight holes for anonymous mappings. */
export const holesAnon: CaseGroup = {
  name: 'holes-anon',
  about: 'anonymous mmaps into holes of exactly len, len + 2M - 4K, len + 2M and len + 2M + 4K',
  arena: true,
  steps(env) {
    const out: Step[] = [];
    for (const shared of [false, true])
      for (const len of [PS, PMD - PS, PMD, PMD + PS, 2n * PMD, 3n * PMD + 8n * KiB])
        for (const hole of holeSizes(len))
          for (const shift of shared ? [0n, 0x5000n] : SHIFTS)
            out.push(...holeSteps(env, shift, hole, req('anon', len, { shared }), ''));
    return out;
  },
};

/** Tight holes for huge tmpfs and memfd files, aligned and unaligned pgoff. */
export const holesFiles: CaseGroup = {
  name: 'holes-files',
  about: 'tmpfs huge=always and memfd mmaps into tight holes, pgoff 0, 1, 511, 512, 513',
  arena: true,
  steps(env) {
    const out: Step[] = [];
    for (const len of [PMD - PS, PMD, PMD + PS, 2n * PMD, 3n * PMD + 8n * KiB])
      for (const pgoff of FILE_PGOFFS)
        for (const hole of holeSizes(len))
          for (const shift of [0n, 0x5000n]) out.push(...holeSteps(env, shift, hole, req('tmpfs', len, { pgoff }), ''));
    for (const len of [PMD, 2n * PMD])
      for (const pgoff of [0n, 513n]) {
        for (const hole of holeSizes(len))
          out.push(...holeSteps(env, 0x5000n, hole, req('tmpfs', len, { pgoff, shared: false }), ''));
      }
    for (const len of [PS, PMD, PMD + PS])
      for (const pgoff of [0n, 1n])
        for (const hole of holeSizes(len)) out.push(...holeSteps(env, 0n, hole, req('memfd', len, { pgoff }), ''));
    return out;
  },
};

/**
 * Holes right below a VM_GROWSDOWN blocker (MAP_GROWSDOWN), so stack_guard_gap
 * decides: top-down the search lowers high_limit to vm_start_gap(next) and
 * retries; bottom-up it checks vm_start_gap(next) against gap + length - 1.
 * Hints ending at the guard gap and one page into it. The hole sits between the
 * growsdown VMA (above) and a plain blocker (below), on either side of the arena.
 */
export const guardGaps: CaseGroup = {
  name: 'guard-gaps',
  about: 'holes and hints right below a MAP_GROWSDOWN VMA: stack_guard_gap in the search and in the hint test',
  arena: true,
  steps(env) {
    const out: Step[] = [];
    const a = arenaOf(env);
    const gg = env.stackGuardGap;
    const blocker = 256n * MiB;
    const reqs = [
      req('anon', PS),
      req('anon', MiB),
      req('anon', PMD),
      req('anon', PMD, { shared: true }),
      req('tmpfs', PMD, { pgoff: 1n }),
      req('memfd', 64n * KiB),
    ];
    for (const r of reqs) {
      for (const hole of [
        r.len,
        r.len + gg - PS,
        r.len + gg,
        r.len + gg + PS,
        r.len + gg + PMD - PS,
        r.len + gg + PMD,
        r.len + gg + PMD + PS,
      ]) {
        // [lo, lo + hole) free, a growsdown VMA at lo + hole, a plain blocker below lo.
        const lo = 'top' in a ? a.top - 64n * MiB - hole : a.bottom + blocker;
        const gd = { start: lo + hole, end: lo + hole + 64n * MiB };
        const below = { start: lo - blocker, end: lo };
        out.push({ op: 'block', start: gd.start, end: gd.end, growsDown: true });
        out.push({ op: 'block', start: below.start, end: below.end });
        out.push(probe(r, `hole=${size(hole)} below a growsdown VMA`));
        if (hole === r.len + gg) {
          out.push(probe({ ...r, addr: gd.start - gg - r.len }, 'hint ending at the guard gap'));
          out.push(probe({ ...r, addr: gd.start - gg - r.len + PS }, 'hint one page into the guard gap'));
          out.push(probe({ ...r, addr: gd.start - r.len }, 'hint ending at the growsdown VMA'));
        }
        out.push({ op: 'unmap', start: below.start, end: gd.end });
      }
    }
    return out;
  },
};

/** The kinds and lengths the hint and MAP_FIXED groups try. */
function hintRequests(): Array<Omit<ProbeRequest, 'addr'>> {
  return [
    req('anon', PS),
    req('anon', PMD),
    req('anon', 2n * PMD + PS),
    req('anon', PMD, { shared: true }),
    req('memfd', PMD, { pgoff: 1n }),
    req('tmpfs', PMD),
    req('tmpfs', 2n * PMD, { pgoff: 1n }),
    req('tmpfs', 2n * PMD, { shared: false }),
  ];
}

/**
 * Address hints: free, unaligned, occupied, overlapping, below mmap_min_addr, above TASK_SIZE, at the stack guard gap.
 */
export const hints: CaseGroup = {
  name: 'hints',
  about:
    'address hints that are free, unaligned, occupied, overlapping a VMA, below mmap_min_addr, above TASK_SIZE, at ' +
    'the stack guard gap',
  arena: true,
  steps(env) {
    const out: Step[] = [];
    const a = arenaOf(env);
    // A free spot deep inside the arena, and a blocker to aim at.
    const spot = 'top' in a ? a.top - 32n * GiB : a.bottom + 32n * GiB;
    const blk = { start: spot, end: spot + 64n * MiB };
    const stack = stackVma(env.vmas);
    for (const r0 of hintRequests()) {
      const len = r0.len;
      const at = (addr: bigint, why: string): Step => probe({ ...r0, addr }, why);
      out.push(at(spot, 'free'));
      out.push(at(spot + PS + 0x123n, 'free, not page-aligned'));
      out.push(at(spot + PMD + 0x5000n, 'free, off PMD'));
      out.push({ op: 'block', start: blk.start, end: blk.end });
      out.push(at(blk.start + 16n * MiB, 'inside a VMA'));
      out.push(at(blk.start - len + PS, 'overlapping the next VMA by a page'));
      out.push(at(blk.start - len, 'ending exactly at the next VMA'));
      out.push(at(blk.end - PS, 'overlapping the VMA end'));
      out.push(at(blk.end, 'right above a VMA'));
      out.push({ op: 'unmap', start: blk.start, end: blk.end });
      out.push(at(0x2000n, 'below mmap_min_addr'));
      out.push(at(0x100n, 'in page 0: masked to no hint'));
      if (env.la57)
        out.push({
          op: 'skip',
          what: describe({ ...r0, addr: 1n << 47n }),
          reason: '5-level paging: a hint above the 47-bit window is valid there',
        });
      else out.push(at(1n << 47n, 'above TASK_SIZE'));
      out.push(at(env.taskSize - len, 'inside the stack VMA'));
      const guard = stack.start - env.stackGuardGap;
      out.push(at(guard - len, 'ending at the stack guard gap'));
      out.push(at(guard - len + PS, 'one page into the stack guard gap'));
      out.push(at(env.bases.mmapBase + 16n * MiB, 'above mmap_base'));
    }
    return out;
  },
};

/** MAP_FIXED: free, over a VMA, unaligned, below mmap_min_addr, past TASK_SIZE. */
export const fixed: CaseGroup = {
  name: 'fixed',
  about:
    'MAP_FIXED into free and occupied ranges, unaligned, at 0, between the sysctl and the LSM mmap_min_addr, past ' +
    'TASK_SIZE',
  arena: true,
  steps(env) {
    const out: Step[] = [];
    const a = arenaOf(env);
    const spot = 'top' in a ? a.top - 16n * GiB : a.bottom + 16n * GiB;
    const reqs = [
      req('anon', PS),
      req('anon', PMD),
      req('anon', PMD, { shared: true }),
      req('memfd', PS, { pgoff: 3n }),
      req('tmpfs', PMD, { pgoff: 1n }),
    ];
    for (const r0 of reqs) {
      const at = (addr: bigint, why: string, len = r0.len): Step => probe({ ...r0, len, addr, fixed: true }, why);
      out.push(at(spot, 'free'));
      out.push(at(spot + 0x3000n, 'free, off PMD'));
      out.push({ op: 'block', start: spot, end: spot + 64n * MiB });
      out.push(at(spot + MiB, 'over an existing VMA'));
      out.push({ op: 'unmap', start: spot, end: spot + 64n * MiB });
      out.push(at(spot + 0x123n, 'not page-aligned'));
      out.push(at(0n, 'at 0, below vm.mmap_min_addr'));
      if (env.dacMmapMinAddr < 0x2000n && 0x2000n < env.mmapMinAddr)
        out.push(at(0x2000n, 'at 0x2000: above vm.mmap_min_addr, below the LSM one'));
      out.push(at(env.taskSize, 'at TASK_SIZE'));
      out.push(at(spot, 'len 0', 0n));
    }
    return out;
  },
};

/** Lengths the kernel refuses or that only just fit. */
export const lengths: CaseGroup = {
  name: 'lengths',
  about: 'len 0, PAGE_ALIGN overflow, len above TASK_SIZE, lengths that fit no gap, very large lengths that fit',
  arena: false,
  steps(env) {
    const out: Step[] = [];
    const reqs: Array<[Backing, boolean]> = [
      ['anon', false],
      ['anon', true],
      ['memfd', true],
      ['tmpfs', true],
    ];
    for (const [b, shared] of reqs) {
      for (const [len, why] of [
        [0n, 'len 0'],
        [(1n << 64n) - 1n, 'PAGE_ALIGN(len) wraps to 0'],
        [(1n << 64n) - PS, 'len near 2^64'],
        [env.taskSize + PS, 'len above TASK_SIZE'],
        [env.taskSize, 'len = TASK_SIZE'],
        [100n * TiB, 'len 100T: no gap holds it'],
        [64n * TiB, 'len 64T'],
        [16n * TiB + PS, 'len 16T + 4K'],
      ] as Array<[bigint, string]>) {
        out.push(probe(req(b, len, { shared }), why));
      }
    }
    // do_mmap's EOVERFLOW test (pgoff + len pages wrapping) needs pgoff near 2^64,
    // but mmap(2) passes a byte offset: pgoff = off >> PAGE_SHIFT is below 2^52.
    out.push({
      op: 'skip',
      what: 'pgoff + (len >> PAGE_SHIFT) wrapping (EOVERFLOW)',
      reason: 'unreachable through mmap(2) on 64-bit: pgoff = off >> 12 < 2^52',
    });
    return out;
  },
};

/**
 * Top-down exhaustion: fill everything the top-down search may use, so each
 * search fails and x86 falls back to the bottom-up allocator from
 * mmap_legacy_base (the range between mmap_base and the stack is what is left).
 * This changes the layout for good: run it last in a session.
 */
export const topdownFallback: CaseGroup = {
  name: 'topdown-fallback',
  about:
    'top-down search failing everywhere below mmap_base, so the bottom-up retry places the mapping above mmap_base',
  arena: true,
  steps(env) {
    if (!isTopdown(env)) return [];
    const out: Step[] = [{ op: 'fill', lo: env.mmapMinAddr, hi: env.bases.mmapBase }];
    const stack = stackVma(env.vmas);
    const room = stack.start - env.stackGuardGap - env.bases.mmapBase;
    for (const r of [
      req('anon', PS),
      req('anon', MiB),
      req('anon', PMD),
      req('anon', 2n * PMD + PS),
      req('anon', PMD, { shared: true }),
      req('memfd', 64n * KiB, { pgoff: 1n }),
      req('tmpfs', PMD),
      req('tmpfs', 2n * PMD, { pgoff: 3n }),
      req('anon', PMD, { addr: env.bases.mmapBase - 64n * MiB }),
      req('anon', (room / PMD) * PMD),
      req('anon', (room / PMD) * PMD - PMD),
      req('anon', room - PS),
      req('anon', room),
      req('anon', room + PS),
    ])
      out.push(probe(r, 'everything below mmap_base is full'));
    for (let i = 0; i < 6; i++)
      out.push(probe(req('anon', 24n * MiB, { keep: true }), 'filling the space above mmap_base'));
    return out;
  },
};

/** The bases check: a few mmaps whose placement depends directly on mmap_base. */
export const basesCheck: CaseGroup = {
  name: 'bases',
  about:
    'anonymous and huge tmpfs mmaps right after exec: the first top-down ones end at mmap_base minus the interpreter',
  arena: false,
  steps() {
    const out: Step[] = [];
    for (const len of [PS, 64n * KiB, PMD, PMD + PS, 2n * PMD, 1n * GiB]) out.push(probe(req('anon', len)));
    for (const len of [PMD, 2n * PMD]) out.push(probe(req('anon', len, { shared: true })));
    for (const pgoff of [0n, 1n]) out.push(probe(req('tmpfs', 2n * PMD, { pgoff })));
    out.push(probe(req('memfd', PMD + PS)));
    return out;
  },
};

/**
 * hugetlbfs (hugetlb_get_unmapped_area, v6.18 fs/hugetlbfs/inode.c): ksys_mmap_pgoff rounds len up to the
 * huge page size; a hint is ALIGNed up to it and kept when free; MAP_FIXED must be aligned; the search itself
 * aligns through vm_unmapped_area's align_mask (huge_page_mask_align); a pgoff that is not huge-aligned maps
 * nowhere (-EINVAL from the file's mmap, after the address was chosen). A mapping whose len is not a huge
 * multiple is kept and unmapped whole by the group's cleanup: munmap cannot split a hugetlb VMA off its huge
 * page boundaries.
 */
export const hugetlbfs: CaseGroup = {
  name: 'hugetlbfs',
  about:
    'hugetlbfs (an MFD_HUGETLB memfd): lengths rounded to the huge page, aligned placements, hints ALIGNed up, ' +
    'MAP_FIXED aligned or refused, unaligned pgoff refused',
  arena: true,
  steps(env) {
    const out: Step[] = [];
    const h = (len: bigint, o: Partial<Omit<ProbeRequest, 'backing' | 'len'>> = {}): ProbeRequest =>
      req('hugetlb', len, { ...o, ...(len % PMD !== 0n ? { keep: true } : {}) });
    const a = arenaOf(env);
    // The search's own alignment (align_mask = huge_page_mask_align): the first free range the search meets
    // ends (top-down) or starts (bottom-up) a page off the 2M grid.
    const edge =
      'top' in a
        ? { op: 'block' as const, start: ((a.top - 2n * PMD) & ~(PMD - 1n)) + PS, end: a.top }
        : { op: 'block' as const, start: a.bottom, end: ((a.bottom + 2n * PMD) & ~(PMD - 1n)) + PS };
    out.push(edge);
    for (const len of [PMD, 3n * PMD]) out.push(probe(h(len), 'first free range off the 2M grid'));
    out.push({ op: 'unmap', start: edge.start, end: edge.end });
    for (const len of [PMD, 2n * PMD, 3n * PMD, 32n * PMD, GiB]) out.push(probe(h(len)));
    out.push(probe(h(PS), 'len rounded up to 2M'));
    out.push(probe(h(PMD + PS), 'len rounded up to 4M'));
    out.push(probe(h(PMD, { pgoff: PMD / PS })));
    out.push(probe(h(4n * PMD, { pgoff: 3n * (PMD / PS) })));
    out.push(probe(h(PMD, { pgoff: 1n }), 'pgoff not huge-aligned'));
    out.push(probe(h(PMD, { shared: false })));
    const spot = ('top' in a ? a.top - 48n * GiB : a.bottom + 48n * GiB) & ~(PMD - 1n);
    out.push(probe(h(PMD, { addr: spot }), 'hint free and aligned'));
    out.push(probe(h(PMD, { addr: spot + PS }), 'hint free, ALIGNed up to 2M'));
    out.push(probe(h(2n * PMD, { addr: spot + PMD + 0x5000n }), 'hint free, ALIGNed up to 2M'));
    out.push({ op: 'block', start: spot + 8n * PMD, end: spot + 16n * PMD });
    out.push(probe(h(2n * PMD, { addr: spot + 7n * PMD }), 'hint overlapping the next VMA'));
    out.push(probe(h(PMD, { addr: spot + 7n * PMD + PS }), 'hint ALIGNed up into the next VMA'));
    out.push(probe(h(PMD, { addr: spot + 16n * PMD - PS }), 'hint ALIGNed up to right above a VMA'));
    out.push({ op: 'unmap', start: spot + 8n * PMD, end: spot + 16n * PMD });
    if (env.la57)
      out.push({
        op: 'skip',
        what: describe(h(PMD, { addr: 1n << 47n })),
        reason: '5-level paging: a hint above the 47-bit window is valid there',
      });
    else out.push(probe(h(PMD, { addr: 1n << 47n }), 'hint above TASK_SIZE'));
    out.push(probe(h(PMD, { addr: spot, fixed: true }), 'MAP_FIXED aligned'));
    out.push(probe(h(PMD, { addr: spot + PS, fixed: true }), 'MAP_FIXED not huge-aligned'));
    return out;
  },
};

/**
 * A file with no get_unmapped_area of its own: a PCI BAR's sysfs resource file (drivers/pci/pci-sysfs.c
 * pci_create_attr, a kernfs bin file; fs/kernfs/file.c kernfs_file_fops has no get_unmapped_area). v6.12
 * mm/mmap.c __get_unmapped_area sends such a file, with no hint and a PMD-multiple length, through
 * thp_get_unmapped_area_vmflags: VA ≡ pgoff << PAGE_SHIFT (mod 2M) when [off, off + len) holds a whole 2M
 * chunk; v6.13's `!file` (34d7cf637c43) leaves it to the plain search (docs/KERNELS.md §2.1). Every
 * [pgoff, pgoff + len) stays inside the BAR: pci_mmap_fits refuses the rest at ->mmap, after the address was
 * chosen.
 */
export const noGetArea: CaseGroup = {
  name: 'no-get-area',
  about:
    'a file without get_unmapped_area (a PCI sysfs resource file): 6.12 THP-aligns PMD-multiple lengths ' +
    'congruently with pgoff; tight holes, hints',
  arena: true,
  steps(env) {
    const barSize = env.barSize;
    if (barSize === null) {
      return [
        {
          op: 'skip',
          what: 'a PCI sysfs resource file (no get_unmapped_area)',
          reason: 'no PCI BAR file here (mapping-order probe --vm gives the guest an ivshmem BAR)',
        },
      ];
    }
    const out: Step[] = [];
    const a = arenaOf(env);
    const spot = ('top' in a ? a.top - 40n * GiB : a.bottom + 40n * GiB) & ~(PMD - 1n);
    for (const len of [PMD, 2n * PMD, PMD + PS, 64n * MiB])
      for (const pgoff of [0n, 1n, 0x201n]) {
        if (pgoff * PS + len > barSize) continue;
        const r = req('bar', len, { pgoff });
        out.push(probe(r, 'no hole'));
        for (const hole of holeSizes(len))
          for (const shift of [0n, 0x5000n]) out.push(...holeSteps(env, shift, hole, r, ''));
        out.push(probe({ ...r, addr: spot }, 'hint free, PMD-aligned'));
        out.push(probe({ ...r, addr: spot + PS }, 'hint free, one page off PMD'));
      }
    return out;
  },
};

/** One exec'd helper process and the groups it runs, in order. */
export interface SessionSpec {
  readonly name: string;
  readonly about: string;
  /** ADDR_COMPAT_LAYOUT: the legacy bottom-up layout (mmap_is_legacy()). */
  readonly legacy: boolean;
  /** RLIMIT_STACK for the exec: bytes, 'unlimited', or null to inherit. */
  readonly stack: bigint | 'unlimited' | null;
  /** Exec with randomisation (no ADDR_NO_RANDOMIZE): the bases are read off the layout, not computed. */
  readonly aslr?: boolean;
  readonly groups: readonly CaseGroup[];
}

export const SESSIONS: readonly SessionSpec[] = [
  {
    name: 'topdown',
    about: 'the default layout: MMF_TOPDOWN, RLIMIT_STACK 8M, so mmap_base = TASK_SIZE - 128M',
    legacy: false,
    stack: 8n * MiB,
    groups: [
      naturalAnon,
      sequenceAnon,
      naturalFiles,
      sequenceFiles,
      lengths,
      holesAnon,
      holesFiles,
      guardGaps,
      hints,
      fixed,
      noGetArea,
      topdownFallback,
      hugetlbfs,
    ],
  },
  {
    name: 'legacy',
    about: 'ADDR_COMPAT_LAYOUT: bottom-up from mmap_legacy_base = PAGE_ALIGN(TASK_SIZE / 3)',
    legacy: true,
    stack: 8n * MiB,
    groups: [
      naturalAnon,
      sequenceAnon,
      naturalFiles,
      sequenceFiles,
      holesAnon,
      holesFiles,
      guardGaps,
      hints,
      fixed,
      hugetlbfs,
      noGetArea,
    ],
  },
  {
    name: 'aslr',
    about:
      'randomised exec: mmap_base read off the ELF interpreter, mmap_legacy_base = TASK_SIZE / 3 + the rnd that ' +
      'implies (checked by the bottom-up fallback)',
    legacy: false,
    stack: 8n * MiB,
    aslr: true,
    groups: [naturalAnon, naturalFiles, holesAnon, hints, topdownFallback],
  },
  {
    name: 'stack-1G',
    about: 'RLIMIT_STACK 1G: mmap_base = TASK_SIZE - (1G + stack_guard_gap)',
    legacy: false,
    stack: 1n * GiB,
    groups: [basesCheck],
  },
  {
    name: 'stack-unlimited',
    about:
      'RLIMIT_STACK unlimited: gap + pad wraps, so gap = RLIM_INFINITY clamped to TASK_SIZE / 6 * 5 (x86 stays ' +
      'top-down)',
    legacy: false,
    stack: 'unlimited',
    // mmap_base lies below mmap_legacy_base here, so the bottom-up retry lands at the legacy base: it checks that base
    // too.
    groups: [basesCheck, topdownFallback],
  },
  {
    name: 'aslr-stack-unlimited',
    about:
      'randomised exec with RLIMIT_STACK unlimited: the bottom-up retry starts at mmap_legacy_base, which checks the ' +
      'rnd read off the interpreter',
    legacy: false,
    stack: 'unlimited',
    aslr: true,
    groups: [basesCheck, topdownFallback],
  },
];
