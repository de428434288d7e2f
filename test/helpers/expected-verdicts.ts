// The verdicts this helper expects for every invariant under every policy on
// driver-file mmaps (the domain of generators/real/scenario-arb.ts), each with its
// one-line reason. Hypotheses, decided by the property checks in
// test/model/invariants/verdicts.test.ts. When spec/verdicts.json (the shared verdict matrix, owned by
// the TLA+ spec) exists, test/model/invariants/verdicts.test.ts prints where the two disagree.

import type { InvariantName } from '../../model/invariants/registry.js';
import type { ArchName } from '../../model/geometry.js';
import type { PolicyName } from '../../model/types.js';

export interface Expected {
  readonly holds: boolean;
  readonly why: string;
}

const all = (why: string): Record<PolicyName, Expected> => ({
  baseline: { holds: true, why },
  v2: { holds: true, why },
  jason: { holds: true, why },
  optimal: { holds: true, why },
});

export const EXPECTED: Record<InvariantName, Record<PolicyName, Expected>> = {
  InRange: all('every path ends in vm_unmapped_area within [low_limit, high_limit) or the checked hint'),
  NoOverlap: all('the padded search keeps [VA, VA+len) inside the free range it found'),
  FixedExact: all('MAP_FIXED is returned as given by every arch allocator and every policy'),
  HintKept: all('v2 and jason skip the hook when addr != 0, optimal tries the hint first'),
  Congruent: all("__thp_get_unmapped_area's off_sub and vm_unmapped_area's align_offset both land on off's class"),
  UsefulOnly: all('__thp_get_unmapped_area and optimal refuse when no whole chunk fits; a page chunk always fits'),
  NoNewFailure: all('every aligned attempt falls back to the plain placement'),
  OrderZeroIsBaseline: {
    baseline: { holds: true, why: 'no hook' },
    v2: {
      holds: false,
      why:
        'order 0 still pads by a page (len + PAGE_SIZE) and moves top-down by ret + PAGE_SIZE: a gap of exactly ' +
        'len is skipped',
    },
    jason: { holds: true, why: 'O2 = 0 is baseline' },
    optimal: { holds: true, why: 'no leaf order <= 0 -> baseline' },
  },
  OrderClamped: {
    baseline: { holds: true, why: 'never chooses an order' },
    v2: { holds: false, why: 'no clamp: order 3 aligns to 32K, a 64M BAR (order 14) to 64M, neither an x86 leaf' },
    jason: { holds: true, why: 'O2 is a leaf order <= min(O_drv, floor_log2(len))' },
    optimal: { holds: true, why: 'a leaf order <= O_drv whose chunk fits, so <= len' },
  },
  MaxLeafCoverage: {
    baseline: { holds: false, why: 'no alignment: the VA is congruent by luck only' },
    v2: { holds: false, why: 'an order too large for the sub-range (1G BAR at +2M) loses all alignment' },
    jason: {
      holds: false,
      why:
        'the clamp looks at len only: [2M, 1G + 4M) gets O2 = PUD, no 1G chunk fits, no alignment at all; len + S ' +
        'padding also misses a gap of len + S - PAGE_SIZE',
    },
    optimal: {
      holds: false,
      why:
        "bottom-up next to a VM_GROWSDOWN VMA, unmapped_area()'s conservative check (vm_start_gap < gap + length " +
        '- 1, aligned gap and padded length) refuses a range that fits; the one search fails, the fallback is ' +
        'unaligned',
    },
  },
  FaultSafe: all("vfio_pci_mmap_huge_fault's checks: the block inside the VMA, the PFN aligned"),
  DriverObligation: {
    baseline: { holds: true, why: 'baseline never aligns a driver file: no large leaf is expected' },
    v2: { holds: false, why: 'a driver whose barPhys is not aligned: the congruent VA gets no leaf' },
    jason: { holds: false, why: 'a driver whose barPhys is not aligned: the congruent VA gets no leaf' },
    optimal: { holds: false, why: 'a driver whose barPhys is not aligned: the congruent VA gets no leaf' },
  },
};

/**
 * Where a geometry changes the verdict or its reason. arm64-4k has contiguous
 * leaves that are no PFN-map leaf (cont-PTE 64K, cont-PMD 32M): optimal, like
 * jason, may aim for 32M, and its one search for len + 32M - 4K can fail where
 * len + 2M - 4K would have fit, losing the PMD alignment with it.
 */
export const BY_ARCH: Partial<Record<ArchName, Partial<Record<InvariantName, Partial<Record<PolicyName, Expected>>>>>> =
  {
    'arm64-4k': {
      MaxLeafCoverage: {
        optimal: {
          holds: false,
          why:
            'it aims for cont-PMD (32M, not a PFN-map leaf); with room for len + 2M - 4K but not len + 32M - 4K ' +
            'the one search fails and PMD alignment is lost too',
        },
      },
    },
  };

export function expectedFor(arch: ArchName, name: InvariantName, policy: PolicyName): Expected {
  return BY_ARCH[arch]?.[name]?.[policy] ?? EXPECTED[name][policy];
}
