// Reading the verdict matrix and comparing verdicts with it.

import { describe, expect, it } from 'vitest';
import { checkUniverse } from '../../../check/exhaustive/exhaustive.js';
import { disagreements } from '../../../check/exhaustive/report.js';
import { compareWithMatrix, expectationFor, verdictMatrixOf } from '../../../check/exhaustive/verdict-matrix.js';
import { loadManifest } from '../../../check/manifest.js';
import type { TinyUniverse } from '../../../generators/tiny/universe.js';

// The real matrix with OrderZeroIsBaseline under v2 set to `verdict` (NoOverlap under v2 holds in it).
const matrixWith = (verdict: 'holds' | 'violated') => {
  const { matrix } = structuredClone(loadManifest());
  matrix.OrderZeroIsBaseline.v2 = { verdict, arches: { x86: verdict, arm64: verdict }, reason: 'r' };
  return verdictMatrixOf({ matrix });
};

describe('verdictMatrixOf', () => {
  it('keys every cell of the manifest by Invariant/policy', () => {
    const m = matrixWith('violated');
    expect(m.size).toBe(12 * 4);
    expect(m.get('OrderZeroIsBaseline/v2')).toMatchObject({ verdict: 'violated', reason: 'r' });
  });

  it('expects NoOverlap violated for shadow-stack requests on x86 (MCShadowStack), the matrix elsewhere', () => {
    const m = matrixWith('violated');
    expect(expectationFor(m, 'plain', 'NoOverlap', 'v2', 'x86')).toBe('holds');
    expect(expectationFor(m, 'shadow-stack', 'NoOverlap', 'v2', 'x86')).toBe('violated');
    expect(expectationFor(m, 'shadow-stack', 'OrderZeroIsBaseline', 'v2', 'x86')).toBe('violated');
    // The generic allocator's bottom-up retry keeps info.start_gap (mm/mmap.c generic_get_unmapped_area_topdown).
    expect(expectationFor(m, 'shadow-stack', 'NoOverlap', 'v2', 'arm64')).toBe('holds');
  });

  it('reads the verdict of the architecture asked for', () => {
    const { matrix } = structuredClone(loadManifest());
    matrix.OrderZeroIsBaseline.v2 = { verdict: 'violated', arches: { x86: 'holds', arm64: 'violated' }, reason: 'r' };
    const m = verdictMatrixOf({ matrix });
    expect(expectationFor(m, 'plain', 'OrderZeroIsBaseline', 'v2', 'x86')).toBe('holds');
    expect(expectationFor(m, 'plain', 'OrderZeroIsBaseline', 'v2', 'arm64')).toBe('violated');
  });
});

describe('compareWithMatrix', () => {
  // v2 with order 0 and a VMA at page 14 (hand-derived in exhaustive.test.ts): OrderZeroIsBaseline fails.
  const u: TinyUniverse = {
    name: 'u',
    arch: 'tiny-16',
    barPages: 4,
    layouts: [[{ start: 14, end: 15, kind: 'vma' }]],
    requests: {
      addrs: [0],
      fixed: [false],
      lens: [1],
      pgoffs: [0],
      regions: [0],
      drivers: [{ kind: 'order', k: 0, pa: 0 }],
      topdown: [true],
      sgs: [0],
    },
    policies: ['v2'],
  };
  const r = checkUniverse(u, { invariants: ['OrderZeroIsBaseline', 'NoOverlap'] });

  it('agrees where the matrix says violated and the checker found a violation', () => {
    const rows = compareWithMatrix(r, matrixWith('violated'), r.domains, 'tiny-16');
    expect(rows.map((x) => [x.invariant, x.observed, x.agrees])).toEqual([
      ['NoOverlap', 'holds', true],
      ['OrderZeroIsBaseline', 'violated', true],
    ]);
    expect(disagreements({ result: r, seconds: 1, workers: 1, rows, strict: true })).toEqual([]);
  });

  it('an unexpected violation disagrees in every universe; a missing expected one only in a strict one', () => {
    const rows = compareWithMatrix(r, matrixWith('holds'), r.domains, 'tiny-16');
    expect(disagreements({ result: r, seconds: 1, workers: 1, rows, strict: false }).map((x) => x.invariant)).toEqual([
      'OrderZeroIsBaseline',
    ]);
    const holds = checkUniverse({ ...u, layouts: [[]] }, { invariants: ['OrderZeroIsBaseline'] });
    const rows2 = compareWithMatrix(holds, matrixWith('violated'), holds.domains, 'tiny-16');
    expect(disagreements({ result: holds, seconds: 1, workers: 1, rows: rows2, strict: false })).toEqual([]);
    expect(
      disagreements({ result: holds, seconds: 1, workers: 1, rows: rows2, strict: true }).map((x) => x.invariant),
    ).toEqual(['OrderZeroIsBaseline']);
  });
});
