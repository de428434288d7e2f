import { describe, expect, it } from 'vitest';
import { alignUp, ilog2, roundUpS64, s64, u64 } from '../../model/u64.js';

describe('C integer helpers', () => {
  it('u64 / s64 wrap', () => {
    expect(u64(-1n)).toBe((1n << 64n) - 1n);
    expect(s64(1n << 63n)).toBe(-(1n << 63n));
  });
  it('ALIGN wraps to 0 at the top', () => {
    expect(alignUp((1n << 64n) - 1n, 4096n)).toBe(0n);
    expect(alignUp(0x1001n, 0x1000n)).toBe(0x2000n);
  });
  it('round_up on loff_t: 0 stays 0, negatives round toward +inf', () => {
    // ((0 - 1) | 0x1fffff) + 1 = -1 + 1 = 0
    expect(roundUpS64(0n, 0x200000n)).toBe(0n);
    // -4M is a multiple: ((-4M - 1) | (2M - 1)) + 1 = -4M
    expect(roundUpS64(-0x400000n, 0x200000n)).toBe(-0x400000n);
    expect(roundUpS64(0x1000n, 0x200000n)).toBe(0x200000n);
  });
  it('ilog2', () => {
    expect(ilog2(0x200000n)).toBe(21);
    expect(ilog2(0x3fffffn)).toBe(21);
  });
});
