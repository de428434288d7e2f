// A bounded universe: a tiny geometry, a list of layouts, a request domain and
// the policies, and its cases counted once (canonical-layout.ts,
// canonical-request.ts). Presets:
// - ciUniverse(): the domain of spec/CIUniverse.tla (the CI configurations
//   MCBaseline, MCV2, MCJason, MCOptimal), so TLC and the TypeScript checker
//   decide the same cases; the differential comparison also checks that the
//   states TLC explores are exactly these;
// - layoutsUniverse(arch), requestsUniverse(arch): beyond the CI domain for the
//   TypeScript checker, one varying every layout, one every request;
// - benchUniverse(arch): the CI layouts' shape on any address space with a
//   fixed request set, for npm run bench.

import { GEOMETRIES, isArchName, type ArchName } from '../../model/geometry.js';
import type { PolicyName } from '../../model/types.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import { canonicalLayout, layoutKey } from './canonical-layout.js';
import { canonicalRequest, requestCanon, requestKey } from './canonical-request.js';
import { canonicalLayouts } from './layouts.js';
import { requests, type RequestBounds } from './requests.js';
import type { TinyCase, TinyDriver, TinyLayout, TinyRequest, TinyVma } from './types.js';

export interface TinyUniverse {
  readonly name: string;
  readonly arch: ArchName;
  readonly barPages: number;
  readonly layouts: readonly TinyLayout[];
  readonly requests: RequestBounds;
  readonly policies: readonly PolicyName[];
}

/** A canonical element and how many elements of the raw domain it stands for. */
export interface Weighted<T> {
  readonly value: T;
  readonly weight: number;
}

