// The optimal policy's whole-chunk test gives a leaf size no larger than len (invariants
// OrderClamped, UsefulOnly).
//
// Policy (docs/SEMANTICS.md §4): O = the largest arch leaf order o >= 1, o <= O_drv, such that
// [off, off + len) contains a whole aligned (PAGE_SIZE << o)-chunk: round_up(off, S) + S <= off + len.
// None -> exactly baseline.
//
// In 64-bit C the test needs its own overflow guard, as __thp_get_unmapped_area's has
// (off = pgoff << PAGE_SHIFT may be any page-aligned 64-bit pattern):
//   off_align = round_up(off, S);
//   ok = off_align >= off && off_align + S does not wrap && off + len does not wrap
//        && off_align + S <= off + len
//
// Lemma, per geometry, for every 64-bit signed O_drv, page-aligned off and page-aligned len != 0:
// the chosen S = PAGE_SIZE << O satisfies S <= len, O <= O_drv, and (O != 0) the whole chunk
// [round_up(off, S), round_up(off, S) + S) lies inside [off, off + len).
//
// Twin (wrapping-test): the test written as `round_up(off, S) + S <= off + len` in plain wrapping
// unsigned long arithmetic picks S > len (off = 2^64 - S: round_up(off, S) + S wraps to 0).

import { hex, mask64, need, roundUp64, type BV, type Kernel, type Lemma, type ProofFile } from './lib.js';
import type { Geometry } from '../model/geometry.js';

/** The whole-chunk test in 64-bit arithmetic, guarded or as a plain wrapping comparison. */
function wholeChunkTest(k: Kernel, off: BV, len: BV, S: BV, guarded: boolean) {
  const offAlign = k.roundUp(off, S);
  const fits = k.ule(offAlign.add(S), off.add(len));
  return guarded ? k.and(k.ule(off, offAlign), k.addNoWrap(offAlign, S), k.addNoWrap(off, len), fits) : fits;
}

/** O as a bit-vector: the largest leaf order o >= 1, o <= O_drv, whose test passes; 0 if none. */
function optimalOrder(k: Kernel, orderDrv: BV, off: BV, len: BV, guarded: boolean): BV {
  let o: BV = k.zero;
  for (const leaf of [...k.geo.leafOrders].sort((a, b) => a - b)) {
    if (leaf === 0) continue;
    const ok = k.and(orderDrv.sge(k.c(BigInt(leaf))), wholeChunkTest(k, off, len, k.orderSize(leaf), guarded));
    o = k.ite(ok, k.c(BigInt(leaf)), o);
  }
  return o;
}

/** The wrapping test on bigint, for the replay. */
function optimalOrderWrappingBigint(geo: Geometry, orderDrv: bigint, off: bigint, len: bigint): bigint {
  let best = 0n;
  for (const leaf of geo.leafOrders) {
    if (leaf === 0 || BigInt(leaf) > orderDrv) continue;
    const S = geo.pageSize << BigInt(leaf);
    if (mask64(roundUp64(off, S) + S) <= mask64(off + len) && BigInt(leaf) > best) best = BigInt(leaf);
  }
  return best;
}

function build(guarded: boolean): Lemma['build'] {
  return (k) => {
    const orderDrv = k.u64('O_drv');
    const off = k.u64('off');
    const len = k.u64('len');
    const o = optimalOrder(k, orderDrv, off, len, guarded);
    const S = k.PAGE_SIZE.shl(o);
    const offAlign = k.roundUp(off, S);
    return {
      hypotheses: [k.pageAligned(off), k.mapLen(len)],
      goal: [
        k.ule(S, len),
        k.implies(o.neq(k.zero), o.sle(orderDrv)),
        k.implies(o.neq(k.zero), k.and(...k.withinSum(offAlign, S, off, len))),
      ],
      show: { O_drv: orderDrv, off, len, O: o, S, off_align: offAlign },
      prefer: [
        [S.ugt(len), len.ule(k.c(1n << 32n)), orderDrv.sle(k.c(64n)), orderDrv.sge(k.c(0n))],
        [len.ule(k.c(1n << 32n)), orderDrv.sle(k.c(64n)), orderDrv.sge(k.c(0n))],
      ],
    };
  };
}

export const lemma: Lemma = {
  id: 'optimal-clamp',
  statement:
    'O = largest leaf order <= O_drv with round_up(off, S) + S <= off + len (64-bit, guarded): S <= len, O <= O_drv, ' +
    'the chunk lies in [off, off + len)',
  invariants: ['OrderClamped', 'UsefulOnly'],
  expect: 'proved',
  build: build(true),
};

export const wrappingTest: Lemma = {
  id: 'optimal-clamp/wrapping-test',
  statement: 'the test as a plain wrapping unsigned long comparison: S must exceed len for some off',
  invariants: ['OrderClamped'],
  expect: 'refuted',
  finding:
    'a C implementation of the optimal whole-chunk test must guard round_up(off, S) + S and off + len against ' +
    'wrap-around (off = pgoff << PAGE_SHIFT is any 64-bit pattern), as __thp_get_unmapped_area does',
  build: build(false),
  replay(v, geo) {
    const orderDrv = BigInt.asIntN(64, need(v, 'O_drv'));
    const off = need(v, 'off');
    const len = need(v, 'len');
    const o = optimalOrderWrappingBigint(geo, orderDrv, off, len);
    const S = geo.pageSize << o;
    const offAlign = roundUp64(off, S);
    const chunkInside = offAlign >= off && offAlign + S <= off + len;
    const wrapped = hex(mask64(roundUp64(off, S) + S));
    const why = S > len ? 'S > len' : `[${hex(offAlign)}, +S) is not inside [off, off + len)`;
    return {
      confirmed: S > len || (o !== 0n && !chunkInside),
      text:
        `pgoff=${hex(off >> geo.pageShift)} len=${hex(len)}: ` +
        `round_up(off, S) + S wraps to ${wrapped} <= off + len = ${hex(mask64(off + len))}, ` +
        `so order ${o} (S=${hex(S)}) passes although ${why}`,
    };
  },
};

export const twin = wrappingTest;
export const proofFile: ProofFile = { lemma, twins: [wrappingTest] };
