// mmap lengths biased to the leaf sizes: k * S plus a page or a byte either
// way (len just below and above S), or any page count, or any byte count.

import fc from 'fast-check';
import type { Geometry } from '../../model/geometry.js';
import { leafSizes } from './edge-values.js';

export function lenArb(g: Geometry): fc.Arbitrary<bigint> {
  const ps = g.pageSize;
  const around = fc
    .record({
      S: fc.constantFrom(...leafSizes(g)),
      k: fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: 5 }), weight: 1 }),
      delta: fc.constantFrom(-ps, -1n, 0n, 0n, 1n, ps),
    })
    .map(({ S, k, delta }) => BigInt(k) * S + delta);
  return fc
    .oneof(
      { arbitrary: around, weight: 6 },
      { arbitrary: fc.integer({ min: 1, max: 4096 }).map((p) => BigInt(p) * ps), weight: 2 },
      { arbitrary: fc.bigInt({ min: 1n, max: 1n << 32n }), weight: 1 },
    )
    .filter((l) => l > 0n);
}
