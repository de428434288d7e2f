// `npm run prove`: every lemma proved, every twin refuted, in each geometry the lemma names.
//
//   node --import tsx proofs/run.ts [--only TEXT] [--verbose]
//
// Prints per lemma its statement, the result and time per geometry; per twin the refutation with
// its counterexample in kernel terms (hex) and the bigint replay; then one summary line.
// Exit 0 only if every lemma is proved and every twin refuted with a confirmed replay; 1 when a
// verdict is wrong; 4 when Z3 answered 'unknown' (timeout) and nothing was wrong; 2 on bad arguments.

import { EXIT } from '../io/errors.js';
import { formatValues, shutdownZ3, TIMEOUT_MS, z3Version } from './lib.js';
import { runSuite, type Outcome } from './suite.js';

interface Args {
  only?: string;
  verbose: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verbose') args.verbose = true;
    else if (a === '--only') {
      const v = argv[++i];
      if (!v) return '--only: needs a lemma id or file name';
      args.only = v;
    } else return `${a}: unknown argument (use --only TEXT, --verbose)`;
  }
  return args;
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

function verdict(o: Outcome): string {
  const s = o.result.status;
  const word = s === 'proved' ? 'PROVED' : s === 'refuted' ? 'REFUTED' : 'UNKNOWN';
  return `${o.ok ? '' : '!! '}${word} ${o.arch} ${secs(o.result.ms)}`;
}

function queries(o: Outcome): string {
  return o.result.queryMs.map((ms) => ms.toFixed(0)).join('+') + ' ms';
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(`prove: ${args}`);
    return EXIT.usage;
  }
  console.log(
    `proofs: ${await z3Version()} (z3-solver, WebAssembly), 64-bit bit-vectors, quantifier-free; ` +
      `timeout ${TIMEOUT_MS / 1000}s per query`,
  );
  const report = await runSuite({ only: args.only });
  for (const f of report.files) {
    const { lemma } = f.entry.proof;
    console.log('');
    console.log(`${lemma.id}  (proofs/${f.entry.file}; ${lemma.invariants.join(', ')})`);
    console.log(`  ${lemma.statement}`);
    console.log(`  lemma: ${f.lemma.map(verdict).join(' | ')}`);
    if (args.verbose) for (const o of f.lemma) console.log(`    ${o.arch} queries: ${queries(o)}`);
    for (const o of f.lemma)
      if (!o.ok)
        console.log(
          `    !! expected proved in ${o.arch}: ${o.result.status}${o.result.reason ? ` (${o.result.reason})` : ''}`,
        );
    for (const twin of f.entry.proof.twins) {
      const runs = f.twins.filter((o) => o.lemma === twin);
      console.log(`  twin ${twin.id}: ${runs.map(verdict).join(' | ')}`);
      console.log(`    ${twin.statement}`);
      // One counterexample is enough to read; the first geometry's (x86_64 where listed).
      const shown = runs.find((o) => o.result.counterexample) ?? null;
      if (shown?.result.counterexample) {
        console.log(`    counterexample (${shown.arch}): ${formatValues(shown.result.counterexample)}`);
        if (shown.replay)
          console.log(`    replay: ${shown.replay.confirmed ? '' : '!! NOT CONFIRMED: '}${shown.replay.text}`);
      }
      for (const o of runs) {
        if (o !== shown && o.replay && !o.replay.confirmed)
          console.log(`    !! replay not confirmed in ${o.arch}: ${o.replay.text}`);
        if (!o.ok && o.result.status !== 'refuted')
          console.log(`    !! expected refuted in ${o.arch}: ${o.result.status}`);
        if (args.verbose) console.log(`    ${o.arch} queries: ${queries(o)}`);
      }
      if (twin.finding) console.log(`    FINDING: ${twin.finding}`);
    }
  }
  const z3ms = report.files.flatMap((f) => [...f.lemma, ...f.twins]).reduce((a, o) => a + o.result.ms, 0);
  console.log('');
  const unknown = report.unknown ? `, ${report.unknown} unknown` : '';
  const overall = report.ok ? 'OK' : 'FAILED';
  console.log(
    `summary: ${report.lemmasProved}/${report.lemmaRuns} lemma runs proved, ` +
      `${report.twinsRefuted}/${report.twinRuns} twin runs refuted${unknown}; ` +
      `${report.files.length} files; ${secs(report.ms)} total (${secs(z3ms)} in queries) -> ${overall}`,
  );
  if (report.ok) return EXIT.ok;
  const wrong = report.files
    .flatMap((f) => [...f.lemma, ...f.twins])
    .some((o) => !o.ok && o.result.status !== 'unknown');
  return wrong ? EXIT.failed : EXIT.toolError;
}

let code: number = EXIT.failed;
try {
  code = await main(process.argv.slice(2));
} catch (e) {
  console.error(`prove: ${e instanceof Error ? e.message : String(e)}`);
  code = EXIT.failed;
} finally {
  await shutdownZ3();
}
// Z3's Emscripten worker threads can keep Node alive; end explicitly with the verdict.
process.exit(code);
