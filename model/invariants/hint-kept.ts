// HintKept: when the policy says the hint is honoured and it is free, VA == hint.
//
// Every policy here honours a free hint the way upstream does for a file
// without get_unmapped_area (v2 and jason skip the hook when addr != 0;
// optimal tries the hint first): do_mmap's round_hint_to_min() page-masks it
// and raises a nonzero hint below mmap_min_addr to PAGE_ALIGN(mmap_min_addr);
// the arch hint test keeps it when [hint, hint + len) is free, guard gaps
// included, and ends within mmap_end. Kinds and their hint rule:
// - driver, plain, anon, shmem, shmem-huge: kept when len fits at the hint
//   (shmem_get_unmapped_area returns the plain result when uaddr == addr);
// - hugetlb: the hint is first rounded to the huge page size (up; down on x86
//   under v6.12: request-facts.ts hugetlbHint);
// - thp: not checked: thp_get_unmapped_area keeps a hint only when
//   len + PMD_SIZE fits there, a rule of upstream's own, the same for every policy.
// MAP_FIXED is FixedExact's business.
// EOVERFLOW is do_mmap's offset check (pgoff + len wrapping, before
// __get_unmapped_area; file_mmap_ok, after it): it reads pgoff, len and the
// file, never the address, and refuses alike under every policy. It says
// nothing of where a hint went, and spec/Policies.tla leaves it out of scope,
// so HintKept, like its TLA+ twin, judges placements only.

import type { Placement, Scenario } from '../types.js';
import { freeRanges, isFree } from './free-ranges.js';
import { geometryOf, hugetlbHint, mappedLen } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

/** The hint do_mmap hands to get_unmapped_area (round_hint_to_min), then hugetlb's rounding. */
export function effectiveHint(s: Scenario): bigint {
  const g = geometryOf(s);
  const ps = g.pageSize;
  let hint = s.request.addr & ~(ps - 1n);
  if (hint !== 0n && hint < s.mm.mmapMinAddr) hint = (s.mm.mmapMinAddr + ps - 1n) & ~(ps - 1n);
  if (hint !== 0n && s.file.kind === 'hugetlb') hint = hugetlbHint(s, hint);
  return hint;
}

export function HintKept(s: Scenario, p: Placement): Verdict {
  if (s.request.fixed || s.request.addr === 0n || s.file.kind === 'thp' || p.error === 'EOVERFLOW') return OK;
  const hint = effectiveHint(s);
  if (hint === 0n) return OK;
  const len = mappedLen(s);
  // The window for this hint (request-facts.ts mmapEnd): TASK_SIZE only for a hint above DEFAULT_MAP_WINDOW.
  const ranges = freeRanges(s);
  if (!isFree(ranges, hint, len)) return OK;
  if (p.va === hint) return OK;
  return fail(
    `the hint ${hex(hint)} is free for ` +
      `len ${hex(len)} ([${hex(hint)}, ${hex(hint + len)}) meets no VMA or guard gap), ` +
      `but the ${s.policy} placement is ${p.va !== null ? hex(p.va) : (p.error ?? 'an error')} (path ${p.path})`,
  );
}
