// InRange: the VA is page-aligned, >= mmap_min_addr (unless MAP_FIXED: then the
// kernel's security_mmap_addr decides, and a process without CAP_SYS_RAWIO
// still cannot go below it), and VA + len <= mmap_end.

import type { Placement, Scenario } from '../types.js';
import { geometryOf, mappedLen, mmapEnd } from './request-facts.js';
import { fail, hex, OK, type Verdict } from './verdict.js';

export function InRange(s: Scenario, p: Placement): Verdict {
  if (p.va === null) return OK;
  const g = geometryOf(s);
  const va = p.va;
  const len = mappedLen(s);
  if ((va & (g.pageSize - 1n)) !== 0n) return fail(`VA ${hex(va)} is not page-aligned`);
  if (va < s.mm.mmapMinAddr) return fail(`VA ${hex(va)} is below mmap_min_addr ${hex(s.mm.mmapMinAddr)}`);
  const end = mmapEnd(s);
  if (va + len > end) return fail(`VA + len = ${hex(va)} + ${hex(len)} = ${hex(va + len)} exceeds mmap_end ${hex(end)}`);
  return OK;
}
