// A sequential touch of a whole VMA, page by page from vm_start, on empty page
// tables, in closed form (sizes can be terabytes: no per-page loop).
//
// What the fault path does at the first untouched address a (mm/memory.c
// __handle_mm_fault): for each huge level, largest first, if the entry covering
// a at that level is none, ask for a leaf of that level; the leaf is installed
// iff the level-aligned block around a lies inside the VMA and its physical
// address is aligned to the level (vfio_pci_mmap_huge_fault, or the THP
// suitability checks); otherwise VM_FAULT_FALLBACK and the next level's table
// is allocated, so that level is never asked again for this block. After the
// levels, a PTE.
//
// Consequences used below (see sequential-touch-stepwise.ts for the page-by-page
// version it is tested against):
// - a block B of size s gets a leaf iff B ⊆ [start, end), no larger leaf covers
//   it, and phys(B) ≡ 0 (mod s). phys(x) = physStart + (x - start), so the last
//   condition is (physStart - start) ≡ 0 (mod s): the same for every block;
// - the s-blocks inside [start, end) form one interval [round_up(start, s),
//   round_down(end, s)), nested in the smaller levels' intervals;
// - every s-block meeting the VMA that no larger leaf covers is asked once; the
//   ones that get no s leaf count one fallback each.

import type { Geometry } from '../geometry.js';
import { isAligned, roundDown, roundUp } from './align.js';
import type { FaultReport, LeafRun } from './report.js';

interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * @param start   vm_start
 * @param end     vm_end
 * @param physStart the physical address (or, for THP, the file position in bytes) mapped at vm_start
 * @param orders  the huge page orders the fault path tries, any order (sorted here, largest first)
 */
export function sequentialTouch(
  g: Geometry,
  start: bigint,
  end: bigint,
  physStart: bigint,
  orders: readonly number[],
): FaultReport {
  const ps = g.pageSize;
  const sizes = [...new Set(orders)].sort((a, b) => b - a).map((o) => ps << BigInt(o));
  const phase = physStart - start;
  const leaves = new Map<bigint, bigint>();
  let faults = 0n;
  let fallbacks = 0n;
  // The nested intervals that got leaves, largest leaf size first.
  const covered: { iv: Interval; size: bigint }[] = [];
  let inner: Interval | null = null;
  for (const s of sizes) {
    const meeting = (roundUp(end, s) - roundDown(start, s)) / s;
    const coveredBlocks = inner ? (inner.hi - inner.lo) / s : 0n;
    const full: Interval = { lo: roundUp(start, s), hi: roundDown(end, s) };
    let n = 0n;
    if (full.lo < full.hi && isAligned(phase, s)) {
      n = (full.hi - full.lo) / s - coveredBlocks;
      inner = full;
      covered.push({ iv: full, size: s });
    }
    leaves.set(s, (leaves.get(s) ?? 0n) + n);
    faults += n;
    fallbacks += meeting - coveredBlocks - n;
  }
  const coveredBytes = inner ? inner.hi - inner.lo : 0n;
  const ptes = (end - start - coveredBytes) / ps;
  leaves.set(ps, (leaves.get(ps) ?? 0n) + ptes);
  faults += ptes;
  return { leaves, faults, fallbacks, runs: nestedRuns(start, end, ps, covered) };
}

/** Lay the nested intervals out in address order: PTE head, growing sizes, the largest, shrinking sizes, PTE tail. */
function nestedRuns(
  start: bigint,
  end: bigint,
  ps: bigint,
  covered: readonly { iv: Interval; size: bigint }[],
): LeafRun[] {
  const runs: LeafRun[] = [];
  const push = (lo: bigint, hi: bigint, size: bigint): void => {
    if (lo >= hi) return;
    const last = runs[runs.length - 1];
    if (last && last.end === lo && last.size === size) runs[runs.length - 1] = { start: last.start, end: hi, size };
    else runs.push({ start: lo, end: hi, size });
  };
  // covered[0] is the innermost (largest leaves); walk outwards for the head.
  let cursor = start;
  for (let i = covered.length - 1; i >= 0; i--) {
    const c = covered[i]!;
    const outerSize = i === covered.length - 1 ? ps : covered[i + 1]!.size;
    push(cursor, c.iv.lo, outerSize);
    cursor = c.iv.lo;
  }
  const innermost = covered[0];
  if (innermost) {
    push(innermost.iv.lo, innermost.iv.hi, innermost.size);
    cursor = innermost.iv.hi;
    for (let i = 1; i < covered.length; i++) {
      push(cursor, covered[i]!.iv.hi, covered[i]!.size);
      cursor = covered[i]!.iv.hi;
    }
  }
  push(cursor, end, ps);
  return runs;
}
