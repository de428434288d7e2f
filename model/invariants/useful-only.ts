// UsefulOnly: no padding or shift when [off, off+len) holds no whole aligned
// S-chunk. Padding changes which gap the search takes, a shift moves the VA
// inside it; either shows as a VA (or errno) that differs from baseline's. So:
// a placement that differs from baseline's must have aimed for an alignment S
// with round_up(off, S) + S <= off + len. S = PAGE_SIZE always passes (a page
// chunk always fits): v2's one-page padding for order 0 is OrderZeroIsBaseline's
// business, not this one's (the reading spec/Invariants.tla fixes).

import type { Placement, Scenario } from '../types.js';
import { baselinePlacement, describePlacement, samePlacement } from './baseline-placement.js';
import { holdsAlignedChunk } from './driver-facts.js';
import { fileOffset, mappedLen } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function UsefulOnly(s: Scenario, p: Placement): Verdict {
  const b = baselinePlacement(s);
  if (samePlacement(p, b)) return OK;
  const S = p.alignment;
  const off = fileOffset(s);
  const len = mappedLen(s);
  if (holdsAlignedChunk(off, len, S)) return OK;
  return fail(
    `${s.policy} gives ${describePlacement(p)} where baseline ` +
      `gives ${describePlacement(b)}, for S = ${hex(S)} (order ${p.order}), ` +
      `but [off ${hex(off)}, ${hex(off + len)}) holds no whole ${hex(S)}-aligned chunk`,
  );
}
