// One probe session: exec the helper with the session's personality and stack
// limit, derive its mm's bases, open the files, run the case groups in order,
// and compare every probed mmap with the model's baseline placement made on the
// snapshot the helper took just before that mmap.

import { place } from '../model/place.js';
import type { KernelVersion } from '../model/kernel-version.js';
import type { FileKind, Placement, Scenario, Vma } from '../model/types.js';
import { ToolError } from '../io/errors.js';
import type { Backing, CaseGroup, GroupEnv, ProbeRequest, SessionSpec, Step } from './cases.js';
import { size } from './cases.js';
import { ProbeHelper, type HelperLauncher, type Reply } from './helper.js';
import { gapsWithin, parseMaps, parseVmFlags, toVmas, type MapsEntry } from './maps.js';
import { inferTopdownBases, RLIM_INFINITY, x86Bases, type Bases } from './mmap-base.js';
import { hex } from '../model/u64.js';

/** Facts about the machine that hold for every session (cli/probe.ts finds them). */
export interface MachineFacts {
  /** The kernel whose rules the model applies: the running kernel's (probe/machine.ts modelKernelOf). */
  readonly kernel: KernelVersion;
  readonly pageSize: bigint;
  readonly taskSize: bigint;
  /** TASK_SIZE_MAX: (1 << 47) - PAGE_SIZE with 4-level paging, (1 << 56) - PAGE_SIZE with 5-level. */
  readonly taskSizeMax: bigint;
  readonly stackGuardGap: bigint;
  readonly mmapMinAddr: bigint;
  readonly dacMmapMinAddr: bigint;
  /** vm.legacy_va_layout. */
  readonly legacyVaLayout: boolean;
  /** kernel.randomize_va_space != 0: an exec without ADDR_NO_RANDOMIZE gets PF_RANDOMIZE. */
  readonly randomize: boolean;
  /** vm.mmap_rnd_bits. */
  readonly mmapRndBits: bigint;
  readonly la57: boolean;
  /** Backings that cannot be probed here, with the reason. */
  readonly unavailable: ReadonlyMap<Backing, string>;
  /** Whether anonymous MAP_SHARED is plain here (no anon-shmem huge orders); else the reason. */
  readonly anonSharedUnavailable: string | null;
  /** Path of a file on a tmpfs mounted huge=always, when there is one. */
  readonly tmpfsFile: string | null;
  /** The default huge page size (an MFD_HUGETLB memfd's), null without hugetlbfs. */
  readonly hugePageSize: bigint | null;
  /**
   * A file with no get_unmapped_area of its own that can be mapped at any offset of its size: a PCI sysfs
   * resource file (the VM probe's ivshmem BAR), or null.
   */
  readonly barFile: { readonly path: string; readonly size: bigint } | null;
}

export type Verdict = 'agreed' | 'disagreed' | 'skipped';

export interface CaseOutcome {
  readonly id: string;
  readonly session: string;
  readonly group: string;
  readonly what: string;
  readonly verdict: Verdict;
  /** Why skipped, or what differed. */
  readonly reason?: string;
  readonly request?: ProbeRequest;
  readonly kernel?: { readonly va: bigint | null; readonly errno: string | null };
  readonly model?: Placement;
  /** The scenario given to the model (kept for disagreements, to replay with `mapping-order place`). */
  readonly scenario?: Scenario;
}

export interface SessionReport {
  readonly name: string;
  readonly about: string;
  readonly bases: Bases;
  readonly rlimStack: bigint;
  readonly personality: string;
  /** The check that the computed base is where exec put the ELF interpreter. */
  readonly interpreterCheck: { readonly ok: boolean; readonly text: string };
  readonly outcomes: CaseOutcome[];
}

/**
 * A PCI sysfs resource file is a kernfs regular file (fs/kernfs/file.c kernfs_file_fops: no get_unmapped_area,
 * not FOP_UNSIGNED_OFFSET): the model's 'plain' kind, whose file_mmap_size_max() is MAX_LFS_FILESIZE.
 */
const FILE_KIND: Record<Backing, FileKind> = {
  anon: 'anon',
  memfd: 'shmem',
  tmpfs: 'shmem-huge',
  hugetlb: 'hugetlb',
  bar: 'plain',
};

