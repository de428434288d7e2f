// What a stage of `mapping-order check` is: a function from the options to a report. The pipeline
// (check/pipeline.ts) runs them in order; the command (cli/check.ts) prints their reports.

import type { SpecToModelRun } from './differential/types.js';

export interface CheckOptions {
  json: boolean;
  only: string | undefined;
  /** Cores to use: TLC processes run at once (one worker each), TLC workers of a single run, exhaustive threads. */
  workers: number;
  counterexamples: boolean;
  record: boolean;
  /** Every TLC run is killed after this many seconds and reported as a tool error, never a verdict. */
  tlcTimeoutSeconds: number;
}

export const DEFAULT_CHECK_OPTIONS: Readonly<CheckOptions> = {
  json: false,
  only: undefined,
  workers: 2,
  counterexamples: true,
  record: false,
  // Generous: the largest CI configuration takes about a minute here, a manual one about ten.
  tlcTimeoutSeconds: 3600,
};

export interface StageReport {
  name: string;
  ok: boolean;
  exitCode: number;
  text: string[];
  json: Record<string, unknown>;
  /** A one-line summary for the end of the run. */
  summary: string;
  /** Wall-clock seconds of the stage, set by the pipeline. */
  seconds?: number;
}

/** Reports progress: one line per step, `final` when the step is done. */
export type Progress = (line: string, final: boolean) => void;

/** What the stages of one run share. */
export interface CheckContext {
  /**
   * Spec -> model replays the TLC stage started, by configuration name: a configuration expected to pass is
   * checked and its states dumped in one TLC run, and the differential stage takes the replay of those states.
   */
  readonly replays: Map<string, Promise<SpecToModelRun>>;
}

export type Stage = (o: CheckOptions, progress: Progress, ctx: CheckContext) => Promise<StageReport>;
