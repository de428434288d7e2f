// The invariants this helper owns, each shown holding and broken on scenarios
// whose placements are derived by hand (B = mmap_base = 0x7ffff7fff000, the
// x86_64 default TASK_SIZE - 128M; a top-down plain search for len returns B - len).

import { describe, expect, it } from 'vitest';
import { place } from '../../../model/place.js';
import { defaultMm } from '../../../model/mm-defaults.js';
import { POLICY_NAMES } from '../../../model/policy/index.js';
import {
  InRange,
  DriverObligation,
  FaultSafe,
  formatCounterexample,
  HintKept,
  MaxLeafCoverage,
  NoNewFailure,
  OrderClamped,
  OrderZeroIsBaseline,
  UsefulOnly,
} from '../../../model/invariants/index.js';
import { checkLeafRuns } from '../../../model/invariants/fault-safe.js';
import type { FileDesc, Placement, PolicyName, Scenario, Vma } from '../../../model/types.js';

const K = 1n << 10n;
const M = 1n << 20n;
const G = 1n << 30n;
const T = 1n << 40n;
const B = 0x7ffff7fff000n;
const mm = defaultMm('x86_64');

function scen(policy: PolicyName, file: FileDesc, len: bigint, pgoff: bigint, vmas: Vma[] = [], addr = 0n): Scenario {
  return { arch: 'x86_64', policy, mm, vmas, file, request: { addr, len, pgoff, fixed: false, shared: true } };
}

describe('UsefulOnly and OrderZeroIsBaseline: order 0 with a free gap of exactly len', () => {
  const vmas: Vma[] = [{ start: 0x7fffe0000000n, end: B - 2n * M }];
  const s = (policy: PolicyName) => scen(policy, { kind: 'driver', driver: 'order:0' }, 2n * M, 0n, vmas);
  // baseline takes the exact gap B - 2M = 0x7ffff7dff000; v2's len_pad 2M + 4K does not fit there, so below the
  // VMA: ret = 0x7fffe0000000 - 0x201000 = 0x7fffdfdff000, off_sub 0 -> ret + 4K = 0x7fffdfe00000.
  it(
    'v2 pads by one page (S = 4K) and lands at 0x7fffdfe00000 instead of baseline 0x7ffff7dff000: ' +
      'OrderZeroIsBaseline breaks',
    () => {
      const p = place(s('v2'));
      expect(p.va).toBe(0x7fffdfe00000n);
      expect(OrderZeroIsBaseline(s('v2'), p)).toEqual({
        ok: false,
        why:
          'order:0 returns order 0, yet v2 gives VA 0x7fffdfe00000 (path aligned) where baseline gives VA ' +
          '0x7ffff7dff000',
      });
      // A 4K chunk always fits in [off, off + len): by the table's letter (and spec/Invariants.tla) the move is not
      // "useless".
      expect(UsefulOnly(s('v2'), p).ok).toBe(true);
    },
  );
  it('baseline, jason and optimal keep both', () => {
    for (const policy of ['baseline', 'jason', 'optimal'] as const) {
      const p = place(s(policy));
      expect(UsefulOnly(s(policy), p).ok).toBe(true);
      expect(OrderZeroIsBaseline(s(policy), p).ok).toBe(true);
    }
  });
  it('UsefulOnly refuses a move made for a chunk that does not fit: S = 2M for [4K, 4K + 2M)', () => {
    const sc = scen('jason', { kind: 'driver', driver: 'order:9' }, 2n * M, 1n);
    // round_up(4K, 2M) + 2M = 4M > 2M + 4K: no 2M chunk. baseline is B - 2M = 0x7ffff7dff000. The forged move is
    // what v2's mechanism with S = 2M would give: len_pad 4M, ret = B - 4M = 0x7ffff7bff000, off_sub =
    // (0x1000 - 0x1ff000) & 0x1fffff = 0x2000 -> 0x7ffff7c01000.
    const moved: Placement = { va: 0x7ffff7c01000n, error: null, path: 'aligned', order: 9, alignment: 2n * M };
    expect(UsefulOnly(sc, moved)).toEqual({
      ok: false,
      why:
        'jason gives VA 0x7ffff7c01000 where baseline gives VA 0x7ffff7dff000, for S = 0x200000 (order 9), but ' +
        '[off 0x1000, 0x201000) holds no whole 0x200000-aligned chunk',
    });
    expect(UsefulOnly(sc, place(sc)).ok).toBe(true);
  });
});

