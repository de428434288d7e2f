// The smallest counterexample of a (invariant, policy) cell, searched for in a
// small universe in the tiny-16 geometry (16 pages of 4K, PMD = 2 pages,
// PUD = 4 pages: the geometry of the TLA+ CI configurations), so that a finding
// is shown on the fewest pages a person can hold in their head. The universe
// mirrors spec/CIUniverse.tla and spec/MCShadowStack.tla (layouts and requests
// as listed there), and every case is placed by model/place.ts and judged by
// model/invariants, the same code the property tests run: the docs only pick
// which case to print first.
//
// Pure and deterministic: the cases are ordered by size (minimalKey) and the
// first violation of each wanted cell wins.

import { GEOMETRIES } from '../../model/geometry.js';
import { INVARIANTS, type InvariantName } from '../../model/invariants/index.js';
import { place } from '../../model/place.js';
import type { Placement, PolicyName, Scenario, Vma } from '../../model/types.js';

const ARCH = 'tiny-16' as const;
const G = GEOMETRIES[ARCH];
const PAGES = Number(G.taskSize / G.pageSize);
const BAR_PAGES = 4;

export interface TinyVma {
  readonly start: number;
  readonly end: number;
  readonly growsDown: boolean;
}

export interface TinyDriver {
  /** 'order:K', 'vfio-pci' or 'vfio-pci-jason'. */
  readonly name: string;
  /** The BAR's first page frame (0: aligned to everything; 1: the misaligned-PA driver). */
  readonly pa: number;
}

/** One case in page units, as spec/CIUniverse.tla writes it. */
export interface TinyCase {
  readonly layout: readonly TinyVma[];
  readonly len: number;
  readonly pgoff: number;
  readonly addr: number;
  readonly fixed: boolean;
  readonly topdown: boolean;
  readonly shadowStack: boolean;
  readonly driver: TinyDriver;
}

function driverRank(d: TinyDriver): number[] {
  const m = /^order:(-?\d+)$/.exec(d.name);
  if (m) {
    const k = Number(m[1]);
    return [0, Math.abs(k), k < 0 ? 1 : 0];
  }
  return [1, d.name === 'vfio-pci' ? 0 : 1, 0];
}

/**
 * The size of a case, compared lexicographically; smaller reads first: the
 * shortest mapping, the fewest VMAs and mapped pages, no MAP_FIXED, no hint,
 * the smallest pgoff, the default top-down layout, no shadow stack, the
 * simplest driver (order:K by |K|, then vfio-pci, vfio-pci-jason), an aligned
 * BAR; then the VMAs' positions so that the order is total.
 */
export function minimalKey(c: TinyCase): number[] {
  return [
    c.len,
    c.layout.length,
    c.layout.reduce((n, v) => n + (v.end - v.start), 0),
    c.fixed ? 1 : 0,
    c.addr,
    c.pgoff,
    c.topdown ? 0 : 1,
    c.shadowStack ? 1 : 0,
    ...driverRank(c.driver),
    c.driver.pa,
    ...c.layout.flatMap((v) => [v.start, v.end, v.growsDown ? 1 : 0]),
  ];
}

export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * spec/CIUniverse.tla MCInitLayouts: the empty address space; every VMA of 1
 * or 2 pages, ordinary or VM_GROWSDOWN, at every page; a stack at the top
 * page with one ordinary VMA of 1 or 2 pages below it. Plus
 * spec/MCShadowStack.tla's layouts: everything mapped but page 0 and one free
 * run of 1..4 pages.
 */
export function tinyLayouts(): TinyVma[][] {
  const out: TinyVma[][] = [[]];
  for (let s = 1; s < PAGES; s++)
    for (const l of [1, 2])
      for (const growsDown of [false, true]) if (s + l <= PAGES) out.push([{ start: s, end: s + l, growsDown }]);
  for (let s = 1; s <= PAGES - 2; s++)
    for (const l of [1, 2])
      if (s + l <= PAGES - 1)
        out.push([
          { start: s, end: s + l, growsDown: false },
          { start: PAGES - 1, end: PAGES, growsDown: true },
        ]);
  for (let a = 1; a < PAGES; a++)
    for (let l = 1; l <= 4 && a + l <= PAGES; l++) {
      const vmas: TinyVma[] = [];
      if (a > 1) vmas.push({ start: 1, end: a, growsDown: false });
      if (a + l < PAGES) vmas.push({ start: a + l, end: PAGES, growsDown: false });
      out.push(vmas);
    }
  return out;
}

/**
 * spec/CIUniverse.tla MCRequests (hint 0 or page 5, with and without MAP_FIXED,
 * len 1..8, pgoff 0..3, both directions, VFIO region 0; order:K for K in
 * {-1, 0, 1, 2, 3, 40, 52}, vfio-pci and vfio-pci-jason on a 4-page BAR at PFN 0,
 * order:2 on a BAR at PFN 1) and MCShadowStack's requests (order:0, no hint,
 * len 1..4, pgoff 0, carrying VM_SHADOW_STACK).
 */
