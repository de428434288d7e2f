// Model -> spec: the model answers every case of a universe, the answers are written as a TLA+ table and
// TLC checks, with spec/diff/MCDiff.tla, that the spec computes the same VA or errno for each.

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { universeByName, type TinyUniverse } from '../../generators/tiny/universe.js';
import type { PolicyName } from '../../model/types.js';
import { runTlc } from '../../tlc/run.js';
import { TlaSet, type TlaValue } from '../../tlc/value.js';
import { caseSize, compareSize } from '../exhaustive/minimal.js';
import { SPEC_DIR } from '../manifest.js';
import { specCopy, tlcSummary } from './dump.js';
import {
  DIFF_CHUNK,
  MODEL_ANSWERS_MODULE,
  modelAnswerTable,
  tableCase,
  tableRows,
  type ModelAnswerTable,
} from './model-answers-tla.js';
import type { Mismatch, ModelToSpecRun } from './types.js';

export function readBad(v: TlaValue | undefined): Array<[number, number, number]> {
  if (!(v instanceof TlaSet)) throw new Error('MCDiff: bad is not a set');
  return v.elems.map((e) => {
    if (!Array.isArray(e) || e.length !== 3 || !e.every((x) => typeof x === 'number'))
      throw new Error('MCDiff: an element of bad is not <<row, policy, va>>');
    return e as [number, number, number];
  });
}

/** TLC checks a model answer table (spec/diff/MCDiff.tla) for universe `u`. */
export async function checkTableWithTlc(
  u: TinyUniverse,
  t: ModelAnswerTable,
  workers: number,
  progress: (line: string) => void = () => {},
  timeoutMs?: number,
  onStart?: () => void,
): Promise<Omit<ModelToSpecRun, 'tableSeconds'>> {
  const rows = tableRows(t);
  const owned = specCopy();
  const dir = owned.path;
  try {
    copyFileSync(join(SPEC_DIR, 'diff', 'MCDiff.tla'), join(dir, 'MCDiff.tla'));
    copyFileSync(join(SPEC_DIR, 'diff', 'MCDiff.cfg'), join(dir, 'MCDiff.cfg'));
    writeFileSync(join(dir, `${MODEL_ANSWERS_MODULE}.tla`), t.module);
    progress(`${u.name}: TLC checks ${rows} rows x ${t.policies.length} policies`);
    const r = await runTlc({
      dir,
      spec: 'MCDiff',
      workers,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      onProgress: (p) => progress(`${u.name}: TLC ${p.distinct} states (groups and chunks of ${DIFF_CHUNK} rows)`),
      ...(onStart !== undefined ? { onStart } : {}),
    });
    const base = {
      universe: u.name,
      rows,
      rawCases: t.rawCases,
      answers: rows * t.policies.length,
      tlc: tlcSummary(r),
    };
    if (r.outcome === 'pass') return { ...base, mismatches: [], error: null };
    if (r.outcome === 'violation' && r.invariant === 'NoMismatch') {
      const last = r.trace[r.trace.length - 1];
      const mismatches: Mismatch[] = readBad(last?.vars.bad).map(([row, j, specVa]) => {
        const c = tableCase(u, t, row);
        const policy = t.policies[j - 1] as PolicyName;
        const modelVa = t.answers[row - 1]?.[j - 1] ?? Number.NaN;
        return {
          policy,
          case: c,
          model: { va: modelVa, path: '?', order: -1 },
          spec: { va: specVa, path: '?', order: -1 },
        };
      });
      mismatches.sort((a, b) => compareSize(caseSize(a.case), caseSize(b.case)));
      return { ...base, mismatches, error: null };
    }
    return {
      ...base,
      mismatches: [],
      error: `TLC ${r.outcome} (exit ${r.exitCode}): ${r.errors.slice(0, 2).join(' | ')}`,
    };
  } finally {
    owned.remove();
  }
}

/** The model's answers on one universe, timed: the first half of a model -> spec run. */
export function modelTable(universe: string): { u: TinyUniverse; t: ModelAnswerTable; tableSeconds: number } {
  const u = universeByName(universe);
  const started = performance.now();
  const t = modelAnswerTable(u);
  return { u, t, tableSeconds: (performance.now() - started) / 1000 };
}

/** One universe: the model answers every case, TLC checks the table. */
export async function modelToSpec(
  universe: string,
  workers: number,
  progress: (line: string) => void,
  timeoutMs?: number,
): Promise<ModelToSpecRun> {
  progress(`${universe}: the model answers every case`);
  const { u, t, tableSeconds } = modelTable(universe);
  return { ...(await checkTableWithTlc(u, t, workers, progress, timeoutMs)), tableSeconds };
}
