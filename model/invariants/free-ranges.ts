// The free address space a non-fixed mapping may use, from the scenario alone:
// [PAGE_ALIGN(mmap_min_addr), mmap_end) minus the VMAs, each VMA's start guard
// (stack_guard_gap below VM_GROWSDOWN, a page below VM_SHADOW_STACK) kept free.
// This is what "a legal placement" means for HintKept and MaxLeafCoverage,
// independent of how the allocator searches.

import type { Scenario } from '../types.js';
import { geometryOf, mmapEnd } from './request-facts.js';

export interface FreeRange {
  readonly lo: bigint;
  readonly hi: bigint;
}

export function freeRanges(s: Scenario, end: bigint = mmapEnd(s)): FreeRange[] {
  const g = geometryOf(s);
  const floor = (s.mm.mmapMinAddr + g.pageSize - 1n) & ~(g.pageSize - 1n);
  const vmas = [...s.vmas].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: FreeRange[] = [];
  let cursor = floor;
  const push = (lo: bigint, hi: bigint): void => {
    const l = lo < floor ? floor : lo;
    const h = hi > end ? end : hi;
    if (l < h) out.push({ lo: l, hi: h });
  };
  for (const v of vmas) {
    const guard = v.growsDown === true ? s.mm.stackGuardGap : v.shadowStack === true ? g.pageSize : 0n;
    const startGap = v.start > guard ? v.start - guard : 0n;
    push(cursor, startGap);
    if (v.end > cursor) cursor = v.end;
  }
  push(cursor, end);
  return out;
}

/** [start, start + len) lies inside one free range. */
export function isFree(ranges: readonly FreeRange[], start: bigint, len: bigint): boolean {
  return ranges.some((r) => r.lo <= start && start + len <= r.hi);
}

/**
 * The windows the arch search can return an address from, with no hint: top-down
 * [mmap_min_addr, mmap_base) then its bottom-up retry [low, mmap_end) (x86:
 * mmap_legacy_base; generic: TASK_UNMAPPED_BASE = PAGE_ALIGN(DEFAULT_MAP_WINDOW / 4));
 * a bottom-up mm [mmap_legacy_base, mmap_end).
 */
export function searchWindows(s: Scenario): FreeRange[] {
  const g = geometryOf(s);
  const end = mmapEnd(s);
  const retryLow =
    g.allocator === 'x86' ? s.mm.mmapLegacyBase : (s.mm.taskSize / 4n + g.pageSize - 1n) & ~(g.pageSize - 1n);
  if (!s.mm.topdown) return [{ lo: s.mm.mmapLegacyBase, hi: end }];
  return [
    { lo: s.mm.mmapMinAddr, hi: s.mm.mmapBase },
    { lo: retryLow, hi: end },
  ];
}

/** The largest free stretch inside one of the search windows. */
export function largestSearchableFree(s: Scenario): bigint {
  let best = 0n;
  for (const w of searchWindows(s))
    for (const r of freeRanges(s)) {
      const lo = r.lo > w.lo ? r.lo : w.lo;
      const hi = r.hi < w.hi ? r.hi : w.hi;
      if (hi - lo > best) best = hi - lo;
    }
  return best;
}
