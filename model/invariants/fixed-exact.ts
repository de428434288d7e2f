// FixedExact: MAP_FIXED returns addr or an error, never another address.

import type { Placement, Scenario } from '../types.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function FixedExact(s: Scenario, p: Placement): Verdict {
  if (!s.request.fixed || p.va === null) return OK;
  if (p.va !== s.request.addr) return fail(`MAP_FIXED at ${hex(s.request.addr)} returned ${hex(p.va)}`);
  return OK;
}
