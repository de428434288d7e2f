// Turns the last state of a TLC counterexample into kernel terms: the layout as VMA ranges, the request
// (pgoff, len, the driver and its order, hint, MAP_FIXED, direction), each answer's VA and path, and a
// sentence saying what broke. Addresses are printed in bytes (page number x PAGE_SIZE of the geometry).
//
// The derived values a reader needs (the driver's order, the leaves of the fault model, MaxLeafCoverage's
// best order and room) are computed by the spec itself, never re-implemented here: `traceView` runs TLC
// once more on a module that starts in the counterexample's state and prints spec/TraceView.tla's
// TraceView (TLC 2.18 has no ALIAS).

import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ownedTempDir } from '../io/cleanup.js';
import { ToolError } from '../io/errors.js';
import { GEOMETRIES, isArchName, type Geometry } from '../model/geometry.js';
import { parseTlcOutput } from '../tlc/parse.js';
import { runTlc } from '../tlc/run.js';
import { parseTlaValue } from '../tlc/value-parse.js';
import { isTlaRecord, showTlaValue, TlaFunction, TlaSet, type TlaRecord, type TlaValue } from '../tlc/value.js';
import { renderCfg } from './configs.js';
import { SPEC_DIR, type ConfigEntry, type Manifest } from './manifest.js';

export interface Driver {
  kind: string;
  k: number;
  pa: number;
}

export interface Request {
  op: string;
  addr: number;
  fixed: boolean;
  len: number;
  pgoff: number;
  region: number;
  drv: Driver;
  topdown: boolean;
  sg: number;
}

export interface Answer {
  va: number;
  path: string;
  order: number;
}

export interface Leaf {
  start: number;
  order: number;
}

export interface Vma {
  start: number;
  end: number;
  kind: string;
}

/** The state variables of spec/MappingOrder.tla, decoded. */
export interface KernelState {
  layout: string[];
  req: Request;
  ans: Record<string, Answer>;
  calls: number;
}

/** spec/TraceView.tla's derived fields. */
export interface TraceViewValues {
  vmas: Vma[];
  order: number;
  hintFree: boolean;
  leaves: Leaf[];
  baseLeaves: Leaf[];
  bestOrder: number;
  bestLeaves: Leaf[];
  room: boolean;
}

function bad(what: string, v: TlaValue | undefined): never {
  throw new ToolError(`counterexample: ${what} not understood: ${v === undefined ? 'missing' : showTlaValue(v)}`);
}

function rec(v: TlaValue | undefined, what: string): TlaRecord {
  if (v === undefined || !isTlaRecord(v)) bad(what, v);
  return v;
}

function num(v: TlaValue | undefined, what: string): number {
  if (typeof v !== 'number') bad(what, v);
  return v;
}

function bool(v: TlaValue | undefined, what: string): boolean {
  if (typeof v !== 'boolean') bad(what, v);
  return v;
}

function text(v: TlaValue | undefined, what: string): string {
  if (typeof v !== 'string') bad(what, v);
  return v;
}

function list(v: TlaValue | undefined, what: string): TlaValue[] {
  if (v instanceof TlaSet) return [...v.elems];
  if (Array.isArray(v)) return v;
  if (v !== undefined && isTlaRecord(v) && Object.keys(v).length === 0) return [];
  bad(what, v);
}

function decodeLeaves(v: TlaValue | undefined, what: string): Leaf[] {
  return list(v, what)
    .map((x, i) => {
      const r = rec(x, `${what}[${i}]`);
      return { start: num(r.start, `${what}[${i}].start`), order: num(r.order, `${what}[${i}].order`) };
    })
    .sort((a, b) => a.start - b.start);
}

