// The smallest-counterexample search behind docs/FINDINGS.md: the universe it
// enumerates (counted by hand from spec/CIUniverse.tla and
// spec/MCShadowStack.tla), its size order, and one smallest case derived by
// hand from the kernel arithmetic.

import { describe, expect, it } from 'vitest';
import {
  casesBySize,
  compareKeys,
  minimalCounterexamples,
  minimalKey,
  tinyLayouts,
  tinyRequests,
  tinyScenario,
  type TinyCase,
} from '../../../scripts/docs/minimal-search.js';

const base: TinyCase = {
  layout: [],
  len: 1,
  pgoff: 0,
  addr: 0,
  fixed: false,
  topdown: true,
  shadowStack: false,
  driver: { name: 'order:0', pa: 0 },
};

describe('the tiny-16 universe', () => {
  it('has the layouts and requests of the CI configurations', () => {
    // layouts: empty (1); one VMA of 1 or 2 pages at page s, ordinary or grows-down: (15 + 14) x 2 = 58;
    // a stack at page 15 and one VMA of 1 or 2 pages below it: 14 + 13 = 27; everything mapped but page 0 and
    // a free run of 1..4 pages at a: 4 x 12 (a = 1..12) + 3 + 2 + 1 = 54.  1 + 58 + 27 + 54 = 140.
    expect(tinyLayouts()).toHaveLength(140);
    // requests: hint {0, 5} x fixed {no, yes} x len 1..8 x pgoff 0..3 x 10 drivers x 2 directions = 2560,
    // plus the shadow-stack requests: len 1..4 x 2 directions = 8.
    expect(tinyRequests()).toHaveLength(2568);
  });

  it('orders by length first, then fewer VMAs, then no MAP_FIXED, no hint, smaller pgoff, top-down', () => {
    const k = (c: Partial<TinyCase>) => minimalKey({ ...base, ...c });
    expect(compareKeys(k({ len: 1, layout: [{ start: 3, end: 5, growsDown: false }] }), k({ len: 2 }))).toBeLessThan(0);
    expect(compareKeys(k({}), k({ layout: [{ start: 3, end: 4, growsDown: false }] }))).toBeLessThan(0);
    expect(compareKeys(k({ addr: 5 }), k({ fixed: true }))).toBeLessThan(0);
    // the hint is compared before pgoff, pgoff before the direction
    expect(compareKeys(k({ pgoff: 1 }), k({ addr: 5 }))).toBeLessThan(0);
    expect(compareKeys(k({ topdown: false }), k({ pgoff: 1 }))).toBeLessThan(0);
    expect(compareKeys(k({}), k({ topdown: false }))).toBeLessThan(0);
    expect(
      compareKeys(k({ driver: { name: 'order:-1', pa: 0 } }), k({ driver: { name: 'order:1', pa: 0 } })),
    ).toBeGreaterThan(0);
  });

  it('puts a case in page units into bytes with the geometry default mm', () => {
    const s = tinyScenario(
      { ...base, len: 3, pgoff: 2, addr: 5, layout: [{ start: 14, end: 15, growsDown: true }] },
      'v2',
    );
    // 4K pages: len 3 pages = 0x3000, hint page 5 = 0x5000, VMA [14, 15) = [0xe000, 0xf000); tiny-16 mmap_base = 16
    // pages
    expect(s.request).toMatchObject({ len: 0x3000n, addr: 0x5000n, pgoff: 2n, shared: true, fixed: false });
    expect(s.vmas).toEqual([{ start: 0xe000n, end: 0xf000n, growsDown: true }]);
    expect(s.mm.mmapBase).toBe(0x10000n);
    expect(s.file).toMatchObject({ kind: 'driver', driver: 'order:0', barSize: 0x4000n, barPhys: 0n });
  });
});

describe('minimalCounterexamples', () => {
  it("finds v2's smallest OrderZeroIsBaseline case: one page, a VMA at page 14, order 0", () => {
    // Top-down, mmap_base = page 16, len 1 page, order:0. baseline takes the highest free page.
    // Empty layout: baseline 15; v2 searches len + 1 = 2 pages, ret = 14, off_sub = 0, top-down ret + 1 = 15: same.
    // One 1-page VMA at s: for s <= 13 the gap [s+1, 16) has >= 2 pages: both give 15; s = 14 leaves exactly
    // [15, 16): baseline 15, v2 needs 2 pages -> gap [1, 14): ret = 12, + 1 = 13: different. Hints, MAP_FIXED,
    // pgoff > 0, bottom-up and other drivers sort after this case.
    const r = minimalCounterexamples([{ invariant: 'OrderZeroIsBaseline', policy: 'v2', key: 'k' }]);
    const m = r.found.get('k');
    expect(m?.case).toEqual({ ...base, layout: [{ start: 14, end: 15, growsDown: false }] });
    expect(m?.placement.va).toBe(13n * 0x1000n);
    expect(r.none).toEqual([]);
  });

  it('searches only the cases a filter keeps, and reports a cell with no counterexample', () => {
    const cases = [base, { ...base, layout: [{ start: 14, end: 15, growsDown: false }] }];
    const r = minimalCounterexamples(
      [
        { invariant: 'OrderZeroIsBaseline', policy: 'v2', key: 'any' },
        { invariant: 'OrderZeroIsBaseline', policy: 'v2', key: 'empty only', filter: (c) => c.layout.length === 0 },
        { invariant: 'OrderZeroIsBaseline', policy: 'optimal', key: 'optimal' },
      ],
      cases,
    );
    expect(r.found.get('any')?.rank).toBe(1);
    expect(r.found.has('empty only')).toBe(false);
    // optimal treats order 0 as no hook at all
    expect(r.none.map((t) => t.key)).toEqual(['empty only', 'optimal']);
    expect(r.universe).toBe(2);
  });

  it('sorts the whole universe', () => {
    const all = casesBySize();
    expect(all).toHaveLength(140 * 2568);
    for (let i = 1; i < all.length; i += 997)
      expect(compareKeys(minimalKey(all[i - 1]!), minimalKey(all[i]!))).toBeLessThanOrEqual(0);
  });
});
