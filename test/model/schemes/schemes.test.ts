// The userspace schemes on Jason's DPDK example: a 64M BAR with the MSI-X table
// in the page at 2M, so the areas are [0, 2M) and [2M + 4K, 64M). x86_64
// defaults, top-down, mmap_base B = 0x7ffff7fff000, nothing mapped yet; the
// device file is vfio-pci, BAR 0 (region offset 0), barPhys 1T.
// Every VA and leaf count below is derived by hand in the comments.

import { describe, expect, it } from 'vitest';
import { defaultMm } from '../../../model/mm-defaults.js';
import { dpdkAreas, qemuAreas, runScheme, type SchemeEnv, type SchemeResult } from '../../../model/schemes/index.js';
import { insertVma, unmapRange } from '../../../model/schemes/layout.js';
import type { PolicyName } from '../../../model/types.js';

const K = 1n << 10n;
const M = 1n << 20n;
const bar = { size: 64n * M, msix: { offset: 2n * M, size: 4n * K } };
const env = (policy: PolicyName, reserveHint?: bigint): SchemeEnv => ({
  arch: 'x86_64',
  policy,
  mm: defaultMm('x86_64'),
  vmas: [],
  file: { kind: 'driver', driver: 'vfio-pci', barSize: 64n * M, barIndex: 0 },
  ...(reserveHint !== undefined ? { reserveHint } : {}),
});

/** Per part: VA, then leaves {4K, 2M, 1G}, faults, fallbacks. */
function summary(r: SchemeResult): string[] {
  return r.parts.map((p) => {
    if (p.va === null || p.faults === null || !p.faults.ok) return 'unmapped';
    const { leaves: l, faults, fallbacks } = p.faults.report;
    const leaves = `4K:${l.get(4096n)} 2M:${l.get(2n * M)} 1G:${l.get(1n << 30n)}`;
    return `${p.va.toString(16)} ${leaves} faults:${faults} fallbacks:${fallbacks}`;
  });
}

describe('areas around the MSI-X page', () => {
  it('both programs split [0, 64M) into [0, 2M) and [2M + 4K, 64M)', () => {
    const want = [
      { offset: 0n, size: 2n * M },
      { offset: 2n * M + 4n * K, size: 62n * M - 4n * K },
    ];
    expect(dpdkAreas(bar, 4096n)).toEqual(want);
    expect(qemuAreas(bar, 4096n)).toEqual(want);
  });
  it('a table at 0: no first area; a table covering the BAR: DPDK skips the BAR', () => {
    expect(qemuAreas({ size: 64n * M, msix: { offset: 0n, size: 4n * K } }, 4096n)).toEqual([
      { offset: 4n * K, size: 64n * M - 4n * K },
    ]);
    expect(dpdkAreas({ size: 4n * K, msix: { offset: 0n, size: 4n * K } }, 4096n)).toEqual([]);
  });
  it(
    'DPDK raises an unaligned table start back to the table offset ' + '(the first part then covers the table page)',
    () => {
      // table at 0x100800: RTE_ALIGN_FLOOR -> 0x100000 < 0x100800 -> table_start = 0x100800; table_end = ALIGN(0x100800
      // + 0x800) = 0x101000.
      expect(dpdkAreas({ size: 64n * M, msix: { offset: 0x100800n, size: 0x800n } }, 4096n)).toEqual([
        { offset: 0n, size: 0x100800n },
        { offset: 0x101000n, size: 64n * M - 0x101000n },
      ]);
    },
  );
});

describe('the VMA list', () => {
  it('munmap splits, MAP_FIXED replaces', () => {
    const v = [{ start: 0x1000n, end: 0x9000n }];
    expect(unmapRange(v, 0x3000n, 0x2000n)).toEqual([
      { start: 0x1000n, end: 0x3000n },
      { start: 0x5000n, end: 0x9000n },
    ]);
    expect(insertVma(v, 0x2000n, 0x1000n)).toEqual([
      { start: 0x1000n, end: 0x2000n },
      { start: 0x2000n, end: 0x3000n },
      { start: 0x3000n, end: 0x9000n },
    ]);
  });
});