function snapshotVmas(r: Reply, facts: MachineFacts): Vma[] {
  if (r.maps === undefined || r.vmFlags === undefined)
    throw new ToolError('probe helper: an answer without a snapshot');
  return toVmas(parseMaps(r.maps), { taskSize: facts.taskSize, vmFlags: parseVmFlags(r.vmFlags) });
}

function pageUp(x: bigint, ps: bigint): bigint {
  return (x + ps - 1n) & ~(ps - 1n);
}

function hugePageSizeOf(facts: MachineFacts): bigint {
  if (facts.hugePageSize === null) throw new ToolError('probe: a hugetlb case on a machine without hugetlbfs');
  return facts.hugePageSize;
}

/** The scenario describing one probed mmap (docs/CLI.md#the-scenario). */
export function probeScenario(facts: MachineFacts, bases: Bases, vmas: readonly Vma[], req: ProbeRequest): Scenario {
  return {
    arch: 'x86_64',
    policy: 'baseline',
    kernel: facts.kernel,
    mm: {
      topdown: bases.topdown,
      mmapBase: bases.mmapBase,
      mmapLegacyBase: bases.mmapLegacyBase,
      taskSize: facts.taskSize,
      mmapMinAddr: facts.mmapMinAddr,
      dacMmapMinAddr: facts.dacMmapMinAddr,
      taskSizeMax: facts.taskSizeMax,
      stackGuardGap: facts.stackGuardGap,
    },
    vmas,
    file:
      req.backing === 'hugetlb'
        ? { kind: 'hugetlb', hugePageSize: hugePageSizeOf(facts) }
        : { kind: FILE_KIND[req.backing] },
    request: { addr: req.addr, len: req.len, pgoff: req.pgoff, fixed: req.fixed, shared: req.shared },
  };
}

/** Kernel and model said the same thing: the same VA, or the same errno. */
export function agree(kernel: { va: bigint | null; errno: string | null }, model: Placement): boolean {
  if (kernel.va !== null) return model.va === kernel.va;
  return model.va === null && model.error === kernel.errno;
}

function whyUnavailable(facts: MachineFacts, req: ProbeRequest): string | null {
  const r = facts.unavailable.get(req.backing);
  if (r) return r;
  if (req.backing === 'anon' && req.shared && facts.anonSharedUnavailable) return facts.anonSharedUnavailable;
  return null;
}

function parseRlim(v: string | undefined): bigint {
  if (v === undefined) throw new ToolError('probe helper: INFO without rlim_stack_cur');
  return v === 'unlimited' ? RLIM_INFINITY : BigInt(v);
}

/**
 * The first mapping the allocator placed at exec, which witnesses the bases: for a dynamic executable the ELF
 * interpreter (fs/binfmt_elf.c load_elf_binary -> load_elf_interp, no hint), for a static one (the VM probe's
 * helper) the vDSO, whose [vvar] and [vdso] come from one get_unmapped_area(NULL, 0, ...) in
 * arch/x86/entry/vdso/vma.c map_vdso (6.12, the VM probe's kernel), after the
 * executable's segments, which are MAP_FIXED at their ELF addresses. The interpreter is the highest
 * file-backed VMA below the [stack] that is not the executable (libraries come after it and below it; the
 * executable lies at ELF_ET_DYN_BASE, above mmap_base when the stack limit is large). Bottom-up it is the
 * lowest such VMA.
 */
export interface ExecWitness {
  readonly what: 'the ELF interpreter' | 'the vDSO ([vvar] and [vdso])';
  readonly start: bigint;
  readonly end: bigint;
}

const VDSO_NAMES = new Set(['[vvar]', '[vvar_vclock]', '[vdso]']);

