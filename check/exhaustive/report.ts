// The exhaustive checker's results as text for `mapping-order check`: per
// universe its counts and speed, then per domain the verdict table (invariant
// x policy, each cell `holds` or `violated(n)`, marked ≠ where the expectation
// differs), and the minimal counterexample of each cell in kernel terms (every
// violated cell with `verbose`, else only the disagreements). Pure.

import { formatCounterexample } from '../../model/invariants/index.js';
import type { PolicyName } from '../../model/types.js';
import { layoutText, toScenario } from '../../generators/tiny/scenario.js';
import type { Counterexample, Domain, ExhaustiveResult } from './exhaustive.js';
import type { VerdictRow } from './verdict-matrix.js';

export interface UniverseRun {
  readonly result: ExhaustiveResult;
  readonly seconds: number;
  readonly workers: number;
  readonly rows: readonly VerdictRow[];
  /**
   * Whether the expectations speak for this universe both ways (the CI domain:
   * an expected violation must be witnessed), or only for "holds" (a wider
   * universe need not contain every witness).
   */
  readonly strict: boolean;
}

/**
 * The rows that make the check fail: an unexpected violation anywhere;
 * a missing expected violation in the strict plain domain.
 */
export function disagreements(run: UniverseRun): VerdictRow[] {
  return run.rows.filter((r) => {
    if (r.expected === null) return true;
    if (r.observed === 'violated') return r.expected !== 'violated';
    return run.strict && r.domain === 'plain' && r.expected === 'violated';
  });
}

export function counterexampleText(cx: Counterexample): string {
  const s = toScenario(cx.case, cx.policy);
  const text = formatCounterexample(cx.invariant, s, cx.placement, { ok: false, why: cx.why });
  return `${text}\n  tiny case: ${cx.case.arch}, layout ${layoutText(cx.case.layout)} (pages)`;
}

function rate(n: number, seconds: number): string {
  return seconds > 0 ? `${Math.round(n / seconds)}` : 'n/a';
}

const DOMAIN_TEXT: Record<Domain, string> = {
  plain: 'requests without VM_SHADOW_STACK (the matrix domain)',
  'shadow-stack':
    'VM_SHADOW_STACK requests (start_gap one page; expectations: the matrix, NoOverlap per MCShadowStack)',
};

export function formatUniverseRun(run: UniverseRun, verbose: boolean): string[] {
  const r = run.result;
  const requests = `${r.requests} request${r.canonical ? ' classes' : 's'}`;
  const workers = `${run.workers} worker${run.workers === 1 ? '' : 's'}`;
  const lines = [
    `  ${r.universe}: ${r.layouts} layouts x ${requests} x ${r.policies.length} policies = ` +
      `${r.cases} cases (${r.rawCases} raw), ${r.evaluations} invariant evaluations, ` +
      `${run.seconds.toFixed(1)} s on ${workers}, ${rate(r.cases, run.seconds)} cases/s`,
  ];
  const policies = r.policies as readonly PolicyName[];
  const width = Math.max(...r.invariants.map((i) => i.length));
  const d = disagreements(run);
  const bad = new Set(d.map((x) => `${x.domain}/${x.invariant}/${x.policy}`));
  for (const domain of r.domains) {
    lines.push(`   ${DOMAIN_TEXT[domain]}:`);
    lines.push(`    ${''.padEnd(width)}  ${policies.map((p) => p.padEnd(15)).join(' ')}`);
    for (const inv of r.invariants) {
      const cells = policies.map((p) => {
        const t = r.tallies[domain]?.[p]?.[inv];
        const cell = t === undefined || t.violated === 0 ? 'holds' : `violated(${t.violated})`;
        return `${cell}${bad.has(`${domain}/${inv}/${p}`) ? ' ≠' : ''}`.padEnd(15);
      });
      lines.push(`    ${inv.padEnd(width)}  ${cells.join(' ')}`);
    }
  }
  const unwitnessed = run.strict ? '' : ' (expected violations need not be witnessed here)';
  lines.push(
    d.length === 0
      ? `    verdicts vs expectations: ${run.rows.length}/${run.rows.length} agree${unwitnessed}`
      : `    verdicts vs expectations: ${d.length} disagree (≠), ${run.rows.length - d.length} agree`,
  );
  for (const row of run.rows) {
    const disagrees = d.includes(row);
    if (!disagrees && !(verbose && row.observed === 'violated')) continue;
    const what =
      row.observed === 'violated'
        ? `violated in ${row.violated} cases (${row.violatedRaw} raw)`
        : 'holds on every case';
    const expected = row.expected ?? '(no expectation)';
    lines.push(`    ${row.invariant} under ${row.policy} (${row.domain}): expected ${expected}, ${what}`);
    if (row.minimal !== null)
      lines.push(
        ...counterexampleText(row.minimal)
          .split('\n')
          .map((l) => `      ${l}`),
      );
  }
  return lines;
}
