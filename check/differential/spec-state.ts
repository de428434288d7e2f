// A state of spec/MappingOrder.tla, as TLC prints it (its -dump or a trace),
// read back as a tiny case and the answers the spec recorded. Every state
// holds the layout the last call was placed in, the call (req) and the answers
// of the checked policy and of baseline (ans), so each state carries its own
// last transition: replaying the states replays the transitions.

import { GEOMETRIES, type ArchName } from '../../model/geometry.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import type { PolicyName } from '../../model/types.js';
import { TlaFunction, isTlaRecord, type TlaRecord, type TlaValue } from '../../tlc/value.js';
import { canonicalLayout } from '../../generators/tiny/canonical-layout.js';
import type { TinyCase, TinyDriver, TinyKind, TinyLayout, TinyRequest, TinyVma } from '../../generators/tiny/types.js';
import type { SpecAnswer } from './answer.js';

/** The constants a dump run records beside the state (check/differential/dump-module.ts). */
export interface DumpConsts {
  /** Geometry's Allocator: "x86" or "generic". */
  readonly allocator: string;
  readonly taskSize: number;
  readonly barPages: number;
  readonly mmapBase: number;
  readonly mmapLegacyBase: number;
  readonly mmapMinAddr: number;
  readonly stackGuardGap: number;
  readonly policy: PolicyName;
}

export interface SpecTransition {
  /** null for a state that records no mmap (Init, munmap). */
  readonly case: TinyCase | null;
  readonly answers: ReadonlyMap<PolicyName, SpecAnswer>;
}

class SpecStateError extends Error {
  override name = 'SpecStateError';
}

function rec(v: TlaValue | undefined, what: string): TlaRecord {
  if (v === undefined || !isTlaRecord(v)) throw new SpecStateError(`${what}: not a record`);
  return v;
}
function num(v: TlaValue | undefined, what: string): number {
  if (typeof v !== 'number') throw new SpecStateError(`${what}: not an integer`);
  return v;
}
function bool(v: TlaValue | undefined, what: string): boolean {
  if (typeof v !== 'boolean') throw new SpecStateError(`${what}: not a boolean`);
  return v;
}
function str(v: TlaValue | undefined, what: string): string {
  if (typeof v !== 'string') throw new SpecStateError(`${what}: not a string`);
  return v;
}

export function readConsts(v: TlaValue | undefined): DumpConsts {
  const r = rec(v, 'consts');
  const policy = str(r.policy, 'consts.policy');
  if (!(POLICY_NAMES as readonly string[]).includes(policy))
    throw new SpecStateError(`consts.policy: unknown policy ${policy}`);
  return {
    allocator: str(r.allocator, 'consts.allocator'),
    taskSize: num(r.taskSize, 'consts.taskSize'),
    barPages: num(r.barPages, 'consts.barPages'),
    mmapBase: num(r.mmapBase, 'consts.mmapBase'),
    mmapLegacyBase: num(r.mmapLegacyBase, 'consts.mmapLegacyBase'),
    mmapMinAddr: num(r.mmapMinAddr, 'consts.mmapMinAddr'),
    stackGuardGap: num(r.stackGuardGap, 'consts.stackGuardGap'),
    policy: policy as PolicyName,
  };
}

/** The tiny geometry whose constants the dump recorded, or an error naming the first constant that differs. */
export function archOfConsts(c: DumpConsts): ArchName {
  const name = (Object.keys(GEOMETRIES) as ArchName[]).find((n) => {
    const g = GEOMETRIES[n];
    return n.startsWith('tiny-') && g.allocator === c.allocator && g.taskSize === BigInt(c.taskSize) * g.pageSize;
  });
  if (name === undefined)
    throw new SpecStateError(`no tiny geometry of ${c.taskSize} pages with the ${c.allocator} allocator`);
  const g = GEOMETRIES[name];
  const pages = (b: bigint): number => Number(b / g.pageSize);
  const want: Array<[string, number, number]> = [
    ['MmapBase', c.mmapBase, pages(g.defaults.mmapBase)],
    ['MmapLegacyBase', c.mmapLegacyBase, pages(g.defaults.mmapLegacyBase)],
    ['MmapMinAddr', c.mmapMinAddr, pages(g.defaults.mmapMinAddr)],
    ['StackGuardGap', c.stackGuardGap, pages(g.defaults.stackGuardGap)],
  ];
  for (const [k, spec, model] of want)
    if (spec !== model)
      throw new SpecStateError(`${k} is ${spec} pages in the spec, ${model} in model/geometry.ts ${name}`);
  return name;
}

