// The edge values of a real geometry that the arbitraries aim at: the leaf
// sizes S above a page, lengths a page (or a byte) either side of S, offsets
// aligned or not to S, and the driver orders at and beyond the largest leaf,
// including the ones whose PAGE_SIZE << order overflows a loff_t (2^63) or an
// unsigned long, and the negative and INT_MAX answers of a misbehaving driver.

import type { Geometry } from '../../model/geometry.js';

/** Leaf sizes above PAGE_SIZE (contiguous leaves included), ascending. */
export function leafSizes(g: Geometry): bigint[] {
  return g.leafOrders.filter((o) => o > 0).map((o) => g.pageSize << BigInt(o));
}

export function maxLeafOrder(g: Geometry): number {
  return Math.max(...g.leafOrders);
}

/**
 * Driver orders worth hitting: negative ones, 0, every leaf order, one past
 * the largest leaf, 63 - PAGE_SHIFT (PAGE_SIZE << order = 2^63, loff_t
 * overflow in round_up), 64 - PAGE_SHIFT (check_shl_overflow), 63, 64, INT_MAX.
 */
export function edgeOrders(g: Geometry): number[] {
  const shift = Number(g.pageShift);
  const xs = [-(2 ** 31), -1, 0, ...g.leafOrders, maxLeafOrder(g) + 1, 63 - shift, 64 - shift, 63, 64, 2 ** 31 - 1];
  return [...new Set(xs)];
}

/** Lengths around S: a page below, a byte below, S, a byte above, a page above. */
export function lensAround(g: Geometry, S: bigint): bigint[] {
  return [S - g.pageSize, S - 1n, S, S + 1n, S + g.pageSize].filter((l) => l > 0n);
}

/** PAGE_ALIGN(len). */
export function pageAlignLen(g: Geometry, len: bigint): bigint {
  return (len + g.pageSize - 1n) & ~(g.pageSize - 1n);
}
