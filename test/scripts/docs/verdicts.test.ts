// spec/verdicts.json as the docs read it: the departures from the contract are
// the violated cells plus the cells a bug-free TLC configuration shows broken
// outside the matrix; configurations with bug toggles are not departures.

import { describe, expect, it } from 'vitest';
import { loadManifest, type ConfigEntry } from '../../../check/manifest.js';
import { departures } from '../../../scripts/docs/verdicts.js';

const REAL = loadManifest();

/** The real manifest with every cell set to holds, OrderClamped under v2 violated, and the given configs. */
function manifestWith(configs: ReadonlyArray<Partial<ConfigEntry> & Pick<ConfigEntry, 'name' | 'policy'>>) {
  const m = structuredClone(REAL);
  for (const inv of m.invariants)
    for (const p of m.policies)
      m.matrix[inv][p] = { verdict: 'holds', arches: { x86: 'holds', arm64: 'holds' }, reason: 'r' };
  m.matrix.OrderClamped.v2 = {
    verdict: 'violated',
    arches: { x86: 'violated', arm64: 'violated' },
    reason: 'no clamp',
    finding: 'f',
  };
  const base = REAL.configs[0]!;
  m.configs = configs.map((c) => ({ ...base, bugs: [], expect: 'pass', violates: null, ...c }));
  return m;
}

describe('departures', () => {
  it('lists violated cells and bug-free violation configs, in matrix order, never bug toggles', () => {
    const m = manifestWith([
      { name: 'MCV2_OrderClamped', policy: 'v2', expect: 'violation', violates: 'OrderClamped' },
      { name: 'MCShadow', policy: 'baseline', expect: 'violation', violates: 'NoOverlap' },
      { name: 'MCV2_bug_X', policy: 'v2', expect: 'violation', violates: 'InRange', bugs: ['BUG_X'] },
      { name: 'MCV2', policy: 'v2' },
    ]);
    const d = departures(m);
    // NoOverlap (row 2) before OrderClamped (row 9); InRange's only violation is a bug toggle
    expect(
      d.map((x) => {
        const verdict = x.cell === null ? 'config' : x.cell.verdict;
        return `${x.invariant}/${x.policy}:${verdict}:${x.configs.map((c) => c.name).join('+')}`;
      }),
    ).toEqual(['NoOverlap/baseline:config:MCShadow', 'OrderClamped/v2:violated:MCV2_OrderClamped']);
    expect(d[1]!.cell!.finding).toBe('f');
  });

  it('on the real matrix, lists every violated cell', () => {
    const violated = REAL.invariants.flatMap((i) =>
      REAL.policies.filter((p) => REAL.matrix[i][p].verdict === 'violated').map((p) => `${i}/${p}`),
    );
    const listed = departures(REAL)
      .filter((d) => d.cell !== null)
      .map((d) => `${d.invariant}/${d.policy}`);
    expect(listed).toEqual(violated);
  });
});
