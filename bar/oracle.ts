// The oracle: the model held to the patched 6.12 kernel with a real PCI BAR. Builds the test kernel
// (kernel/patches/test in `series` order), boots it once per policy (mapping_order_policy=) with ivshmem devices
// (BAR2 of 64M, and 1G), binds them to vfio-pci without an IOMMU (bar/bar-probe.c), and for both BAR drivers
// (vfio_pci_core.mapping_order_driver=v2|bar, switched through sysfs between groups) compares every mmap's VA
// with the model's place() on the snapshot taken just before it, and every touched mapping's leaves, counted by
// the kernel's page-table dump, with the model's sequential touch (scenario/faults.ts answerFaults).

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingToolError, ToolError } from '../io/errors.js';
import { buildKernel } from '../kernel/build.js';
import { geometry } from '../model/geometry.js';
import { INVARIANTS } from '../model/invariants/index.js';
import { place } from '../model/place.js';
import { POLICY_NAMES } from '../model/policy/index.js';
import { runScheme, SCHEME_NAMES, type SchemeName } from '../model/schemes/index.js';
import type { Errno, FileDesc, Mm, Placement, PolicyName, Scenario, Vma } from '../model/types.js';
import { hex } from '../model/u64.js';
import { gapsWithin, parseMaps, toVmas } from '../probe/maps.js';
import { RLIM_INFINITY, x86Bases } from '../probe/mmap-base.js';
import { answerFaults } from '../scenario/faults.js';
import { buildInitramfs } from '../vm/initramfs.js';
import { harnessUnavailable } from '../vm/prerequisites.js';
import { bootGuest, type Guest } from '../vm/qemu.js';
import { compileStatic } from '../vm/static-cc.js';
import { addressCases, holeCases, plainCases, realise, type PlainCase, type ScaleCase } from './cases.js';
import { BarProbe, countLeaves, type Leaves, type OpenDevice } from './client.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BAR_PROBE_SOURCE = join(REPO, 'bar', 'bar-probe.c');
const PATCH_DIR = join(REPO, 'kernel', 'patches', 'test');

/** vfio_pci_core.mapping_order_driver= (patch 0008) and the model's driver of the same behaviour. */
export const DRIVERS = [
  { param: 'v2', model: 'vfio-pci' },
  { param: 'bar', model: 'vfio-pci-jason' },
] as const;
export type DriverParam = (typeof DRIVERS)[number]['param'];
const DRIVER_PARAM = '/sys/module/vfio_pci_core/parameters/mapping_order_driver';

const G = geometry('x86_64');
const M = 1n << 20n;
const GIB = 1n << 30n;
/** x86_64 with 4-level paging: DEFAULT_MAP_WINDOW = (1 << 47) - PAGE_SIZE (arch/x86/include/asm/page_64_types.h). */
const TASK_SIZE = (1n << 47n) - 4096n;

export interface Outcome {
  readonly policy: PolicyName;
  readonly driver: DriverParam;
  /** BAR2's size, naming the device. */
  readonly bar: bigint;
  readonly group: string;
  readonly what: string;
  readonly kind: 'place' | 'leaves';
  readonly agreed: boolean;
  /** What the kernel and the model said. */
  readonly kernel: string;
  readonly model: string;
  /** The model's input, to replay a disagreement with `mapping-order place` or `faults`. */
  readonly input?: unknown;
}

export interface PolicyReport {
  readonly policy: PolicyName;
  readonly release: string;
  readonly bars: ReadonlyArray<{ bdf: string; barPhys: bigint; barSize: bigint; regionOffset: bigint }>;
  readonly outcomes: Outcome[];
  /**
   * The kernel's leaves for [2M+4K, 64M) of the 64M BAR, per driver: mapped by DPDK (MAP_FIXED in its
   * reservation) and by the kernel scheme (no hint: the policy places it).
   */
  readonly example: Record<ExampleScheme, Partial<Record<DriverParam, Leaves>>>;
  /** The real-scale cases of docs/FINDINGS.md run under this policy (the `findings` group). */
  readonly findings: FindingResult[];
  readonly seconds: number;
}

