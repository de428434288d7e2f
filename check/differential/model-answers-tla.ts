// Direction model -> spec of the differential comparison: the TypeScript
// model's answer to every case of a universe, written as a TLA+ table module
// (module ModelAnswers) that spec/diff/MCDiff.tla reads and has TLC compare with
// the spec's own answers (Policies.tla doMmaps). Pure: returns the module text
// and the cases in row order.
//
// The cases are the product layouts x requests, row r (1-based) being layout
// (r - 1) \div R + 1 and request (r - 1) % R + 1 (R requests). Each row's answer
// is one integer packing the VA or errno of every policy in base B = T + 81
// (T = TASK_SIZE in pages; va + 80 is in 0..T + 80 since the lowest errno here
// is -EOVERFLOW = -75): SANY's memory grows with the number of tokens, and one
// integer per row keeps a table of 10^5 rows to a few seconds of parsing.
// B^policies must stay below 2^31 (TLC's integers): 4 policies fit up to 128 pages.
//
// Table shapes (all 1-based TLA+ sequences):
//   DiffLayouts  the layouts, each a sequence of <<start, end, kind>> in pages
//   DiffDrivers  the driver records of spec/Drivers.tla
//   DiffRequests <<addr, fixed, len, pgoff, region, driver#, topdown, sg>>
//   DiffPolicies the policies compared
//   DiffAnswers  one packed integer per row

import { tlaGeometryName } from '../geometry-tla.js';
import type { PolicyName } from '../../model/types.js';
import type { TinyCase, TinyDriver, TinyLayout, TinyRequest } from '../../generators/tiny/types.js';
import { canonicalLayoutsOf, canonicalRequestsOf, pagesOf, type TinyUniverse } from '../../generators/tiny/universe.js';
import { requests } from '../../generators/tiny/requests.js';
import { modelAnswer } from './answer.js';

export const MODEL_ANSWERS_MODULE = 'ModelAnswers';

/** Rows per chunk: MCDiff checks one chunk per state and shows a failing chunk's rows. */
export const DIFF_CHUNK = 512;

/** va + VA_BIAS >= 0 for every errno the model returns (EOVERFLOW = 75 is the largest). */
export const VA_BIAS = 80;

export interface ModelAnswerTable {
  readonly module: string;
  readonly layouts: readonly TinyLayout[];
  readonly requests: readonly TinyRequest[];
  readonly policies: readonly PolicyName[];
  /** The model's VA or -errno per row (layouts x requests), per policy. */
  readonly answers: readonly (readonly number[])[];
  /** Raw cases of the universe the rows stand for (canonical classes are listed once). */
  readonly rawCases: number;
}

export function tableRows(t: Pick<ModelAnswerTable, 'layouts' | 'requests'>): number {
  return t.layouts.length * t.requests.length;
}

/** The case of a 1-based row. */
export function tableCase(u: TinyUniverse, t: Pick<ModelAnswerTable, 'layouts' | 'requests'>, row: number): TinyCase {
  const R = t.requests.length;
  const layout = t.layouts[Math.floor((row - 1) / R)];
  const request = t.requests[(row - 1) % R];
  if (layout === undefined || request === undefined) throw new RangeError(`row ${row} outside the table`);
  return { arch: u.arch, barPages: u.barPages, layout, request };
}

export function vaBase(u: TinyUniverse): number {
  return pagesOf(u.arch) + VA_BIAS + 1;
}

function tlaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function tlaDriver(d: TinyDriver): string {
  return `[kind |-> ${tlaString(d.kind)}, k |-> ${d.kind === 'order' ? d.k : 0}, pa |-> ${d.pa}]`;
}

function tlaLayout(l: TinyLayout): string {
  return `<<${l.map((v) => `<<${v.start}, ${v.end}, ${tlaString(v.kind)}>>`).join(', ')}>>`;
}

function tlaBool(b: boolean): string {
  return b ? 'TRUE' : 'FALSE';
}

export function modelAnswerTable(u: TinyUniverse, canonical = true): ModelAnswerTable {
  const B = vaBase(u);
  if (B ** u.policies.length >= 2 ** 31)
    throw new Error(`${u.arch}: ${u.policies.length} answers of base ${B} do not fit a TLC integer`);
  const ls = canonical ? canonicalLayoutsOf(u) : u.layouts.map((value) => ({ value, weight: 1 }));
  const rs = canonical ? canonicalRequestsOf(u) : [...requests(u.requests)].map((value) => ({ value, weight: 1 }));
  const answers: number[][] = [];
  let rawCases = 0;
  for (const l of ls)
    for (const r of rs) {
      const c: TinyCase = { arch: u.arch, barPages: u.barPages, layout: l.value, request: r.value };
      answers.push(u.policies.map((p) => modelAnswer(c, p).va));
      rawCases += l.weight * r.weight;
    }
  const t = {
    layouts: ls.map((x) => x.value),
    requests: rs.map((x) => x.value),
    policies: u.policies,
    answers,
    rawCases,
  };
  return { ...t, module: renderModelAnswers(u, t) };
}

export function renderModelAnswers(u: TinyUniverse, t: Omit<ModelAnswerTable, 'module' | 'rawCases'>): string {
  const B = vaBase(u);
  const driverIndex = new Map<string, number>();
  const drivers: string[] = [];
  const reqs = t.requests.map((r) => {
    const dk = tlaDriver(r.drv);
    let di = driverIndex.get(dk);
    if (di === undefined) {
      drivers.push(dk);
      di = drivers.length;
      driverIndex.set(dk, di);
    }
    const fields = [r.addr, tlaBool(r.fixed), r.len, r.pgoff, r.region, di, tlaBool(r.topdown), r.sg];
    return `<<${fields.join(', ')}>>`;
  });
  const packed = t.answers.map((row) => {
    let code = 0;
    for (let j = row.length - 1; j >= 0; j--) {
      const v = (row[j] as number) + VA_BIAS;
      if (v < 0 || v >= B) throw new Error(`answer ${row[j]} outside -${VA_BIAS}..${B - VA_BIAS - 1}`);
      code = code * B + v;
    }
    return String(code);
  });
  const seq = (xs: string[], perLine = 1): string => {
    if (xs.length === 0) return '<<>>';
    const lines: string[] = [];
    for (let i = 0; i < xs.length; i += perLine) lines.push(xs.slice(i, i + perLine).join(', '));
    return `<<\n    ${lines.join(',\n    ')}\n  >>`;
  };
  return [
    `${'-'.repeat(28)} MODULE ${MODEL_ANSWERS_MODULE} ${'-'.repeat(28)}`,
    `\\* GENERATED by check/differential/model-answers-tla.ts from the TypeScript model: do not edit.`,
    `\\* Universe ${u.name}: ${t.layouts.length} layouts x ${t.requests.length} requests ` +
      `x ${t.policies.length} policies.`,
    'EXTENDS Integers, TinyGeometries',
    '',
    `DiffGeometry == ${tlaGeometryName(u.arch)}`,
    `DiffBarPages == ${u.barPages}`,
    `DiffChunk == ${DIFF_CHUNK}`,
    `DiffVaBias == ${VA_BIAS}`,
    `DiffVaBase == ${B}`,
    `DiffPolicies == <<${t.policies.map(tlaString).join(', ')}>>`,
    `DiffDrivers == ${seq(drivers)}`,
    `DiffLayouts == ${seq(t.layouts.map(tlaLayout))}`,
    `DiffRequests == ${seq(reqs, 4)}`,
    `DiffAnswers == ${seq(packed, 16)}`,
    '='.repeat(77),
    '',
  ].join('\n');
}
