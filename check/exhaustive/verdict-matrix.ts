// The verdict matrix of spec/verdicts.json (check/manifest.ts reads it) as the exhaustive checker's
// expectations, and the checker's verdicts compared with it.

import { specArchOf, type Manifest, type MatrixCell, type SpecArch, type Verdict } from '../manifest.js';
import type { ArchName } from '../../model/geometry.js';
import { INVARIANT_NAMES, type InvariantName } from '../../model/invariants/index.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import type { PolicyName } from '../../model/types.js';
import type { Counterexample, Domain, ExhaustiveResult } from './exhaustive.js';

export type { MatrixCell, Verdict };

export type VerdictMatrix = ReadonlyMap<string, MatrixCell>;

export const cellKey = (invariant: string, policy: string): string => `${invariant}/${policy}`;

/** The manifest's matrix keyed by `Invariant/policy`. */
export function verdictMatrixOf(m: Pick<Manifest, 'matrix'>): VerdictMatrix {
  const cells = new Map<string, MatrixCell>();
  for (const inv of INVARIANT_NAMES) for (const p of POLICY_NAMES) cells.set(cellKey(inv, p), m.matrix[inv][p]);
  return cells;
}

/**
 * Expectations for the shadow-stack domain that differ from the matrix (whose
 * CI universe has no VM_SHADOW_STACK request): spec/verdicts.json records in
 * its MCShadowStack configuration that NoOverlap's start_gap clause is violated
 * upstream on x86 (arch_get_unmapped_area_topdown retries bottom-up with vm_flags = 0,
 * so the retry keeps no guard page below a shadow stack); every policy falls
 * back to the same arch search, so the fact holds for all four. The generic
 * allocator's retry keeps info.start_gap, so on arm64 the matrix applies.
 */
export const SHADOW_STACK_FACTS: Readonly<Record<string, MatrixCell>> = {
  NoOverlap: {
    verdict: 'violated',
    arches: { x86: 'violated', arm64: 'holds' },
    reason:
      "kernel fact (spec/verdicts.json MCShadowStack): x86's bottom-up retry passes vm_flags = 0 and drops the " +
      "shadow stack's start_gap",
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

/**
 * The expected verdict of a cell in a domain: the matrix's, or for the shadow-stack domain the recorded kernel fact.
 */
export function expectationFor(
  matrix: VerdictMatrix,
  domain: Domain,
  invariant: string,
  policy: string,
  arch: SpecArch,
): Verdict | null {
  const fact = SHADOW_STACK_FACTS[invariant];
  if (domain === 'shadow-stack' && fact !== undefined && arch === 'x86') return fact.arches.x86;
  return matrix.get(cellKey(invariant, policy))?.arches[arch] ?? null;
}

/** One row per (domain, invariant, policy) of the result; a domain with no case checked is left out. */
export function compareWithMatrix(
  res: ExhaustiveResult,
  matrix: VerdictMatrix,
  domainsChecked: readonly Domain[],
  geometry: ArchName,
): VerdictRow[] {
  const arch = specArchOf(geometry);
  const rows: VerdictRow[] = [];
  for (const domain of domainsChecked)
    for (const invariant of INVARIANT_NAMES) {
      if (!res.invariants.includes(invariant)) continue;
      for (const policy of POLICY_NAMES) {
        if (!res.policies.includes(policy)) continue;
        const t = res.tallies[domain]?.[policy]?.[invariant];
        if (t === undefined) continue;
        const expected = expectationFor(matrix, domain, invariant, policy, arch);
        const observed: Verdict = t.violated > 0 ? 'violated' : 'holds';
        rows.push({
          domain,
          invariant,
          policy,
          expected,
          observed,
          agrees: expected === observed,
          violated: t.violated,
          violatedRaw: t.violatedRaw,
          minimal: t.minimal,
          reason: matrix.get(cellKey(invariant, policy))?.reason ?? '',
        });
      }
    }
  return rows;
}