export function execWitness(entries: readonly MapsEntry[], exePath: string, topdown: boolean): ExecWitness {
  const stack = entries.find((e) => e.path === '[stack]');
  if (!stack) throw new ToolError('snapshot: no [stack] VMA');
  const files = entries.filter((e) => e.inode !== 0n && e.end <= stack.start && e.path !== exePath);
  if (files.length > 0) {
    // The interpreter's own VMAs share its path: take the extreme one, then all its VMAs.
    const first = topdown
      ? files.reduce((m, e) => (e.end > m.end ? e : m))
      : files.reduce((m, e) => (e.start < m.start ? e : m));
    const own = files.filter((e) => e.path === first.path);
    return {
      what: 'the ELF interpreter',
      start: own.reduce((m, e) => (e.start < m ? e.start : m), first.start),
      end: own.reduce((m, e) => (e.end > m ? e.end : m), first.end),
    };
  }
  const vdso = entries.filter((e) => VDSO_NAMES.has(e.path));
  if (vdso.length === 0) throw new ToolError('snapshot: neither an ELF interpreter nor a vDSO below the stack');
  return {
    what: 'the vDSO ([vvar] and [vdso])',
    start: vdso.reduce((m, e) => (e.start < m ? e.start : m), vdso[0]!.start),
    end: vdso.reduce((m, e) => (e.end > m ? e.end : m), vdso[0]!.end),
  };
}

/**
 * The bases are computed, not observed; exec leaves one witness (execWitness): top-down it ends exactly at
 * mmap_base, bottom-up it starts exactly at mmap_legacy_base.
 */
function witnessCheck(w: ExecWitness, bases: Bases): { ok: boolean; text: string } {
  if (bases.topdown) {
    const ok = w.end === bases.mmapBase;
    return {
      ok,
      text: ok
        ? `${w.what} ends at mmap_base ${hex(bases.mmapBase)}`
        : `${w.what} ends at ${hex(w.end)}, not at mmap_base ${hex(bases.mmapBase)}`,
    };
  }
  const ok = w.start === bases.mmapLegacyBase;
  return {
    ok,
    text: ok
      ? `${w.what} starts at mmap_legacy_base ${hex(bases.mmapLegacyBase)}`
      : `${w.what} starts at ${hex(w.start)}, not at mmap_legacy_base ${hex(bases.mmapLegacyBase)}`,
  };
}

export interface SessionOptions {
  /** Starts the helper (probe/helper.ts localLauncher, or a guest program). */
  readonly launcher: HelperLauncher;
  /** The helper's executable as /proc/self/maps names it (the realpath), to tell it from the interpreter. */
  readonly exePath: string;
  /** Called with each outcome as it is decided (progress output). */
  readonly onOutcome?: (o: CaseOutcome) => void;
  /** Only groups whose name contains this. */
  readonly only?: string;
}

