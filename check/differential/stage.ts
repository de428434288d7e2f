// Stage of `mapping-order check`: the differential comparison of the TLA+ spec
// and the TypeScript model, in both directions.
//
// spec -> model: every CI configuration of spec/verdicts.json without a bug
//   toggle (one run per distinct module and overrides) is model-checked again
//   with `-dump`, its invariants dropped so TLC explores the configuration's
//   whole state space (check/differential/dump-module.ts adds a constant variable
//   recording the geometry, the BAR and the policy). Every dumped state carries
//   its last mmap and the spec's answers (checked policy and baseline); each is
//   replayed through the model (place) and compared: the same VA or the same
//   errno, and for a placement the same path and order (check/differential/answer.ts
//   compareLabels); a VA or a label that differs fails the stage. The configurations
//   on the CI domain must also explore exactly the TypeScript `ci` universe.
// model -> spec: the model's answers on every case of a universe are written as
//   a TLA+ table (check/differential/model-answers-tla.ts) and TLC checks, with
//   spec/diff/MCDiff.tla, that the spec computes the same VA or errno for each.
//
//   const rep = await runDifferential({ configs: ['MCV2'], universes: ['ci'] });
//
// TLC runs in a temporary folder holding a copy of spec/*.tla and the
// generated modules; nothing is written into spec/.

import { CHECK_UNIVERSES } from '../../generators/tiny/universe.js';
import { EXIT, MissingToolError } from '../../io/errors.js';
import { loadManifest } from '../manifest.js';
import type { CheckOptions, Stage, StageReport } from '../stage.js';
import { dumpStatesOf, type Dumped } from './dump.js';
import { diffConfigs, replayDumped } from './replay.js';
import { differentialJson, differentialSummary, differentialText, labelCount } from './report.js';
import { checkTableWithTlc, modelTable } from './table.js';
import type { DifferentialReport, ModelToSpecRun, SpecToModelRun } from './types.js';

export interface DifferentialOptions {
  /** Configuration names to replay (default: diffConfigs of the manifest). */
  readonly configs?: readonly string[];
  /** Replays already under way (the TLC stage dumped those configurations' states as it checked them). */
  readonly replays?: ReadonlyMap<string, Promise<SpecToModelRun>>;
  /** Universes whose model answers TLC checks (default: the check universes). */
  readonly universes?: readonly string[];
  readonly workers?: number;
  /** Kill a TLC run after this long (a tool error); none by default. */
  readonly timeoutMs?: number;
  readonly progress?: (line: string, final: boolean) => void;
}

export async function runDifferential(opts: DifferentialOptions = {}): Promise<DifferentialReport> {
  const m = loadManifest();
  const workers = opts.workers ?? 2;
  const say = opts.progress ?? (() => undefined);
  const specToModelRuns: SpecToModelRun[] = [];
  const configs = diffConfigs(m, opts.configs);
  const tell = (l: string): void => say(`differential spec -> model: ${l}`, false);
  // The configurations the TLC stage did not dump are dumped here, pipelined: TLC dumps the next one while
  // this process replays the current one.
  const own = configs.filter((c) => opts.replays?.has(c.name) !== true);
  const dumps = new Map<string, Promise<Dumped>>();
  const start = (i: number): void => {
    const c = own[i];
    if (c === undefined) return;
    const p = dumpStatesOf(c, workers, tell, opts.timeoutMs);
    p.catch(() => undefined); // awaited below; a rejection before then must not count as unhandled
    dumps.set(c.name, p);
  };
  start(0);
  for (const c of configs) {
    const taken = opts.replays?.get(c.name);
    let run: SpecToModelRun;
    if (taken !== undefined) run = await taken;
    else {
      const d = await (dumps.get(c.name) as Promise<Dumped>);
      start(own.indexOf(c) + 1);
      run = await replayDumped(d, tell);
    }
    specToModelRuns.push(run);
    say(
      `differential spec -> model: ${run.config}: ${run.answers} answers compared, ` +
        `${run.vaMismatches} mismatches, ${labelCount(run)} label differences`,
      true,
    );
  }
  const modelToSpecRuns: ModelToSpecRun[] = [];
  // Pipelined: the model answers the next universe (in this process) while TLC checks the current table.
  const universes = opts.universes ?? CHECK_UNIVERSES;
  const m2s = (l: string): void => say(`differential model -> spec: ${l}`, false);
  let table = universes.length > 0 ? modelTable(universes[0] as string) : null;
  for (let i = 0; table !== null; i++) {
    const name = universes[i] as string;
    const { u, t, tableSeconds } = table;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const checking = checkTableWithTlc(u, t, workers, m2s, opts.timeoutMs, () => started());
    checking.catch(() => undefined); // awaited below, after the next table
    await Promise.race([running, checking]); // TLC's JVM is running (or the run is over) before we compute
    table = i + 1 < universes.length ? modelTable(universes[i + 1] as string) : null;
    const run: ModelToSpecRun = { ...(await checking), tableSeconds };
    modelToSpecRuns.push(run);
    say(
      `differential model -> spec: ${name}: ${run.answers} answers checked by TLC, ${run.mismatches.length} mismatches`,
      true,
    );
  }
  const toolError =
    specToModelRuns.some((r) => r.error !== null && r.tlc.outcome !== 'pass') ||
    modelToSpecRuns.some((r) => r.error !== null);
  const failed =
    specToModelRuns.some(
      (r) =>
        r.vaMismatches > 0 ||
        r.labels.size > 0 ||
        r.error !== null ||
        (r.universe !== null && r.universe.missingInTs + r.universe.missingInTlc > 0),
    ) || modelToSpecRuns.some((r) => r.mismatches.length > 0);
  const exitCode = toolError ? EXIT.toolError : failed ? EXIT.failed : EXIT.ok;
  return { specToModel: specToModelRuns, modelToSpec: modelToSpecRuns, ok: exitCode === EXIT.ok, exitCode };
}

/** The stage for cli/check.ts STAGES. */
export const differentialStage: Stage = async (o: CheckOptions, progress, ctx): Promise<StageReport> => {
  if (o.only !== undefined) {
    return {
      name: 'differential',
      ok: true,
      exitCode: EXIT.ok,
      text: [],
      json: { name: 'differential', skipped: '--only' },
      summary: 'differential: skipped (--only)',
    };
  }
  try {
    const rep = await runDifferential({
      workers: o.workers,
      timeoutMs: o.tlcTimeoutSeconds * 1000,
      progress,
      replays: ctx.replays,
    });
    return {
      name: 'differential',
      ok: rep.ok,
      exitCode: rep.exitCode,
      text: differentialText(rep),
      json: differentialJson(rep),
      summary: differentialSummary(rep),
    };
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
