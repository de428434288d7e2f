// Stage of `mapping-order check`: the differential comparison of the TLA+ spec
// and the TypeScript model, in both directions.
//
// spec -> model: every CI configuration of spec/verdicts.json without a bug
//   toggle (one run per distinct module and overrides) is model-checked again
//   with `-dump`, its invariants dropped so TLC explores the configuration's
//   whole state space (generators/diff/dump-module.ts adds a constant variable
//   recording the geometry, the BAR and the policy). Every dumped state carries
//   its last mmap and the spec's answers (checked policy and baseline); each is
//   replayed through the model (place) and compared: the same VA or the same
//   errno, and for a placement the same path and order (generators/diff/answer.ts
//   compareLabels); a VA or a label that differs fails the stage. The configurations
//   on the CI domain must also explore exactly the TypeScript `ci` universe.
// model -> spec: the model's answers on every case of a universe are written as
//   a TLA+ table (generators/diff/model-answers-tla.ts) and TLC checks, with
//   spec/diff/MCDiff.tla, that the spec computes the same VA or errno for each.
//
//   import { differentialStage } from './check/differential.js';   // a Stage of cli/check.ts
//   const rep = await runDifferential({ configs: ['MCV2'], universes: ['ci'] });
//
// TLC runs in a temporary folder holding a copy of spec/*.tla and the
// generated modules; nothing is written into spec/.

import { copyFileSync, createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { compareSize, caseSize } from '../../generators/check/minimal.js';
import { compareLabels, compareVa, modelAnswer, showVa, type SpecAnswer } from '../../generators/diff/answer.js';
import { caseText } from '../../generators/diff/case-text.js';
import { dumpConfig, dumpModule, dumpModuleName } from '../../generators/diff/dump-module.js';
import {
  DIFF_CHUNK,
  MODEL_ANSWERS_MODULE,
  modelAnswerTable,
  tableCase,
  tableRows,
  type ModelAnswerTable,
} from '../../generators/diff/model-answers-tla.js';
import { archOfConsts, readConsts, readSpecState, type DumpConsts } from '../../generators/diff/spec-state.js';
import { layoutKey } from '../../generators/tiny/canonical-layout.js';
import { requestKey } from '../../generators/tiny/canonical-request.js';
import { requests } from '../../generators/tiny/requests.js';
import type { TinyCase } from '../../generators/tiny/types.js';
import { CHECK_UNIVERSES, ciUniverse, universeByName, type TinyUniverse } from '../../generators/tiny/universe.js';
import type { ArchName } from '../../model/geometry.js';
import type { PolicyName } from '../../model/types.js';
import { EXIT, MissingToolError } from '../errors.js';
import { runTlc, type TlcResult } from '../tlc/run.js';
import { parseTlaValue } from '../tlc/value-parse.js';
import { TlaSet, type TlaValue } from '../tlc/value.js';
import type { CheckOptions, Stage, StageReport } from '../check.js';
import { loadManifest, SPEC_DIR, type ConfigEntry, type Manifest } from './manifest.js';

/** Mismatch examples kept per run (the smallest first); the count is always complete. */
const KEEP = 10;

export interface Mismatch {
  readonly policy: PolicyName;
  readonly case: TinyCase;
  readonly model: SpecAnswer;
  readonly spec: SpecAnswer;
}

export interface LabelDiff {
  readonly what: string;
  count: number;
  example: Mismatch;
}

export interface SpecToModelRun {
  readonly config: string;
  readonly module: string;
  readonly tlc: Pick<TlcResult, 'outcome' | 'exitCode' | 'distinctStates' | 'seconds' | 'errors'>;
  states: number;
  transitions: number;
  answers: number;
  vaMismatches: number;
  readonly examples: Mismatch[];
  readonly labels: Map<string, LabelDiff>;
  replaySeconds: number;
  /** For a configuration on the CI domain: how its cases compare with the TypeScript ci universe. */
  universe: { tlc: number; ts: number; missingInTs: number; missingInTlc: number; example: string | null } | null;
  /** Why the run could not be compared (TLC failed, a state could not be read). */
  error: string | null;
}

export interface ModelToSpecRun {
  readonly universe: string;
  readonly rows: number;
  readonly rawCases: number;
  readonly answers: number;
  readonly tlc: Pick<TlcResult, 'outcome' | 'exitCode' | 'distinctStates' | 'seconds' | 'errors'>;
  /** Disagreements TLC reported (all those of the first failing chunk: TLC stops there). */
  readonly mismatches: readonly Mismatch[];
  readonly tableSeconds: number;
  readonly error: string | null;
}

export interface DifferentialReport {
  readonly specToModel: readonly SpecToModelRun[];
  readonly modelToSpec: readonly ModelToSpecRun[];
  readonly ok: boolean;
  readonly exitCode: number;
}

function keepExample(list: Mismatch[], m: Mismatch): void {
  list.push(m);
  list.sort((a, b) => compareSize(caseSize(a.case), caseSize(b.case)));
  if (list.length > KEEP) list.length = KEEP;
}

/** A folder holding a copy of spec/*.tla, for TLC to run generated modules beside the spec's. */
async function specCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mapping-order-diff-'));
  for (const f of readdirSync(SPEC_DIR)) if (f.endsWith('.tla')) copyFileSync(join(SPEC_DIR, f), join(dir, f));
  return dir;
}

