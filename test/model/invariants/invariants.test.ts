// The four predicates on hand-made placements: each holds where it should and
// fails, with a reason, where it should.

import { describe, expect, it } from 'vitest';
import { Congruent, FixedExact, InRange, NoOverlap } from '../../../model/invariants/index.js';
import { defaultMm } from '../../../model/mm-defaults.js';
import { place } from '../../../model/place.js';
import type { Placement, Scenario } from '../../../model/types.js';
import { M, PS } from '../helpers.js';

const base: Scenario = {
  arch: 'x86_64',
  policy: 'baseline',
  mm: defaultMm('x86_64'),
  vmas: [{ start: 0x40000000n, end: 0x40100000n, growsDown: true }],
  file: { kind: 'thp' },
  request: { addr: 0n, len: 4n * M, pgoff: 1n, fixed: false, shared: true },
};
const at = (va: bigint, path: Placement['path'] = 'plain', alignment = PS): Placement => ({ va, error: null, path, order: 0, alignment });

describe('InRange', () => {
  it('holds inside the window, fails unaligned, below mmap_min_addr, or past the window', () => {
    expect(InRange(base, at(0x500000000000n)).ok).toBe(true);
    expect(InRange(base, at(0x500000000800n)).why).toMatch(/not page-aligned/);
    expect(InRange(base, at(0x1000n)).why).toMatch(/below mmap_min_addr/);
    // 0x7ffffffff000 - 4M + 4K + 4M > window
    expect(InRange(base, at(0x7ffffffff000n - 4n * M + PS)).why).toMatch(/exceeds mmap_end/);
  });
});

describe('NoOverlap', () => {
  it('fails on a VMA, on a grow-down guard gap, holds just below the guard', () => {
    expect(NoOverlap(base, at(0x3ff00000n)).why).toMatch(/overlaps/);
    // ends at 0x40000000 - 1M + 4K: inside the 1M guard
    expect(NoOverlap(base, at(0x40000000n - M - 4n * M + PS)).why).toMatch(/guard gap/);
    expect(NoOverlap(base, at(0x40000000n - M - 4n * M)).ok).toBe(true);
  });

  it('x86 top-down fallback drops a shadow stack start_gap (upstream: vm_flags = 0)', () => {
    // mmap_base 1M leaves no room top-down; bottom-up from mmap_legacy_base 0x2aaaaaaab000
    // with vm_flags 0 -> VA = 0x2aaaaaaab000 directly above a VMA ending there.
    const s: Scenario = {
      ...base,
      mm: { ...base.mm, mmapBase: M },
      vmas: [{ start: 0x2aaaaaaaa000n, end: 0x2aaaaaaab000n }],
      file: { kind: 'anon' },
      request: { addr: 0n, len: M, pgoff: 0n, fixed: false, shared: false, shadowStack: true },
    };
    const p = place(s);
    expect(p.va).toBe(0x2aaaaaaab000n);
    expect(NoOverlap(s, p).why).toMatch(/start_gap/);
  });
});

describe('FixedExact', () => {
  it('MAP_FIXED: addr or an error only', () => {
    const s: Scenario = { ...base, request: { ...base.request, addr: 0x500000000000n, fixed: true } };
    expect(FixedExact(s, at(0x500000000000n, 'fixed')).ok).toBe(true);
    expect(FixedExact(s, { va: null, error: 'ENOMEM', path: 'fixed', order: 0, alignment: PS }).ok).toBe(true);
    expect(FixedExact(s, at(0x500000200000n, 'fixed')).why).toMatch(/returned/);
  });
});

describe('Congruent', () => {
  it('VA ≡ pgoff << 12 (mod S) on the aligned path', () => {
    expect(Congruent(base, at(0x7ffff7201000n, 'aligned', 2n * M)).ok).toBe(true);
    expect(Congruent(base, at(0x7ffff7200000n, 'aligned', 2n * M)).why).toMatch(/≢/);
    // not the aligned path: nothing to check
    expect(Congruent(base, at(0x7ffff7200000n, 'plain')).ok).toBe(true);
    // explicit S
    expect(Congruent(base, at(0x7ffff7201000n, 'aligned', 2n * M), 1n << 30n).ok).toBe(false);
  });
});