/** One real-scale case of docs/FINDINGS.md in the guest: the kernel's answer and the finding's invariant on it. */
export interface FindingResult {
  readonly title: string;
  readonly invariant: string;
  readonly policy: PolicyName;
  readonly driver: DriverParam;
  readonly bar: string;
  /** The kernel's VA (or errno) and the model's on the same snapshot. */
  readonly kernel: string;
  readonly model: string;
  readonly agreed: boolean;
  /** The kernel's leaves after a sequential touch (null when it gave no VA). */
  readonly leaves: string | null;
  /** The invariant is violated by the kernel's own answer. */
  readonly shows: boolean;
  readonly why: string;
}

/** The schemes whose [2M+4K, 64M) part the table shows. */
export const EXAMPLE_SCHEMES = ['dpdk', 'kernel'] as const;
export type ExampleScheme = (typeof EXAMPLE_SCHEMES)[number];

export interface OracleReport {
  readonly skipped: string | null;
  readonly kernel: { key: string; cached: boolean } | null;
  readonly policies: PolicyReport[];
}

export interface OracleOptions {
  readonly policies?: readonly PolicyName[];
  /** Only groups whose name contains this. */
  readonly only?: string;
  readonly log?: (line: string) => void;
  /** Also a 1G ivshmem BAR (PUD leaves); true by default. */
  readonly bigBar?: boolean;
  /** The real-scale cases of docs/FINDINGS.md (scripts/docs/findings-cases.ts scaleCases) for the findings group. */
  readonly findings?: readonly ScaleCase[];
}

