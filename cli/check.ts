// `mapping-order check`: the main job. Runs every check stage in turn and exits 0 only if every verdict
// matched its expectation. Stages are functions returning a StageReport, so the TypeScript exhaustive
// checks, the differential comparison and the Z3 proofs (other issues) are added to STAGES.
//
//   mapping-order check [--json] [--only NAME] [--workers N] [--no-explain] [--record]
//
//   --only NAME   run one TLC configuration of spec/verdicts.json (CI or manual, e.g. MCV2_bug_NoOffSub)
//   --workers N   TLC worker threads (default 2)
//   --no-explain  do not re-run TLC to explain counterexamples (faster; the matrix is unchanged)
//   --record      write the measured state counts and times back into spec/verdicts.json
//   --json        the same report as JSON on stdout (numbers as strings)
//
// Exit codes (cli/errors.ts): 0 all verdicts matched; 1 a verdict differed; 2 bad arguments; 3 java or
// the TLC jar missing; 4 TLC failed or printed something we cannot read.

import { EXIT, InputError } from './errors.js';
import { loadManifest, recordMeasured, type Measured } from './check/manifest.js';
import { measuredOf, runTlcStage, stageJson, stageText } from './check/tlc-stage.js';
import { tsExhaustiveStage } from './check/ts-exhaustive.js';
import { differentialStage } from './check/differential.js';
import { proofsStage } from './check/proofs-stage.js';

export interface CheckOptions {
  json: boolean;
  only: string | undefined;
  workers: number;
  explain: boolean;
  record: boolean;
}

export interface StageReport {
  name: string;
  ok: boolean;
  exitCode: number;
  text: string[];
  json: Record<string, unknown>;
  /** A one-line summary for the end of the run. */
  summary: string;
}

export type Stage = (o: CheckOptions, progress: (line: string, final: boolean) => void) => Promise<StageReport>;

const tlcStage: Stage = async (o, progress) => {
  const manifest = loadManifest();
  const rep = await runTlcStage({
    manifest,
    ...(o.only !== undefined ? { only: o.only } : {}),
    workers: o.workers,
    explain: o.explain,
    progress,
  });
  if (o.record) {
    const date = new Date().toISOString().slice(0, 10);
    const updates = new Map<string, Measured>();
    for (const r of rep.configs) if (r.observed !== 'error' && r.matched) updates.set(r.entry.name, measuredOf(r, o.workers, date));
    recordMeasured(updates);
  }
  const mism = rep.configs.filter((r) => !r.matched).length + rep.cells.filter((c) => c.observed !== 'not run' && !c.matched).length;
  return {
    name: 'tlc',
    ok: rep.ok,
    exitCode: rep.exitCode,
    text: stageText(rep),
    json: stageJson(rep),
    summary: `tlc: ${rep.configs.length} configurations, ${rep.cells.filter((c) => c.observed !== 'not run').length} matrix cells decided, ${mism} mismatches, ${rep.seconds.toFixed(0)}s`,
  };
};

/** The stages in order; later issues append theirs. */
export const STAGES: ReadonlyArray<{ name: string; run: Stage }> = [
  { name: 'tlc', run: tlcStage },
  { name: 'ts-exhaustive', run: tsExhaustiveStage },
  { name: 'differential', run: differentialStage },
  { name: 'proofs', run: proofsStage },
];

export function parseCheckArgs(argv: readonly string[]): CheckOptions {
  const o: CheckOptions = { json: false, only: undefined, workers: 2, explain: true, record: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    switch (a) {
      case '--json':
        o.json = true;
        break;
      case '--no-explain':
        o.explain = false;
        break;
      case '--record':
        o.record = true;
        break;
      case '--only': {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) throw new InputError('--only', 'needs a configuration name');
        o.only = v.replace(/\.cfg$/, '');
        break;
      }
      case '--workers': {
        const v = argv[++i];
        if (v === undefined || !/^[1-9][0-9]*$/.test(v) || Number(v) > 64) {
          throw new InputError('--workers', 'must be an integer from 1 to 64');
        }
        o.workers = Number(v);
        break;
      }
      default:
        throw new InputError(a.startsWith('-') ? a : 'arguments', `unknown option '${a}' (--json, --only NAME, --workers N, --no-explain, --record)`);
    }
  }
  if (o.only !== undefined) {
    const names = loadManifest().configs.map((c) => c.name);
    if (!names.includes(o.only)) {
      throw new InputError('--only', `unknown configuration '${o.only}' (see spec/verdicts.json; e.g. ${names.slice(0, 3).join(', ')})`);
    }
  }
  return o;
}

export async function run(argv: string[]): Promise<number> {
  let o: CheckOptions;
  try {
    o = parseCheckArgs(argv);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`mapping-order: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  // One progress line per configuration: rewritten in place on a terminal; otherwise each update (TLC
  // reports about once a minute) is its own line.
  const tty = process.stderr.isTTY === true;
  const progress = (line: string, final: boolean): void => {
    if (tty) process.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
  const reports: StageReport[] = [];
  for (const s of STAGES) reports.push(await s.run(o, progress));
  const ok = reports.every((r) => r.ok);
  const exitCode = ok ? EXIT.ok : Math.max(...reports.map((r) => r.exitCode));
  if (o.json) {
    process.stdout.write(JSON.stringify({ ok, exitCode: String(exitCode), stages: reports.map((r) => r.json) }, null, 2) + '\n');
  } else {
    for (const r of reports) process.stdout.write(r.text.join('\n') + '\n');
    process.stdout.write(`check: ${ok ? 'OK' : 'FAILED'}; ${reports.map((r) => r.summary).join('; ')}\n`);
  }
  return exitCode;
}