export async function runSession(spec: SessionSpec, facts: MachineFacts, opts: SessionOptions): Promise<SessionReport> {
  const args: string[] = [];
  if (spec.legacy) args.push('--legacy');
  if (spec.stack !== null) args.push('--stack', spec.stack === 'unlimited' ? 'unlimited' : spec.stack.toString());
  if (spec.aslr) args.push('--aslr');
  const h = await ProbeHelper.launch(opts.launcher, args);
  try {
    const info = (await h.must('info')).info ?? {};
    const pageSize = BigInt(info.page_size ?? '0');
    if (pageSize !== facts.pageSize)
      throw new ToolError(`probe helper: page size ${pageSize}, expected ${facts.pageSize}`);
    const rlimStack = parseRlim(info.rlim_stack_cur);
    const firstReply = await h.must('maps');
    // Refuses a first snapshot whose maps and smaps name different VMAs, as every later one is.
    snapshotVmas(firstReply, facts);
    let bases: Bases;
    let check: { ok: boolean; text: string };
    const entries = parseMaps(firstReply.maps ?? '');
    if (spec.aslr) {
      if (spec.legacy || facts.legacyVaLayout)
        throw new ToolError(`session ${spec.name}: the randomised bases are inferred for the top-down layout only`);
      const witness = execWitness(entries, opts.exePath, true);
      const inferred = inferTopdownBases({
        taskSize: facts.taskSize,
        pageSize,
        rlimStack,
        stackGuardGap: facts.stackGuardGap,
        pfRandomize: facts.randomize,
        mmapRndBits: facts.mmapRndBits,
        interpEnd: witness.end,
      });
      if ('error' in inferred) throw new ToolError(`session ${spec.name}: ${inferred.error}`);
      bases = inferred;
      check = {
        ok: true,
        text:
          `mmap_base read off the end of ${witness.what}; ` +
          `rnd ${hex(inferred.rnd)} (PF_RANDOMIZE ${facts.randomize ? 'set' : 'clear'})`,
      };
    } else {
      bases = x86Bases({
        taskSize: facts.taskSize,
        pageSize,
        rlimStack,
        stackGuardGap: facts.stackGuardGap,
        legacy: spec.legacy || facts.legacyVaLayout,
      });
      check = witnessCheck(execWitness(entries, opts.exePath, bases.topdown), bases);
    }
    const report: SessionReport = {
      name: spec.name,
      about: spec.about,
      bases,
      rlimStack,
      personality: info.personality ?? '?',
      interpreterCheck: check,
      outcomes: [],
    };

    const fds = new Map<Backing, number>();
    if (!facts.unavailable.has('memfd')) fds.set('memfd', Number((await h.must(`memfd ${1n << 30n}`)).ok));
    if (!facts.unavailable.has('tmpfs') && facts.tmpfsFile) {
      fds.set('tmpfs', Number((await h.must(`open ${facts.tmpfsFile} ${1n << 30n}`)).ok));
    }
    if (!facts.unavailable.has('bar') && facts.barFile) {
      fds.set('bar', Number((await h.must(`open-ro ${facts.barFile.path}`)).ok));
    }
    if (!facts.unavailable.has('hugetlb')) {
      try {
        fds.set('hugetlb', Number((await h.must(`memfd-huge ${4n << 30n}`)).ok));
      } catch (e) {
        // hugetlbfs is listed but an MFD_HUGETLB memfd cannot be had (no default hstate, a seccomp filter, ...):
        // the hugetlbfs cases of this session say so instead of failing the run.
        if (!(e instanceof ToolError)) throw e;
        facts = { ...facts, unavailable: new Map([...facts.unavailable, ['hugetlb', e.message]]) };
      }
    }

    let arena: GroupEnv['arena'] = null;
    let caseNo = 0;
    for (const group of spec.groups) {
      if (opts.only && !group.name.includes(opts.only) && !spec.name.includes(opts.only)) continue;
      const vmas = snapshotVmas(await h.must('maps'), facts);
      if (group.arena && arena === null) arena = await setUpArena(h, facts, bases, vmas);
      const env: GroupEnv = {
        pageSize,
        taskSize: facts.taskSize,
        stackGuardGap: facts.stackGuardGap,
        mmapMinAddr: facts.mmapMinAddr,
        dacMmapMinAddr: facts.dacMmapMinAddr,
        bases,
        vmas: group.arena ? snapshotVmas(await h.must('maps'), facts) : vmas,
        arena: group.arena ? arena : null,
        la57: facts.la57,
        barSize: facts.unavailable.has('bar') || !facts.barFile ? null : facts.barFile.size,
      };
      const tracked: Array<{ start: bigint; end: bigint }> = [];
      for (const step of group.steps(env)) {
        const id = `${spec.name}/${group.name}/${++caseNo}`;
        const outcome = await runStep(h, step, { id, spec, group, facts, bases, fds, tracked });
        if (outcome) {
          report.outcomes.push(outcome);
          opts.onOutcome?.(outcome);
        } else caseNo--;
      }
      for (const r of tracked.reverse()) await h.must(`unmap ${hex(r.start)} ${hex(r.end - r.start)}`);
    }
    return report;
  } finally {
    await h.close().catch(() => undefined);
  }
}

interface StepCtx {
  readonly id: string;
  readonly spec: SessionSpec;
  readonly group: CaseGroup;
  readonly facts: MachineFacts;
  readonly bases: Bases;
  readonly fds: ReadonlyMap<Backing, number>;
  readonly tracked: Array<{ start: bigint; end: bigint }>;
}

async function fill(
  h: ProbeHelper,
  facts: MachineFacts,
  lo: bigint,
  hi: bigint,
  tracked: Array<{ start: bigint; end: bigint }>,
): Promise<void> {
  const vmas = snapshotVmas(await h.must('maps'), facts);
  for (const g of gapsWithin(vmas, lo, hi)) {
    await h.must(`fixed ${hex(g.start)} ${hex(g.end - g.start)}`);
    tracked.push(g);
  }
}

/**
 * The arena: top-down, fill every free range between the lowest VMA of the
 * cluster exec put just below mmap_base (rounded down to 1G) and mmap_base, so
 * the top-down search starts at that 1G boundary; bottom-up, fill from
 * mmap_legacy_base up to the end of the cluster there (rounded up to 1G).
 * These blockers stay for the rest of the session.
 */
