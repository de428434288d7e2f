// Spec -> model, second half: every dumped state's last mmap is replayed through the model (place) and
// compared with the spec's answers; the configurations on the CI domain must also explore exactly the
// TypeScript `ci` universe.

import { layoutKey } from '../../generators/tiny/canonical-layout.js';
import { requestKey } from '../../generators/tiny/canonical-request.js';
import { requests } from '../../generators/tiny/requests.js';
import type { TinyCase } from '../../generators/tiny/types.js';
import { ciUniverse } from '../../generators/tiny/universe.js';
import type { ArchName } from '../../model/geometry.js';
import { caseSize, compareSize } from '../exhaustive/minimal.js';
import { type ConfigEntry, type Manifest } from '../manifest.js';
import { compareLabels, compareVa, modelAnswer } from './answer.js';
import { dumpStates, dumpStatesOf, tlcSummary, type Dumped } from './dump.js';
import { archOfConsts, readConsts, readSpecState, type DumpConsts } from './spec-state.js';
import { keepExample, type Mismatch, type SpecToModelRun } from './types.js';

export function caseKey(c: TinyCase): string {
  return `${layoutKey(c.layout)}|${requestKey(c.request)}`;
}

const ciKeys = new Map<ArchName, Set<string>>();
/** The cases of the CI universe on a tiny geometry (the same layouts and requests on tiny-16 and tiny-arm64). */
export function ciUniverseKeys(arch: ArchName = 'tiny-16'): Set<string> {
  let keys = ciKeys.get(arch);
  if (keys === undefined) {
    const u = ciUniverse(arch);
    keys = new Set();
    for (const layout of u.layouts)
      for (const request of requests(u.requests))
        keys.add(caseKey({ arch: u.arch, barPages: u.barPages, layout, request }));
    ciKeys.set(arch, keys);
  }
  return keys;
}

/**
 * The configurations whose state spaces the comparison replays: CI, no bug toggle, one per module, geometry and
 * overrides.
 */
export function diffConfigs(m: Manifest, names?: readonly string[]): ConfigEntry[] {
  const seen = new Set<string>();
  const out: ConfigEntry[] = [];
  for (const c of m.configs) {
    if (names !== undefined ? !names.includes(c.name) : c.mode !== 'ci' || c.bugs.length > 0) continue;
    const key = `${c.module} ${c.geometry} ${JSON.stringify(Object.entries(c.overrides).sort())} ${c.bugs.join(',')}`;
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
export async function replayDump(
  dump: string,
  run: SpecToModelRun,
  onCi: boolean,
  progress: (line: string) => void = () => {},
): Promise<void> {
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
      if (run.states % 20000 === 0)
        progress(`${run.config}: replayed ${run.states} of ${run.tlc.distinctStates} states`);
    }
  } catch (e) {
    run.error = `reading TLC's states: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (run.states !== run.tlc.distinctStates && run.error === null)
    run.error = `the dump holds ${run.states} states, TLC reported ${run.tlc.distinctStates}`;
  if (keys !== null) {
    const ts = ciUniverseKeys(arch ?? 'tiny-16');
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

export async function replayDumped(d: Dumped, progress: (line: string) => void): Promise<SpecToModelRun> {
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
    d.dir.remove();
  }
}

/** One configuration: TLC dumps its whole state space, the model replays it. */
export async function specToModel(
  c: ConfigEntry,
  workers: number,
  progress: (line: string) => void,
): Promise<SpecToModelRun> {
  return replayDumped(await dumpStatesOf(c, workers, progress), progress);
}
