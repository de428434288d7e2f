// npm run bench: cases checked per second by the TypeScript exhaustive checker
// and by TLC on the same universe (bench:tiny-N, generators/tiny/universe.ts),
// in one run, their ratio, and how both grow with the address space.
//
//   npm run bench                      16, 32, 64 and 128 pages
//   npm run bench -- --pages 16,32     fewer geometries
//   npm run bench -- --no-tlc          the TypeScript side only
//   npm run bench -- --json            the figures as JSON (numbers as strings)
//
// A case is one (layout, request, policy): every invariant evaluated on the
// policy's placement. TypeScript: raw cases on one thread (the like-for-like
// figure), then one case per class on two worker threads (what `check` runs).
// TLC: one run per policy, one worker, with MCBench's invariant that evaluates
// all of spec/Invariants.tla in every state without stopping; its time is the
// wall clock of the run, and the rate is also given without the start-up (JVM,
// parsing, initial states: measured by one more run of the same module that
// takes no step). The TypeScript side is warmed up first (the JIT), so its figures are
// the steady rate.
// Speed is printed, never asserted (bench/PROFILE.md has the profile).

import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkUniverse } from '../check/exhaustive/exhaustive.js';
import { universeByName } from '../generators/tiny/universe.js';
import { loadManifest, SPEC_DIR } from '../check/manifest.js';
import { checkUniverseTimed } from '../check/exhaustive/stage.js';
import { runTlc } from '../tlc/run.js';
import { isArchName, type ArchName } from '../model/geometry.js';
import { INVARIANT_NAMES } from '../model/invariants/index.js';
import { benchConfig, benchModule } from './tlc-module.js';

interface Row {
  pages: number;
  layouts: number;
  rawCases: number;
  tsSeconds: number;
  tsCanonicalCases: number;
  tsWorkersSeconds: number;
  tsWorkers: number;
  tlcCases: number | null;
  tlcSeconds: number | null;
  /** JVM start, parsing and initial states, summed over the runs. */
  tlcStartup: number | null;
  tlcError: string | null;
}

function parseArgs(argv: string[]): { pages: number[]; tlc: boolean; json: boolean } {
  const o = { pages: [16, 32, 64, 128], tlc: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-tlc') o.tlc = false;
    else if (a === '--json') o.json = true;
    else if (a === '--pages') {
      const v = argv[++i] ?? '';
      const ps = v.split(',').map(Number);
      if (v === '' || ps.some((p) => !isArchName(`tiny-${p}`)))
        throw new Error(`--pages: '${v}' is not a list of 16, 32, 64, 128`);
      o.pages = ps;
    } else throw new Error(`${a}: unknown option (--pages LIST, --no-tlc, --json)`);
  }
  return o;
}

