// MaxLeafCoverage: the leaves the fault model installs equal the best any
// placement could get for this request.
//
// The best (the reading spec/Invariants.tla fixes): O_best = the largest
// PFN-map order <= O_drv of which [off, off + len) holds a whole aligned
// chunk; the ideal VA ≡ off (mod PAGE_SIZE << O_best) maps, at every leaf size
// s <= that, every aligned block a VA can get (a leaf must be aligned in VA
// and in PA at once, and off ≡ PA). The policy's VMA must cover at least as
// many bytes with leaves of size >= s as that ideal VA does, for every
// PFN-map size s <= PAGE_SIZE << O_best.
//
// Where checked: a 64-bit placement the policy made itself (not compat, not
// MAP_FIXED, not a kept hint) of a driver file whose ->mmap accepts the range and which keeps
// its obligation at O_best (else no policy can do anything), when the address
// space has room: a free range of len + S_best - PAGE_SIZE (plus a
// shadow-stack start gap) inside the windows the arch search covers
// (free-ranges.ts: searchWindows), the padding that guarantees a congruent fit
// wherever the range lies. With less room a congruent VA may exist or not by
// the luck of the layout, and no single search can be required to find it.

import { pfnmapFaultOrders } from '../faults/fault-levels.js';
import { coverageAtLeast } from '../faults/report.js';
import { sequentialTouch } from '../faults/sequential-touch.js';
import type { Placement, Scenario } from '../types.js';
import { keepsObligationAt } from './driver-obligation.js';
import { driverFacts, holdsAlignedChunk } from './driver-facts.js';
import { largestSearchableFree } from './free-ranges.js';
import { fileOffset, geometryOf, mappedLen } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

/** O_best: the largest PFN-map order <= O_drv with a whole aligned chunk in [off, off + len); 0 for none. */
export function bestPfnmapOrder(s: Scenario, drvOrder: number): number {
  const g = geometryOf(s);
  const off = fileOffset(s);
  const len = mappedLen(s);
  for (const o of pfnmapFaultOrders(g))
    if (o <= drvOrder && holdsAlignedChunk(off, len, g.pageSize << BigInt(o))) return o;
  return 0;
}

export function MaxLeafCoverage(s: Scenario, p: Placement): Verdict {
  const d = driverFacts(s);
  // A compat (32-bit) syscall is never aligned, by any policy: THP's bail-out
  // (4ef9ad19e176, 32-bit ASLR entropy), kept by v2, jason and optimal alike.
  if (d === null || p.va === null || s.request.fixed || p.path === 'hint' || d.mmapRefused || s.request.compat === true)
    return OK;
  const g = geometryOf(s);
  const oBest = bestPfnmapOrder(s, d.order);
  if (oBest === 0) return OK;
  const sBest = g.pageSize << BigInt(oBest);
  if (!keepsObligationAt(s, sBest)) return OK;
  const len = mappedLen(s);
  const need = len + sBest - g.pageSize + (s.request.shadowStack === true ? g.pageSize : 0n);
  if (largestSearchableFree(s) < need) return OK;
  const orders = pfnmapFaultOrders(g).filter((o) => o <= oBest);
  // The ideal VA: ≡ off (mod S_best), here PA itself (PA ≡ off (mod S_best)).
  const best = sequentialTouch(g, d.phys, d.phys + len, d.phys, orders);
  const actual = sequentialTouch(g, p.va, p.va + len, d.phys, pfnmapFaultOrders(g));
  for (const o of orders) {
    const size = g.pageSize << BigInt(o);
    const got = coverageAtLeast(actual, size);
    const could = coverageAtLeast(best, size);
    if (got < could) {
      return fail(
        `VA ${hex(p.va)} (path ${p.path}, order ${p.order}) maps ${hex(got)} bytes with leaves >= ${hex(size)}; ` +
          `a VA ≡ off ${hex(fileOffset(s))} (mod ${hex(sBest)}) maps ${hex(could)}, and a free range of ${hex(need)} ` +
          `(len + ${hex(sBest)} - PAGE_SIZE) exists`,
      );
    }
  }
  return OK;
}
