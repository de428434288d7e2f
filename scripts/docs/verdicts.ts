// The departures from the contract that spec/verdicts.json records, as the docs list them. The file is read
// by check/manifest.ts, its one reader; this is a view of the typed Manifest.

import type { ConfigEntry, Manifest, MatrixCell } from '../../check/manifest.js';
import type { InvariantName } from '../../model/invariants/index.js';
import type { PolicyName } from '../../model/types.js';

export interface Departure {
  readonly invariant: InvariantName;
  readonly policy: PolicyName;
  /** The matrix cell, when the departure is one; null for a kernel fact shown by a configuration alone. */
  readonly cell: MatrixCell | null;
  /** The TLC configurations (no bug toggle) that are expected to violate it. */
  readonly configs: readonly ConfigEntry[];
}

/**
 * Every place the contract is broken without a deliberate bug: the matrix
 * cells whose verdict is "violated", and the configurations without bug
 * toggles that expect a violation of a cell the matrix says holds (a kernel
 * fact outside the matrix's universe, such as spec/MCShadowStack.cfg).
 * In the matrix's order (invariants, then policies).
 */
export function departures(m: Pick<Manifest, 'invariants' | 'policies' | 'matrix' | 'configs'>): Departure[] {
  const cfgs = (i: string, p: string): ConfigEntry[] =>
    m.configs.filter((c) => c.expect === 'violation' && c.bugs.length === 0 && c.violates === i && c.policy === p);
  const out: Departure[] = [];
  for (const invariant of m.invariants) {
    for (const policy of m.policies) {
      const cell = m.matrix[invariant][policy];
      const configs = cfgs(invariant, policy);
      if (cell.verdict === 'violated') out.push({ invariant, policy, cell, configs });
      else if (configs.length > 0) out.push({ invariant, policy, cell: null, configs });
    }
  }
  return out;
}
