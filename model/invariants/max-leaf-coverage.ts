// MaxLeafCoverage: the leaves the fault model installs equal the best any
// placement could get for this request.
//
// The best: every leaf must map a block aligned both in VA and in PA, so a VA
// ≡ PA (mod S) for the largest PFN-map leaf S gets, at every leaf size at once,
// the most bytes any VA can get: all the aligned blocks of [PA, PA + len).
// Sizes above PAGE_SIZE << O_drv are left out (the driver promised nothing
// there). The policy's VMA must cover at least as many bytes with leaves of
// each size s or larger as that best VA does.
//
// Where checked: a driver file that keeps its obligation (DriverObligation:
// else no policy can do anything), no hint and no MAP_FIXED (the caller chose
// the address), the driver's ->mmap accepts the range, and the address space
// has room: a free range of len + S - PAGE_SIZE inside the windows the arch
// search covers without a hint (free-ranges.ts: searchWindows), S the best's
// largest leaf size: the padding that guarantees a congruent fit wherever the
// range lies. With less room a congruent VA may exist or not by the luck of
// the layout, and no single search can be required to find it.

import { pfnmapFaultOrders } from '../faults/fault-levels.js';
import { coverageAtLeast } from '../faults/report.js';
import { sequentialTouch } from '../faults/sequential-touch.js';
import type { Placement, Scenario } from '../types.js';
import { DriverObligation } from './driver-obligation.js';
import { driverFacts, orderSize } from './driver-facts.js';
import { largestSearchableFree } from './free-ranges.js';
import { geometryOf, mappedLen } from './request-facts.js';
import { fail, hex, OK, type Verdict } from './verdict.js';

export function MaxLeafCoverage(s: Scenario, p: Placement): Verdict {
  const d = driverFacts(s);
  if (d === null || p.va === null || s.request.fixed || s.request.addr !== 0n || d.mmapRefused) return OK;
  if (!DriverObligation(s, p).ok) return OK;
  const g = geometryOf(s);
  const len = mappedLen(s);
  const cap = orderSize(g.pageSize, d.order);
  const orders = pfnmapFaultOrders(g).filter((o) => g.pageSize << BigInt(o) <= cap);
  if (orders.length === 0) return OK;
  const best = sequentialTouch(g, d.phys, d.phys + len, d.phys, orders);
  const bestLeaf = orders.map((o) => g.pageSize << BigInt(o)).find((size) => (best.leaves.get(size) ?? 0n) > 0n);
  if (bestLeaf === undefined) return OK;
  const need = len + bestLeaf - g.pageSize + (s.request.shadowStack === true ? g.pageSize : 0n);
  if (largestSearchableFree(s) < need) return OK;
  const actual = sequentialTouch(g, p.va, p.va + len, d.phys, pfnmapFaultOrders(g));
  for (const o of orders) {
    const size = g.pageSize << BigInt(o);
    const got = coverageAtLeast(actual, size);
    const could = coverageAtLeast(best, size);
    if (got < could) {
      return fail(
        `VA ${hex(p.va)} (path ${p.path}, order ${p.order}) maps ${hex(got)} bytes with leaves >= ${hex(size)}; ` +
          `a VA ≡ PA ${hex(d.phys)} (mod ${hex(bestLeaf)}) maps ${hex(could)}, and a free range of ${hex(need)} ` +
          `(len + ${hex(bestLeaf)} - PAGE_SIZE) exists`,
      );
    }
  }
  return OK;
}
