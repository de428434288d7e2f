// Congruent: when the aligned path succeeds, VA ≡ off (mod S), S the alignment
// the path chose (placement.alignment unless given), off = pgoff << PAGE_SHIFT
// (0 for anonymous memory, whose pgoff __get_unmapped_area forces to 0).

import type { Placement, Scenario } from '../types.js';
import { fileOffset } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function Congruent(s: Scenario, p: Placement, S?: bigint): Verdict {
  if (p.va === null || p.path !== 'aligned') return OK;
  const size = S ?? p.alignment;
  const off = fileOffset(s);
  const mask = size - 1n;
  if ((p.va & mask) !== (off & mask))
    return fail(
      `VA ${hex(p.va)} ≢ off ${hex(off)} (mod ${hex(size)}): VA mod S ` +
        `= ${hex(p.va & mask)}, off mod S = ${hex(off & mask)}`,
    );
  return OK;
}