export function tinyRequests(): Omit<TinyCase, 'layout'>[] {
  const drivers: TinyDriver[] = [
    ...[-1, 0, 1, 2, 3, 40, 52].map((k) => ({ name: `order:${k}`, pa: 0 })),
    { name: 'vfio-pci', pa: 0 },
    { name: 'vfio-pci-jason', pa: 0 },
    { name: 'order:2', pa: 1 },
  ];
  const out: Omit<TinyCase, 'layout'>[] = [];
  for (const addr of [0, 5])
    for (const fixed of [false, true])
      for (let len = 1; len <= 8; len++)
        for (let pgoff = 0; pgoff <= 3; pgoff++)
          for (const driver of drivers)
            for (const topdown of [true, false])
              out.push({ len, pgoff, addr, fixed, topdown, shadowStack: false, driver });
  for (let len = 1; len <= 4; len++)
    for (const topdown of [true, false])
      out.push({
        len,
        pgoff: 0,
        addr: 0,
        fixed: false,
        topdown,
        shadowStack: true,
        driver: { name: 'order:0', pa: 0 },
      });
  return out;
}

/** The scenario of a case in bytes, with tiny-16's default mm (model/geometry.ts). */
export function tinyScenario(c: TinyCase, policy: PolicyName): Scenario {
  const ps = G.pageSize;
  const vmas: Vma[] = c.layout.map((v) => ({
    start: BigInt(v.start) * ps,
    end: BigInt(v.end) * ps,
    ...(v.growsDown ? { growsDown: true } : {}),
  }));
  return {
    arch: ARCH,
    policy,
    mm: {
      topdown: c.topdown,
      mmapBase: G.defaults.mmapBase,
      mmapLegacyBase: G.defaults.mmapLegacyBase,
      taskSize: G.taskSize,
      mmapMinAddr: G.defaults.mmapMinAddr,
      stackGuardGap: G.defaults.stackGuardGap,
    },
    vmas,
    file: {
      kind: 'driver',
      driver: c.driver.name,
      barSize: BigInt(BAR_PAGES) * ps,
      barPhys: BigInt(c.driver.pa) * ps,
      barIndex: 0,
    },
    request: {
      addr: BigInt(c.addr) * ps,
      len: BigInt(c.len) * ps,
      pgoff: BigInt(c.pgoff),
      fixed: c.fixed,
      shared: true,
      ...(c.shadowStack ? { shadowStack: true } : {}),
    },
  };
}

export interface Cell {
  readonly invariant: InvariantName;
  readonly policy: PolicyName;
}

/** A cell to search, optionally among the cases a filter keeps (to show a second way it breaks). */
export interface Target extends Cell {
  readonly key: string;
  readonly filter?: (c: TinyCase) => boolean;
}

export interface MinimalCounterexample extends Cell {
  readonly key: string;
  readonly case: TinyCase;
  readonly scenario: Scenario;
  readonly placement: Placement;
  readonly why: string;
  /** Its position in the universe ordered by size (0: the smallest case of all). */
  readonly rank: number;
}

export interface SearchResult {
  readonly found: ReadonlyMap<string, MinimalCounterexample>;
  /** The targets with no counterexample in the universe. */
  readonly none: readonly Target[];
  /** Cases in the universe. */
  readonly universe: number;
}

/** Every case of the universe, smallest first. */
export function casesBySize(): TinyCase[] {
  const layouts = tinyLayouts();
  const cases: { c: TinyCase; k: number[] }[] = [];
  for (const r of tinyRequests())
    for (const layout of layouts) {
      const c: TinyCase = { ...r, layout };
      cases.push({ c, k: minimalKey(c) });
    }
  cases.sort((a, b) => compareKeys(a.k, b.k));
  return cases.map((x) => x.c);
}

/** The smallest counterexample of each target, or none; keyed by target key. */
export function minimalCounterexamples(
  targets: readonly Target[],
  cases: readonly TinyCase[] = casesBySize(),
): SearchResult {
  const pending = new Map(targets.map((t) => [t.key, t]));
  if (pending.size !== targets.length) throw new Error('minimalCounterexamples: two targets with one key');
  const found = new Map<string, MinimalCounterexample>();
  for (let i = 0; i < cases.length && pending.size > 0; i++) {
    const c = cases[i]!;
    const placed = new Map<PolicyName, { s: Scenario; p: Placement }>();
    for (const [key, t] of pending) {
      if (t.filter !== undefined && !t.filter(c)) continue;
      let sp = placed.get(t.policy);
      if (sp === undefined) {
        const s = tinyScenario(c, t.policy);
        sp = { s, p: place(s) };
        placed.set(t.policy, sp);
      }
      const v = INVARIANTS[t.invariant](sp.s, sp.p);
      if (v.ok) continue;
      found.set(key, {
        invariant: t.invariant,
        policy: t.policy,
        key,
        case: c,
        scenario: sp.s,
        placement: sp.p,
        why: v.why,
        rank: i,
      });
      pending.delete(key);
    }
  }
  return { found, none: [...pending.values()], universe: cases.length };
}