function tlcSummary(r: TlcResult): SpecToModelRun['tlc'] {
  return { outcome: r.outcome, exitCode: r.exitCode, distinctStates: r.distinctStates, seconds: r.seconds, errors: r.errors };
}

/** TLC on the dump wrapper, writing every distinct state to `<dir>/states.dump`. */
async function runTlcDump(dir: string, module: string, workers: number, progress: (line: string) => void): Promise<{ result: TlcResult; dump: string }> {
  const dump = join(dir, 'states');
  const result = await runTlc({
    dir,
    spec: `${module}.tla`,
    workers,
    dump,
    onProgress: (p) => progress(`${p.distinct.toLocaleString('en-US')} distinct states`),
  });
  return { result, dump: `${dump}.dump` };
}

/** Distinct value texts kept parsed: a dump repeats each layout and request thousands of times. */
const PARSED_MAX = 200_000;

/** Each `State N:` block of a TLC dump as its variables. */
async function* dumpStates(file: string): AsyncGenerator<Record<string, TlaValue>> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  // Values are read-only here, so one parse per distinct text serves every state that prints it.
  const parsed = new Map<string, TlaValue>();
  const parseValue = (text: string): TlaValue => {
    let v = parsed.get(text);
    if (v === undefined) {
      v = parseTlaValue(text);
      if (parsed.size >= PARSED_MAX) parsed.clear();
      parsed.set(text, v);
    }
    return v;
  };
  let block: string[] = [];
  const parse = (lines: string[]): Record<string, TlaValue> => {
    if (!/^State \d+:/.test(lines[0] ?? '')) throw new Error(`dump: expected "State N:", read ${JSON.stringify(lines[0])}`);
    const vars: Record<string, TlaValue> = {};
    for (const part of lines.slice(1).join('\n').split(/^\/\\ /m)) {
      if (part.trim() === '') continue;
      const eq = part.indexOf(' = ');
      if (eq < 0) throw new Error(`dump: cannot read ${JSON.stringify(part.slice(0, 80))}`);
      vars[part.slice(0, eq).trim()] = parseValue(part.slice(eq + 3));
    }
    return vars;
  };
  for await (const line of rl) {
    if (line === '') {
      if (block.length > 0) yield parse(block);
      block = [];
    } else block.push(line);
  }
  if (block.length > 0) yield parse(block);
}

function caseKey(c: TinyCase): string {
  return `${layoutKey(c.layout)}|${requestKey(c.request)}`;
}

let ciKeys: Set<string> | null = null;
function ciUniverseKeys(): Set<string> {
  if (ciKeys === null) {
    const u = ciUniverse();
    ciKeys = new Set();
    for (const layout of u.layouts) for (const request of requests(u.requests)) ciKeys.add(caseKey({ arch: u.arch, barPages: u.barPages, layout, request }));
  }
  return ciKeys;
}

