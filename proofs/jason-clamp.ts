// The jason policy's clamp gives a leaf size no larger than len (invariant OrderClamped).
//
// Policy (docs/SEMANTICS.md §4, docs/KERNEL.md#jasons-semantics): O_drv is the driver's order (an int: it may be
// negative or huge); orders are page orders.
//   O1 = min(O_drv, floor_log2(len) - PAGE_SHIFT)
//   O2 = the largest arch leaf order <= O1 (geometry leafOrders, cont orders included; 0 if none)
//   O2 == 0 -> exactly baseline; else S = PAGE_SIZE << O2.
//
// Lemma, per geometry (x86_64 leaves {0, 9, 18}, ...), for every 64-bit signed O_drv and every
// page-aligned len != 0:
//   S <= 2^floor_log2(len) <= len;  O_drv >= 0 => O2 <= O_drv (S <= PAGE_SIZE << O_drv);
//   O_drv < 0 => O2 == 0 (baseline).
//
// Twin (no-len-clamp): O1 = O_drv, without the len term (v2's core clamps nothing): S can exceed
// len (an order-9 driver and a one-page mmap would pad and align to 2M).

import { hex, need, type BV, type Kernel, type Lemma, type ProofFile } from './lib.js';
import type { Geometry } from '../model/geometry.js';

/** O2 as a bit-vector: the largest leaf order <= o1 (signed), 0 when none is. */
export function largestLeafOrderAtMost(k: Kernel, o1: BV): BV {
  let o2: BV = k.zero;
  for (const o of [...k.geo.leafOrders].sort((a, b) => a - b)) {
    if (o === 0) continue;
    o2 = k.ite(o1.sge(k.c(BigInt(o))), k.c(BigInt(o)), o2);
  }
  return o2;
}

/** The same on bigint, for replays. */
export function largestLeafOrderAtMostBigint(geo: Geometry, o1: bigint): bigint {
  let best = 0n;
  for (const o of geo.leafOrders) if (BigInt(o) <= o1 && BigInt(o) > best) best = BigInt(o);
  return best;
}

/** floor(log2(x)) for x > 0, on bigint. */
export function floorLog2Bigint(x: bigint): bigint {
  return BigInt(x.toString(2).length - 1);
}

function build(lenClamp: boolean): Lemma['build'] {
  return (k) => {
    const orderDrv = k.u64('O_drv');
    const len = k.u64('len');
    const log2Len = k.floorLog2(len);
    const o1 = lenClamp ? k.minSigned(orderDrv, log2Len.sub(k.PAGE_SHIFT)) : orderDrv;
    const o2 = largestLeafOrderAtMost(k, o1);
    const S = k.PAGE_SIZE.shl(o2);
    return {
      hypotheses: [k.mapLen(len)],
      goal: [
        k.ule(S, len),
        k.ule(S, k.one.shl(log2Len)),
        k.implies(orderDrv.sge(k.zero), o2.sle(orderDrv)),
        k.implies(orderDrv.slt(k.zero), o2.eq(k.zero)),
      ],
      show: { O_drv: orderDrv, len, O1: o1, O2: o2, S },
      prefer: [[len.ule(k.c(1n << 32n)), orderDrv.sle(k.c(64n)), orderDrv.sge(k.c(-64n))]],
    };
  };
}

export const lemma: Lemma = {
  id: 'jason-clamp',
  statement:
    'O1 = min(O_drv, floor_log2(len) - PAGE_SHIFT), O2 = largest leaf order <= O1, S = PAGE_SIZE << O2: S <= ' +
    '2^floor_log2(len) <= len, O2 <= O_drv, O_drv < 0 => O2 = 0',
  invariants: ['OrderClamped'],
  expect: 'proved',
  build: build(true),
};

export const noLenClamp: Lemma = {
  id: 'jason-clamp/no-len-clamp',
  statement: 'O1 = O_drv without the len term (as in v2): S must exceed len for some request',
  invariants: ['OrderClamped'],
  expect: 'refuted',
  build: build(false),
  replay(v, geo) {
    const orderDrv = BigInt.asIntN(64, need(v, 'O_drv'));
    const len = need(v, 'len');
    const o2 = largestLeafOrderAtMostBigint(geo, orderDrv);
    const S = geo.pageSize << o2;
    return {
      confirmed: S > len,
      text:
        `driver order ${orderDrv}, len=${hex(len)}: without the len clamp ` +
        `O2=${o2}, S=${hex(S)} > len (jason: O1=min(${orderDrv}, ${floorLog2Bigint(len) - geo.pageShift}))`,
    };
  },
};

export const twin = noLenClamp;
export const proofFile: ProofFile = { lemma, twins: [noLenClamp] };
