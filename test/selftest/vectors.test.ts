// The kselftest's vectors: their expectations are the model's (optimal, 6.12, the BAR-order driver), and the
// model's answers are checked here against the figures worked out by hand below, so a change in the model that
// moves a vector fails here before it reaches the generated patch.

import { describe, expect, it } from 'vitest';
import {
  CHOICES,
  GiB,
  KiB,
  MiB,
  MODEL_BASE,
  answer,
  meetsRelation,
  modelBreaks,
  vectors,
} from '../../selftest/vectors.js';

const vs = vectors();
const byName = new Map(vs.map((v) => [v.name, v]));

/** name -> [relation, S or the VA's offset from the base, pte, pmd, pud], by hand. */
const HAND: Record<string, [string, bigint, number, number, number]> = {
  // [0, 2M) is one whole 2M chunk: optimal's order 9, one PMD leaf.
  'dpdk-lo': ['congruent', 2n * MiB, 0, 1, 0],
  // [2M+4K, 64M): VA ≡ 0x201000 mod 2M; [2M+4K, 4M) is 0x1ff000 / 4K = 511 PTEs, [4M, 64M) 30 PMDs.
  'dpdk-hi': ['congruent', 2n * MiB, 511, 30, 0],
  // 64M holds no whole 1G chunk: order 14 clamped to 9, 32 PMDs.
  whole: ['congruent', 2n * MiB, 0, 32, 0],
  // [4M, 12M): 4 PMDs.
  'aligned-4m': ['congruent', 2n * MiB, 0, 4, 0],
  // [64K, 4M+64K): [64K, 2M) 496 PTEs, [2M, 4M) 1 PMD, [4M, 4M+64K) 16 PTEs.
  'unaligned-64k': ['congruent', 2n * MiB, 512, 1, 0],
  // [1M, 33M): [1M, 2M) 256 PTEs, [2M, 32M) 15 PMDs, [32M, 33M) 256 PTEs.
  'unaligned-1m': ['congruent', 2n * MiB, 512, 15, 0],
  // [2M-4K, 4M): 1 PTE, then [2M, 4M) 1 PMD.
  'sub-2m4k': ['congruent', 2n * MiB, 1, 1, 0],
  // [4K, 2M+8K) holds no whole 2M chunk (it would need [2M, 4M)): no alignment, 513 PTEs.
  'straddle-4k-only': ['congruent', 4n * KiB, 513, 0, 0],
  'small-16k': ['congruent', 4n * KiB, 4, 0, 0],
  // [62M+4K, 64M): no whole chunk, 511 PTEs.
  'tail-4k-only': ['congruent', 4n * KiB, 511, 0, 0],
  'last-2m': ['congruent', 2n * MiB, 0, 1, 0],
  // The free hint base+4K is kept: VA - off ≡ 4K mod 2M, so no chunk gets a PMD: 4M / 4K = 1024 PTEs.
  'hint-free': ['at', 4n * KiB, 1024, 0, 0],
  // The hint is taken: optimal searches with the congruence: [2M+4K, 6M+4K) = 511 + 1 PTEs and 1 PMD.
  'hint-taken': ['congruent', 2n * MiB, 512, 1, 0],
  // A hole of 4M + 2M - 4K at a 1G-aligned base: the one congruent VA in it is base + 0x1000 (top-down, the
  // highest VA <= base + 2M - 4K with VA ≡ 0x201000 mod 2M).
  'hole-fit': ['at', 4n * KiB, 512, 1, 0],
  // A hole of exactly 4M: the aligned search (4M + 2M - 4K) finds no room anywhere, the plain one puts it at
  // the base: VA - off ≡ -0x201000 mod 2M, so 1024 PTEs.
  'hole-tight': ['at', 0n, 1024, 0, 0],
};