/** The configurations whose state spaces the comparison replays: CI, no bug toggle, one per module and overrides. */
export function diffConfigs(m: Manifest, names?: readonly string[]): ConfigEntry[] {
  const seen = new Set<string>();
  const out: ConfigEntry[] = [];
  for (const c of m.configs) {
    if (names !== undefined ? !names.includes(c.name) : c.mode !== 'ci' || c.bugs.length > 0) continue;
    const key = `${c.module} ${JSON.stringify(Object.entries(c.overrides).sort())} ${c.bugs.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/** A spec -> model run before its first replayed state. */
export function emptyRun(config: string, module: string, tlc: SpecToModelRun['tlc']): SpecToModelRun {
  return {
    config,
    module,
    tlc,
    states: 0,
    transitions: 0,
    answers: 0,
    vaMismatches: 0,
    examples: [],
    labels: new Map(),
    replaySeconds: 0,
    universe: null,
    error: null,
  };
}

/**
 * Replays the states of a TLC dump through the model into `run`: every mmap
 * state's answers compared with the model's. `onCi`: the configuration explores
 * the CI domain, so its cases are also compared with the TypeScript ci universe.
 */
export async function replayDump(dump: string, run: SpecToModelRun, onCi: boolean, progress: (line: string) => void = () => {}): Promise<void> {
  const started = performance.now();
  let consts: DumpConsts | null = null;
  let arch: ArchName | null = null;
  const keys = onCi ? new Set<string>() : null;
  try {
    for await (const vars of dumpStates(dump)) {
      run.states++;
      if (consts === null) {
        consts = readConsts(vars.consts);
        arch = archOfConsts(consts);
      }
      const t = readSpecState(vars, consts, arch as ArchName);
      if (t.case === null) continue;
      run.transitions++;
      keys?.add(caseKey(t.case));
      for (const [policy, spec] of t.answers) {
        const model = modelAnswer(t.case, policy);
        run.answers++;
        const m: Mismatch = { policy, case: t.case, model, spec };
        if (compareVa(model, spec) !== null) {
          run.vaMismatches++;
          keepExample(run.examples, m);
          continue;
        }
        const l = compareLabels(model, spec);
        if (l === null) continue;
        const what = `${policy} ${l.field}: model ${l.model}, spec ${l.spec}`;
        const e = run.labels.get(what);
        if (e === undefined) run.labels.set(what, { what, count: 1, example: m });
        else {
          e.count++;
          if (compareSize(caseSize(t.case), caseSize(e.example.case)) < 0) e.example = m;
        }
      }
      if (run.states % 20000 === 0) progress(`${run.config}: replayed ${run.states} of ${run.tlc.distinctStates} states`);
    }
  } catch (e) {
    run.error = `reading TLC's states: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (run.states !== run.tlc.distinctStates && run.error === null) run.error = `the dump holds ${run.states} states, TLC reported ${run.tlc.distinctStates}`;
  if (keys !== null) {
    const ts = ciUniverseKeys();
    let missingInTs = 0;
    let example: string | null = null;
    for (const k of keys)
      if (!ts.has(k)) {
        missingInTs++;
        example ??= `TLC explores ${k}, the TypeScript ci universe does not`;
      }
    let missingInTlc = 0;
    for (const k of ts)
      if (!keys.has(k)) {
        missingInTlc++;
        example ??= `the TypeScript ci universe has ${k}, TLC does not explore it`;
      }
    run.universe = { tlc: keys.size, ts: ts.size, missingInTs, missingInTlc, example };
  }
  run.replaySeconds = (performance.now() - started) / 1000;
}

/** A configuration's state space dumped by TLC into a folder of its own (removed by replayDumped). */
interface Dumped {
  readonly c: ConfigEntry;
  readonly dir: string;
  readonly result: TlcResult;
  readonly dump: string;
}

async function dumpStatesOf(c: ConfigEntry, workers: number, progress: (line: string) => void): Promise<Dumped> {
  const dir = await specCopy();
  try {
    const mod = dumpModuleName(c.module);
    writeFileSync(join(dir, `${mod}.tla`), dumpModule(c.module));
    writeFileSync(join(dir, `${mod}.cfg`), dumpConfig(readFileSync(join(SPEC_DIR, `${c.name}.cfg`), 'utf8')));
    const { result, dump } = await runTlcDump(dir, mod, workers, (l) => progress(`${c.name}: TLC ${l}`));
    return { c, dir, result, dump };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function replayDumped(d: Dumped, progress: (line: string) => void): Promise<SpecToModelRun> {
  const { c, result } = d;
  try {
    const run = emptyRun(c.name, c.module, tlcSummary(result));
    if (result.outcome !== 'pass') {
      run.error = `TLC ${result.outcome} (exit ${result.exitCode}): ${result.errors.slice(0, 2).join(' | ')}`;
      return run;
    }
    await replayDump(d.dump, run, Object.keys(c.overrides).length === 0 && c.bugs.length === 0, progress);
    return run;
  } finally {
    await rm(d.dir, { recursive: true, force: true });
  }
}

/** One configuration: TLC dumps its whole state space, the model replays it. */
export async function specToModel(c: ConfigEntry, workers: number, progress: (line: string) => void): Promise<SpecToModelRun> {
  return replayDumped(await dumpStatesOf(c, workers, progress), progress);
}

function readBad(v: TlaValue | undefined): Array<[number, number, number]> {
  if (!(v instanceof TlaSet)) throw new Error('MCDiff: bad is not a set');
  return v.elems.map((e) => {
    if (!Array.isArray(e) || e.length !== 3 || !e.every((x) => typeof x === 'number')) throw new Error('MCDiff: an element of bad is not <<row, policy, va>>');
    return e as [number, number, number];
  });
}

/** TLC checks a model answer table (spec/diff/MCDiff.tla) for universe `u`. */
export async function checkTableWithTlc(
  u: TinyUniverse,
  t: ModelAnswerTable,
  workers: number,
  progress: (line: string) => void = () => {},
): Promise<Omit<ModelToSpecRun, 'tableSeconds'>> {
  const rows = tableRows(t);
  const dir = await specCopy();
  try {
    copyFileSync(join(SPEC_DIR, 'diff', 'MCDiff.tla'), join(dir, 'MCDiff.tla'));
    copyFileSync(join(SPEC_DIR, 'diff', 'MCDiff.cfg'), join(dir, 'MCDiff.cfg'));
    writeFileSync(join(dir, `${MODEL_ANSWERS_MODULE}.tla`), t.module);
    progress(`${u.name}: TLC checks ${rows} rows x ${t.policies.length} policies`);
    const r = await runTlc({
      dir,
      spec: 'MCDiff',
      workers,
      onProgress: (p) => progress(`${u.name}: TLC ${p.distinct} states (groups and chunks of ${DIFF_CHUNK} rows)`),
    });
    const base = { universe: u.name, rows, rawCases: t.rawCases, answers: rows * t.policies.length, tlc: tlcSummary(r) };
    if (r.outcome === 'pass') return { ...base, mismatches: [], error: null };
    if (r.outcome === 'violation' && r.invariant === 'NoMismatch') {
      const last = r.trace[r.trace.length - 1];
      const mismatches: Mismatch[] = readBad(last?.vars.bad).map(([row, j, specVa]) => {
        const c = tableCase(u, t, row);
        const policy = t.policies[j - 1] as PolicyName;
        const modelVa = t.answers[row - 1]?.[j - 1] ?? Number.NaN;
        return { policy, case: c, model: { va: modelVa, path: '?', order: -1 }, spec: { va: specVa, path: '?', order: -1 } };
      });
      mismatches.sort((a, b) => compareSize(caseSize(a.case), caseSize(b.case)));
      return { ...base, mismatches, error: null };
    }
    return { ...base, mismatches: [], error: `TLC ${r.outcome} (exit ${r.exitCode}): ${r.errors.slice(0, 2).join(' | ')}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One universe: the model answers every case, TLC checks the table. */
export async function modelToSpec(universe: string, workers: number, progress: (line: string) => void): Promise<ModelToSpecRun> {
  const u = universeByName(universe);
  const started = performance.now();
  progress(`${universe}: the model answers every case`);
  const t = modelAnswerTable(u);
  const tableSeconds = (performance.now() - started) / 1000;
  return { ...(await checkTableWithTlc(u, t, workers, progress)), tableSeconds };
}

export interface DifferentialOptions {
  /** Configuration names to replay (default: diffConfigs of the manifest). */
  readonly configs?: readonly string[];
  /** Universes whose model answers TLC checks (default: the check universes). */
  readonly universes?: readonly string[];
  readonly workers?: number;
  readonly progress?: (line: string, final: boolean) => void;
}

export async function runDifferential(opts: DifferentialOptions = {}): Promise<DifferentialReport> {
  const m = loadManifest();
  const workers = opts.workers ?? 2;
  const say = opts.progress ?? (() => undefined);
  const specToModelRuns: SpecToModelRun[] = [];
  const configs = diffConfigs(m, opts.configs);
  const tell = (l: string): void => say(`differential spec -> model: ${l}`, false);
  // Pipelined: TLC dumps the next configuration while this process replays the current one.
  const start = (i: number): Promise<Dumped> | null => {
    const c = configs[i];
    if (c === undefined) return null;
    const p = dumpStatesOf(c, workers, tell);
    p.catch(() => undefined); // awaited below; a rejection before then must not count as unhandled
    return p;
  };
  let next = start(0);
  for (let i = 0; next !== null; i++) {
    const d = await next;
    next = start(i + 1);
    const run = await replayDumped(d, tell);
    specToModelRuns.push(run);
    say(`differential spec -> model: ${run.config}: ${run.answers} answers compared, ${run.vaMismatches} mismatches, ${labelCount(run)} label differences`, true);
  }
  const modelToSpecRuns: ModelToSpecRun[] = [];
  for (const name of opts.universes ?? CHECK_UNIVERSES) {
    const run = await modelToSpec(name, workers, (l) => say(`differential model -> spec: ${l}`, false));
    modelToSpecRuns.push(run);
    say(`differential model -> spec: ${name}: ${run.answers} answers checked by TLC, ${run.mismatches.length} mismatches`, true);
  }
  const toolError =
    specToModelRuns.some((r) => r.error !== null && r.tlc.outcome !== 'pass') || modelToSpecRuns.some((r) => r.error !== null);
  const failed =
    specToModelRuns.some(
      (r) => r.vaMismatches > 0 || r.labels.size > 0 || r.error !== null || (r.universe !== null && r.universe.missingInTs + r.universe.missingInTlc > 0),
    ) ||
    modelToSpecRuns.some((r) => r.mismatches.length > 0);
  const exitCode = toolError ? EXIT.toolError : failed ? EXIT.failed : EXIT.ok;
  return { specToModel: specToModelRuns, modelToSpec: modelToSpecRuns, ok: exitCode === EXIT.ok, exitCode };
}

function mismatchLines(m: Mismatch, indent: string): string[] {
  const label = (a: SpecAnswer): string => (a.path !== '?' ? ` (${a.path})` : '');
  return [
    `${indent}${m.policy}: model ${showVa(m.model.va)}${label(m.model)}, spec ${showVa(m.spec.va)}${label(m.spec)}`,
    `${indent}  ${caseText(m.case)}`,
  ];
}

export function differentialText(rep: DifferentialReport): string[] {
  const lines = ['Differential comparison (TLA+ spec <-> TypeScript model: the same VA or errno; for a placement the same path and order)'];
  lines.push('  spec -> model: every state TLC explores in the CI configurations, replayed through the model');
  for (const r of rep.specToModel) {
    if (r.error !== null && r.states === 0) {
      lines.push(`    ${r.config}: not compared: ${r.error}`);
      continue;
    }
    lines.push(
      `    ${r.config}: ${r.states} states, ${r.transitions} mmap transitions, ${r.answers} answers compared: ` +
        `${r.vaMismatches} VA/errno mismatches, ${labelCount(r)} label differences ` +
        `(TLC ${r.tlc.seconds.toFixed(0)} s, replay ${r.replaySeconds.toFixed(0)} s)`,
    );
    if (r.error !== null) lines.push(`      error: ${r.error}`);
    if (r.universe !== null) {
      const u = r.universe;
      lines.push(
        u.missingInTs + u.missingInTlc === 0
          ? `      explores exactly the TypeScript ci universe (${u.ts} cases)`
          : `      universe drift: ${u.missingInTs} cases only in TLC, ${u.missingInTlc} only in the TypeScript ci universe; e.g. ${u.example ?? ''}`,
      );
    }
    for (const m of r.examples) lines.push(...mismatchLines(m, '      '));
    for (const l of [...r.labels.values()].sort((a, b) => b.count - a.count))
      lines.push(`      label: ${l.what}: ${l.count} answers, e.g. ${caseText(l.example.case)}`);
  }
  lines.push("  model -> spec: the model's answers on every case of a universe, checked by TLC (spec/diff/MCDiff.tla)");
  for (const r of rep.modelToSpec) {
    if (r.error !== null) {
      lines.push(`    ${r.universe}: not compared: ${r.error}`);
      continue;
    }
    lines.push(
      `    ${r.universe}: ${r.rows} cases (${r.rawCases} raw) x ${r.answers / Math.max(r.rows, 1)} policies = ${r.answers} answers: ` +
        `${r.mismatches.length === 0 ? '0 mismatches' : `${r.mismatches.length} mismatches in the first failing chunk (TLC stops there)`} ` +
        `(model ${r.tableSeconds.toFixed(0)} s, TLC ${r.tlc.seconds.toFixed(0)} s)`,
    );
    for (const m of r.mismatches.slice(0, KEEP)) lines.push(...mismatchLines(m, '      '));
  }
  return lines;
}

function mismatchJson(m: Mismatch): Record<string, unknown> {
  return { policy: m.policy, case: caseText(m.case), model: showVa(m.model.va), spec: showVa(m.spec.va) };
}

export function differentialJson(rep: DifferentialReport): Record<string, unknown> {
  return {
    name: 'differential',
    ok: rep.ok,
    exitCode: String(rep.exitCode),
    specToModel: rep.specToModel.map((r) => ({
      config: r.config,
      states: String(r.states),
      transitions: String(r.transitions),
      answers: String(r.answers),
      vaMismatches: String(r.vaMismatches),
      labelDifferences: [...r.labels.values()].map((l) => ({ what: l.what, count: String(l.count), example: caseText(l.example.case) })),
      examples: r.examples.map(mismatchJson),
      universe: r.universe && { tlc: String(r.universe.tlc), ts: String(r.universe.ts), onlyInTlc: String(r.universe.missingInTs), onlyInTs: String(r.universe.missingInTlc) },
      tlcSeconds: r.tlc.seconds.toFixed(1),
      error: r.error,
    })),
    modelToSpec: rep.modelToSpec.map((r) => ({
      universe: r.universe,
      rows: String(r.rows),
      rawCases: String(r.rawCases),
      answers: String(r.answers),
      mismatches: r.mismatches.map(mismatchJson),
      tlcSeconds: r.tlc.seconds.toFixed(1),
      error: r.error,
    })),
  };
}

/** Answers with the same VA whose path or order differ (generators/diff/answer.ts compareLabels). */
function labelCount(r: SpecToModelRun): number {
  return [...r.labels.values()].reduce((n, l) => n + l.count, 0);
}

export function differentialSummary(rep: DifferentialReport): string {
  const s2m = rep.specToModel.reduce((n, r) => n + r.answers, 0);
  const s2mBad = rep.specToModel.reduce((n, r) => n + r.vaMismatches + labelCount(r), 0);
  const m2s = rep.modelToSpec.reduce((n, r) => n + r.answers, 0);
  const m2sBad = rep.modelToSpec.reduce((n, r) => n + r.mismatches.length, 0);
  return `differential: spec -> model ${s2m} answers, ${s2mBad} mismatches; model -> spec ${m2s} answers, ${m2sBad} mismatches`;
}

/** The stage for cli/check.ts STAGES. */
export const differentialStage: Stage = async (o: CheckOptions, progress): Promise<StageReport> => {
  if (o.only !== undefined) {
    return { name: 'differential', ok: true, exitCode: EXIT.ok, text: [], json: { name: 'differential', skipped: '--only' }, summary: 'differential: skipped (--only)' };
  }
  try {
    const rep = await runDifferential({ workers: o.workers, progress });
    return { name: 'differential', ok: rep.ok, exitCode: rep.exitCode, text: differentialText(rep), json: differentialJson(rep), summary: differentialSummary(rep) };
  } catch (e) {
    if (!(e instanceof MissingToolError)) throw e;
    return {
      name: 'differential',
      ok: false,
      exitCode: EXIT.missingTool,
      text: [`Differential comparison: not run: ${e.message}`],
      json: { name: 'differential', ok: false, error: e.message },
      summary: 'differential: not run (TLC missing)',
    };
  }
};
