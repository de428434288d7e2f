// The same sequential touch as sequential-touch.ts, page by page, with the page
// tables held explicitly: the reference the closed form is tested against (at
// tiny geometries, where a VMA is a few dozen pages). Each step is one fault
// through __handle_mm_fault's levels and the huge-fault handler.

import type { Geometry } from '../geometry.js';
import { roundDown } from './align.js';
import type { FaultReport, LeafRun } from './report.js';
import type { HugeFaultResult } from './vfio-pci-mmap-huge-fault.js';

/** The handler asked for a leaf of `order` at `address` (vfio_pci_mmap_huge_fault, or the THP path). */
export type HugeFaultHandler = (address: bigint, order: number) => HugeFaultResult;

export function sequentialTouchStepwise(
  g: Geometry,
  start: bigint,
  end: bigint,
  orders: readonly number[],
  handler: HugeFaultHandler,
  maxPages = 1n << 16n,
): FaultReport {
  const ps = g.pageSize;
  if ((end - start) / ps > maxPages)
    throw new Error(`stepwise touch of ${(end - start) / ps} pages exceeds ${maxPages}`);
  const levels = [...new Set(orders)].sort((a, b) => b - a);
  // Per level: the blocks whose entry is no longer none (a leaf, or a lower table).
  const notNone = levels.map(() => new Set<bigint>());
  const leaves = new Map<bigint, bigint>([[ps, 0n]]);
  for (const o of levels) leaves.set(ps << BigInt(o), 0n);
  const runs: LeafRun[] = [];
  let faults = 0n;
  let fallbacks = 0n;
  let a = start;
  const install = (lo: bigint, size: bigint): void => {
    leaves.set(size, (leaves.get(size) ?? 0n) + 1n);
    const last = runs[runs.length - 1];
    if (last && last.end === lo && last.size === size)
      runs[runs.length - 1] = { start: last.start, end: lo + size, size };
    else runs.push({ start: lo, end: lo + size, size });
  };
  while (a < end) {
    faults++;
    let done = false;
    for (let i = 0; i < levels.length && !done; i++) {
      const order = levels[i]!;
      const size = ps << BigInt(order);
      const block = roundDown(a, size);
      if (notNone[i]!.has(block)) continue; // pud_none()/pmd_none() false: go down a level
      notNone[i]!.add(block);
      const r = handler(a, order);
      if (r.ret === 'VM_FAULT_NOPAGE') {
        if (r.addr !== a)
          throw new Error(`leaf at ${r.addr} installed for a fault at ${a}: the touch was not sequential`);
        install(r.addr, r.size);
        a = r.addr + r.size;
        done = true;
      } else {
        fallbacks++;
      }
    }
    if (!done) {
      install(a, ps);
      a += ps;
    }
  }
  return { leaves, faults, fallbacks, runs };
}