describe('OrderClamped: order:3 (32K, not an x86 leaf), len 64K', () => {
  const s = (policy: PolicyName) => scen(policy, { kind: 'driver', driver: 'order:3' }, 64n * K, 0n);
  it(
    'v2 aligns to 32K: len_pad 96K, ret = B - 0x18000 = 0x7ffff7fe7000, off_sub = 0x8000 - 0x7000 = 0x1000 -> ' +
      '0x7ffff7fe8000',
    () => {
      const p = place(s('v2'));
      expect(p).toMatchObject({ va: 0x7ffff7fe8000n, path: 'aligned', alignment: 32n * K });
      expect(OrderClamped(s('v2'), p)).toEqual({
        ok: false,
        why: 'S = 0x8000 (order 3) is not a leaf size of x86_64 (0x1000, 0x200000, 0x40000000)',
      });
      // [0, 64K) holds whole 32K chunks: the move is "useful" by the table's letter; OrderClamped is what catches it.
      expect(UsefulOnly(s('v2'), p).ok).toBe(true);
    },
  );
  it(
    'jason: O1 = min(3, ilog2(64K) - 12 = 4) = 3, largest x86 leaf <= 3 is 0 -> baseline, B - 64K = 0x7ffff7fef000; ' +
      'optimal likewise',
    () => {
      for (const policy of ['jason', 'optimal'] as const) {
        const p = place(s(policy));
        expect(p).toMatchObject({ va: 0x7ffff7fef000n, path: 'plain' });
        expect(OrderClamped(s(policy), p).ok).toBe(true);
      }
    },
  );
});

describe('OrderClamped: order:-1, one page (the reading spec/Invariants.tla shares)', () => {
  const s = (policy: PolicyName) => scen(policy, { kind: 'driver', driver: 'order:-1' }, 4n * K, 0n);
  it(
    'v2 makes order 0 of -1 and still pads by a page: len_pad 8K, ret = B - 8K, off_sub 0 -> ret + 4K = ' +
      '0x7ffff7ffe000',
    () => {
      const p = place(s('v2'));
      expect(p).toMatchObject({ va: 0x7ffff7ffe000n, path: 'aligned', order: 0, alignment: 4n * K });
      // The same VA as baseline (B - 4K) on an empty layout, but PAGE_SIZE << -1 allows no alignment at all and
      // v2 handed the allocator one: with a free gap of exactly one page it would land elsewhere.
      expect(OrderClamped(s('v2'), p)).toEqual({
        ok: false,
        why: 'S = 0x1000 exceeds PAGE_SIZE << O_drv (O_drv = -1)',
      });
    },
  );
  it(
    'jason and optimal find no leaf order <= -1 and place as baseline does: ' + 'B - 4K = 0x7ffff7ffe000, path plain',
    () => {
      for (const policy of ['jason', 'optimal'] as const) {
        const p = place(s(policy));
        expect(p).toMatchObject({ va: B - 4n * K, path: 'plain' });
        expect(OrderClamped(s(policy), p).ok).toBe(true);
      }
    },
  );
});

describe('OrderClamped judges the order a policy chose, also one the chunk test refused (path plain)', () => {
  it(
    'v2, order:9, len 2M at off 4K: round_up(4K, 2M) + 2M = 4M > 2M + 4K -> __thp returns 0 before any search: path ' +
      'plain',
    () => {
      const sc = scen('v2', { kind: 'driver', driver: 'order:9' }, 2n * M, 1n);
      const p = place(sc);
      // The refused order is reported and judged: 2M is an x86 leaf, 9 <= O_drv = 9 and 9 <= floor_log2(2M) - 12 = 9.
      expect(p).toMatchObject({ va: B - 2n * M, path: 'plain', order: 9, alignment: 2n * M });
      expect(OrderClamped(sc, p).ok).toBe(true);
    },
  );
  it(
    'v2, order:9, len 4K: the chunk test refuses 2M before any search, but 2M > 2^floor_log2(4K): unclamped all the ' +
      'same',
    () => {
      const sc = scen('v2', { kind: 'driver', driver: 'order:9' }, 4n * K, 0n);
      const p = place(sc);
      expect(p).toMatchObject({ va: B - 4n * K, path: 'plain', order: 9, alignment: 2n * M });
      expect(OrderClamped(sc, p)).toEqual({
        ok: false,
        why: 'S = 0x200000 exceeds 2^floor_log2(len) = 0x1000 (len 0x1000)',
      });
    },
  );
});