async function setUpArena(
  h: ProbeHelper,
  facts: MachineFacts,
  bases: Bases,
  vmas: readonly Vma[],
): Promise<GroupEnv['arena']> {
  const keep: Array<{ start: bigint; end: bigint }> = [];
  if (bases.topdown) {
    const near = vmas.filter((v) => v.end <= bases.mmapBase && v.start >= bases.mmapBase - GIB);
    const lowest = near.reduce((m, v) => (v.start < m ? v.start : m), bases.mmapBase);
    const top = lowest & ~(GIB - 1n);
    await fill(h, facts, top, bases.mmapBase, keep);
    return { top };
  }
  const near = vmas.filter((v) => v.start >= bases.mmapLegacyBase && v.end <= bases.mmapLegacyBase + GIB);
  const highest = near.reduce((m, v) => (v.end > m ? v.end : m), bases.mmapLegacyBase);
  const bottom = (highest + GIB - 1n) & ~(GIB - 1n);
  await fill(h, facts, bases.mmapLegacyBase, bottom, keep);
  return { bottom };
}

const GIB = 1n << 30n;

async function runStep(h: ProbeHelper, step: Step, c: StepCtx): Promise<CaseOutcome | null> {
  switch (step.op) {
    case 'block':
      await h.must(`fixed ${hex(step.start)} ${hex(step.end - step.start)}${step.growsDown ? ' g' : ''}`);
      c.tracked.push({ start: step.start, end: step.end });
      return null;
    case 'unmap':
      await h.must(`unmap ${hex(step.start)} ${hex(step.end - step.start)}`);
      return null;
    case 'fill':
      await fill(h, c.facts, step.lo, step.hi, c.tracked);
      return null;
    case 'skip':
      return {
        id: c.id,
        session: c.spec.name,
        group: c.group.name,
        what: step.what,
        verdict: 'skipped',
        reason: step.reason,
      };
    case 'probe':
      return probeStep(h, step.req, step.what, c);
  }
}

async function probeStep(h: ProbeHelper, req: ProbeRequest, what: string, c: StepCtx): Promise<CaseOutcome> {
  const base = { id: c.id, session: c.spec.name, group: c.group.name, what, request: req };
  const unavailable = whyUnavailable(c.facts, req);
  if (unavailable) return { ...base, verdict: 'skipped', reason: unavailable };
  const fd = req.backing === 'anon' ? 'anon' : String(c.fds.get(req.backing));
  const flags = `${req.shared ? 's' : ''}${req.fixed ? 'f' : ''}${req.keep ? 'k' : ''}` || '-';
  const off = (req.pgoff << 12n) & ((1n << 64n) - 1n);
  const tag = c.id.replace(/[^A-Za-z0-9/_.-]/g, '_');
  const r = await h.must(`probe ${tag} ${fd} ${hex(req.addr)} ${hex(req.len)} ${hex(off)} ${flags}`);
  if (!r.result) throw new ToolError(`probe helper: no result for ${c.id}`);
  const kernel = { va: r.result.va, errno: r.result.errno };
  // ksys_mmap_pgoff maps a hugetlbfs file in whole huge pages.
  const unit = req.backing === 'hugetlb' ? hugePageSizeOf(c.facts) : c.facts.pageSize;
  if (req.keep && kernel.va !== null) c.tracked.push({ start: kernel.va, end: kernel.va + pageUp(req.len, unit) });
  const scenario = probeScenario(c.facts, c.bases, snapshotVmas(r, c.facts), req);
  let model: Placement;
  try {
    model = place(scenario);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ...base, verdict: 'disagreed', reason: `the model threw: ${msg}`, kernel, scenario };
  }
  if (agree(kernel, model)) return { ...base, verdict: 'agreed', kernel, model, scenario };
  const k = kernel.va !== null ? hex(kernel.va) : kernel.errno;
  const m = model.va !== null ? hex(model.va) : model.error;
  return {
    ...base,
    verdict: 'disagreed',
    reason: `kernel ${k}, model ${m} (path ${model.path}, alignment ${size(model.alignment)})`,
    kernel,
    model,
    scenario,
  };
}
