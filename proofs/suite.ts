// Runs the proof files and judges each result against its expectation: a lemma must be proved, a
// twin refuted with a counterexample that the twin's bigint replay confirms. No printing here:
// proofs/run.ts prints, the check command and the tests read the report.

import { GEOMETRIES, type ArchName } from '../model/geometry.js';
import { PROOFS, type ProofEntry } from './all.js';
import { prove, type Lemma, type ProofResult } from './lib.js';

export interface Outcome {
  readonly lemma: Lemma;
  readonly arch: ArchName;
  readonly result: ProofResult;
  /** The twin's replay, when it has one and Z3 refuted it. */
  readonly replay: { confirmed: boolean; text: string } | null;
  /** Proved as expected, or refuted as expected with a replay (required for twins) that confirms it. */
  readonly ok: boolean;
}

export interface FileReport {
  readonly entry: ProofEntry;
  readonly lemma: readonly Outcome[];
  readonly twins: readonly Outcome[];
}

export interface SuiteReport {
  readonly files: readonly FileReport[];
  readonly lemmasProved: number;
  readonly lemmaRuns: number;
  readonly twinsRefuted: number;
  readonly twinRuns: number;
  /** Some query came back 'unknown' (timeout): the verdict is open, never a pass. */
  readonly unknown: number;
  readonly ms: number;
  readonly ok: boolean;
}

export function judge(lemma: Lemma, arch: ArchName, result: ProofResult): Outcome {
  let replay: Outcome['replay'] = null;
  if (result.status === 'refuted' && result.counterexample && lemma.replay) {
    replay = lemma.replay(result.counterexample, GEOMETRIES[arch]);
  }
  const ok =
    lemma.expect === 'proved' ? result.status === 'proved' : result.status === 'refuted' && replay?.confirmed === true;
  return { lemma, arch, result, replay, ok };
}

export interface SuiteOptions {
  /** Keep only files whose lemma or twin ids contain this text. */
  readonly only?: string;
  /** Called after each lemma or twin, for progress output. */
  readonly onOutcome?: (o: Outcome) => void;
}

export function selectProofs(only?: string): ProofEntry[] {
  if (!only) return [...PROOFS];
  return PROOFS.filter(
    (e) => [e.proof.lemma, ...e.proof.twins].some((l) => l.id.includes(only)) || e.file.includes(only),
  );
}

export async function runSuite(opts: SuiteOptions = {}): Promise<SuiteReport> {
  const t0 = performance.now();
  const files: FileReport[] = [];
  for (const entry of selectProofs(opts.only)) {
    const lemma: Outcome[] = [];
    const twins: Outcome[] = [];
    for (const arch of entry.geometries) {
      const o = judge(entry.proof.lemma, arch, await prove(entry.proof.lemma, GEOMETRIES[arch]));
      lemma.push(o);
      opts.onOutcome?.(o);
    }
    for (const twin of entry.proof.twins) {
      for (const arch of entry.geometries) {
        const o = judge(twin, arch, await prove(twin, GEOMETRIES[arch]));
        twins.push(o);
        opts.onOutcome?.(o);
      }
    }
    files.push({ entry, lemma, twins });
  }
  const all = files.flatMap((f) => [...f.lemma, ...f.twins]);
  const lemmaRuns = files.flatMap((f) => f.lemma);
  const twinRuns = files.flatMap((f) => f.twins);
  return {
    files,
    lemmasProved: lemmaRuns.filter((o) => o.ok).length,
    lemmaRuns: lemmaRuns.length,
    twinsRefuted: twinRuns.filter((o) => o.ok).length,
    twinRuns: twinRuns.length,
    unknown: all.filter((o) => o.result.status === 'unknown').length,
    ms: performance.now() - t0,
    ok: all.every((o) => o.ok),
  };
}
