// File offsets (pgoff, in pages) biased to the leaf sizes: a multiple of S
// pages, one page more or less (unaligned pgoff), any page count, and offsets
// near the top of the 64-bit range (the pgoff overflow checks).

import fc from 'fast-check';
import type { Geometry } from '../../model/geometry.js';
import { leafSizes } from './edge-values.js';

export function pgoffArb(g: Geometry): fc.Arbitrary<bigint> {
  const pagesOf = (S: bigint): bigint => S / g.pageSize;
  const around = fc
    .record({
      S: fc.constantFrom(...leafSizes(g)),
      k: fc.integer({ min: 0, max: 64 }),
      r: fc.constantFrom(-1n, 0n, 0n, 1n),
    })
    .map(({ S, k, r }) => BigInt(k) * pagesOf(S) + r)
    .filter((p) => p >= 0n);
  return fc.oneof(
    { arbitrary: around, weight: 6 },
    { arbitrary: fc.integer({ min: 0, max: 1 << 20 }).map(BigInt), weight: 2 },
    {
      arbitrary: fc.bigInt({ min: (1n << (64n - g.pageShift)) - 4096n, max: (1n << (64n - g.pageShift)) - 1n }),
      weight: 1,
    },
  );
}