describe('MaxLeafCoverage: vfio-pci-jason, 4G BAR, off 2M, len 1G + 2M', () => {
  // O_drv = ilog2(4G) - 12 = 20. PA = 1T + 2M: the best VA ≡ PA (mod 2M) gets (1G + 2M) / 2M = 513 PMD leaves
  // (no 1G block: [1T+1G, 1T+2G) does not fit in [1T+2M, 1T+1G+4M)).
  const file: FileDesc = { kind: 'driver', driver: 'vfio-pci-jason', barSize: 4n * G, barIndex: 0 };
  const s = (policy: PolicyName) => scen(policy, file, G + 2n * M, (2n * M) >> 12n);
  const expected: Record<PolicyName, { va: bigint; ok: boolean; order: number }> = {
    // plain: B - 0x40200000 = 0x7fffb7dff000, ≡ 0x1ff000 (mod 2M): no PMD leaf.
    baseline: { va: 0x7fffb7dff000n, ok: false, order: 0 },
    // S = 4G: round_up(2M, 4G) = 4G > off_end -> __thp returns 0 -> plain (refused order 20 reported).
    v2: { va: 0x7fffb7dff000n, ok: false, order: 20 },
    // O1 = min(20, ilog2(1G+2M) - 12 = 18) -> O2 = 18, S = 1G: round_up(2M, 1G) + 1G = 2G > 1G + 4M -> plain.
    jason: { va: 0x7fffb7dff000n, ok: false, order: 18 },
    // o = 9: gap = 0x7fffb7dff000 - ((0x7fffb7dff000 - 0x200000) & 0x1ff000 = 0x1ff000) = 0x7fffb7c00000.
    optimal: { va: 0x7fffb7c00000n, ok: true, order: 9 },
  };
  for (const policy of POLICY_NAMES) {
    const want = expected[policy];
    it(`${policy}: VA ${want.va.toString(16)}, MaxLeafCoverage ${want.ok ? 'kept' : 'broken'}`, () => {
      const p = place(s(policy));
      expect(p.va).toBe(want.va);
      const v = MaxLeafCoverage(s(policy), p);
      expect(v.ok).toBe(want.ok);
      if (!v.ok)
        expect(v.why).toBe(
          `VA 0x7fffb7dff000 (path plain, order ${want.order}) maps 0x0 bytes with leaves >= 0x200000; ` +
            `a VA ≡ off 0x200000 (mod 0x200000) maps 0x40200000, ` +
            `and a free range of 0x403ff000 (len + 0x200000 - PAGE_SIZE) exists`,
        );
    });
  }
  it('not checked without room: a layout whose largest free stretch is below len + 2M - 4K', () => {
    // Fill everything searchable but [0x100000000, 0x100000000 + 1G + 2M): exactly len, less than len + 2M - 4K.
    const vmas: Vma[] = [
      { start: 0x10000n, end: 0x100000000n },
      { start: 0x100000000n + G + 2n * M, end: mm.taskSize },
    ];
    const sc = scen('baseline', file, G + 2n * M, (2n * M) >> 12n, vmas);
    const p = place(sc);
    expect(p.va).toBe(0x100000000n);
    expect(MaxLeafCoverage(sc, p).ok).toBe(true);
  });
});

