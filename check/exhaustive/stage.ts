// Stage of `mapping-order check`: the TypeScript exhaustive checker
// (check/exhaustive/exhaustive.ts) on the check universes, split over worker
// threads, its verdicts compared with spec/verdicts.json.
//
//   const stage = await runTsExhaustiveStage({ out: (l) => process.stdout.write(l + '\n') });
//   // stage.ok: every verdict agrees with the matrix; stage.lines: the report
//
// This file is also the worker thread's entry point (workerData.kind ===
// 'ts-exhaustive-shard'): a worker checks one shard of one universe and posts
// its ExhaustiveResult back.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import { checkedDomain, checkUniverse, mergeResults, type ExhaustiveResult } from './exhaustive.js';
import { counterexampleText, disagreements, formatUniverseRun, type UniverseRun } from './report.js';
import { compareWithMatrix, verdictMatrixOf, type VerdictMatrix } from './verdict-matrix.js';
import { loadManifest } from '../manifest.js';
import { CHECK_UNIVERSES, universeByName } from '../../generators/tiny/universe.js';
import type { CheckOptions, Stage, StageReport } from '../stage.js';
import { EXIT } from '../../io/errors.js';

interface ShardJob {
  readonly kind: 'ts-exhaustive-shard';
  readonly universe: string;
  readonly canonical: boolean;
  readonly index: number;
  readonly count: number;
}

/**
 * A worker thread does not inherit the `--import tsx` loader of Node 20's main
 * thread: its entry point is a data: URL module that registers tsx's ESM
 * loader in the worker, then imports this file.
 */
function workerEntry(): URL {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const src =
    `import { register } ` +
    `from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(import.meta.url)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(src)}`);
}

function runShard(job: ShardJob, onProgress?: (done: number) => void): Promise<ExhaustiveResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerEntry(), { workerData: job });
    let result: ExhaustiveResult | null = null;
    w.on('message', (m: { progress?: number; result?: ExhaustiveResult }) => {
      if (m.progress !== undefined) onProgress?.(m.progress);
      if (m.result !== undefined) result = m.result;
    });
    w.on('error', reject);
    w.on('exit', (code) =>
      result !== null
        ? resolve(result)
        : reject(new Error(`exhaustive-check worker exited with code ${code} and no result`)),
    );
  });
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * One universe, checked on `workers` threads (1: in this thread), with the
 * wall-clock seconds. `onProgress` gets the cases done so far and the total.
 */
export async function checkUniverseTimed(
  name: string,
  opts: { workers?: number; canonical?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ result: ExhaustiveResult; seconds: number; workers: number }> {
  const workers = opts.workers ?? defaultWorkers();
  const canonical = opts.canonical ?? true;
  const started = performance.now();
  if (workers <= 1) {
    const result = checkUniverse(universeByName(name), { canonical, onProgress: opts.onProgress });
    return { result, seconds: (performance.now() - started) / 1000, workers: 1 };
  }
  const done = new Array<number>(workers).fill(0);
  const u = universeByName(name);
  const domain = checkedDomain(u, canonical);
  const total = domain.layouts.length * domain.requests.length * u.policies.length;
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, index) =>
      runShard({ kind: 'ts-exhaustive-shard', universe: name, canonical, index, count: workers }, (d) => {
        done[index] = d;
        opts.onProgress?.(
          done.reduce((a, b) => a + b, 0),
          total,
        );
      }),
    ),
  );
  return { result: mergeResults(parts), seconds: (performance.now() - started) / 1000, workers };
}

export interface TsExhaustiveStageOptions {
  readonly universes?: readonly string[];
  readonly workers?: number;
  readonly canonical?: boolean;
  readonly verbose?: boolean;
  readonly verdictsFile?: string;
  /** Report lines as they come. */
  readonly out?: (line: string) => void;
  /** A progress line (rewritten in place until `final`). */
  readonly progress?: (line: string, final: boolean) => void;
}

export interface TsExhaustiveStage {
  readonly ok: boolean;
  readonly runs: readonly UniverseRun[];
  readonly lines: readonly string[];
}

