// OrderClamped: the alignment S a policy chose for a driver's mapping is a leaf
// size of the architecture (geometry.leafOrders, contiguous leaves included)
// and S <= min(PAGE_SIZE << O_drv, 2^floor_log2(len)). Chosen: on paths aligned
// and fallback the alignment of the padded search; on path plain the one
// __thp_get_unmapped_area refused before searching (order > 0; the hooks report
// it, model/policy/chosen-alignment.ts). S = PAGE_SIZE counts: v2 turns a
// negative O_drv into order 0 and still pads the search by a page, while
// PAGE_SIZE << O_drv allows nothing. spec/Invariants.tla reads it the same way
// (every answer whose order is not NoOrder).

import type { Placement, Scenario } from '../types.js';
import { driverFacts } from './driver-facts.js';
import { geometryOf, mappedLen } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function OrderClamped(s: Scenario, p: Placement): Verdict {
  const d = driverFacts(s);
  if (d === null) return OK;
  const chosen = p.path === 'aligned' || p.path === 'fallback' || (p.path === 'plain' && p.order > 0);
  if (!chosen) return OK;
  const g = geometryOf(s);
  const S = p.alignment;
  const leafSizes = g.leafOrders.map((o) => g.pageSize << BigInt(o));
  if (!leafSizes.includes(S))
    return fail(`S = ${hex(S)} (order ${p.order}) is not a leaf size of ${g.name} (${leafSizes.map(hex).join(', ')})`);
  // Compared as page orders: O_drv is any int, and PAGE_SIZE << (2^31 - 1) has no bigint.
  const sOrder = S.toString(2).length - 1 - Number(g.pageShift);
  if (sOrder > d.order) return fail(`S = ${hex(S)} exceeds PAGE_SIZE << O_drv (O_drv = ${d.order})`);
  const len = mappedLen(s);
  const lenPow2 = 1n << BigInt(len.toString(2).length - 1);
  if (S > lenPow2) return fail(`S = ${hex(S)} exceeds 2^floor_log2(len) = ${hex(lenPow2)} (len ${hex(len)})`);
  return OK;
}
