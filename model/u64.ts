// C integer arithmetic on bigint: the kernel computes in `unsigned long`
// (64-bit, wrapping) and, in the THP helper, in `loff_t` (signed 64-bit,
// wrapping under -fno-strict-overflow). The model does every step that can wrap
// through these helpers so the wrap happens exactly where the kernel's does.

export const U64_MAX = (1n << 64n) - 1n;

/** (unsigned long)x. */
export function u64(x: bigint): bigint {
  return BigInt.asUintN(64, x);
}

/** (loff_t)x, i.e. (long long)x. */
export function s64(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

/** ALIGN(x, a) in unsigned long, for a power of two a (include/linux/align.h). */
export function alignUp(x: bigint, a: bigint): bigint {
  return u64((x + a - 1n) & ~(a - 1n));
}

/** PAGE_ALIGN(x). */
export function pageAlign(x: bigint, pageSize: bigint): bigint {
  return alignUp(x, pageSize);
}

/** x & PAGE_MASK. */
export function pageMask(x: bigint, pageSize: bigint): bigint {
  return x & ~(pageSize - 1n);
}

/**
 * round_up(x, y) on a loff_t (include/linux/math.h:
 * ((((x) - 1) | __round_mask(x, y)) + 1), evaluated in the type of x).
 */
export function roundUpS64(x: bigint, y: bigint): bigint {
  return s64((s64(x - 1n) | (y - 1n)) + 1n);
}

/** IS_ALIGNED(x, a). */
export function isAligned(x: bigint, a: bigint): boolean {
  return (x & (a - 1n)) === 0n;
}

/** floor(log2(x)) for x > 0 (ilog2). */
export function ilog2(x: bigint): number {
  if (x <= 0n) throw new RangeError(`ilog2 of ${x}`);
  return x.toString(2).length - 1;
}

/** A value as the project prints every address and size: lowercase hex with 0x (a negative one with -0x). */
export function hex(x: bigint): string {
  return x < 0n ? `-0x${(-x).toString(16)}` : `0x${x.toString(16)}`;
}
