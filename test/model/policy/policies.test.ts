// The four policies on the scenarios the design names, every VA derived by hand
// with the arithmetic written out.
//
// Common ground (x86_64 defaults, top-down): mmap_base = TASK_SIZE - 128M (mmap_base()'s
// MIN_GAP clamp) = 0x7ffffffff000 - 0x8000000 = 0x7ffff7fff000 =: B. With no VMA below it, a
// plain top-down search for len returns B - len (align_mask 0 for a driver file).

import { describe, expect, it } from 'vitest';
import { place } from '../../../model/place.js';
import { defaultMm } from '../../../model/mm-defaults.js';
import { POLICY_NAMES } from '../../../model/policy/index.js';
import { optimalOrder } from '../../../model/policy/optimal.js';
import { v2Align } from '../../../model/policy/v2.js';
import { GEOMETRIES } from '../../../model/geometry.js';
import type { FileDesc, PolicyName, Scenario, Vma } from '../../../model/types.js';

const K = 1n << 10n;
const M = 1n << 20n;
const G = 1n << 30n;
const B = 0x7ffff7fff000n;
const mm = defaultMm('x86_64');
const x86 = GEOMETRIES.x86_64;

function scen(
  policy: PolicyName,
  file: FileDesc,
  len: bigint,
  pgoff: bigint,
  vmas: Vma[] = [],
  addr = 0n,
  fixed = false,
): Scenario {
  return { arch: 'x86_64', policy, mm, vmas, file, request: { addr, len, pgoff, fixed, shared: true } };
}
const vfio64M: FileDesc = { kind: 'driver', driver: 'vfio-pci', barSize: 64n * M, barIndex: 0 };

describe("Jason's DPDK example, the kernel placing each part (64M BAR: [0, 2M), skip 4K, [2M+4K, 64M))", () => {
  // Part A: pgoff 0, len 2M; vfio-pci returns PMD_ORDER (9) for it.
  const expectedA: Record<PolicyName, bigint> = {
    // plain: B - 2M = 0x7ffff7dff000.
    baseline: 0x7ffff7dff000n,
    // v2: __thp_get_unmapped_area(size 2M): len_pad 4M, ret = B - 4M = 0x7ffff7bff000,
    // off_sub = (0 - ret) & 0x1fffff = 0x1000 -> ret + 0x1000 = 0x7ffff7c00000.
    v2: 0x7ffff7c00000n,
    // jason: O1 = min(9, ilog2(2M) - 12 = 9) = 9 -> O2 = 9: the same as v2.
    jason: 0x7ffff7c00000n,
    // optimal: o = 9 (round_up(0, 2M) + 2M <= 2M). unmapped_area_topdown with length 2M,
    // align_mask 0x1ff000: gap = B - 2M = 0x7ffff7dff000, minus ((gap - 0) & 0x1ff000 = 0x1ff000) = 0x7ffff7c00000.
    optimal: 0x7ffff7c00000n,
  };
  // Part B: pgoff (2M+4K) >> 12 = 0x201, len 62M-4K = 0x3dff000, with part A in place.
  const expectedB: Record<PolicyName, bigint> = {
    // plain: the gap below A; baseline A = [0x7ffff7dff000, B): 0x7ffff7dff000 - 0x3dff000 = 0x7ffff4000000.
    baseline: 0x7ffff4000000n,
    // v2: len_pad = 64M - 4K = 0x3fff000. Above A (at 0x7ffff7c00000) only B - 0x7ffff7e00000 = 0x1ff000
    // is free, so the gap below A: ret = 0x7ffff7c00000 - 0x3fff000 = 0x7ffff3c01000; off_sub =
    // (0x201000 - ret) & 0x1fffff = 0 (both ≡ 0x1000) -> top-down: ret + 2M = 0x7ffff3e01000,
    // ending at 0x7ffff3e01000 + 0x3dff000 = 0x7ffff7c00000: right below A.
    v2: 0x7ffff3e01000n,
    // jason: O1 = min(9, ilog2(0x3dff000) - 12 = 25 - 12 = 13) = 9 -> O2 = 9: v2's placement.
    jason: 0x7ffff3e01000n,
    // optimal: o = 9; length = 0x3dff000 + 0x1ff000 = 0x3ffe000 > 0x1ff000 above A, so the gap below A:
    // gap = 0x7ffff7c00000 - 0x3dff000 = 0x7ffff3e01000; (gap - 0x201000) & 0x1ff000 = 0 -> unchanged.
    optimal: 0x7ffff3e01000n,
  };
  for (const policy of POLICY_NAMES) {
    it(`${policy}: A at ${expectedA[policy].toString(16)}, B at ${expectedB[policy].toString(16)}`, () => {
      const a = place(scen(policy, vfio64M, 2n * M, 0n));
      expect(a.va).toBe(expectedA[policy]);
      const b = place(scen(policy, vfio64M, 62n * M - 4n * K, 0x201n, [{ start: a.va!, end: a.va! + 2n * M }]));
      expect(b.va).toBe(expectedB[policy]);
      // Congruence where aligned: B ≡ 0x201000 ≡ 0x1000 (mod 2M).
      if (policy !== 'baseline') expect(b.va! % (2n * M)).toBe(0x1000n);
    });
  }
});

