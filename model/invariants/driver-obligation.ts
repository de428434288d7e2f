// DriverObligation: for a driver file, off ≡ PA (mod PAGE_SIZE << O_drv) where
// large leaves are expected (Jason, 20251219145957.GD254720: "Drivers must
// ensure that pgoff % order == physical % order"). "Where large leaves are
// expected": the largest PFN-map leaf size s <= PAGE_SIZE << O_drv of which
// [off, off+len) holds a whole aligned chunk; none -> nothing is promised.
// The physical layout is linear (PA(off + x) = PA(off) + x), so one
// congruence at s covers every chunk. The verdict is the driver's, whatever
// the policy.

import { pfnmapFaultOrders } from '../faults/fault-levels.js';
import type { Placement, Scenario } from '../types.js';
import { driverFacts, holdsAlignedChunk, orderSize } from './driver-facts.js';
import { fileOffset, geometryOf, mappedLen } from './request-facts.js';
import { fail, hex, OK, type Verdict } from './verdict.js';

/** The largest PFN-map leaf size large leaves are expected at, or null. */
export function expectedLeafSize(s: Scenario, order: number): bigint | null {
  const g = geometryOf(s);
  if (order <= 0) return null;
  const cap = orderSize(g.pageSize, order);
  const off = fileOffset(s);
  const len = mappedLen(s);
  for (const o of pfnmapFaultOrders(g)) {
    const size = g.pageSize << BigInt(o);
    if (size <= cap && holdsAlignedChunk(off, len, size)) return size;
  }
  return null;
}

export function DriverObligation(s: Scenario, _p: Placement): Verdict {
  const d = driverFacts(s);
  if (d === null) return OK;
  const size = expectedLeafSize(s, d.order);
  if (size === null) return OK;
  const off = fileOffset(s);
  if ((d.phys - off) % size === 0n) return OK;
  return fail(
    `${d.driver.name} returns order ${d.order} for off ${hex(off)}, but PA ${hex(d.phys)} ≢ off (mod ${hex(size)}): ` +
      `PA mod S = ${hex(d.phys % size)}, off mod S = ${hex(off % size)}; a congruent VA still gets no ${hex(size)} leaf`,
  );
}