export function decodeState(vars: Record<string, TlaValue>): KernelState {
  const lay = vars.layout;
  let layout: string[];
  if (lay instanceof TlaFunction) {
    layout = [];
    for (const [k, v] of lay.entries) layout[num(k, 'layout page')] = text(v, 'layout kind');
  } else if (Array.isArray(lay)) {
    layout = lay.map((v) => text(v, 'layout kind'));
  } else {
    bad('layout', lay);
  }
  const r = rec(vars.req, 'req');
  const d = rec(r.drv, 'req.drv');
  const req: Request = {
    op: text(r.op, 'req.op'),
    addr: num(r.addr, 'req.addr'),
    fixed: bool(r.fixed, 'req.fixed'),
    len: num(r.len, 'req.len'),
    pgoff: num(r.pgoff, 'req.pgoff'),
    region: num(r.region, 'req.region'),
    drv: { kind: text(d.kind, 'req.drv.kind'), k: num(d.k, 'req.drv.k'), pa: num(d.pa, 'req.drv.pa') },
    topdown: bool(r.topdown, 'req.topdown'),
    sg: num(r.sg, 'req.sg'),
  };
  const a = rec(vars.ans, 'ans');
  const ans: Record<string, Answer> = {};
  for (const [p, v] of Object.entries(a)) {
    const x = rec(v, `ans.${p}`);
    ans[p] = {
      va: num(x.va, `ans.${p}.va`),
      path: text(x.path, `ans.${p}.path`),
      order: num(x.order, `ans.${p}.order`),
    };
  }
  return { layout, req, ans, calls: num(vars.calls, 'calls') };
}

export function decodeView(v: TlaValue): TraceViewValues {
  const r = rec(v, 'TraceView');
  return {
    vmas: list(r.vmas, 'vmas')
      .map((x, i) => {
        const m = rec(x, `vmas[${i}]`);
        return { start: num(m.start, 'vma.start'), end: num(m.end, 'vma.end'), kind: text(m.kind, 'vma.kind') };
      })
      .sort((a, b) => a.start - b.start),
    order: num(r.order, 'order'),
    hintFree: bool(r.hintFree, 'hintFree'),
    leaves: decodeLeaves(r.leaves, 'leaves'),
    baseLeaves: decodeLeaves(r.baseLeaves, 'baseLeaves'),
    bestOrder: num(r.bestOrder, 'bestOrder'),
    bestLeaves: decodeLeaves(r.bestLeaves, 'bestLeaves'),
    room: bool(r.room, 'room'),
  };
}

/** The Explain module: the config's wrapper, started in the given state, printing TraceView. */
export function traceViewModule(c: ConfigEntry, vars: Record<string, TlaValue>): string {
  const lit = (name: string): string => {
    const v = vars[name];
    if (v === undefined) bad(name, v);
    return showTlaValue(v);
  };
  return [
    '---- MODULE Explain ----',
    `EXTENDS ${c.module}, TLC`,
    `ExplainInit == layout ` +
      `= ${lit('layout')} /\\ req = ${lit('req')} /\\ ans = ${lit('ans')} /\\ calls = ${lit('calls')}`,
    'ExplainNext == UNCHANGED vars',
    'ExplainShow == PrintT(TraceView)',
    '====',
    '',
  ].join('\n');
}

