// The results of the differential comparison: a mismatch, a spec -> model run and a model -> spec run.

import type { TinyCase } from '../../generators/tiny/types.js';
import type { PolicyName } from '../../model/types.js';
import { type TlcResult } from '../../tlc/run.js';
import { caseSize, compareSize } from '../exhaustive/minimal.js';
import { type SpecAnswer } from './answer.js';
/** Mismatch examples kept per run (the smallest first); the count is always complete. */
export const KEEP = 10;

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

export function keepExample(list: Mismatch[], m: Mismatch): void {
  list.push(m);
  list.sort((a, b) => compareSize(caseSize(a.case), caseSize(b.case)));
  if (list.length > KEEP) list.length = KEEP;
}
