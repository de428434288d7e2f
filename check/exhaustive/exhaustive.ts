// The TypeScript exhaustive checker: every invariant of model/invariants under
// every policy of a universe, on every case (one per class when canonical),
// with counts and the minimal counterexample of each violated (policy,
// invariant). Pure: the caller times it and prints it (check/exhaustive/stage.ts),
// and may split the layouts into shards (one per core) and merge the results;
// the merged result does not depend on the split.
//
// Counts: `cases` are (layout, request, policy) triples checked, `rawCases` the
// triples of the raw universe they stand for (a canonical class counts its
// members), `evaluations` the invariant predicates evaluated. Every invariant is
// evaluated on every case; `violated` counts the cases where it failed.
//
// Tallies are kept per domain: 'plain' requests, and 'shadow-stack' requests
// (VM_SHADOW_STACK, start_gap one page), which the verdict matrix leaves to a
// configuration of their own (spec/verdicts.json MCShadowStack): upstream x86
// drops the start gap on its bottom-up retry, a kernel fact every policy inherits.

import { INVARIANTS, INVARIANT_NAMES, type InvariantName } from '../../model/invariants/index.js';
import { place } from '../../model/place.js';
import type { Placement, PolicyName, Scenario } from '../../model/types.js';
import { toScenario } from '../../generators/tiny/scenario.js';
import type { TinyCase, TinyLayout, TinyRequest } from '../../generators/tiny/types.js';
import {
  canonicalLayoutsOf,
  canonicalRequestsOf,
  type TinyUniverse,
  type Weighted,
} from '../../generators/tiny/universe.js';
import { requests } from '../../generators/tiny/requests.js';
import { caseSize, compareSize } from './minimal.js';

export interface Counterexample {
  readonly policy: PolicyName;
  readonly invariant: InvariantName;
  readonly case: TinyCase;
  readonly placement: Placement;
  readonly why: string;
  /** caseSize, then the case's position in the enumeration (so ties break the same way however the work is split). */
  readonly rank: readonly number[];
}

export interface InvariantTally {
  /** Cases where the invariant failed. */
  readonly violated: number;
  /** Raw cases those stand for. */
  readonly violatedRaw: number;
  readonly minimal: Counterexample | null;
}

export interface ExhaustiveResult {
  readonly universe: string;
  readonly arch: TinyCase['arch'];
  readonly canonical: boolean;
  readonly policies: readonly PolicyName[];
  readonly invariants: readonly InvariantName[];
  /** The domains the universe has cases in. */
  readonly domains: readonly Domain[];
  /** Layouts and requests enumerated (classes when canonical), in the whole universe. */
  readonly layouts: number;
  readonly requests: number;
  /** (layout, request, policy) triples checked. */
  readonly cases: number;
  readonly rawCases: number;
  readonly evaluations: number;
  /** tallies[domain][policy][invariant]. */
  readonly tallies: Readonly<Record<Domain, Readonly<Record<string, Readonly<Record<string, InvariantTally>>>>>>;
}

export type Domain = 'plain' | 'shadow-stack';
export const DOMAINS: readonly Domain[] = ['plain', 'shadow-stack'];

export function domainOf(c: TinyCase): Domain {
  return c.request.sg > 0 ? 'shadow-stack' : 'plain';
}

export interface CheckOptions {
  /** One case per class (default) or every raw case. */
  readonly canonical?: boolean;
  readonly invariants?: readonly InvariantName[];
  /** Check only the layouts i with i % count === index (default: all). */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Called after each layout with the cases done and the shard's total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** The placement under check (default model/place.ts; tests pass deliberately broken ones). */
  readonly place?: (s: Scenario) => Placement;
}

/** The universe's layouts and requests as the checker enumerates them. */
export function checkedDomain(
  u: TinyUniverse,
  canonical: boolean,
): { layouts: Weighted<TinyLayout>[]; requests: Weighted<TinyRequest>[] } {
  return {
    layouts: canonical ? canonicalLayoutsOf(u) : u.layouts.map((value) => ({ value, weight: 1 })),
    requests: canonical ? canonicalRequestsOf(u) : [...requests(u.requests)].map((value) => ({ value, weight: 1 })),
  };
}

