// "The best mapping lower than a specific order" (Peter, aUGCPN2ngvWMG2Ta: no
// such helper exists upstream): the largest leaf order of the architecture,
// contiguous-bit leaves included (geometry.leafOrders: cont-PTE, PMD, cont-PMD,
// PUD), that satisfies a bound.

import type { Geometry } from '../geometry.js';

/** The largest order in geometry.leafOrders that is <= max, or 0 (order 0 is always a leaf). */
export function largestLeafOrderAtMost(g: Geometry, max: number): number {
  let best = 0;
  for (const o of g.leafOrders) if (o <= max && o > best) best = o;
  return best;
}
