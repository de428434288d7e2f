// One side of `bench/stages.ts`: imports the check pipeline of a work tree (this one or another commit's),
// runs it with the default options, and prints one JSON line: each stage's name, wall-clock seconds, whether it
// passed and its summary (the counts), and the whole run's seconds. A pipeline whose runCheck times its stages
// is run as `check` runs it; an older one stage by stage, timed here. Run in a child process per side, so the two
// pipelines share no module, JIT or heap.
//
//   node --import tsx bench/stage-times.ts <work tree root>

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface StageLike {
  name: string;
  run: (o: unknown, progress: (line: string, final: boolean) => void, ctx: unknown) => Promise<StageReportLike>;
}
interface StageReportLike {
  name: string;
  ok: boolean;
  summary: string;
  seconds?: number;
}
interface RunLike {
  reports: StageReportLike[];
  seconds?: number;
}

const root = process.argv[2];
if (root === undefined) {
  process.stderr.write('stage-times: root: give the work tree whose pipeline to time\n');
  process.exit(2);
}
const pipeline = (await import(pathToFileURL(join(root, 'check/pipeline.ts')).href)) as {
  STAGES: StageLike[];
  runCheck: (o: unknown, progress: (line: string, final: boolean) => void) => Promise<RunLike>;
  /** Present where runCheck times its own stages (this tree, since issue 13). */
  stageTimes?: unknown;
};
const stage = (await import(pathToFileURL(join(root, 'check/stage.ts')).href)) as { DEFAULT_CHECK_OPTIONS: unknown };
const out: Array<{ name: string; seconds: number; ok: boolean; summary: string }> = [];
const started = performance.now();
if (typeof pipeline.stageTimes === 'function') {
  // The pipeline as `check` runs it (a stage may run alongside the others), with the times it measures itself.
  const r = await pipeline.runCheck(stage.DEFAULT_CHECK_OPTIONS, () => undefined);
  for (const x of r.reports) out.push({ name: x.name, seconds: x.seconds ?? 0, ok: x.ok, summary: x.summary });
} else {
  // An older pipeline: its stages one after another, as its runCheck ran them, timed here.
  const ctx = { replays: new Map() };
  for (const s of pipeline.STAGES) {
    const t = performance.now();
    const r = await s.run(stage.DEFAULT_CHECK_OPTIONS, () => undefined, ctx);
    out.push({ name: s.name, seconds: (performance.now() - t) / 1000, ok: r.ok, summary: r.summary });
  }
}
for (const x of out) process.stderr.write(`${root}: ${x.name} ${x.seconds.toFixed(1)} s\n`);
process.stdout.write(JSON.stringify({ stages: out, seconds: (performance.now() - started) / 1000 }) + '\n');