async function tlcOn(
  arch: ArchName,
  say: (s: string) => void,
): Promise<{ cases: number; seconds: number; startup: number; error: string | null }> {
  const u = universeByName(`bench:${arch}`);
  const dir = await mkdtemp(join(tmpdir(), 'mapping-order-bench-'));
  try {
    for (const f of readdirSync(SPEC_DIR)) if (f.endsWith('.tla')) copyFileSync(join(SPEC_DIR, f), join(dir, f));
    writeFileSync(join(dir, 'MCBench.tla'), benchModule(u, INVARIANT_NAMES));
    const bugs = loadManifest().bugToggles;
    let cases = 0;
    let seconds = 0;
    writeFileSync(join(dir, 'MCBench_startup.cfg'), benchConfig('baseline', bugs, true));
    say(`  ${arch}: TLC start-up...`);
    const s0 = await runTlc({ dir, spec: 'MCBench', config: 'MCBench_startup.cfg', workers: 1 });
    if (s0.outcome !== 'pass')
      return {
        cases,
        seconds,
        startup: 0,
        error: `TLC ${s0.outcome} on the start-up run: ${s0.errors.slice(0, 2).join(' | ')}`,
      };
    for (const policy of u.policies) {
      writeFileSync(join(dir, `MCBench_${policy}.cfg`), benchConfig(policy, bugs));
      say(`  ${arch}: TLC, ${policy}...`);
      const r = await runTlc({ dir, spec: 'MCBench', config: `MCBench_${policy}.cfg`, workers: 1 });
      if (r.outcome !== 'pass')
        return {
          cases,
          seconds,
          startup: 0,
          error: `TLC ${r.outcome} on ${policy}: ${r.errors.slice(0, 2).join(' | ')}`,
        };
      // Init states hold no call: every other state is one mmap of the universe.
      cases += r.distinctStates - u.layouts.length;
      seconds += r.seconds;
    }
    return { cases, seconds, startup: u.policies.length * s0.seconds, error: null };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rate = (n: number, s: number): number => (s > 0 ? Math.round(n / s) : 0);

async function main(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  const say = (s: string): void => void process.stderr.write(`${s}\n`);
  const rows: Row[] = [];
  // Warm the JIT up on a slice of the smallest universe, so the figures are the steady rate.
  const warm = universeByName(`bench:tiny-${o.pages[0] ?? 16}`);
  checkUniverse({ ...warm, layouts: warm.layouts.slice(0, 20) }, { canonical: false });
  for (const pages of o.pages) {
    const arch = `tiny-${pages}` as ArchName;
    const u = universeByName(`bench:${arch}`);
    say(`bench:${arch}: ${u.layouts.length} layouts`);
    const t0 = performance.now();
    const raw = checkUniverse(u, { canonical: false });
    const tsSeconds = (performance.now() - t0) / 1000;
    const par = await checkUniverseTimed(`bench:${arch}`);
    const tlc = o.tlc ? await tlcOn(arch, say) : null;
    rows.push({
      pages,
      layouts: u.layouts.length,
      rawCases: raw.cases,
      tsSeconds,
      tsCanonicalCases: par.result.cases,
      tsWorkersSeconds: par.seconds,
      tsWorkers: par.workers,
      tlcCases: tlc?.cases ?? null,
      tlcSeconds: tlc?.seconds ?? null,
      tlcStartup: tlc?.startup ?? null,
      tlcError: tlc?.error ?? null,
    });
  }
  if (o.json) {
    const s = (x: number | null): string | null => (x === null ? null : String(x));
    process.stdout.write(
      JSON.stringify(
        rows.map((r) => ({
          pages: String(r.pages),
          layouts: String(r.layouts),
          cases: String(r.rawCases),
          tsSeconds: r.tsSeconds.toFixed(2),
          tsCasesPerSecond: String(rate(r.rawCases, r.tsSeconds)),
          tsWorkers: String(r.tsWorkers),
          tsWorkersSeconds: r.tsWorkersSeconds.toFixed(2),
          tlcCases: s(r.tlcCases),
          tlcSeconds: r.tlcSeconds === null ? null : r.tlcSeconds.toFixed(2),
          tlcCasesPerSecond:
            r.tlcSeconds === null || r.tlcCases === null ? null : String(rate(r.tlcCases, r.tlcSeconds)),
          tlcStartupSeconds: r.tlcStartup === null ? null : r.tlcStartup.toFixed(2),
          tlcCasesPerSecondAfterStartup:
            r.tlcSeconds === null || r.tlcCases === null || r.tlcStartup === null
              ? null
              : String(rate(r.tlcCases, r.tlcSeconds - r.tlcStartup)),
          tlcError: r.tlcError,
        })),
        null,
        2,
      ) + '\n',
    );
    return rows.some((r) => r.tlcError !== null) ? 4 : 0;
  }
  const head = [
    'pages',
    'layouts',
    'cases',
    'TS 1 thread',
    'cases/s',
    `TS ${rows[0]?.tsWorkers ?? 2} workers`,
    'cases/s',
    'TLC 1 worker',
    'cases/s',
    'TS/TLC',
    'w/o start-up',
    'TS/TLC',
  ];
  const lines = rows.map((r) => {
    const ts = rate(r.rawCases, r.tsSeconds);
    const tlc = r.tlcSeconds === null || r.tlcCases === null ? null : rate(r.tlcCases, r.tlcSeconds);
    const tlcRun =
      r.tlcSeconds === null || r.tlcCases === null || r.tlcStartup === null
        ? null
        : rate(r.tlcCases, r.tlcSeconds - r.tlcStartup);
    return [
      String(r.pages),
      String(r.layouts),
      String(r.rawCases),
      `${r.tsSeconds.toFixed(1)} s`,
      String(ts),
      `${r.tsWorkersSeconds.toFixed(1)} s`,
      String(rate(r.tsCanonicalCases, r.tsWorkersSeconds)),
      r.tlcSeconds === null ? (r.tlcError ?? 'not run') : `${r.tlcSeconds.toFixed(1)} s`,
      tlc === null ? '-' : String(tlc),
      tlc === null || tlc === 0 ? '-' : `${(ts / tlc).toFixed(1)}x`,
      tlcRun === null ? '-' : String(tlcRun),
      tlcRun === null || tlcRun === 0 ? '-' : `${(ts / tlcRun).toFixed(1)}x`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cols: string[]): string => cols.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  process.stdout.write(
    [
      'Exhaustive checking speed on bench:tiny-N (a case = one layout, request and policy, every invariant checked)',
      fmt(head),
      ...lines.map(fmt),
      'TS 1 thread: raw cases, the like-for-like figure; TS workers: one case per class, as `mapping-order check` ' +
        'runs it;',
      'TLC: 4 runs (one per policy), 1 worker: wall clock, then without the start-up (JVM, parsing, initial states).',
      ...rows.filter((r) => r.tlcError !== null).map((r) => `tiny-${r.pages}: ${r.tlcError}`),
      '',
    ].join('\n'),
  );
  return rows.some((r) => r.tlcError !== null) ? 4 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
