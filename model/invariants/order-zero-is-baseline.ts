// OrderZeroIsBaseline: a driver order of 0 gives exactly baseline's VA, as
// v2's commit message promises ("If zero is returned, it should behave like
// when the hint is not provided"). Negative orders are OrderClamped's domain
// (the reading spec/Invariants.tla fixes: getMappingOrder(req) = 0).

import type { Placement, Scenario } from '../types.js';
import { baselinePlacement, describePlacement, samePlacement } from './baseline-placement.js';
import { driverFacts } from './driver-facts.js';
import { fail, OK, type Verdict } from './verdict.js';

export function OrderZeroIsBaseline(s: Scenario, p: Placement): Verdict {
  const d = driverFacts(s);
  if (d === null || d.order !== 0) return OK;
  const b = baselinePlacement(s);
  if (samePlacement(p, b)) return OK;
  return fail(
    `${d.driver.name} returns order 0, ` +
      `yet ${s.policy} gives ${describePlacement(p)} (path ${p.path}) where baseline gives ${describePlacement(b)}`,
  );
}