export function pagesOf(arch: ArchName): number {
  const g = GEOMETRIES[arch];
  return Number(g.taskSize / g.pageSize);
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** The CI drivers: order:K for K in {-1, 0, 1, 2, 3, 40, 52}, both vfio-pci models, order:2 on a BAR at PFN 1. */
export const CI_DRIVERS: readonly TinyDriver[] = [
  ...[-1, 0, 1, 2, 3, 40, 52].map((k): TinyDriver => ({ kind: 'order', k, pa: 0 })),
  { kind: 'vfio-pci', pa: 0 },
  { kind: 'vfio-pci-jason', pa: 0 },
  { kind: 'order', k: 2, pa: 1 },
];

/** spec/CIUniverse.tla MCInitLayouts on `pages` pages (LayoutOf clips a VMA at TASK_SIZE). */
export function ciLayouts(pages: number): TinyLayout[] {
  const V = (s: number, e: number, kind: TinyVma['kind']): TinyVma => ({ start: s, end: Math.min(e, pages), kind });
  const out = new Map<string, TinyLayout>();
  const add = (vmas: TinyVma[]): void => {
    const l = canonicalLayout(vmas);
    out.set(layoutKey(l), l);
  };
  add([]);
  for (const s of range(1, pages - 1))
    for (const l of [1, 2]) for (const k of ['vma', 'gd'] as const) add([V(s, s + l, k)]);
  for (const s of range(1, pages - 2))
    for (const l of [1, 2]) if (s + l <= pages - 1) add([V(s, s + l, 'vma'), V(pages - 1, pages, 'gd')]);
  return [...out.values()];
}

/** spec/CIUniverse.tla MCRequests. */
export const CI_REQUESTS: RequestBounds = {
  addrs: [0, 5],
  fixed: [false, true],
  lens: range(1, 8),
  pgoffs: range(0, 3),
  regions: [0],
  drivers: CI_DRIVERS,
  topdown: [true, false],
  sgs: [0],
};

/** The CI domain on tiny-16 ('ci', x86) or on another tiny geometry ('ci:tiny-arm64': the generic allocator). */
export function ciUniverse(arch: ArchName = 'tiny-16'): TinyUniverse {
  return {
    name: arch === 'tiny-16' ? 'ci' : `ci:${arch}`,
    arch,
    barPages: 4,
    layouts: ciLayouts(pagesOf(arch)),
    requests: CI_REQUESTS,
    policies: POLICY_NAMES,
  };
}

/**
 * Every layout of at most two VMAs of any length and kind (ordinary,
 * VM_GROWSDOWN, VM_SHADOW_STACK) from page 1, with a few requests: no hint,
 * lens 1, 2, 3, 4 and 8, pgoff 0 and 1, order:2 (PUD), both directions, with
 * and without the shadow-stack start gap.
 */
export function layoutsUniverse(arch: ArchName = 'tiny-16'): TinyUniverse {
  const pages = pagesOf(arch);
  return {
    name: `layouts2:${arch}`,
    arch,
    barPages: 4,
    layouts: [...canonicalLayouts({ pages, maxVmas: 2, kinds: ['vma', 'gd', 'ss'], firstPage: 1 })],
    requests: {
      addrs: [0],
      fixed: [false],
      lens: [1, 2, 3, 4, 8],
      pgoffs: [0, 1],
      regions: [0],
      drivers: [{ kind: 'order', k: 2, pa: 0 }],
      topdown: [true, false],
      sgs: [0, 1],
    },
    policies: POLICY_NAMES,
  };
}

/**
 * Every request class on a few layouts: every hint page and TASK_SIZE, with
 * and without MAP_FIXED, every len up to TASK_SIZE + 1, every pgoff residue
 * modulo P, order:K for K in -1..5, 40, 51 (PAGE_SIZE << 51 = 2^63), 52, 64, both vfio-pci models, BARs at
 * PFN 1 and 2, both directions, the shadow-stack start gap; layouts: empty, a
 * stack at the top page, a VMA in the middle below it, two pages at a quarter,
 * a shadow stack in the middle.
 */
export function requestsUniverse(arch: ArchName = 'tiny-16'): TinyUniverse {
  const pages = pagesOf(arch);
  const canon = requestCanon(arch);
  const mid = pages / 2;
  const top: TinyVma = { start: pages - 1, end: pages, kind: 'gd' };
  return {
    name: `requests:${arch}`,
    arch,
    barPages: 4,
    layouts: [
      [],
      [top],
      [{ start: mid, end: mid + 1, kind: 'vma' }, top],
      [{ start: pages / 4, end: pages / 4 + 2, kind: 'vma' }],
      [{ start: mid, end: mid + 1, kind: 'ss' }],
    ],
    requests: {
      addrs: range(0, pages),
      fixed: [false, true],
      lens: range(1, pages + 1),
      pgoffs: range(0, canon.P - 1),
      regions: [0],
      drivers: [
        ...[-1, 0, 1, 2, 3, 4, 5, 40, 51, 52, 64].map((k): TinyDriver => ({ kind: 'order', k, pa: 0 })),
        { kind: 'vfio-pci', pa: 0 },
        { kind: 'vfio-pci-jason', pa: 0 },
        { kind: 'order', k: 2, pa: 1 },
        { kind: 'order', k: 3, pa: 2 },
      ],
      topdown: [true, false],
      sgs: [0, 1],
    },
    policies: POLICY_NAMES,
  };
}

/**
 * The benchmark's universe (npm run bench): the CI layouts' shape on N pages
 * (their number grows with N) and a fixed request set (no hint or page 5,
 * with and without MAP_FIXED, lens 1, 2, 3, 4 and 8 pages, pgoff 0 and 1,
 * order:0, order:2 and vfio-pci, both directions), so the growth with N comes
 * from the layouts and from the per-case cost, as in the CI domain.
 */
export function benchUniverse(arch: ArchName): TinyUniverse {
  return {
    name: `bench:${arch}`,
    arch,
    barPages: 4,
    layouts: ciLayouts(pagesOf(arch)),
    requests: {
      addrs: [0, 5],
      fixed: [false, true],
      lens: [1, 2, 3, 4, 8],
      pgoffs: [0, 1],
      regions: [0],
      drivers: [
        { kind: 'order', k: 0, pa: 0 },
        { kind: 'order', k: 2, pa: 0 },
        { kind: 'vfio-pci', pa: 0 },
      ],
      topdown: [true, false],
      sgs: [0],
    },
    policies: POLICY_NAMES,
  };
}

/** The universes by name, for the command line and for worker threads. */
export function universeByName(name: string): TinyUniverse {
  if (name === 'ci') return ciUniverse();
  const m = /^(ci|layouts2|requests|bench):(tiny-[a-z0-9]+)$/.exec(name);
  if (m && isArchName(m[2] ?? '')) {
    const arch = m[2] as ArchName;
    if (m[1] === 'ci') return ciUniverse(arch);
    if (m[1] === 'layouts2') return layoutsUniverse(arch);
    if (m[1] === 'bench') return benchUniverse(arch);
    return requestsUniverse(arch);
  }
  throw new Error(
    `universe: unknown universe '${name}' (ci, ci:tiny-arm64, layouts2:tiny-N, requests:tiny-N, bench:tiny-N)`,
  );
}

/**
 * The universes `mapping-order check` runs: the CI domain, the two that go beyond it, and the CI domain on the
 * arm64 geometry (the spec's arm64 configurations explore exactly that one).
 */
export const CHECK_UNIVERSES: readonly string[] = ['ci', 'layouts2:tiny-16', 'requests:tiny-16', 'ci:tiny-arm64'];

/** The universe's layouts, each class once, with the number of listed layouts in it. */
export function canonicalLayoutsOf(u: TinyUniverse): Weighted<TinyLayout>[] {
  const m = new Map<string, { value: TinyLayout; weight: number }>();
  for (const l of u.layouts) {
    const c = canonicalLayout(l);
    const k = layoutKey(c);
    const e = m.get(k);
    if (e) e.weight++;
    else m.set(k, { value: c, weight: 1 });
  }
  return [...m.values()];
}

/** The universe's requests, each class once, with the number of domain requests in it. */
export function canonicalRequestsOf(u: TinyUniverse): Weighted<TinyRequest>[] {
  // The class rules are derived from x86's arithmetic (canonical-request.ts): on the generic allocator each
  // request is its own class.
  if (GEOMETRIES[u.arch].allocator !== 'x86') return [...requests(u.requests)].map((value) => ({ value, weight: 1 }));
  const canon = requestCanon(u.arch);
  const m = new Map<string, { value: TinyRequest; weight: number }>();
  for (const r of requests(u.requests)) {
    const c = canonicalRequest(canon, u.barPages, r);
    const k = requestKey(c);
    const e = m.get(k);
    if (e) e.weight++;
    else m.set(k, { value: c, weight: 1 });
  }
  return [...m.values()];
}

/** Every (layout, request) case of the universe, raw (weight 1 each) or one per class (weighted). */
export function* universeCases(u: TinyUniverse, canonical: boolean): Generator<Weighted<TinyCase>> {
  const layouts: Weighted<TinyLayout>[] = canonical
    ? canonicalLayoutsOf(u)
    : u.layouts.map((value) => ({ value, weight: 1 }));
  const reqs: Weighted<TinyRequest>[] = canonical
    ? canonicalRequestsOf(u)
    : [...requests(u.requests)].map((value) => ({ value, weight: 1 }));
  for (const l of layouts)
    for (const r of reqs)
      yield {
        value: { arch: u.arch, barPages: u.barPages, layout: l.value, request: r.value },
        weight: l.weight * r.weight,
      };
}
