// InRange: the VA is page-aligned, >= mmap_min_addr (for MAP_FIXED the limit is
// security_mmap_addr's: dac_mmap_min_addr, which a process without
// CAP_SYS_RAWIO cannot go below), and VA + len <= mmap_end.

import type { Placement, Scenario } from '../types.js';
import { geometryOf, mappedLen, mmapEnd } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function InRange(s: Scenario, p: Placement): Verdict {
  if (p.va === null) return OK;
  const g = geometryOf(s);
  const va = p.va;
  const len = mappedLen(s);
  if ((va & (g.pageSize - 1n)) !== 0n) return fail(`VA ${hex(va)} is not page-aligned`);
  const minAddr = s.request.fixed ? (s.mm.dacMmapMinAddr ?? s.mm.mmapMinAddr) : s.mm.mmapMinAddr;
  if (va < minAddr) return fail(`VA ${hex(va)} is below mmap_min_addr ${hex(minAddr)}`);
  const end = mmapEnd(s);
  if (va + len > end)
    return fail(`VA + len = ${hex(va)} + ${hex(len)} = ${hex(va + len)} exceeds mmap_end ${hex(end)}`);
  return OK;
}