const KINDS: Record<string, TinyKind | null> = { free: null, vma: 'vma', gd: 'gd', ss: 'ss' };

/** [Pages -> Kinds] as VMAs: each maximal run of one kind is one VMA. */
export function readLayout(v: TlaValue | undefined, pages: number): TinyLayout {
  let kinds: TlaValue[];
  if (v instanceof TlaFunction) {
    kinds = new Array<TlaValue>(pages);
    for (const [k, x] of v.entries) {
      const p = num(k, 'layout domain');
      if (p < 0 || p >= pages) throw new SpecStateError(`layout: page ${p} outside 0..${pages - 1}`);
      kinds[p] = x;
    }
  } else throw new SpecStateError('layout: not a function of the pages');
  const vmas: TinyVma[] = [];
  for (let p = 0; p < pages; p++) {
    const name = str(kinds[p], `layout[${p}]`);
    if (!(name in KINDS)) throw new SpecStateError(`layout[${p}]: unknown kind ${name}`);
    const kind = KINDS[name] ?? null;
    if (kind === null) continue;
    const last = vmas[vmas.length - 1];
    if (last !== undefined && last.end === p && last.kind === kind) vmas[vmas.length - 1] = { ...last, end: p + 1 };
    else vmas.push({ start: p, end: p + 1, kind });
  }
  return canonicalLayout(vmas);
}

export function readDriver(v: TlaValue | undefined): TinyDriver {
  const d = rec(v, 'req.drv');
  const kind = str(d.kind, 'req.drv.kind');
  const pa = num(d.pa, 'req.drv.pa');
  if (kind === 'order') return { kind: 'order', k: num(d.k, 'req.drv.k'), pa };
  if (kind === 'vfio-pci' || kind === 'vfio-pci-jason') return { kind, pa };
  throw new SpecStateError(`req.drv.kind: unknown driver ${kind}`);
}

export function readRequest(r: TlaRecord): TinyRequest {
  return {
    addr: num(r.addr, 'req.addr'),
    fixed: bool(r.fixed, 'req.fixed'),
    len: num(r.len, 'req.len'),
    pgoff: num(r.pgoff, 'req.pgoff'),
    region: num(r.region, 'req.region'),
    drv: readDriver(r.drv),
    topdown: bool(r.topdown, 'req.topdown'),
    sg: num(r.sg, 'req.sg'),
  };
}

export function readAnswer(v: TlaValue | undefined, what: string): SpecAnswer {
  const a = rec(v, what);
  return { va: num(a.va, `${what}.va`), path: str(a.path, `${what}.path`), order: num(a.order, `${what}.order`) };
}

/** One dumped state (variables layout, req, ans, calls, consts) as a transition to replay. */
export function readSpecState(
  vars: Readonly<Record<string, TlaValue>>,
  consts: DumpConsts,
  arch: ArchName,
): SpecTransition {
  const req = rec(vars.req, 'req');
  const op = str(req.op, 'req.op');
  if (op !== 'mmap') return { case: null, answers: new Map() };
  const layout = readLayout(vars.layout, consts.taskSize);
  const ans = rec(vars.ans, 'ans');
  const answers = new Map<PolicyName, SpecAnswer>();
  for (const p of Object.keys(ans)) {
    if (!(POLICY_NAMES as readonly string[]).includes(p)) throw new SpecStateError(`ans: unknown policy ${p}`);
    answers.set(p as PolicyName, readAnswer(ans[p], `ans.${p}`));
  }
  return { case: { arch, barPages: consts.barPages, layout, request: readRequest(req) }, answers };
}

export { SpecStateError };