interface MutableTally {
  violated: number;
  violatedRaw: number;
  minimal: Counterexample | null;
}

export function checkUniverse(u: TinyUniverse, opts: CheckOptions = {}): ExhaustiveResult {
  const canonical = opts.canonical ?? true;
  const invariants = opts.invariants ?? INVARIANT_NAMES;
  const predicates = invariants.map((name) => [name, INVARIANTS[name]] as const);
  const placeFn = opts.place ?? place;
  const { layouts, requests: reqs } = checkedDomain(u, canonical);
  const shard = opts.shard ?? { index: 0, count: 1 };
  const tallies = {} as Record<Domain, Record<string, Record<string, MutableTally>>>;
  for (const d of DOMAINS) {
    tallies[d] = {};
    for (const p of u.policies) {
      tallies[d][p] = {};
      for (const i of invariants) tallies[d][p]![i] = { violated: 0, violatedRaw: 0, minimal: null };
    }
  }
  let cases = 0;
  let rawCases = 0;
  let evaluations = 0;
  const mine = layouts.map((l, i) => ({ l, i })).filter(({ i }) => i % shard.count === shard.index);
  const total = mine.length * reqs.length * u.policies.length;
  for (const { l, i: li } of mine) {
    for (let ri = 0; ri < reqs.length; ri++) {
      const r = reqs[ri]!;
      const c: TinyCase = { arch: u.arch, barPages: u.barPages, layout: l.value, request: r.value };
      const weight = l.weight * r.weight;
      const domain = tallies[domainOf(c)];
      let rank: number[] | null = null;
      for (const policy of u.policies) {
        const s = toScenario(c, policy);
        const p = placeFn(s);
        cases++;
        rawCases += weight;
        const row = domain[policy]!;
        for (const [name, predicate] of predicates) {
          const v = predicate(s, p);
          evaluations++;
          if (v.ok) continue;
          const t = row[name]!;
          t.violated++;
          t.violatedRaw += weight;
          rank ??= [...caseSize(c), li, ri];
          if (t.minimal === null || compareSize(rank, t.minimal.rank) < 0)
            t.minimal = { policy, invariant: name, case: c, placement: p, why: v.why, rank };
        }
      }
    }
    opts.onProgress?.(cases, total);
  }
  return {
    universe: u.name,
    arch: u.arch,
    canonical,
    policies: u.policies,
    invariants,
    domains: DOMAINS.filter((d) => reqs.some((r) => (r.value.sg > 0 ? 'shadow-stack' : 'plain') === d)),
    layouts: layouts.length,
    requests: reqs.length,
    cases,
    rawCases,
    evaluations,
    tallies,
  };
}

/** The results of the shards of one universe as one result: counts added, the smallest counterexample kept. */
export function mergeResults(parts: readonly ExhaustiveResult[]): ExhaustiveResult {
  const first = parts[0];
  if (first === undefined) throw new Error('mergeResults: no results');
  const tallies = {} as Record<Domain, Record<string, Record<string, InvariantTally>>>;
  for (const d of DOMAINS) {
    tallies[d] = {};
    for (const p of first.policies) {
      tallies[d][p] = {};
      for (const i of first.invariants) {
        let violated = 0;
        let violatedRaw = 0;
        let minimal: Counterexample | null = null;
        for (const part of parts) {
          const t = part.tallies[d]?.[p]?.[i];
          if (t === undefined) throw new Error(`mergeResults: a shard has no tally for ${d}/${p}/${i}`);
          violated += t.violated;
          violatedRaw += t.violatedRaw;
          if (t.minimal !== null && (minimal === null || compareSize(t.minimal.rank, minimal.rank) < 0))
            minimal = t.minimal;
        }
        tallies[d][p]![i] = { violated, violatedRaw, minimal };
      }
    }
  }
  const sum = (f: (r: ExhaustiveResult) => number): number => parts.reduce((n, r) => n + f(r), 0);
  return {
    ...first,
    cases: sum((r) => r.cases),
    rawCases: sum((r) => r.rawCases),
    evaluations: sum((r) => r.evaluations),
    tallies,
  };
}