describe(
  "Jason's DPDK example under each scheme (the policy does not matter where every BAR mmap is " + 'MAP_FIXED)',
  () => {
    // Leaf counts of the second area [2M + 4K, 64M), 62M - 4K long, at VA v:
    // - v ≡ 4K (mod 2M) (congruent with off 2M + 4K): head 2M - 4K = 511 PTEs, then 60M / 2M = 30 PMDs, 541 faults;
    //   fallbacks: its one PUD block asked once + the head PMD block = 2;
    // - v incongruent: (62M - 4K) / 4K = 15871 PTEs; every PMD block met asked once and refused.
    it('QEMU 9.2: area 0 aligned to 2M, area 1 (size 62M - 4K, lowest set bit 4K) to 4K only: no PMD in area 1', () => {
      // Area 0: reserve 2M + 2M = 4M, anonymous, a PMD multiple -> THP: len_pad 6M, ret = B - 6M = 0x7ffff79ff000,
      //   off_sub 0x1000 -> 0x7ffff7a00000; trim [0x7ffff7c00000, +2M); map at 0x7ffff7a00000: 1 PMD
      //   (1 fault; the PUD block asked and refused: 1 fallback).
      // Area 1: reserve 62M - 4K + 4K = 62M (31 PMDs) -> THP: len_pad 64M; above area 0 only B - 0x7ffff7c00000 =
      //   0x3ff000 is free, so ret = 0x7ffff7a00000 - 64M = 0x7ffff3a00000, off_sub 0 -> top-down ret + 2M =
      //   0x7ffff3c00000 ≡ 0 (mod 2M), while off ≡ 0x1000: 15871 PTEs; PMD blocks met: [0x7ffff3c00000,
      //   round_up(0x7ffff3c00000 + 0x3dff000, 2M) = 0x7ffff7a00000) / 2M = 31, + 1 PUD = 32 fallbacks.
      const r = runScheme('qemu-9.2', env('jason'), bar);
      expect(r.error).toBeNull();
      expect(summary(r)).toEqual([
        '7ffff7a00000 4K:0 2M:1 1G:0 faults:1 fallbacks:1',
        '7ffff3c00000 4K:15871 2M:0 1G:0 faults:15871 fallbacks:32',
      ]);
    });
    it('QEMU since Feb 2026: one 64M alignment for the region, areas at base + offset: area 1 ≡ 4K, 30 PMDs', () => {
      // Reserve 64M + 64M = 128M -> THP: len_pad 130M, ret = B - 0x8200000 = 0x7fffefdff000, off_sub 0x1000 ->
      //   0x7fffefe00000; ROUND_UP to 64M: 0x7ffff0000000. Area 0 at 0x7ffff0000000 (1 PMD), area 1 at
      //   0x7ffff0000000 + 2M + 4K = 0x7ffff0201000 ≡ 4K (mod 2M): 511 PTEs + 30 PMDs.
      const r = runScheme('qemu-2026', env('jason'), bar);
      expect(summary(r)).toEqual([
        '7ffff0000000 4K:0 2M:1 1G:0 faults:1 fallbacks:1',
        '7ffff0201000 4K:511 2M:30 1G:0 faults:541 fallbacks:2',
      ]);
      // The MSI-X page between them was unmapped: the areas' VMAs and nothing else remain.
      expect(r.vmas).toEqual([
        { start: 0x7ffff0000000n, end: 0x7ffff0200000n },
        { start: 0x7ffff0201000n, end: 0x7ffff4000000n },
      ]);
    });
    it(
      'DPDK with no reservation hint: ' + 'the 64M anonymous reservation is THP-aligned, so both parts are congruent',
      () => {
        // Reserve 64M at addr 0 -> THP: len_pad 66M, ret = B - 0x4200000 = 0x7ffff3dff000, off_sub 0x1000 ->
        // 0x7ffff3e00000.
        // Part 0 at 0x7ffff3e00000: 1 PMD. Part 1 at base + 2M + 4K = 0x7ffff4001000 ≡ 4K: 511 + 30.
        const r = runScheme('dpdk', env('baseline'), bar);
        expect(summary(r)).toEqual([
          '7ffff3e00000 4K:0 2M:1 1G:0 faults:1 fallbacks:1',
          '7ffff4001000 4K:511 2M:30 1G:0 faults:541 fallbacks:2',
        ]);
        // The MSI-X page stays reserved (PROT_NONE) between the parts; the reservation ends at 0x7ffff3e00000 + 64M.
        expect(r.vmas).toEqual([
          { start: 0x7ffff3e00000n, end: 0x7ffff4000000n },
          { start: 0x7ffff4000000n, end: 0x7ffff4001000n },
          { start: 0x7ffff4001000n, end: 0x7ffff7e00000n },
        ]);
      },
    );
    it(
      'DPDK with pci_map_addr = 0x7f0000001000: a hinted anonymous reservation gets no THP alignment: no PMD at ' +
        'all',
      () => {
        // base = the hint (free) = 0x7f0000001000 ≡ 4K. Part 0 ≡ 4K vs off 0: 512 PTEs; PMD blocks met
        //   0x7f0000000000 and 0x7f0000200000 (2) + 1 PUD = 3 fallbacks.
        // Part 1 at 0x7f0000202000 ≡ 8K vs off ≡ 4K: 15871 PTEs; PMD blocks met from 0x7f0000200000 to
        //   round_up(0x7f0004001000, 2M) = 0x7f0004200000: 32, + 1 PUD = 33 fallbacks.
        const r = runScheme('dpdk', env('jason', 0x7f0000001000n), bar);
        expect(summary(r)).toEqual([
          '7f0000001000 4K:512 2M:0 1G:0 faults:512 fallbacks:3',
          '7f0000202000 4K:15871 2M:0 1G:0 faults:15871 fallbacks:33',
        ]);
      },
    );
  },
);

