// The universes' sizes, derived by hand, and the class weights adding up to the raw domain.

import { describe, expect, it } from 'vitest';
import { requestCount } from '../../../generators/tiny/requests.js';
import {
  canonicalLayoutsOf,
  canonicalRequestsOf,
  ciLayouts,
  ciUniverse,
  universeByName,
  universeCases,
} from '../../../generators/tiny/universe.js';

describe('the CI universe (spec/CIUniverse.tla)', () => {
  it('has 86 layouts on tiny-16', () => {
    // empty: 1; one VMA of 1 or 2 pages, ordinary or grows-down, at pages 1..14: 14 x 2 x 2 = 56, and at
    // page 15 the 2-page VMA is clipped to the 1-page one: 2 more; an ordinary VMA below a stack on the
    // top page: 1 page at 1..14 (14) and 2 pages at 1..13 (13): 27. 1 + 56 + 2 + 27 = 86.
    expect(ciLayouts(16)).toHaveLength(86);
  });

  it('has 2560 requests, each its own class', () => {
    const u = ciUniverse();
    expect(requestCount(u.requests)).toBe(2560);
    // The CI orders -1, 0, 1, 2, 3, 40, 52 fall in 7 different classes (40 -> 5, no 5 in the list); the
    // hint 5 is <= 16 - len for every len 1..8 and above mmap_min_addr; pgoff 0..3 < P = 16; lens <= 16;
    // the pa of order:2 at PFN 1 is < 16: no two CI requests share a class.
    expect(canonicalRequestsOf(u)).toHaveLength(2560);
  });

  it('weights add up to the raw universe: 86 x 2560 = 220160 cases', () => {
    let n = 0;
    let w = 0;
    for (const c of universeCases(ciUniverse(), true)) {
      n++;
      w += c.weight;
    }
    expect(w).toBe(220160);
    expect(n).toBe(canonicalLayoutsOf(ciUniverse()).length * canonicalRequestsOf(ciUniverse()).length);
  });
});

describe('universeByName', () => {
  it('knows the check universes and refuses others naming the field', () => {
    expect(universeByName('requests:tiny-32').arch).toBe('tiny-32');
    expect(() => universeByName('nope')).toThrow(/^universe: unknown universe 'nope'/);
  });
});
