// UsefulOnly: no padding or shift when [off, off+len) holds no whole aligned
// S-chunk. Padding changes which gap the search takes, a shift moves the VA
// inside it; either shows as a VA (or errno) that differs from baseline's. So:
// a placement that differs from baseline's must have aimed for an alignment S
// above PAGE_SIZE (S = PAGE_SIZE buys no leaf) such that
// round_up(off, S) + S <= off + len.

import type { Placement, Scenario } from '../types.js';
import { baselinePlacement, describePlacement, samePlacement } from './baseline-placement.js';
import { holdsAlignedChunk } from './driver-facts.js';
import { fileOffset, geometryOf, mappedLen } from './request-facts.js';
import { fail, hex, OK, type Verdict } from './verdict.js';

export function UsefulOnly(s: Scenario, p: Placement): Verdict {
  const b = baselinePlacement(s);
  if (samePlacement(p, b)) return OK;
  const ps = geometryOf(s).pageSize;
  const S = p.alignment;
  const off = fileOffset(s);
  const len = mappedLen(s);
  const moved = `${s.policy} gives ${describePlacement(p)} where baseline gives ${describePlacement(b)}`;
  if (S <= ps) return fail(`${moved}, for an alignment of ${hex(S)} (order ${p.order}): padding that no leaf larger than a page can use`);
  if (!holdsAlignedChunk(off, len, S))
    return fail(`${moved}, for S = ${hex(S)}, but [off ${hex(off)}, ${hex(off + len)}) holds no whole ${hex(S)}-aligned chunk`);
  return OK;
}