describe("Peter's counter-example: 1G BAR mapped from +2M, len 1G-2M, driver order 18 (1G)", () => {
  const file: FileDesc = { kind: 'driver', driver: 'order:18' };
  const s = (policy: PolicyName) => scen(policy, file, G - 2n * M, (2n * M) >> 12n);
  it('baseline: plain, B - (1G - 2M) = 0x7ffff7fff000 - 0x3fe00000 = 0x7fffb81ff000', () => {
    expect(place(s('baseline'))).toMatchObject({ va: 0x7fffb81ff000n, path: 'plain' });
  });
  it(
    'v2 loses all alignment: S = 1G, off_align = round_up(2M, 1G) = 1G = off_end -> __thp returns 0 -> plain (the ' +
      'refused order 18 is reported)',
    () => {
      expect(place(s('v2'))).toMatchObject({ va: 0x7fffb81ff000n, path: 'plain', order: 18, alignment: G });
    },
  );
  it(
    'jason gets 2M: O1 = min(18, ilog2(1G-2M) - 12 = 17) -> O2 = 9; len_pad 1G, ret = B - 1G = 0x7fffb7fff000, ' +
      'off_sub = (2M - ret) & 0x1fffff = 0x1000 -> 0x7fffb8000000',
    () => {
      expect(place(s('jason'))).toMatchObject({ va: 0x7fffb8000000n, path: 'aligned', order: 9, alignment: 2n * M });
    },
  );
  it(
    'optimal gets 2M too: o = 18 fails (1G + 1G > 1G), o = 9 fits; gap = B - (1G-2M) = 0x7fffb81ff000, minus ((gap ' +
      '- 2M) & 0x1ff000 = 0x1ff000) = 0x7fffb8000000',
    () => {
      expect(place(s('optimal'))).toMatchObject({ va: 0x7fffb8000000n, path: 'aligned', order: 9, alignment: 2n * M });
    },
  );
});