/** Runs TLC on the counterexample's state to get TraceView's fields. */
export async function traceView(
  m: Manifest,
  c: ConfigEntry,
  vars: Record<string, TlaValue>,
  timeoutMs?: number,
): Promise<TraceViewValues> {
  const owned = ownedTempDir('mapping-order-trace-view-');
  const dir = owned.path;
  try {
    for (const f of await readdir(SPEC_DIR)) if (f.endsWith('.tla')) await copyFile(join(SPEC_DIR, f), join(dir, f));
    await writeFile(join(dir, 'Explain.tla'), traceViewModule(c, vars));
    await writeFile(
      join(dir, 'Explain.cfg'),
      renderCfg(m, c, { init: 'ExplainInit', next: 'ExplainNext', invariants: ['ExplainShow'] }),
    );
    const r = await runTlc({
      dir,
      spec: 'Explain',
      config: 'Explain.cfg',
      workers: 1,
      short: true, // one state and its invariants: a second or two
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    if (r.outcome !== 'pass') {
      throw new ToolError(
        `decoding ${c.name}'s counterexample: TLC ${r.outcome}: ${r.errors.join('; ') || 'no output'}`,
      );
    }
    // PrintT's value, pretty-printed over several lines, is the only output outside TLC's message frames.
    const out = parseTlcOutput(r.raw).otherOutput;
    const at = out?.indexOf('[') ?? -1;
    if (out === null || out === undefined || at < 0)
      throw new ToolError(`decoding ${c.name}'s counterexample: TLC printed no TraceView`);
    return decodeView(parseTlaValue(out.slice(at)));
  } finally {
    owned.remove();
  }
}

// ---- kernel terms -----------------------------------------------------------------------------------

const ERRNO: Record<number, string> = { [-12]: 'ENOMEM', [-22]: 'EINVAL', [-1]: 'EPERM' };

export class Units {
  readonly g: Geometry;
  constructor(geometry: string) {
    if (!isArchName(geometry)) throw new ToolError(`unknown geometry ${geometry} in spec/verdicts.json`);
    this.g = GEOMETRIES[geometry];
  }
  /** A page number as a byte address. */
  addr(pages: number): string {
    return `0x${(BigInt(pages) * this.g.pageSize).toString(16)}`;
  }
  /** A size in pages as bytes, 4K / 8K / 1M ... */
  size(pages: number): string {
    const b = BigInt(pages) * this.g.pageSize;
    if (b === 0n) return '0';
    for (const [u, s] of [
      ['G', 30n],
      ['M', 20n],
      ['K', 10n],
    ] as const) {
      if (b >= 1n << s && b % (1n << s) === 0n) return `${b >> s}${u}`;
    }
    return `${b}B`;
  }
  orderSize(order: number): string {
    return this.size(2 ** order);
  }
  leafName(order: number): string {
    if (order === 0) return 'PTE';
    if (order === this.g.pmdOrder) return 'PMD';
    if (order === this.g.pudOrder) return 'PUD';
    return `order-${order}`;
  }
  va(x: number): string {
    return x < 0 ? (ERRNO[x] ?? `error ${x}`) : this.addr(x);
  }
  leaves(ls: readonly Leaf[]): string {
    if (ls.length === 0) return 'none';
    const by = new Map<number, number>();
    for (const l of ls) by.set(l.order, (by.get(l.order) ?? 0) + 1);
    return [...by.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([o, n]) => `${n} x ${this.orderSize(o)} ${this.leafName(o)}`)
      .join(', ');
  }
}

const KIND: Record<string, string> = { vma: 'vma', gd: 'stack (VM_GROWSDOWN)', ss: 'shadow stack (VM_SHADOW_STACK)' };

function driverText(u: Units, d: Driver): string {
  const pa = `BAR at PFN ${d.pa} (PA ${u.addr(d.pa)})`;
  if (d.kind === 'order') return `order:${d.k}, ${pa}`;
  return `${d.kind}, ${pa}`;
}

export interface CounterexampleReport {
  config: string;
  invariant: string;
  lines: string[];
  json: Record<string, unknown>;
}

/** Why the invariant failed in this state, in one sentence. */
export function whatBroke(
  invariant: string,
  u: Units,
  s: KernelState,
  v: TraceViewValues,
  policy: string,
  mmapMinAddr: number,
  taskSize: number,
): string {
  const r = s.req;
  const a = s.ans[policy];
  const b = s.ans.baseline;
  if (a === undefined || b === undefined) return `no answer recorded for ${policy}`;
  const S = (o: number) => u.orderSize(o);
  switch (invariant) {
    case 'InRange':
      if (!r.fixed && a.va < mmapMinAddr) return `VA ${u.va(a.va)} is below mmap_min_addr ${u.addr(mmapMinAddr)}`;
      return `VA ${u.va(a.va)} + len ${u.size(r.len)} = ${u.addr(a.va + r.len)} is past TASK_SIZE ${u.addr(taskSize)}`;
    case 'NoOverlap': {
      const end = a.va + r.len;
      const hit = v.vmas.find((m) => m.start < end && m.end > a.va);
      if (hit)
        return (
          `[${u.addr(a.va)}, ${u.addr(end)}) overlaps ` +
          `the ${KIND[hit.kind] ?? hit.kind} [${u.addr(hit.start)}, ${u.addr(hit.end)})`
        );
      const next = v.vmas.find((m) => m.start >= end);
      if (next && next.kind !== 'vma') {
        return (
          `[${u.addr(a.va)}, ${u.addr(end)}) ends inside the guard gap below ` +
          `the ${KIND[next.kind] ?? next.kind} at ${u.addr(next.start)}`
        );
      }
      return (
        `the start_gap page below ` +
        `VA ${u.addr(a.va)} (shadow-stack request) is mapped: no guard page below the new mapping`
      );
    }
    case 'FixedExact':
      return `MAP_FIXED at ${u.addr(r.addr)} returned ${u.va(a.va)}`;
    case 'HintKept':
      return (
        `the hint ${u.addr(r.addr)} was free ` +
        `(${u.size(r.len)} fit below the next guard gap) but the VA is ${u.va(a.va)}`
      );
    case 'Congruent': {
      const size = 2 ** a.order;
      const vaResidue = u.size(((a.va % size) + size) % size);
      const offResidue = u.size(r.pgoff % size);
      return (
        `aligned path with S = ${S(a.order)}: VA ${u.va(a.va)} is ${vaResidue} mod S, ` +
        `off ${u.addr(r.pgoff)} is ${offResidue} mod S`
      );
    }
    case 'UsefulOnly':
      return (
        `[off, off + len) = ` +
        `[${u.addr(r.pgoff)}, ${u.addr(r.pgoff + r.len)}) holds no ` +
        `whole ${S(a.order)}-aligned chunk, yet the VA ${u.va(a.va)} differs from baseline's ${u.va(b.va)}`
      );
    case 'NoNewFailure':
      return `baseline placed it at ${u.va(b.va)}; ${policy} failed with ${u.va(a.va)} (path ${a.path})`;
    case 'OrderZeroIsBaseline':
      return (
        `the driver returned order 0, ` +
        `yet ${policy} gave ${u.va(a.va)} (path ${a.path}) where baseline gave ${u.va(b.va)}`
      );
    case 'OrderClamped': {
      const chunk = a.order <= 29 ? S(a.order) : `2^${a.order} pages`;
      return (
        `${policy} chose order ${a.order} (S = ${chunk}); the driver said ${v.order}, len is ${u.size(r.len)}, ` +
        `and the arch's leaves are orders ${u.g.leafOrders.join(', ')}`
      );
    }
    case 'MaxLeafCoverage':
      return (
        `leaves at ` +
        `VA ${u.va(a.va)}: ${u.leaves(v.leaves)}; a placement with VA = off ` +
        `mod ${S(v.bestOrder)} (room existed) gets ${u.leaves(v.bestLeaves)}`
      );
    case 'FaultSafe': {
      const pfn0 = r.drv.pa + r.pgoff;
      const badLeaf = v.leaves.find(
        (l) => l.start < a.va || l.start + 2 ** l.order > a.va + r.len || (pfn0 + l.start - a.va) % 2 ** l.order !== 0,
      );
      if (!badLeaf) return `a leaf breaks the VMA bounds or PFN alignment (leaves: ${u.leaves(v.leaves)})`;
      const leafPfn = pfn0 + badLeaf.start - a.va;
      return (
        `a ${S(badLeaf.order)} ${u.leafName(badLeaf.order)} at ${u.addr(badLeaf.start)} maps PFN ${leafPfn}, ` +
        `not ${2 ** badLeaf.order}-page aligned`
      );
    }
    case 'DriverObligation':
      return (
        `${policy} aligned the VA ` +
        `to ${S(a.order)} (VA = off), but the BAR's first ` +
        `PFN ${r.drv.pa} is not a multiple of ${2 ** a.order}: off != PA (mod S), so no large leaf can be installed`
      );
    default:
      return `${invariant} is false in this state`;
  }
}

export function describeCounterexample(
  c: ConfigEntry,
  invariant: string,
  s: KernelState,
  v: TraceViewValues,
  expected: boolean,
): CounterexampleReport {
  const u = new Units(c.geometry);
  const r = s.req;
  const g = u.g;
  const pages = (b: bigint) => Number(b / g.pageSize);
  const broke = whatBroke(invariant, u, s, v, c.policy, pages(g.defaults.mmapMinAddr), pages(g.taskSize));
  const dir = r.topdown ? 'top-down' : 'bottom-up';
  const hint = r.addr === 0 ? 'no hint' : r.fixed ? `MAP_FIXED at ${u.addr(r.addr)}` : `hint ${u.addr(r.addr)}`;
  const layout =
    v.vmas.length === 0
      ? 'no VMAs'
      : v.vmas.map((m) => `[${u.addr(m.start)}, ${u.addr(m.end)}) ${KIND[m.kind] ?? m.kind}`).join('; ');
  const shadowStack = r.sg > 0 ? ', VM_SHADOW_STACK' : '';
  const region = r.region !== 0 ? `, VFIO region ${r.region}` : '';
  const orderText = (order: number) =>
    `, order ${order} (S = ${order <= 29 ? u.orderSize(order) : `2^${order} pages`})`;
  const lines = [
    `${c.name}: ${invariant} violated${expected ? ' (expected)' : ' (NOT expected)'}`,
    `  layout:   ${layout}`,
    `  request:  mmap(len ${u.size(r.len)}, pgoff ${r.pgoff} (off ${u.addr(r.pgoff)}), ` +
      `${hint}, ${dir}${shadowStack}${region})`,
    `  driver:   ${driverText(u, r.drv)} -> get_mapping_order = ${v.order}`,
    ...Object.entries(s.ans)
      .sort(([p]) => (p === c.policy ? -1 : 1))
      .map(
        ([p, a]) =>
          `  ${(p + ':').padEnd(9)} VA ${u.va(a.va)}, path ${a.path}${a.order >= 0 ? orderText(a.order) : ''}`,
      ),
    `  broke:    ${broke}`,
  ];
  const hex = (x: number) => u.addr(x);
  const json = {
    config: c.name,
    invariant,
    expected,
    layout: v.vmas.map((m) => ({ start: hex(m.start), end: hex(m.end), kind: m.kind })),
    request: {
      addr: hex(r.addr),
      len: hex(r.len),
      pgoff: String(r.pgoff),
      off: hex(r.pgoff),
      fixed: r.fixed,
      topdown: r.topdown,
      shadowStack: r.sg > 0,
      region: String(r.region),
      driver: { kind: r.drv.kind, k: String(r.drv.k), barPhys: hex(r.drv.pa) },
      order: String(v.order),
    },
    answers: Object.fromEntries(
      Object.entries(s.ans).map(([p, a]) => [
        p,
        {
          va: a.va < 0 ? null : hex(a.va),
          error: a.va < 0 ? (ERRNO[a.va] ?? String(a.va)) : null,
          path: a.path,
          order: a.order < 0 ? null : String(a.order),
        },
      ]),
    ),
    leaves: v.leaves.map((l) => ({ start: hex(l.start), size: hex(2 ** l.order) })),
    broke,
  };
  return { config: c.name, invariant, lines, json };
}
