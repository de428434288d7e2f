// DriverObligation: for a driver file, off ≡ PA (mod PAGE_SIZE << O_drv) where
// large leaves are expected (Jason, 20251219145957.GD254720: "Drivers must
// ensure that pgoff % order == physical % order").
//
// "Where large leaves are expected" is read as spec/Invariants.tla reads it:
// where the policy's aligned placement succeeded with S > PAGE_SIZE. There
// off ≡ PA (mod S) must hold, or the congruent VA it bought gets no S leaf
// (vfio_pci_mmap_huge_fault's pfn check falls back, silently). The physical
// layout is linear (PA(off + x) = PA(off) + x), so one congruence covers every
// chunk. baseline never aligns a driver file, so it never expects anything.

import type { Placement, Scenario } from '../types.js';
import { driverFacts } from './driver-facts.js';
import { fileOffset, geometryOf } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function DriverObligation(s: Scenario, p: Placement): Verdict {
  const d = driverFacts(s);
  if (d === null || p.va === null || p.path !== 'aligned' || p.alignment <= geometryOf(s).pageSize) return OK;
  const S = p.alignment;
  const off = fileOffset(s);
  if ((d.phys - off) % S === 0n) return OK;
  return fail(
    `${s.policy} aligned VA ${hex(p.va)} ≡ off ${hex(off)} (mod ${hex(S)}) for ${d.driver.name} (order ${d.order}), ` +
      `but PA ${hex(d.phys)} ≢ off (mod ${hex(S)}): PA mod S ` +
      `= ${hex(d.phys % S)}, off mod S = ${hex(off % S)}; no ${hex(S)} leaf can be installed`,
  );
}

/** off ≡ PA (mod S) for this request's driver: the obligation at one size, whatever the placement. */
export function keepsObligationAt(s: Scenario, S: bigint): boolean {
  const d = driverFacts(s);
  return d === null || (d.phys - fileOffset(s)) % S === 0n;
}