describe('driver order 0 with a free gap of exactly len', () => {
  // The only gap under mmap_base of 2M: [B - 2M, B), below it a VMA down to 0x7fffe0000000.
  const vmas: Vma[] = [{ start: 0x7fffe0000000n, end: B - 2n * M }];
  const file: FileDesc = { kind: 'driver', driver: 'order:0' };
  const s = (policy: PolicyName) => scen(policy, file, 2n * M, 0n, vmas);
  it('baseline takes the exact gap: B - 2M = 0x7ffff7dff000', () => {
    expect(place(s('baseline')).va).toBe(0x7ffff7dff000n);
  });
  it(
    'v2 pads by one page (S = PAGE_SIZE << 0): len_pad 2M + 4K misses the exact gap; below the VMA ret = ' +
      '0x7fffe0000000 - 0x201000 = 0x7fffdfdff000, off_sub 0 -> ret + 4K = 0x7fffdfe00000',
    () => {
      expect(place(s('v2'))).toMatchObject({ va: 0x7fffdfe00000n, path: 'aligned', order: 0 });
    },
  );
  it('jason and optimal: order 0 is exactly baseline', () => {
    expect(place(s('jason')).va).toBe(0x7ffff7dff000n);
    expect(place(s('optimal')).va).toBe(0x7ffff7dff000n);
  });
});

describe('hint and MAP_FIXED', () => {
  const file: FileDesc = { kind: 'driver', driver: 'order:9' };
  it('a free hint is kept by every policy (v2 and jason skip the hook; optimal tries it first)', () => {
    for (const policy of POLICY_NAMES)
      expect(place(scen(policy, file, 4n * M, 0n, [], 0x500000001000n))).toMatchObject({
        va: 0x500000001000n,
        path: 'hint',
      });
  });
  it(
    'a hint that is taken: optimal aligns (B - 4M = 0x7ffff7bff000 rounded down to 2M: 0x7ffff7a00000), jason does ' +
      'not',
    () => {
      const vmas: Vma[] = [{ start: 0x500000000000n, end: 0x500000400000n }];
      expect(place(scen('optimal', file, 4n * M, 0n, vmas, 0x500000001000n))).toMatchObject({
        va: 0x7ffff7a00000n,
        path: 'aligned',
      });
      // jason never aligns with a hint: baseline's search, B - 4M = 0x7ffff7bff000.
      expect(place(scen('jason', file, 4n * M, 0n, vmas, 0x500000001000n))).toMatchObject({
        va: 0x7ffff7bff000n,
        path: 'plain',
      });
    },
  );
  it('MAP_FIXED returns addr unchanged under every policy', () => {
    for (const policy of POLICY_NAMES)
      expect(place(scen(policy, file, 4n * M, 0n, [], 0x500000001000n, true))).toMatchObject({
        va: 0x500000001000n,
        path: 'fixed',
      });
  });
});

describe('order arithmetic', () => {
  it(
    "v2's align: PAGE_SIZE << order, or PAGE_SIZE when the shift overflows 64 bits (order >= 52 with 4K " + 'pages)',
    () => {
      expect(v2Align(4096n, 9)).toBe(2n * M);
      expect(v2Align(4096n, 51)).toBe(1n << 63n);
      expect(v2Align(4096n, 52)).toBe(4096n);
      expect(v2Align(4096n, 70)).toBe(4096n);
    },
  );
  it('optimal order: the largest leaf <= O_drv whose aligned chunk fits whole in [off, off+len)', () => {
    // 2G BAR sub-range [2M, 2M + 1G + 2M): 1G chunk would be [1G, 2G), 2G > 1G + 4M -> no; 2M fits -> 9.
    expect(optimalOrder(x86, 19, 2n * M, G + 2n * M)).toBe(9);
    // [0, 1G) with O_drv 18: the 1G chunk [0, 1G) fits -> 18.
    expect(optimalOrder(x86, 18, 0n, G)).toBe(18);
    // O_drv 17 -> the largest leaf <= 17 is 9.
    expect(optimalOrder(x86, 17, 0n, G)).toBe(9);
    // [4K, 4K + 2M): round_up(4K, 2M) = 2M, 2M + 2M > 2M + 4K -> no leaf -> 0.
    expect(optimalOrder(x86, 9, 4n * K, 2n * M)).toBe(0);
    // Negative and huge orders: 0 and the largest leaf that fits.
    expect(optimalOrder(x86, -3, 0n, G)).toBe(0);
    expect(optimalOrder(x86, 1000, 0n, 4n * G)).toBe(18);
  });
});
