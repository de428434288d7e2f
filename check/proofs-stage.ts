// The Z3 stage of `mapping-order check`: every lemma of proofs/ proved and every twin refuted with a
// counterexample its bigint replay confirms (proofs/suite.ts judges; `npm run prove` prints the details).

import type { Stage } from './stage.js';
import { EXIT } from '../io/errors.js';
import { shutdownZ3, z3Version } from '../proofs/lib.js';
import { runSuite, type Outcome } from '../proofs/suite.js';

function outcomeLine(o: Outcome): string {
  const what = o.lemma.expect === 'proved' ? 'lemma' : 'twin';
  const unconfirmed = o.replay && !o.replay.confirmed ? ' (replay not confirmed)' : '';
  return `  !! ${what} ${o.lemma.id} (${o.arch}): expected ${o.lemma.expect}, got ${o.result.status}${unconfirmed}`;
}

export const proofsStage: Stage = async (o, progress) => {
  if (o.only !== undefined) {
    const text = ['proofs: skipped: --only selects one TLC configuration'];
    return {
      name: 'proofs',
      ok: true,
      exitCode: EXIT.ok,
      text,
      json: { name: 'proofs', skipped: '--only' },
      summary: 'proofs: skipped (--only)',
    };
  }
  try {
    const version = await z3Version();
    let done = 0;
    const report = await runSuite({ onOutcome: () => progress(`proofs: ${++done} lemma and twin runs judged`, false) });
    progress(`proofs: ${done} lemma and twin runs judged`, true);
    const bad = report.files.flatMap((f) => [...f.lemma, ...f.twins]).filter((x) => !x.ok);
    const wrong = bad.some((x) => x.result.status !== 'unknown');
    const secs = (report.ms / 1000).toFixed(0);
    const head =
      `proofs (${version}, 64-bit bit-vectors): ${report.lemmasProved}/${report.lemmaRuns} lemma runs ` +
      `proved, ${report.twinsRefuted}/${report.twinRuns} twin runs refuted, ${secs}s`;
    return {
      name: 'proofs',
      ok: report.ok,
      exitCode: report.ok ? EXIT.ok : wrong ? EXIT.failed : EXIT.toolError,
      text: [head, ...bad.map(outcomeLine)],
      json: {
        name: 'proofs',
        ok: report.ok,
        lemmasProved: String(report.lemmasProved),
        lemmaRuns: String(report.lemmaRuns),
        twinsRefuted: String(report.twinsRefuted),
        twinRuns: String(report.twinRuns),
        unknown: String(report.unknown),
        failures: bad.map((x) => ({ id: x.lemma.id, arch: x.arch, expected: x.lemma.expect, status: x.result.status })),
      },
      summary:
        `proofs: ${report.lemmasProved}/${report.lemmaRuns} proved, ` +
        `${report.twinsRefuted}/${report.twinRuns} twins refuted`,
    };
  } finally {
    await shutdownZ3();
  }
};
