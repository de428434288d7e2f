// spec/verdicts.json as the docs read it: the departures from the contract are
// the violated cells plus the cells a bug-free TLC configuration shows broken
// outside the matrix; configurations with bug toggles are not departures.

import { describe, expect, it } from 'vitest';
import { departures, readVerdicts, verdictNames } from '../../scripts/docs/verdicts.js';

const JSON_IN = {
  policies: ['baseline', 'v2'],
  invariants: ['InRange', 'NoOverlap', 'OrderClamped'],
  matrix: {
    InRange: { baseline: { verdict: 'holds', reason: 'r1' }, v2: { verdict: 'holds', reason: 'r2' } },
    NoOverlap: { baseline: { verdict: 'holds', reason: 'r3' }, v2: { verdict: 'holds', reason: 'r4' } },
    OrderClamped: { baseline: { verdict: 'holds', reason: 'r5' }, v2: { verdict: 'violated', reason: 'no clamp', finding: 'f' } },
  },
  configs: [
    { name: 'MCV2_OrderClamped', policy: 'v2', geometry: 'tiny-16', expect: 'violation', violates: 'OrderClamped', bugs: [], reason: 'x', measured: { distinct: 88 } },
    { name: 'MCShadow', policy: 'baseline', geometry: 'tiny-16', expect: 'violation', violates: 'NoOverlap', bugs: [], reason: 'kernel fact' },
    { name: 'MCV2_bug_X', policy: 'v2', geometry: 'tiny-16', expect: 'violation', violates: 'InRange', bugs: ['BUG_X'], reason: 'toggle' },
    { name: 'MCV2', policy: 'v2', geometry: 'tiny-16', expect: 'pass', violates: null, bugs: [], reason: 'all' },
  ],
};

describe('departures', () => {
  it('lists violated cells and bug-free violation configs, in matrix order, never bug toggles', () => {
    const d = departures(readVerdicts(JSON_IN));
    // NoOverlap (row 2) before OrderClamped (row 3); InRange's only violation is a bug toggle
    expect(d.map((x) => `${x.invariant}/${x.policy}:${x.cell === null ? 'config' : x.cell.verdict}:${x.configs.map((c) => c.name).join('+')}`)).toEqual([
      'NoOverlap/baseline:config:MCShadow',
      'OrderClamped/v2:violated:MCV2_OrderClamped',
    ]);
    expect(d[1]!.cell!.finding).toBe('f');
  });

  it('names the lists and the matrix', () => {
    expect(verdictNames(readVerdicts(JSON_IN))).toEqual({ invariants: ['InRange', 'NoOverlap', 'OrderClamped'], policies: ['baseline', 'v2'] });
  });

  it('refuses a verdict that is neither holds nor violated, naming the cell', () => {
    const bad = { ...JSON_IN, matrix: { InRange: { baseline: { verdict: 'maybe' } } } };
    expect(() => readVerdicts(bad)).toThrow('spec/verdicts.json: matrix.InRange.baseline.verdict: must be "holds" or "violated"');
  });
});
