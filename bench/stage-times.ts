// One side of `bench/stages.ts`: imports the check pipeline of a work tree (this one or another commit's),
// runs its stages in order with the default options, and prints one JSON line: each stage's name, wall-clock
// seconds, whether it passed and its summary (the counts). Run in a child process per side, so the two
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
  ok: boolean;
  summary: string;
}

const root = process.argv[2];
if (root === undefined) {
  process.stderr.write('stage-times: root: give the work tree whose pipeline to time\n');
  process.exit(2);
}
const pipeline = (await import(pathToFileURL(join(root, 'check/pipeline.ts')).href)) as { STAGES: StageLike[] };
const stage = (await import(pathToFileURL(join(root, 'check/stage.ts')).href)) as { DEFAULT_CHECK_OPTIONS: unknown };
// A context for the pipelines that have one (older ones take two arguments and ignore it).
const ctx = { replays: new Map() };
const out: Array<{ name: string; seconds: number; ok: boolean; summary: string }> = [];
for (const s of pipeline.STAGES) {
  const started = performance.now();
  const r = await s.run(stage.DEFAULT_CHECK_OPTIONS, () => undefined, ctx);
  out.push({ name: s.name, seconds: (performance.now() - started) / 1000, ok: r.ok, summary: r.summary });
  process.stderr.write(`${root}: ${s.name} ${out[out.length - 1]?.seconds.toFixed(1)} s\n`);
}
await Promise.allSettled(ctx.replays.values());
process.stdout.write(JSON.stringify(out) + '\n');