describe('the kselftest vectors', () => {
  it('are at least 12, with distinct names the C can print', () => {
    expect(vs.length).toBeGreaterThanOrEqual(12);
    expect(new Set(vs.map((v) => v.name)).size).toBe(vs.length);
    for (const v of vs) expect(v.name).toMatch(/^[a-z0-9-]+$/);
  });

  it('cover the DPDK split, aligned and unaligned offsets, a 2M+4K range, a 4K-only range, a hint and a hole', () => {
    const dpdkLo = byName.get('dpdk-lo')!;
    const dpdkHi = byName.get('dpdk-hi')!;
    expect([dpdkLo.off, dpdkLo.len, dpdkHi.off, dpdkHi.off + dpdkHi.len]).toEqual([
      0n,
      2n * MiB,
      2n * MiB + 4n * KiB,
      64n * MiB,
    ]);
    expect(vs.some((v) => v.off % (2n * MiB) !== 0n && v.leaves.pmd > 0n)).toBe(true);
    expect(vs.some((v) => v.len === 2n * MiB + 4n * KiB)).toBe(true);
    expect(vs.some((v) => v.leaves.pmd === 0n && v.leaves.pud === 0n && v.layout.kind === 'none')).toBe(true);
    expect(vs.filter((v) => v.layout.kind === 'hint').length).toBe(2);
    expect(vs.filter((v) => v.layout.kind === 'hole').length).toBe(2);
  });

  it('expect what the model answers, which is what was worked out by hand', () => {
    expect(Object.keys(HAND).sort()).toEqual(vs.map((v) => v.name).sort());
    for (const v of vs) {
      const [kind, x, pte, pmd, pud] = HAND[v.name]!;
      const got = v.relation.kind === 'congruent' ? v.relation.align : v.relation.delta;
      expect([v.name, v.relation.kind, got, v.leaves.pte, v.leaves.pmd, v.leaves.pud]).toEqual([
        v.name,
        kind,
        x,
        BigInt(pte),
        BigInt(pmd),
        BigInt(pud),
      ]);
    }
  });

  it('the DPDK piece above the MSI-X page: VA ≡ 0x201000 mod 2M, 511 x 4K + 30 x 2M', () => {
    const v = byName.get('dpdk-hi')!;
    expect(v.relation).toEqual({ kind: 'congruent', align: 2n * MiB });
    expect((v.modelVa - 0x201000n) % (2n * MiB)).toBe(0n);
    expect(v.leaves).toEqual({ pte: 511n, pmd: 30n, pud: 0n });
  });

  it('hold under optimal, and baseline breaks exactly the unaligned ones whose length is no PMD multiple', () => {
    expect(modelBreaks('optimal')).toEqual([]);
    // 6.12's __get_unmapped_area (mm/mmap.c) THP-aligns, with the pgoff, a file without get_unmapped_area when
    // len is a multiple of PMD_SIZE and there is no hint: baseline keeps the congruence for those.
    expect(modelBreaks('baseline')).toEqual(['dpdk-hi', 'sub-2m4k', 'hint-taken', 'hole-fit']);
  });

  it('meetsRelation tells a congruent VA from one that is not, and the exact VA of a hole from its neighbours', () => {
    const hi = byName.get('dpdk-hi')!;
    expect(meetsRelation(hi, 0x7f0000201000n)).toBe(true);
    expect(meetsRelation(hi, 0x7f0000200000n)).toBe(false);
    const fit = byName.get('hole-fit')!;
    expect(meetsRelation(fit, MODEL_BASE + 0x1000n)).toBe(true);
    expect(meetsRelation(fit, MODEL_BASE + 0x1ff000n)).toBe(false);
  });

  it('refuses a vector the model cannot answer (outside the BAR)', () => {
    const c = { ...CHOICES[0]!, name: 'outside', off: 64n * MiB, len: 4n * KiB };
    expect(() => answer(c)).toThrow(/outside/);
    expect(GiB).toBe(1n << 30n);
  });
});