export function seriesPatches(): string[] {
  return readFileSync(join(PATCH_DIR, 'series'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => join(PATCH_DIR, l));
}

/** Runs the oracle; `skipped` says why when the harness cannot run here (no QEMU, no kernel package). */
export async function runOracle(opts: OracleOptions = {}): Promise<OracleReport> {
  const log = opts.log ?? (() => {});
  const why = harnessUnavailable();
  if (why) return { skipped: why, kernel: null, policies: [] };
  let kernel;
  try {
    kernel = await buildKernel({ patches: seriesPatches(), log });
  } catch (e) {
    if (e instanceof MissingToolError) return { skipped: e.message, kernel: null, policies: [] };
    throw e;
  }
  const probe = compileStatic(BAR_PROBE_SOURCE);
  const initramfs = buildInitramfs([{ guestPath: '/bin/bar-probe', hostPath: probe }]);
  const policies: PolicyReport[] = [];
  for (const policy of opts.policies ?? POLICY_NAMES) {
    policies.push(await runPolicy(kernel.bzImage, initramfs, policy, opts, log));
  }
  return { skipped: null, kernel: { key: kernel.key.slice(0, 16), cached: kernel.cached }, policies };
}

async function runPolicy(
  bzImage: string,
  initramfs: string,
  policy: PolicyName,
  opts: OracleOptions,
  log: (line: string) => void,
): Promise<PolicyReport> {
  const t0 = Date.now();
  const big = opts.bigBar ?? true;
  const extraArgs = ['-object', 'memory-backend-ram,id=bar64m,size=64M', '-device', 'ivshmem-plain,memdev=bar64m'];
  if (big) extraArgs.push('-object', 'memory-backend-ram,id=bar1g,size=1G', '-device', 'ivshmem-plain,memdev=bar1g');
  log(`oracle: booting mapping_order_policy=${policy}`);
  const guest = await bootGuest({
    kernel: bzImage,
    initramfs,
    append: `vfio.enable_unsafe_noiommu_mode=1 mapping_order_policy=${policy} vfio_pci_core.mapping_order_driver=v2`,
    memory: '2G',
    accel: 'auto',
    extraArgs,
    log,
  });
  let report: PolicyReport;
  try {
    report = await inGuest(guest, policy, opts, log);
  } catch (e) {
    await guest.kill().catch(() => undefined);
    throw e;
  }
  const off = await guest.poweroff();
  if (off.exitCode !== 0) throw new ToolError(`qemu: exited ${off.exitCode} after poweroff`);
  return { ...report, seconds: (Date.now() - t0) / 1000 };
}

/** The mm the model places in: the bases exec computed without randomisation. */
function mmOf(rlimStack: bigint, mmapMinAddr: bigint): Mm {
  const b = x86Bases({
    taskSize: TASK_SIZE,
    pageSize: G.pageSize,
    rlimStack,
    stackGuardGap: 256n * G.pageSize,
    legacy: false,
  });
  return {
    topdown: b.topdown,
    mmapBase: b.mmapBase,
    mmapLegacyBase: b.mmapLegacyBase,
    taskSize: TASK_SIZE,
    mmapMinAddr,
    dacMmapMinAddr: mmapMinAddr,
    taskSizeMax: TASK_SIZE,
    stackGuardGap: 256n * G.pageSize,
  };
}

function vmasOf(maps: string): Vma[] {
  return toVmas(parseMaps(maps), { taskSize: TASK_SIZE });
}

interface Ctx {
  readonly h: BarProbe;
  readonly policy: PolicyName;
  readonly mm: Mm;
  readonly outcomes: Outcome[];
  readonly log: (line: string) => void;
  driver: DriverParam;
  dev: OpenDevice;
}

function fileOf(c: Ctx): FileDesc {
  const model = DRIVERS.find((d) => d.param === c.driver)!.model;
  return { kind: 'driver', driver: model, barSize: c.dev.barSize, barIndex: 2, barPhys: c.dev.barPhys };
}

function record(c: Ctx, o: Omit<Outcome, 'policy' | 'driver' | 'bar'>): void {
  const full: Outcome = { policy: c.policy, driver: c.driver, bar: c.dev.barSize, ...o };
  c.outcomes.push(full);
  if (!full.agreed)
    c.log(
      `oracle: DISAGREE ${c.policy} ${c.driver} ${full.group} ${full.what}: kernel ${full.kernel}, model ${full.model}`,
    );
}

function said(p: { va: bigint | null; errno?: string | null; error?: string | null }): string {
  return p.va !== null ? hex(p.va) : (p.errno ?? p.error ?? '?');
}

/** One mmap of the BAR, compared with place(): the kernel's answer, the model's and its input. */
async function mapBarFull(
  c: Ctx,
  group: string,
  what: string,
  req: { addr: bigint; len: bigint; off: bigint; fixed: boolean },
) {
  const r = await c.h.mmap(c.dev.id, req.addr, req.len, c.dev.regionOffset + req.off, req.fixed ? 'f' : '-');
  const scenario: Scenario = {
    arch: 'x86_64',
    policy: c.policy,
    kernel: '6.12',
    mm: c.mm,
    vmas: vmasOf(r.maps),
    file: fileOf(c),
    request: {
      addr: req.addr,
      len: req.len,
      pgoff: (c.dev.regionOffset + req.off) >> 12n,
      fixed: req.fixed,
      shared: true,
    },
  };
  const model: Placement = place(scenario);
  const agreed = r.va !== null ? model.va === r.va : model.va === null && model.error === r.errno;
  record(c, {
    group,
    what,
    kind: 'place',
    agreed,
    kernel: said(r),
    model: `${said(model)} (path ${model.path}, order ${model.order})`,
    input: scenario,
  });
  return { va: r.va, errno: r.errno, scenario, model, agreed };
}

async function mapBar(
  c: Ctx,
  group: string,
  what: string,
  req: { addr: bigint; len: bigint; off: bigint; fixed: boolean },
): Promise<bigint | null> {
  return (await mapBarFull(c, group, what, req)).va;
}

/** Touches [va, va + len) page by page and compares the kernel's leaves with the model's. */
async function touchAndCount(
  c: Ctx,
  group: string,
  what: string,
  va: bigint,
  len: bigint,
  off: bigint,
): Promise<Leaves> {
  await c.h.touch(va, len);
  const got = countLeaves(await c.h.ptdump(va, len), va, va + len);
  const req = { g: G, va, len, pgoff: (c.dev.regionOffset + off) >> 12n, file: fileOf(c) };
  const ans = answerFaults(req);
  let model: string;
  let agreed: boolean;
  if (!ans.ok) {
    model = `${ans.error}: ${ans.why}`;
    agreed = false;
  } else {
    const l = ans.report.leaves;
    const want = { k4: l.get(4096n) ?? 0n, m2: l.get(2n * M) ?? 0n, g1: l.get(GIB) ?? 0n };
    model = leavesText(want);
    agreed = want.k4 === got.k4 && want.m2 === got.m2 && want.g1 === got.g1;
  }
  const input = { arch: 'x86_64', va: hex(va), len: hex(len), pgoff: hex(req.pgoff), file: fileOf(c) };
  record(c, { group, what, kind: 'leaves', agreed, kernel: leavesText(got), model, input });
  return got;
}

export function leavesText(l: Leaves): string {
  return `${l.k4} x 4K, ${l.m2} x 2M, ${l.g1} x 1G`;
}

async function snapshot(c: Ctx): Promise<Vma[]> {
  // An mmap that fails at once (len 0 is EINVAL before anything, mm/mmap.c do_mmap) returns the snapshot.
  const r = await c.h.mmap('anon', 0n, 0n, 0n, '-');
  return vmasOf(r.maps);
}

/**
 * A free, 1G-aligned address 4G under the lowest VMA of the cluster just below mmap_base (the vdso, the stack's
 * neighbours), for hints and MAP_FIXED; the static executable at 0x400000 is far below.
 */
async function freeBase(c: Ctx, size: bigint): Promise<bigint> {
  const vmas = await snapshot(c);
  const near = vmas.filter((v) => v.end <= c.mm.mmapBase && v.start >= c.mm.mmapBase - GIB);
  const lowest = near.reduce((m, v) => (v.start < m ? v.start : m), c.mm.mmapBase);
  return ((lowest - size) & ~(GIB - 1n)) - 4n * GIB;
}

async function plainGroup(c: Ctx, name: string, cases: readonly PlainCase[]): Promise<void> {
  for (const k of cases) {
    const va = await mapBar(c, name, k.what, k);
    if (va === null) continue;
    await touchAndCount(c, name, k.what, va, k.len, k.off);
    await c.h.munmap(va, k.len);
  }
}

/**
 * A hole at the top of the top-down search: every gap in [T, mmap_base) filled with MAP_FIXED_NOREPLACE anonymous
 * blockers (T the 1G boundary under the VMAs near mmap_base), [T - hole, T) left free, and [T - hole - 1G, T - hole)
 * blocked, so a search for len finds the hole and a search for len + the alignment goes below the blocker.
 */
async function holeGroup(c: Ctx, name: string): Promise<void> {
  for (const k of holeCases(c.dev.barSize)) {
    const vmas = await snapshot(c);
    const near = vmas.filter((v) => v.end <= c.mm.mmapBase && v.start >= c.mm.mmapBase - GIB);
    const top = near.reduce((m, v) => (v.start < m ? v.start : m), c.mm.mmapBase) & ~(GIB - 1n);
    const blockers = gapsWithin(vmas, top, c.mm.mmapBase);
    blockers.push({ start: top - k.hole - GIB, end: top - k.hole });
    for (const b of blockers) {
      const r = await c.h.mmap('anon', b.start, b.end - b.start, 0n, 'n');
      if (r.va !== b.start) throw new ToolError(`oracle: blocker at ${hex(b.start)} got ${said(r)}`);
    }
    const va = await mapBar(c, name, k.what, { addr: 0n, len: k.len, off: k.off, fixed: false });
    if (va !== null) {
      await touchAndCount(c, name, k.what, va, k.len, k.off);
      await c.h.munmap(va, k.len);
    }
    for (const b of blockers) await c.h.munmap(b.start, b.end - b.start);
  }
}

/**
 * The real-scale cases of docs/FINDINGS.md (scripts/docs/findings-cases.ts) that the guest can realise, under
 * this policy, driver and BAR: the case's VMAs as MAP_FIXED_NOREPLACE blockers, the mmap compared with the
 * model, and the finding's invariant evaluated on the kernel's own answer (the model's Placement with the VA the
 * kernel gave).
 */
async function findingsGroup(c: Ctx, name: string, scale: readonly ScaleCase[], out: FindingResult[]): Promise<void> {
  for (const sc of scale) {
    const r = realise(sc);
    if (!r.ok || sc.policy !== c.policy || r.case.driver !== c.driver || r.case.barSize !== c.dev.barSize) continue;
    const k = r.case;
    for (const b of k.blockers) {
      const got = await c.h.mmap('anon', b.start, b.end - b.start, 0n, 'n');
      if (got.va !== b.start) throw new ToolError(`oracle: blocker at ${hex(b.start)} got ${said(got)}`);
    }
    const m = await mapBarFull(c, name, k.title, k);
    const kernelSaid: Placement =
      m.va !== null ? { ...m.model, va: m.va, error: null } : { ...m.model, va: null, error: m.errno as Errno };
    const v = INVARIANTS[k.invariant](m.scenario, kernelSaid);
    let leaves: string | null = null;
    if (m.va !== null) {
      leaves = leavesText(await touchAndCount(c, name, k.title, m.va, k.len, k.off));
      await c.h.munmap(m.va, k.len);
    }
    for (const b of k.blockers) await c.h.munmap(b.start, b.end - b.start);
    out.push({
      title: k.title,
      invariant: k.invariant,
      policy: c.policy,
      driver: c.driver,
      bar: hex(c.dev.barSize),
      kernel: said({ va: m.va, errno: m.errno }),
      model: said(m.model),
      agreed: m.agreed,
      leaves,
      shows: !v.ok,
      why: v.ok ? '' : v.why,
    });
  }
}

/**
 * A userspace scheme (model/schemes) run in the guest: the model gives the calls; each mmap's address is the
 * model's, carried over to the guest's own earlier placements (a fixed address inside a mapping the scheme
 * made is moved with it), and placed again by the model on the guest's snapshot under 6.12.
 */
async function schemeGroup(c: Ctx, scheme: SchemeName): Promise<Leaves | null> {
  const vmas = await snapshot(c);
  const bar = { size: c.dev.barSize, msix: { offset: 2n * M, size: 4096n } };
  const run = runScheme(
    scheme,
    { arch: 'x86_64', policy: c.policy, mm: c.mm, vmas, file: fileOf(c), regionOffset: c.dev.regionOffset },
    bar,
  );
  const moved: Array<{ model: bigint; guest: bigint; len: bigint }> = [];
  const carry = (a: bigint): bigint => {
    const hit = moved.find((m) => a >= m.model && a < m.model + m.len);
    return hit ? hit.guest + (a - hit.model) : a;
  };
  const mapped: Array<{ start: bigint; len: bigint }> = [];
  const parts: Array<{ va: bigint; len: bigint; off: bigint; label: string }> = [];
  const name = `scheme ${scheme}`;
  for (const step of run.steps) {
    if (step.kind === 'munmap') {
      const r = await c.h.munmap(carry(step.start), step.len).then(
        () => true,
        () => false,
      );
      if (!r) throw new ToolError(`oracle: ${name}: ${step.label}: munmap failed`);
      continue;
    }
    const s = step.scenario;
    const addr = carry(s.request.addr);
    const isBar = s.file.kind === 'driver';
    const off = isBar ? (s.request.pgoff << 12n) - c.dev.regionOffset : 0n;
    const flags = isBar ? (s.request.fixed ? 'f' : '-') : `${s.request.shared ? 's' : ''}${s.request.fixed ? 'f' : ''}`;
    const r = await c.h.mmap(
      isBar ? c.dev.id : 'anon',
      addr,
      s.request.len,
      isBar ? c.dev.regionOffset + off : 0n,
      flags,
    );
    const scenario: Scenario = { ...s, kernel: '6.12', vmas: vmasOf(r.maps), request: { ...s.request, addr } };
    const model = place(scenario);
    const agreed = r.va !== null ? model.va === r.va : model.va === null && model.error === r.errno;
    record(c, {
      group: name,
      what: step.label,
      kind: 'place',
      agreed,
      kernel: said(r),
      model: `${said(model)} (path ${model.path}, order ${model.order})`,
      input: scenario,
    });
    if (r.va === null) break;
    const len = (s.request.len + 4095n) & ~4095n;
    if (step.placement.va !== null) moved.push({ model: step.placement.va, guest: r.va, len });
    mapped.push({ start: r.va, len });
    if (isBar) parts.push({ va: r.va, len, off, label: step.label });
  }
  let examplePart: Leaves | null = null;
  for (const p of parts) {
    const got = await touchAndCount(c, name, p.label, p.va, p.len, p.off);
    if (p.off === 2n * M + 4096n && p.off + p.len === c.dev.barSize) examplePart = got;
  }
  for (const m of mapped) await c.h.munmap(m.start, m.len);
  return examplePart;
}

async function inGuest(guest: Guest, policy: PolicyName, opts: OracleOptions, log: (l: string) => void) {
  const cmdline = (await guest.readFile('/proc/cmdline')).toString('utf8');
  if (!cmdline.includes(`mapping_order_policy=${policy}`))
    throw new ToolError(`guest: /proc/cmdline has no mapping_order_policy=${policy}: ${cmdline.trim()}`);
  const proc = guest.exec(['/bin/bar-probe']);
  const h = new BarProbe(proc.stdin, proc.stdout);
  await h.ready();
  const info = await h.info();
  const mm = mmOf(info.rlimStack === 'unlimited' ? RLIM_INFINITY : info.rlimStack, info.mmapMinAddr);
  const devices = await h.list();
  if (devices.length === 0) throw new ToolError('guest: no ivshmem device');
  const opened: OpenDevice[] = [];
  for (const d of devices) opened.push(await h.open(d));
  const outcomes: Outcome[] = [];
  const findings: FindingResult[] = [];
  const example: Record<ExampleScheme, Partial<Record<DriverParam, Leaves>>> = { dpdk: {}, kernel: {} };
  const want = (g: string): boolean => !opts.only || g.includes(opts.only);
  for (const drv of DRIVERS) {
    await h.write(DRIVER_PARAM, drv.param);
    for (const dev of opened.sort((a, b) => (a.barSize < b.barSize ? -1 : 1))) {
      const c: Ctx = { h, policy, mm, outcomes, log, driver: drv.param, dev };
      log(`oracle: ${policy}: driver ${drv.param}, BAR2 ${hex(dev.barSize)} at ${hex(dev.barPhys)}`);
      if (want('plain')) await plainGroup(c, 'plain', plainCases(dev.barSize));
      if (want('address')) await plainGroup(c, 'address', addressCases(dev.barSize, await freeBase(c, dev.barSize)));
      if (want('hole')) await holeGroup(c, 'hole');
      if (want('findings')) await findingsGroup(c, 'findings', opts.findings ?? [], findings);
      for (const s of SCHEME_NAMES) {
        if (!want(`scheme ${s}`)) continue;
        const part = await schemeGroup(c, s);
        const ex = EXAMPLE_SCHEMES.find((e) => e === s);
        if (ex && part && dev.barSize === 64n * M) example[ex][drv.param] = part;
      }
    }
  }
  await h.quit();
  const ex = await proc.exit;
  if (ex.code !== 0) throw new ToolError(`bar-probe: exited ${ex.signal ?? `code ${ex.code}`}`);
  consoleCheck(guest.consoleLog(), policy);
  return {
    policy,
    release: guest.release,
    bars: opened.map((d) => ({ bdf: d.bdf, barPhys: d.barPhys, barSize: d.barSize, regionOffset: d.regionOffset })),
    outcomes,
    example,
    findings,
    seconds: 0,
  };
}

/**
 * The guest's console: the policy in force as the kernel printed it (patch 0005's late_initcall
 * mapping_order_policy_report, pr_fmt "mmap: " in mm/mmap.c), so a misspelt parameter cannot pass for baseline;
 * and no warning splat (a WARN_ON in the huge PFN map paths, mm/huge_memory.c insert_pfn_pmd and insert_pfn_pud,
 * would not stop a run).
 */
export function consoleCheck(log: string, policy: PolicyName): void {
  const said = /^(?:\[[ \d.]+\] )?mmap: mapping_order_policy=(\w+)\r?$/m.exec(log)?.[1];
  if (said !== policy) {
    const tail = log
      .split('\n')
      .filter((l) => /mapping_order|vfio|Command line/.test(l))
      .join(' | ');
    throw new ToolError(
      `guest: the kernel reports mapping_order_policy=${said ?? '(nothing)'}; the console says: ${tail}`,
    );
  }
  const warn = /^.*(WARNING:|BUG:|Call Trace:).*$/m.exec(log);
  if (warn) throw new ToolError(`guest: ${warn[0].trim()}`);
}

/** The findings group's results as committed (bar/findings-kernel.json), read by scripts/docs/findings.ts. */
export const FINDINGS_KERNEL = join(REPO, 'bar', 'findings-kernel.json');

export interface FindingsRecord {
  /** The guest's uname -r. */
  readonly release: string;
  readonly cases: FindingResult[];
}

export function findingsRecord(r: OracleReport): string {
  const rec: FindingsRecord = {
    release: r.policies[0]?.release ?? '',
    cases: r.policies.flatMap((p) => p.findings),
  };
  return JSON.stringify(rec, null, 2) + '\n';
}

/** The findings group's committed results (bar/findings-kernel.json): the reader of what findingsRecord writes. */
export function readFindingsRecord(file = FINDINGS_KERNEL): FindingResult[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as FindingsRecord).cases;
}

/** Agreed and total per kind. */
export function tally(outcomes: readonly Outcome[], kind: Outcome['kind']): { agreed: number; total: number } {
  const of = outcomes.filter((o) => o.kind === kind);
  return { agreed: of.filter((o) => o.agreed).length, total: of.length };
}