describe('DriverObligation (where the policy aligned with S > PAGE_SIZE)', () => {
  const file: FileDesc = { kind: 'driver', driver: 'order:9', barPhys: T + 4n * K };
  // off 0, len 4M. v2 and jason: S = 2M, len_pad 6M, ret = B - 6M = 0x7ffff79ff000, off_sub 0x1000 -> 0x7ffff7a00000.
  // optimal: gap = B - 4M = 0x7ffff7bff000, minus (gap & 0x1ff000 = 0x1ff000) -> 0x7ffff7a00000.
  it('order:9 with barPhys 1T + 4K: every aligning policy breaks it, baseline (no alignment) does not', () => {
    for (const policy of POLICY_NAMES) {
      const sc = scen(policy, file, 4n * M, 0n);
      const p = place(sc);
      const v = DriverObligation(sc, p);
      if (policy === 'baseline') {
        expect(v.ok).toBe(true);
        continue;
      }
      expect(p.va).toBe(0x7ffff7a00000n);
      expect(v).toEqual({
        ok: false,
        why:
          `${policy} aligned VA 0x7ffff7a00000 ≡ off 0x0 (mod 0x200000) for order:9 (order 9), but PA ` +
          `0x10000001000 ≢ off (mod 0x200000): PA mod S = 0x1000, off mod S = 0x0; no 0x200000 leaf can be installed`,
      });
      // MaxLeafCoverage does not blame the policy for the driver.
      expect(MaxLeafCoverage(sc, p).ok).toBe(true);
    }
  });
  it('vfio-pci with the default (1T-aligned) BAR keeps it', () => {
    const sc = scen(
      'jason',
      { kind: 'driver', driver: 'vfio-pci', barSize: 64n * M, barIndex: 0 },
      62n * M - 4n * K,
      0x201n,
    );
    expect(DriverObligation(sc, place(sc)).ok).toBe(true);
  });
});

describe('HintKept, NoNewFailure, FaultSafe catch a broken answer', () => {
  const file: FileDesc = { kind: 'driver', driver: 'order:9' };
  const hinted = scen('optimal', file, 4n * M, 0n, [], 0x500000001000n);
  it('a free hint not returned breaks HintKept; the real answers keep it', () => {
    // The forged answer is the plain search's B - 4M = 0x7ffff7bff000.
    const moved: Placement = { va: 0x7ffff7bff000n, error: null, path: 'plain', order: 0, alignment: 4096n };
    expect(HintKept(hinted, moved)).toEqual({
      ok: false,
      why:
        'the hint 0x500000001000 is free for len 0x400000 ([0x500000001000, 0x500000401000) meets no VMA or guard ' +
        'gap), but the optimal placement is 0x7ffff7bff000 (path plain)',
    });
    for (const policy of POLICY_NAMES)
      expect(HintKept({ ...hinted, policy }, place({ ...hinted, policy })).ok).toBe(true);
  });
  it('a hint inside the stack guard gap is not free: nothing is required', () => {
    // A grow-down VMA at 0x500000400000: stack_guard_gap 1M below it covers [0x500000300000, 0x500000400000).
    const sc = { ...hinted, vmas: [{ start: 0x500000400000n, end: 0x500000500000n, growsDown: true }] };
    const moved: Placement = { va: 0x7ffff7bff000n, error: null, path: 'plain', order: 0, alignment: 4096n };
    expect(HintKept(sc, moved).ok).toBe(true);
  });
  it('an error where baseline places the mapping breaks NoNewFailure', () => {
    const failed: Placement = { va: null, error: 'ENOMEM', path: 'fallback', order: 9, alignment: 2n * M };
    const sc = scen('optimal', file, 4n * M, 0n);
    // baseline: B - 4M = 0x7ffff7bff000.
    expect(NoNewFailure(sc, failed)).toEqual({
      ok: false,
      why: 'baseline places it at 0x7ffff7bff000, optimal fails with ENOMEM (path fallback, order 9)',
    });
  });
  it("FaultSafe holds on the fault model's output, and its checker refuses misplaced leaves", () => {
    const sc = scen(
      'jason',
      { kind: 'driver', driver: 'vfio-pci', barSize: 64n * M, barIndex: 0 },
      62n * M - 4n * K,
      0x201n,
    );
    expect(FaultSafe(sc, place(sc)).ok).toBe(true);
    const va = 0x7ffff3601000n;
    const leaves = new Map([
      [4096n, 0n],
      [2n * M, 1n],
    ]);
    // A 2M leaf at an address 4K past a 2M boundary.
    expect(
      checkLeafRuns(va, 2n * M, T + 4n * K, {
        leaves,
        faults: 1n,
        fallbacks: 0n,
        runs: [{ start: va, end: va + 2n * M, size: 2n * M }],
      }),
    ).toEqual({
      ok: false,
      why: 'a 0x200000 leaf at 0x7ffff3601000 is not aligned to its size',
    });
    // A 2M leaf whose physical block is misaligned (VA 2M-aligned, PA 1T + 4K).
    const va2 = 0x7ffff3600000n;
    expect(
      checkLeafRuns(va2, 2n * M, T + 4n * K, {
        leaves,
        faults: 1n,
        fallbacks: 0n,
        runs: [{ start: va2, end: va2 + 2n * M, size: 2n * M }],
      }).why,
    ).toBe('a 0x200000 leaf at VA 0x7ffff3600000 maps 0x10000001000, not aligned to its size');
    // A leaf past the VMA's end.
    expect(
      checkLeafRuns(va2, M, T, {
        leaves,
        faults: 1n,
        fallbacks: 0n,
        runs: [{ start: va2, end: va2 + 2n * M, size: 2n * M }],
      }).why,
    ).toBe("a 0x200000 run [0x7ffff3600000, 0x7ffff3800000) crosses the VMA's end 0x7ffff3700000");
  });
});

