// Power-of-two rounding over bigint bytes, as the kernel's round_up(),
// round_down(), IS_ALIGNED() and ALIGN() macros compute them; plus the
// unsigned-long wrap the driver arithmetic relies on.

/** 2^64: an unsigned long wraps here. */
export const ULONG_WRAP = 1n << 64n;

/** The value an unsigned long holds after x is stored in it. */
export function ulong(x: bigint): bigint {
  return ((x % ULONG_WRAP) + ULONG_WRAP) % ULONG_WRAP;
}

/** round_down(x, size) for a power-of-two size. */
export function roundDown(x: bigint, size: bigint): bigint {
  return x - mod(x, size);
}

/** round_up(x, size) for a power-of-two size (mathematical: no wrap). */
export function roundUp(x: bigint, size: bigint): bigint {
  const r = mod(x, size);
  return r === 0n ? x : x + size - r;
}

/** x mod m in [0, m), for negative x too. */
export function mod(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

/** IS_ALIGNED(x, size). */
export function isAligned(x: bigint, size: bigint): boolean {
  return mod(x, size) === 0n;
}

/** floor(log2(x)) for x > 0 (the kernel's ilog2()); -1 for x <= 0. */
export function ilog2(x: bigint): number {
  if (x <= 0n) return -1;
  return x.toString(2).length - 1;
}
