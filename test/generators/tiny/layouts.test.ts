// The layout enumerators against counts derived by hand for small bounds.

import { describe, expect, it } from 'vitest';
import { canonicalLayout, layoutKey } from '../../../generators/tiny/canonical-layout.js';
import { canonicalClassSizes, canonicalLayouts, rawLayouts } from '../../../generators/tiny/layouts.js';
import type { TinyLayout } from '../../../generators/tiny/types.js';

const all = (g: Generator<TinyLayout>): TinyLayout[] => [...g];
const keys = (ls: TinyLayout[]): string[] => ls.map(layoutKey).sort();

describe('rawLayouts / canonicalLayouts', () => {
  it('one VMA in 4 pages, two kinds: 1 empty + C(5,2) = 10 ranges x 2 kinds = 21, each its own class', () => {
    const b = { pages: 4, maxVmas: 1, kinds: ['vma', 'gd'] as const };
    expect(all(rawLayouts(b))).toHaveLength(21);
    expect(all(canonicalLayouts(b))).toHaveLength(21);
  });

  it('two VMAs in 4 pages, two kinds: 81 raw layouts, 61 classes', () => {
    // Raw: empty 1; one VMA 21 - 1 = 20; two VMAs [a,b) [c,d) with a < b <= c < d in 0..4:
    // b < c gives C(5,4) = 5 choices, b = c gives C(5,3) = 10, so 15 pairs x 2 x 2 kinds = 60. 1 + 20 + 60 = 81.
    // Classes: touching VMAs of one kind merge into one (already among the 20 single VMAs), so two-VMA
    // classes are the 5 separated pairs x 4 kind pairs = 20 plus the 10 touching pairs x 2 (kinds differ) = 20:
    // 1 + 20 + 40 = 61.
    const b = { pages: 4, maxVmas: 2, kinds: ['vma', 'gd'] as const };
    const raw = all(rawLayouts(b));
    expect(raw).toHaveLength(81);
    const canon = all(canonicalLayouts(b));
    expect(canon).toHaveLength(61);
    expect(new Set(keys(canon)).size).toBe(61);
    // The classes are exactly the images of the raw layouts.
    expect([...new Set(raw.map((l) => layoutKey(canonicalLayout(l))))].sort()).toEqual(keys(canon));
  });

  it('a length bound applies to raw VMAs: two one-page VMAs in 4 pages, one kind', () => {
    // Raw: empty; 4 one-page VMAs; C(4,2) = 6 pairs of pages -> 11. Classes: the 3 touching pairs
    // (0,1) (1,2) (2,3) become the two-page VMAs [0,2) [1,3) [2,4); the 3 others stay pairs: 1 + 4 + 3 + 3 = 11.
    const b = { pages: 4, maxVmas: 2, maxVmaPages: 1, kinds: ['vma'] as const };
    expect(all(rawLayouts(b))).toHaveLength(11);
    const canon = all(canonicalLayouts(b));
    expect(canon).toHaveLength(11);
    expect(keys(canon)).toContain('0-2vma');
    expect(keys(canon)).not.toContain('0-3vma');
    const sizes = canonicalClassSizes(b, layoutKey);
    expect(sizes.get('0-2vma')).toBe(1);
    expect([...sizes.values()].reduce((a, n) => a + n, 0)).toBe(11);
  });

  it('starts at firstPage: one VMA in pages 2..3 of 4', () => {
    // [2,3) [2,4) [3,4) and the empty layout.
    expect(keys(all(canonicalLayouts({ pages: 4, maxVmas: 1, kinds: ['vma'], firstPage: 2 })))).toEqual([
      '',
      '2-3vma',
      '2-4vma',
      '3-4vma',
    ]);
  });
});

describe('canonicalLayout', () => {
  it('sorts and merges touching VMAs of one kind only', () => {
    expect(
      canonicalLayout([
        { start: 5, end: 6, kind: 'vma' },
        { start: 1, end: 2, kind: 'gd' },
        { start: 2, end: 4, kind: 'gd' },
        { start: 4, end: 5, kind: 'vma' },
      ]),
    ).toEqual([
      { start: 1, end: 4, kind: 'gd' },
      { start: 4, end: 6, kind: 'vma' },
    ]);
  });
});
