// NoOverlap: unless MAP_FIXED, [VA, VA + len) meets no VMA, keeps the guard gap
// below a grow-down VMA (stack_guard_gap) or a shadow stack (PAGE_SIZE) that
// follows it, and, for a shadow-stack request placed by a search, keeps its own
// start_gap (one page) free below VA.
//
// The start_gap clause is not checked when the hint was kept: upstream's hint
// tests (x86 and generic) look at the next VMA's guard gap only, never at the
// request's start_gap.
//
// The guard gap is the NEXT VMA's only (the first at or above VA + len), as the
// kernel tests it (vm_start_gap of vma_next() in unmapped_area[_topdown], of
// find_vma() in the hint tests): a stack whose stack_guard_gap reaches over
// another VMA below it guards nothing below that VMA.

import type { Placement, Scenario } from '../types.js';
import { geometryOf, mappedLen } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function NoOverlap(s: Scenario, p: Placement): Verdict {
  if (p.va === null || s.request.fixed) return OK;
  const g = geometryOf(s);
  const start = p.va;
  const end = p.va + mappedLen(s);
  let next: Scenario['vmas'][number] | null = null;
  for (const v of s.vmas) if (v.start >= end && (next === null || v.start < next.start)) next = v;
  for (const v of s.vmas) {
    if (start < v.end && v.start < end)
      return fail(`[${hex(start)}, ${hex(end)}) overlaps the VMA [${hex(v.start)}, ${hex(v.end)})`);
    const guard = v.growsDown === true ? s.mm.stackGuardGap : v.shadowStack === true ? g.pageSize : 0n;
    if (v === next && guard > 0n && end > v.start - guard)
      return fail(
        `[${hex(start)}, ${hex(end)}) ends inside ` +
          `the ${hex(guard)} guard gap below ` +
          `the ${v.growsDown === true ? 'grow-down' : 'shadow-stack'} VMA at ${hex(v.start)}`,
      );
  }
  if (s.request.shadowStack === true && p.path !== 'hint') {
    const below = start - g.pageSize;
    for (const v of s.vmas)
      if (v.end > below && v.start < start)
        return fail(
          `shadow-stack start_gap [${hex(below)}, ${hex(start)}) meets the VMA [${hex(v.start)}, ${hex(v.end)})`,
        );
  }
  return OK;
}