describe('a counterexample in kernel terms', () => {
  it('prints the call, the driver order, the layout, the answer and what broke', () => {
    const vmas: Vma[] = [{ start: 0x7fffe0000000n, end: B - 2n * M }];
    const sc = scen('v2', { kind: 'driver', driver: 'order:0' }, 2n * M, 0n, vmas);
    const p = place(sc);
    expect(formatCounterexample('OrderZeroIsBaseline', sc, p, OrderZeroIsBaseline(sc, p))).toBe(
      [
        'OrderZeroIsBaseline violated under v2 (x86_64)',
        '  mmap(addr 0x0, len 0x200000, pgoff 0x0 [off 0x0], MAP_SHARED) on driver order:0, barPhys default (1T)',
        '  get_mapping_order(pgoff 0x0, len 0x200000) = 0',
        '  layout: top-down, mmap_base 0x7ffff7fff000, mmap_min_addr 0x10000; VMAs [0x7fffe0000000, 0x7ffff7dff000)',
        '  result: VA 0x7fffdfe00000, path aligned, order 0, alignment 0x1000',
        '  what broke: order:0 returns order 0, yet v2 gives VA 0x7fffdfe00000 (path aligned) where baseline gives ' +
          'VA 0x7ffff7dff000',
      ].join('\n'),
    );
  });
});

describe("InRange's window follows the hint hugetlb passes on (regression, found by properties.test.ts)", () => {
  const hugeHint = (taskSizeMax?: bigint): Scenario => ({
    arch: 'x86_64',
    policy: 'baseline',
    mm: { ...mm, topdown: false, ...(taskSizeMax === undefined ? {} : { taskSizeMax }) },
    vmas: [],
    file: { kind: 'hugetlb', hugePageSize: G },
    request: { addr: 0x7fffdfe00000n, len: 4096n, pgoff: 0n, fixed: false, shared: true },
  });
  it(
    'a 1G-page hint 0x7fffdfe00000 is ALIGNed to 0x800000000000, above DEFAULT_MAP_WINDOW: TASK_SIZE_MAX is the ' +
      'limit',
    () => {
      // x86_64 5-level (mm.taskSizeMax = 2^56 - 4K), bottom-up; len is ALIGNed to 1G by ksys_mmap_pgoff;
      // ALIGN(0x7fffdfe00000, 1G) = 0x800000000000 > 0x7ffffffff000, so find_start_end's end is
      // task_size_64bit(1) = TASK_SIZE_MAX and the free hint is kept: [0x800000000000, 0x800040000000) < 2^56 - 4K.
      const sc = hugeHint((1n << 56n) - 4096n);
      const p = place(sc);
      expect(p).toMatchObject({ va: 0x800000000000n, path: 'hint' });
      expect(InRange(sc, p).ok).toBe(true);
    },
  );
  it(
    '4-level (the default): the same hint lies beyond TASK_SIZE_MAX = DMW, ' + 'so the search from mmap_legacy_base',
    () => {
      // end = task_size_64bit(1) = 2^47 - 4K; end - len = 0x7fffbffff000 < 0x800000000000 -> no hint. Bottom-up from
      // 0x2aaaaaaab000 with align_mask 0x3ffff000: gap += (0 - gap) & 0x3ffff000 = 0x15555000 -> 0x2aaac0000000.
      const sc = hugeHint();
      const p = place(sc);
      expect(p).toMatchObject({ va: 0x2aaac0000000n, path: 'aligned' });
      expect(InRange(sc, p).ok).toBe(true);
    },
  );
});
