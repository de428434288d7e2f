// The answer of baseline (upstream v6.18, no hook) for the same request: the
// reference the relative invariants (NoNewFailure, UsefulOnly,
// OrderZeroIsBaseline) compare a policy with. baseline itself is checked
// against the live kernel by `mapping-order probe`.

import { place } from '../place.js';
import type { Placement, Scenario } from '../types.js';

export function baselinePlacement(s: Scenario): Placement {
  return place({ ...s, policy: 'baseline' });
}

/** Same VA and same errno. */
export function samePlacement(a: Placement, b: Placement): boolean {
  return a.va === b.va && a.error === b.error;
}

export function describePlacement(p: Placement): string {
  return p.va !== null ? `VA 0x${p.va.toString(16)}` : `${p.error ?? 'no VA'}`;
}
