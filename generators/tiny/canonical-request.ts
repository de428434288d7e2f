// Requests counted once: the representative of a request's class. Each rule is
// an equality of the arithmetic the model does for a driver file on a tiny
// geometry (x86 allocator, TASK_SIZE_MAX = TASK_SIZE = DEFAULT_MAP_WINDOW,
// mmap_min_addr and stack_guard_gap of the geometry's defaults), for every
// policy and every invariant; test/generators/tiny/canonical-request.test.ts checks
// that the representative gives the same VA, errno and verdicts as each member.
//
// T = TASK_SIZE in pages, P = 2^floor_log2(T), W = 2^(largest PFN-map order).
//
// 1. len > T: __get_unmapped_area returns -ENOMEM before any hook or search for
//    every policy, so addr, MAP_FIXED, direction and start gap change nothing;
//    only the driver facts remain (DriverObligation reads the driver, off and
//    len: a whole W-chunk fits in [off, off + len) for every len >= T + 1 >= 2W,
//    and vfio-pci's MIN(bar - req_start, len) is the bar's rest). Representative
//    len = T + 1, addr 0, no MAP_FIXED, top-down, no start gap.
// 2. Hint (not MAP_FIXED), 0 < addr < mmap_min_addr: round_hint_to_min() raises
//    it to mmap_min_addr before anything reads it.
// 3. Hint (not MAP_FIXED) with addr > T - len: both x86 hint tests refuse it
//    (`end - len >= addr`, mmap_address_hint_valid), and its only other use,
//    addr > DEFAULT_MAP_WINDOW, raises the limits by TASK_SIZE_MAX - T = 0;
//    v2/jason skip the hook for any nonzero addr; HintKept sees no free range.
//    Representative addr = T.
// 4. MAP_FIXED with addr > T - len: every policy returns addr (optimal, v2 and
//    jason leave MAP_FIXED with a nonzero addr to the arch code) and the
//    post-check `addr > TASK_SIZE - len` turns it into -ENOMEM. Representative T.
// 5. order:K, K < 0: v2 turns it into 0; jason's min() and optimal's o >= 1
//    find no leaf order; the invariants test O_drv < 0, O_drv = 0 (not the same:
//    OrderZeroIsBaseline reads order exactly 0, as spec/Invariants.tla does) or
//    compare orders. Representative -1.
// 6. order:K, floor_log2(T) < K < 63 - PAGE_SHIFT: PAGE_SIZE << K exceeds any len
//    <= T, so __thp_get_unmapped_area's whole-chunk test fails for v2 (and the
//    placement is the plain one); jason and optimal clamp to leaf orders <= 2 <
//    K; the invariants cap at PFN-map orders <= 2. Representative floor_log2(T) + 1.
// 6b. order:K, K = 63 - PAGE_SHIFT: size = PAGE_SIZE << K = 2^63, and the loff_t
//    round_up(off, size) overflows to -2^63 for every off in [1, 2^63), so the
//    whole-chunk test passes, the padded search (len + 2^63) fails and v2 falls
//    back (path fallback, order K, which OrderClamped sees); for off = 0
//    round_up is 0 and the test fails (path plain). jason and optimal treat K
//    as any large order (rule 8's residue modulo P). Representative: pgoff mod
//    P, region 0, except that a nonzero offset whose residue is 0 becomes P,
//    still nonzero. (Found by the soundness test: K = 51 first shared rule 6's class.)
// 7. order:K, K >= 64 - PAGE_SHIFT: v2's check_shl_overflow gives PAGE_SIZE, as
//    for K = 52 (and `order >= 64` is the same branch); jason, optimal and the
//    invariants as in 6. Representative 64 - PAGE_SHIFT.
// 8. order:K, K other than 63 - PAGE_SHIFT: pgoff matters modulo P. The only
//    uses of off are congruences
//    modulo alignments S <= P (v2's S = PAGE_SIZE << K needs S <= len <= T to
//    pass the chunk test; jason and optimal use leaf sizes <= W <= P), the
//    chunk test round_up(off, S) + S <= off + len (invariant under off += S), and
//    PA = barPhys + off in the fault model (leaves of at most W pages); the
//    region index adds a multiple of 2^28 pages and order:K ignores it.
//    Representative pgoff mod P, region 0.
// 9. pa (barPhys in pages) matters modulo P: no placement reads it; the fault
//    model installs PFN-map leaves of at most W <= P pages, and DriverObligation
//    tests PA - off modulo the alignment the policy chose (at most P, as in 8).
//    Representative pa mod P.
// 10. vfio-pci / vfio-pci-jason, region 0, pgoff >= the BAR's pages: req_start >=
//    phys_len, order 0, and the driver's ->mmap refuses the range, so no leaf
//    is faulted; v2's order-0 placement pads by one page whatever pgoff is
//    (off_sub of a one-page size is 0). Representative pgoff = BAR pages.

