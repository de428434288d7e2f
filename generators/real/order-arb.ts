// The order a driver answers: mostly the edge orders of the geometry, some
// any int in a wide range.

import fc from 'fast-check';
import type { Geometry } from '../../model/geometry.js';
import { edgeOrders } from './edge-values.js';

export function driverOrderArb(g: Geometry): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...edgeOrders(g)), weight: 4 },
    { arbitrary: fc.integer({ min: -4, max: 70 }), weight: 1 },
  );
}
