// The pipeline of `mapping-order check`: the stages in order, each a function of the options returning a
// report; the run is OK only if every stage is. The command (cli/check.ts) parses the arguments and prints.

import { EXIT } from '../io/errors.js';
import { differentialStage } from './differential/stage.js';
import { tsExhaustiveStage } from './exhaustive/stage.js';
import { loadManifest, recordMeasured, type Measured } from './manifest.js';
import { proofsStage } from './proofs-stage.js';
import { replayDumped, diffConfigs } from './differential/replay.js';
import type { CheckContext, CheckOptions, Progress, Stage, StageReport } from './stage.js';
import { measuredOf, runTlcStage, stageJson, stageText } from './tlc-stage.js';

const tlcStage: Stage = async (o, progress, ctx) => {
  const manifest = loadManifest();
  // The differential replays the states of these configurations: when it will run (no --only), TLC dumps
  // them while it checks them, and the replay starts as soon as each dump is written.
  const replayed = o.only === undefined ? diffConfigs(manifest).filter((c) => c.expect === 'pass') : [];
  const rep = await runTlcStage({
    manifest,
    ...(o.only !== undefined ? { only: o.only } : {}),
    slots: o.workers,
    dump: new Set(replayed.map((c) => c.name)),
    onDumped: (d) => {
      const p = replayDumped(d, (l) => progress(`differential spec -> model: ${l}`, false));
      p.catch(() => undefined); // awaited by the differential stage
      ctx.replays.set(d.c.name, p);
    },
    timeoutMs: o.tlcTimeoutSeconds * 1000,
    counterexamples: o.counterexamples,
    progress,
  });
  if (o.record) {
    const date = new Date().toISOString().slice(0, 10);
    const updates = new Map<string, Measured>();
    // Every TLC run of the stage has one worker thread.
    for (const r of rep.configs)
      if (r.observed !== 'error' && r.matched) updates.set(r.entry.name, measuredOf(r, 1, date));
    recordMeasured(updates);
  }
  // A TLC run that failed (a timeout, a crash, output we cannot read) decided nothing: it is a tool error,
  // counted as such, never as a verdict that differed.
  const toolErrors = rep.configs.filter((r) => r.observed === 'error').length;
  const mism =
    rep.configs.filter((r) => !r.matched && r.observed !== 'error').length +
    rep.cells.filter((c) => c.observed !== 'not run' && c.observed !== 'error' && !c.matched).length;
  const decided = rep.cells.filter((c) => c.observed !== 'not run' && c.observed !== 'error').length;
  return {
    name: 'tlc',
    ok: rep.ok,
    exitCode: rep.exitCode,
    text: stageText(rep),
    json: stageJson(rep),
    summary:
      `tlc: ${rep.configs.length} configurations, ${decided} matrix cells decided, ` +
      `${mism} mismatches, ${toolErrors > 0 ? `${toolErrors} TLC runs failed, ` : ''}${rep.seconds.toFixed(0)}s`,
  };
};

/**
 * The stages in the order they report: TLC first, since the later stages are read against its matrix. A stage
 * marked `alongside` shares nothing with the others and runs beside them from the start: the proofs, one Z3
 * thread, fill the core the other stages leave idle (JVM start-ups, the stage boundaries) instead of running
 * last on one core of two.
 */
export const STAGES: ReadonlyArray<{ name: string; run: Stage; alongside?: boolean }> = [
  { name: 'tlc', run: tlcStage },
  { name: 'ts-exhaustive', run: tsExhaustiveStage },
  { name: 'differential', run: differentialStage },
  { name: 'proofs', run: proofsStage, alongside: true },
];

export interface CheckRun {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly reports: readonly StageReport[];
  /** Wall-clock seconds of the whole run (less than the sum of the stages' when one runs alongside). */
  readonly seconds: number;
}

export async function runCheck(o: CheckOptions, progress: Progress): Promise<CheckRun> {
  const started = performance.now();
  const ctx: CheckContext = { replays: new Map() };
  const timed = async (s: (typeof STAGES)[number]): Promise<StageReport> => {
    const t0 = performance.now();
    const r = await s.run(o, progress, ctx);
    return { ...r, seconds: (performance.now() - t0) / 1000 };
  };
  const beside = new Map(STAGES.filter((s) => s.alongside === true).map((s) => [s.name, timed(s)]));
  for (const p of beside.values()) p.catch(() => undefined); // awaited below, in the stages' order
  const reports: StageReport[] = [];
  for (const s of STAGES) reports.push(await (beside.get(s.name) ?? timed(s)));
  // A replay nobody took (the differential did not run) still removes its dump when it ends.
  await Promise.allSettled(ctx.replays.values());
  const ok = reports.every((r) => r.ok);
  return {
    ok,
    exitCode: ok ? EXIT.ok : Math.max(...reports.map((r) => r.exitCode)),
    reports,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Each stage's wall-clock time and the run's, as `check` prints them. */
export function stageTimes(r: CheckRun): string {
  const beside = new Set(STAGES.filter((x) => x.alongside === true).map((x) => x.name));
  const each = r.reports
    .map((s) => `${s.name} ${(s.seconds ?? 0).toFixed(1)} s${beside.has(s.name) ? ' (alongside)' : ''}`)
    .join(', ');
  return `stage times: ${each}; the whole run ${r.seconds.toFixed(1)} s`;
}

export function checkJson(r: CheckRun): Record<string, unknown> {
  return {
    ok: r.ok,
    exitCode: String(r.exitCode),
    seconds: r.seconds.toFixed(1),
    stages: r.reports.map((s) => ({ ...s.json, stageSeconds: (s.seconds ?? 0).toFixed(1) })),
  };
}

export function checkText(r: CheckRun): string {
  const body = r.reports.map((s) => s.text.join('\n') + '\n').join('');
  return `${body}${stageTimes(r)}\ncheck: ${r.ok ? 'OK' : 'FAILED'}; ${r.reports.map((s) => s.summary).join('; ')}\n`;
}