describe('a scheme runs on the kernel its env names', () => {
  it("baseline under 6.12: 6.12's core THP-aligns the 2M part A, and B below it lands congruent", () => {
    // A: len 2M is a PMD multiple with no hint: 6.12's __get_unmapped_area takes the THP branch for a file
    // without get_unmapped_area: search 4M top-down, ret = B - 4M = 0x7ffff7bff000, off_sub = (0 - ret) &
    // (2M - 1) = 0x1000, VA = 0x7ffff7c00000 (1 PMD). B (len 64M - 2M - 4K, no PMD multiple): plain, under A:
    // 0x7ffff7c00000 - 0x3dff000 = 0x7ffff3e01000 ≡ 0x201000 (mod 2M): 511 PTEs then 30 PMDs, as v2 gets.
    expect(summary(runScheme('kernel', { ...env('baseline'), kernel: '6.12' }, bar))).toEqual([
      '7ffff7c00000 4K:0 2M:1 1G:0 faults:1 fallbacks:1',
      '7ffff3e01000 4K:511 2M:30 1G:0 faults:541 fallbacks:2',
    ]);
  });
});

describe("the kernel places each part (no manual alignment): Jason's example under every policy", () => {
  // VAs from test/model/policy/policies.test.ts (derived there).
  const expected: Record<PolicyName, string[]> = {
    // A at B - 2M = 0x7ffff7dff000 ≡ 0x1ff000: 512 PTEs; fallbacks 1 PUD + 2 PMD blocks met
    //   ([0x7ffff7c00000, 0x7ffff7e00000) and [0x7ffff7e00000, 0x7ffff8000000)) = 3.
    // B at 0x7ffff4000000 ≡ 0 vs off ≡ 4K: 15871 PTEs, PMD blocks met [0x7ffff4000000, 0x7ffff7e00000) / 2M = 31,
    //   + 1 PUD = 32.
    baseline: [
      '7ffff7dff000 4K:512 2M:0 1G:0 faults:512 fallbacks:3',
      '7ffff4000000 4K:15871 2M:0 1G:0 faults:15871 fallbacks:32',
    ],
    // A at 0x7ffff7c00000: 1 PMD. B at 0x7ffff3e01000 ≡ 4K: 511 + 30.
    v2: ['7ffff7c00000 4K:0 2M:1 1G:0 faults:1 fallbacks:1', '7ffff3e01000 4K:511 2M:30 1G:0 faults:541 fallbacks:2'],
    jason: [
      '7ffff7c00000 4K:0 2M:1 1G:0 faults:1 fallbacks:1',
      '7ffff3e01000 4K:511 2M:30 1G:0 faults:541 fallbacks:2',
    ],
    optimal: [
      '7ffff7c00000 4K:0 2M:1 1G:0 faults:1 fallbacks:1',
      '7ffff3e01000 4K:511 2M:30 1G:0 faults:541 fallbacks:2',
    ],
  };
  for (const policy of ['baseline', 'v2', 'jason', 'optimal'] as const) {
    it(policy, () => {
      expect(summary(runScheme('kernel', env(policy), bar))).toEqual(expected[policy]);
    });
  }
});

describe('sparse mmap areas (VFIO_REGION_INFO_CAP_SPARSE_MMAP)', () => {
  it('QEMU since Feb 2026 sorts them and maps each at base + offset', () => {
    // 64M BAR, areas given out of order: [32M, 64M) and [0, 16M). align = min(pow2ceil(64M), 1G) = 64M; the
    // 128M reservation lands at 0x7fffefe00000 (as above), rounded up to 0x7ffff0000000.
    // Sorted: [0, 16M) at 0x7ffff0000000 -> 8 PMDs; the hole [16M, 32M) unmapped; [32M, 64M) at
    // 0x7ffff2000000 -> 16 PMDs. Each VMA is 2M-aligned, under 1G: 1 PUD fallback each.
    const sparse = {
      size: 64n * M,
      sparse: [
        { offset: 32n * M, size: 32n * M },
        { offset: 0n, size: 16n * M },
      ],
    };
    const r = runScheme('qemu-2026', env('baseline'), sparse);
    expect(summary(r)).toEqual([
      '7ffff0000000 4K:0 2M:8 1G:0 faults:8 fallbacks:1',
      '7ffff2000000 4K:0 2M:16 1G:0 faults:16 fallbacks:1',
    ]);
    expect(r.vmas).toEqual([
      { start: 0x7ffff0000000n, end: 0x7ffff1000000n },
      { start: 0x7ffff2000000n, end: 0x7ffff4000000n },
    ]);
  });
});
