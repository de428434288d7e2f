// What must not change between a case and its class representative: the
// placement (the VA with its path, order and alignment, or the errno alone: an
// error's path only says which flags the request had; on the plain path only
// whether an alignment was refused, since rule 6 merges orders that all fail
// the chunk test) and each invariant's verdict (ok or not; the explanations
// name the case's own numbers).

import { toScenario } from '../../generators/tiny/scenario.js';
import type { TinyCase } from '../../generators/tiny/types.js';
import { INVARIANTS, INVARIANT_NAMES } from '../../model/invariants/index.js';
import { place } from '../../model/place.js';
import type { PolicyName } from '../../model/types.js';

export function fingerprint(c: TinyCase, policy: PolicyName): string {
  const s = toScenario(c, policy);
  const p = place(s);
  const verdicts = INVARIANT_NAMES.map((n) => (INVARIANTS[n](s, p).ok ? '.' : n[0])).join('');
  const label = p.path === 'plain' ? (p.order > 0 ? 'refused' : 'none') : `${p.order} ${p.alignment}`;
  const where = p.va === null ? `${p.error}` : `${p.va} ${p.path} ${label}`;
  return `${where} ${verdicts}`;
}