import { GEOMETRIES, type ArchName } from '../../model/geometry.js';
import type { TinyDriver, TinyRequest } from './types.js';

export interface RequestCanon {
  readonly T: number;
  readonly P: number;
  readonly W: number;
  readonly minAddr: number;
  readonly shiftOverflowOrder: number;
}

function floorLog2(n: number): number {
  return 31 - Math.clz32(n);
}

export function requestCanon(arch: ArchName): RequestCanon {
  const g = GEOMETRIES[arch];
  if (g.allocator !== 'x86' || g.taskSizeMax !== g.taskSize)
    throw new Error(`${arch}: the request classes are derived for the tiny geometries only`);
  const T = Number(g.taskSize / g.pageSize);
  const maxPfn = Math.max(...g.pfnmapOrders);
  return {
    T,
    P: 2 ** floorLog2(T),
    W: 2 ** maxPfn,
    minAddr: Number((g.defaults.mmapMinAddr + g.pageSize - 1n) / g.pageSize),
    shiftOverflowOrder: 64 - Number(g.pageShift),
  };
}

function canonicalOrder(c: RequestCanon, k: number): number {
  if (k <= 0) return k < 0 ? -1 : 0;
  if (k >= c.shiftOverflowOrder - 1) return k >= c.shiftOverflowOrder ? c.shiftOverflowOrder : k;
  const big = floorLog2(c.T) + 1;
  return k > big ? big : k;
}

function canonicalDriver(c: RequestCanon, d: TinyDriver): TinyDriver {
  const pa = ((d.pa % c.P) + c.P) % c.P;
  return d.kind === 'order' ? { kind: 'order', k: canonicalOrder(c, d.k), pa } : { kind: d.kind, pa };
}

export function canonicalRequest(c: RequestCanon, barPages: number, r: TinyRequest): TinyRequest {
  const drv = canonicalDriver(c, r.drv);
  let { pgoff, region } = r;
  if (drv.kind === 'order' && drv.k === c.shiftOverflowOrder - 1) {
    const nonzero = pgoff !== 0 || region !== 0;
    pgoff = ((pgoff % c.P) + c.P) % c.P;
    if (nonzero && pgoff === 0) pgoff = c.P;
    region = 0;
  } else if (drv.kind === 'order') {
    pgoff = ((pgoff % c.P) + c.P) % c.P;
    region = 0;
  } else if (region === 0 && pgoff >= barPages) {
    pgoff = barPages;
  }
  if (r.len > c.T) return { addr: 0, fixed: false, len: c.T + 1, pgoff, region, drv, topdown: true, sg: 0 };
  let addr = r.addr;
  if (!r.fixed && addr > 0 && addr < c.minAddr) addr = c.minAddr;
  if (addr > c.T - r.len) addr = c.T;
  return { ...r, addr, pgoff, region, drv };
}

/** A key equal for equal requests. */
export function requestKey(r: TinyRequest): string {
  const d = r.drv;
  const drv = d.kind === 'order' ? `o${d.k}` : d.kind === 'vfio-pci' ? 'v' : 'j';
  const addr = `${r.addr}${r.fixed ? 'F' : ''}`;
  return `${addr},${r.len},${r.pgoff},${r.region},${drv}@${d.pa},${r.topdown ? 'T' : 'B'},${r.sg}`;
}
