import { describe, expect, it } from 'vitest';
import { areaHighest, areaLowest } from '../../model/maple-gap.js';
import { mkCtx } from './helpers.js';

describe('mas_empty_area / mas_empty_area_rev over the VMA list', () => {
  // VMAs [0x10000, 0x20000) and [0x40000, 0x50000): empty [0, 0xffff], [0x20000, 0x3ffff], [0x50000, ULONG_MAX].
  const a = { start: 0x10000n, end: 0x20000n };
  const b = { start: 0x40000n, end: 0x50000n };
  const ctx = mkCtx({ vmas: [a, b] });
  it('lowest: index = max(range start, min), neighbours of the range', () => {
    // min 0x18000 lies in VMA a; first range with 0x20000 bytes inside [0x18000, 0xfffff] is [0x20000, 0x3ffff].
    expect(areaLowest(ctx, 0x18000n, 0xfffffn, 0x20000n)).toEqual({
      index: 0x20000n,
      last: 0x3ffffn,
      next: b,
      prev: a,
    });
    // 0x20001 bytes do not fit there -> [0x50000, ...] clipped to max 0xfffff.
    expect(areaLowest(ctx, 0x18000n, 0xfffffn, 0x20001n)?.index).toBe(0x50000n);
  });
  it('highest: last = min(range end, max)', () => {
    // max 0x47fff lies in VMA b: highest range with 0x10000 bytes is [0x20000, 0x3ffff].
    expect(areaHighest(ctx, 0n, 0x47fffn, 0x10000n)).toEqual({ index: 0x30000n, last: 0x3ffffn, next: b, prev: a });
    // max 0x5ffff: [0x50000, 0x5ffff] holds 0x10000 -> index 0x50000, no VMA above.
    expect(areaHighest(ctx, 0n, 0x5ffffn, 0x10000n)).toEqual({ index: 0x50000n, last: 0x5ffffn, next: null, prev: b });
  });
  it('min > max or a window smaller than size: none', () => {
    expect(areaLowest(ctx, 0x2000n, 0x1000n, 0x1000n)).toBe(null);
    expect(areaHighest(ctx, 0n, 0xfffn, 0x2000n)).toBe(null);
  });
});
