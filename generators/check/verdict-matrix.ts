// The verdict matrix (spec/verdicts.json, the spec helper's file) read as
// expectations, and the exhaustive checker's verdicts compared with it. The
// matrix shape read here: { "matrix": { "<Invariant>": { "<policy>":
// { "verdict": "holds" | "violated", "reason": "..." } } } }.

import { INVARIANT_NAMES, type InvariantName } from '../../model/invariants/index.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import type { PolicyName } from '../../model/types.js';
import type { Counterexample, Domain, ExhaustiveResult } from './exhaustive.js';

export type Verdict = 'holds' | 'violated';

export interface MatrixCell {
  readonly verdict: Verdict;
  readonly reason: string;
}

export type VerdictMatrix = ReadonlyMap<string, MatrixCell>;

export const cellKey = (invariant: string, policy: string): string => `${invariant}/${policy}`;

/** The matrix of a parsed spec/verdicts.json; throws naming the first field that is not as expected. */
export function readVerdictMatrix(json: unknown): VerdictMatrix {
  const root = json as { matrix?: unknown } | null;
  if (root === null || typeof root !== 'object' || root.matrix === null || typeof root.matrix !== 'object')
    throw new Error('verdicts.json: matrix: missing or not an object');
  const m = new Map<string, MatrixCell>();
  for (const [inv, row] of Object.entries(root.matrix as Record<string, unknown>)) {
    if (row === null || typeof row !== 'object') throw new Error(`verdicts.json: matrix.${inv}: not an object`);
    for (const [policy, cell] of Object.entries(row as Record<string, unknown>)) {
      const c = cell as { verdict?: unknown; reason?: unknown } | null;
      if (c === null || typeof c !== 'object' || (c.verdict !== 'holds' && c.verdict !== 'violated'))
        throw new Error(`verdicts.json: matrix.${inv}.${policy}.verdict: must be "holds" or "violated"`);
      m.set(cellKey(inv, policy), { verdict: c.verdict, reason: typeof c.reason === 'string' ? c.reason : '' });
    }
  }
  return m;
}

/**
 * Expectations for the shadow-stack domain that differ from the matrix (whose
 * CI universe has no VM_SHADOW_STACK request): spec/verdicts.json records in
 * its MCShadowStack configuration that NoOverlap's start_gap clause is violated
 * upstream (arch_get_unmapped_area_topdown retries bottom-up with vm_flags = 0,
 * so the retry keeps no guard page below a shadow stack); every policy falls
 * back to the same arch search, so the fact holds for all four.
 */
export const SHADOW_STACK_FACTS: Readonly<Record<string, MatrixCell>> = {
  NoOverlap: {
    verdict: 'violated',
    reason: "kernel fact (spec/verdicts.json MCShadowStack): x86's bottom-up retry passes vm_flags = 0 and drops the shadow stack's start_gap",
  },
};

export interface VerdictRow {
  readonly domain: Domain;
  readonly invariant: InvariantName;
  readonly policy: PolicyName;
  readonly expected: Verdict | null;
  readonly observed: Verdict;
  /** observed === expected; false also when the matrix has no expectation. */
  readonly agrees: boolean;
  readonly violated: number;
  readonly violatedRaw: number;
  readonly minimal: Counterexample | null;
  readonly reason: string;
}

/** The expected verdict of a cell in a domain: the matrix's, or for the shadow-stack domain the recorded kernel fact. */
export function expectationFor(matrix: VerdictMatrix, domain: Domain, invariant: string, policy: string): MatrixCell | null {
  if (domain === 'shadow-stack' && SHADOW_STACK_FACTS[invariant] !== undefined) return SHADOW_STACK_FACTS[invariant];
  return matrix.get(cellKey(invariant, policy)) ?? null;
}

/** One row per (domain, invariant, policy) of the result; a domain with no case checked is left out. */
export function compareWithMatrix(res: ExhaustiveResult, matrix: VerdictMatrix, domainsChecked: readonly Domain[]): VerdictRow[] {
  const rows: VerdictRow[] = [];
  for (const domain of domainsChecked)
  for (const invariant of INVARIANT_NAMES) {
    if (!res.invariants.includes(invariant)) continue;
    for (const policy of POLICY_NAMES) {
      if (!res.policies.includes(policy)) continue;
      const t = res.tallies[domain]?.[policy]?.[invariant];
      if (t === undefined) continue;
      const cell = expectationFor(matrix, domain, invariant, policy);
      const observed: Verdict = t.violated > 0 ? 'violated' : 'holds';
      rows.push({
        domain,
        invariant,
        policy,
        expected: cell?.verdict ?? null,
        observed,
        agrees: cell !== null && cell.verdict === observed,
        violated: t.violated,
        violatedRaw: t.violatedRaw,
        minimal: t.minimal,
        reason: cell?.reason ?? '',
      });
    }
  }
  return rows;
}
