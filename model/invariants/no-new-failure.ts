// NoNewFailure: the policy never fails where baseline succeeds.

import type { Placement, Scenario } from '../types.js';
import { baselinePlacement } from './baseline-placement.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function NoNewFailure(s: Scenario, p: Placement): Verdict {
  if (p.va !== null) return OK;
  const b = baselinePlacement(s);
  if (b.va === null) return OK;
  return fail(
    `baseline places it at ${hex(b.va)}, ${s.policy} fails with ${p.error ?? '?'} (path ${p.path}, order ${p.order})`,
  );
}