export function readMatrixFile(file?: string): VerdictMatrix {
  return verdictMatrixOf(loadManifest(file));
}

export async function runTsExhaustiveStage(opts: TsExhaustiveStageOptions = {}): Promise<TsExhaustiveStage> {
  const out = opts.out ?? (() => {});
  const say = opts.progress ?? (() => {});
  const matrix = readMatrixFile(opts.verdictsFile);
  const lines: string[] = [];
  const emit = (l: string): void => {
    lines.push(l);
    out(l);
  };
  emit('TypeScript exhaustive check (every invariant x every policy, model/invariants)');
  const runs: UniverseRun[] = [];
  for (const name of opts.universes ?? CHECK_UNIVERSES) {
    let shown = -1;
    const { result, seconds, workers } = await checkUniverseTimed(name, {
      workers: opts.workers,
      canonical: opts.canonical,
      onProgress: (done, total) => {
        const pct = Math.floor((100 * done) / Math.max(total, 1));
        if (pct === shown) return;
        shown = pct;
        say(`ts-exhaustive: ${name}: ${done} of ${total} cases (${pct}%)`, false);
      },
    });
    say(`ts-exhaustive: ${name}: ${result.cases} cases in ${seconds.toFixed(1)} s`, true);
    const run: UniverseRun = {
      result,
      seconds,
      workers,
      rows: compareWithMatrix(result, matrix, result.domains, universeByName(name).arch),
      strict: name === 'ci' || name.startsWith('ci:'),
    };
    runs.push(run);
    for (const l of formatUniverseRun(run, opts.verbose ?? false)) emit(l);
  }
  const ok = runs.every((r) => disagreements(r).length === 0);
  return { ok, runs, lines };
}

function stageJson(st: TsExhaustiveStage): Record<string, unknown> {
  return {
    name: 'ts-exhaustive',
    ok: st.ok,
    universes: st.runs.map((run) => ({
      universe: run.result.universe,
      layouts: String(run.result.layouts),
      requests: String(run.result.requests),
      cases: String(run.result.cases),
      rawCases: String(run.result.rawCases),
      evaluations: String(run.result.evaluations),
      seconds: run.seconds.toFixed(1),
      workers: String(run.workers),
      disagreements: String(disagreements(run).length),
      verdicts: run.rows.map((r) => ({
        domain: r.domain,
        invariant: r.invariant,
        policy: r.policy,
        expected: r.expected,
        observed: r.observed,
        agrees: r.agrees,
        violated: String(r.violated),
        violatedRaw: String(r.violatedRaw),
        minimal: r.minimal === null ? null : counterexampleText(r.minimal),
      })),
    })),
  };
}

/** The stage for cli/check.ts STAGES. */
export const tsExhaustiveStage: Stage = async (o: CheckOptions, progress): Promise<StageReport> => {
  if (o.only !== undefined) {
    return {
      name: 'ts-exhaustive',
      ok: true,
      exitCode: EXIT.ok,
      text: [],
      json: { name: 'ts-exhaustive', skipped: '--only' },
      summary: 'ts-exhaustive: skipped (--only)',
    };
  }
  const st = await runTsExhaustiveStage({ progress });
  const cases = st.runs.reduce((n, r) => n + r.result.cases, 0);
  const bad = st.runs.reduce((n, r) => n + disagreements(r).length, 0);
  return {
    name: 'ts-exhaustive',
    ok: st.ok,
    exitCode: st.ok ? EXIT.ok : EXIT.failed,
    text: [...st.lines],
    json: stageJson(st),
    summary: `ts-exhaustive: ${st.runs.length} universes, ${cases} cases, ${bad} verdicts differ from the matrix`,
  };
};

if (!isMainThread && (workerData as ShardJob | null)?.kind === 'ts-exhaustive-shard') {
  const job = workerData as ShardJob;
  const result = checkUniverse(universeByName(job.universe), {
    canonical: job.canonical,
    shard: { index: job.index, count: job.count },
    onProgress: (done) => parentPort?.postMessage({ progress: done }),
  });
  parentPort?.postMessage({ result });
}
