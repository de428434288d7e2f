// The real-geometry arbitraries reach every edge they are meant to, counted
// from the scenarios themselves (generators/real/classify.ts), at x86_64 and arm64-4k.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyEdges, EDGES, type Edge } from '../../../generators/real/classify.js';
import { edgeOrders, lensAround } from '../../../generators/real/edge-values.js';
import { realScenarioArb } from '../../../generators/real/scenario-arb.js';
import { GEOMETRIES, type ArchName } from '../../../model/geometry.js';

const N = 3000;

describe('edge values', () => {
  it(
    'x86_64: orders -2^31, -1, 0, the leaves 0, 9, 18, one past (19), 51 (4096 << 51 = 2^63), 52, 63, 64, 2^31 - ' +
      '1',
    () => {
      expect(edgeOrders(GEOMETRIES.x86_64)).toEqual([-(2 ** 31), -1, 0, 9, 18, 19, 51, 52, 63, 64, 2 ** 31 - 1]);
    },
  );
  it('lengths a page and a byte either side of 2M', () => {
    expect(lensAround(GEOMETRIES.x86_64, 0x200000n)).toEqual([0x1ff000n, 0x1fffffn, 0x200000n, 0x200001n, 0x201000n]);
  });
});

for (const arch of ['x86_64', 'arm64-4k'] as ArchName[]) {
  describe(`realScenarioArb(${arch})`, () => {
    it(`hits every edge in at least 0.5% of ${N} scenarios`, () => {
      const counts = new Map<Edge, number>(EDGES.map((e) => [e, 0]));
      for (const s of fc.sample(realScenarioArb(arch), { numRuns: N, seed: 42 }))
        for (const e of classifyEdges(s)) counts.set(e, (counts.get(e) ?? 0) + 1);
      const table = [...counts].map(([e, n]) => `${e}: ${((100 * n) / N).toFixed(1)}%`).join('\n');
      console.log(`${arch} edges over ${N} scenarios:\n${table}`);
      for (const [e, n] of counts) expect(n, `${e}\n${table}`).toBeGreaterThanOrEqual(N * 0.005);
    });
  });
}
