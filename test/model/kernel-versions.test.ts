// The places where v6.12 and v6.18 place an mmap differently (docs/KERNELS.md),
// each worked by hand from the kernel rules of both versions, and the default.
// x86_64 default mm unless said: top-down, mmap_base B = 0x7ffff7fff000,
// mmap_legacy_base 0x2aaaaaaab000, mmap_min_addr 0x10000, DEFAULT_MAP_WINDOW
// = TASK_SIZE = 0x7ffffffff000; no VMAs.

import { describe, expect, it } from 'vitest';
import type { AreaResult, MmapFlags } from '../../model/context.js';
import { hugetlbGetUnmappedArea } from '../../model/hugetlb-get-unmapped-area.js';
import { DriverObligation } from '../../model/invariants/driver-obligation.js';
import { HintKept } from '../../model/invariants/hint-kept.js';
import { OrderClamped } from '../../model/invariants/order-clamped.js';
import { DEFAULT_KERNEL, isKernelVersion, KERNEL_VERSIONS, type KernelVersion } from '../../model/kernel-version.js';
import { defaultMm } from '../../model/mm-defaults.js';
import { place } from '../../model/place.js';
import type { FileDesc, Mm, Placement, PolicyName, Scenario, Vma } from '../../model/types.js';
import { hex, M, mkCtx } from './helpers.js';

const SHARED: MmapFlags = { fixed: false, shared: true };
const HUGETLB: FileDesc = { kind: 'hugetlb' };

function scenario(
  kernel: KernelVersion | undefined,
  file: FileDesc,
  req: { addr?: bigint; len: bigint; pgoff?: bigint },
  policy: PolicyName = 'baseline',
): Scenario {
  return {
    arch: 'x86_64',
    policy,
    ...(kernel !== undefined ? { kernel } : {}),
    mm: defaultMm('x86_64'),
    vmas: [],
    file,
    request: { addr: req.addr ?? 0n, len: req.len, pgoff: req.pgoff ?? 0n, fixed: false, shared: true },
  };
}

const shown = (p: Placement) => [p.va !== null ? hex(p.va) : p.error, p.path, p.order];
const area = (r: AreaResult) => [hex(r.addr), r.path, r.order];

describe('the kernel versions', () => {
  it('are 6.12 and 6.18, 6.18 by default', () => {
    expect(KERNEL_VERSIONS).toEqual(['6.12', '6.18']);
    expect(DEFAULT_KERNEL).toBe('6.18');
    expect(isKernelVersion('6.12')).toBe(true);
    expect(isKernelVersion('6.6')).toBe(false);
  });

  it('a scenario without `kernel` is placed as under 6.18', () => {
    const file: FileDesc = { kind: 'driver', driver: 'order:9' };
    const req = { len: 4n * M, pgoff: 0x201n };
    expect(place(scenario(undefined, file, req))).toEqual(place(scenario('6.18', file, req)));
  });
});

describe('__get_unmapped_area: the THP branch for a mapping without get_unmapped_area', () => {
  it('a 4M driver file at pgoff 0x201, no hint: plain under 6.18, ≡ 0x201000 (mod 2M) under 6.12', () => {
    // 6.18 (`!file`): x86 top-down plain search, align_mask 0: B - 4M = 0x7ffff7bff000.
    // 6.12 (no file test, len 4M is a PMD multiple): thp_get_unmapped_area_vmflags, off 0x201000;
    // off_align 0x400000, off_end 0x601000, 0x201000 >= 2M; search len + 2M = 6M:
    // ret = B - 6M = 0x7ffff79ff000; off_sub = (0x201000 - ret) mod 2M = (0x1000 - 0x1ff000) mod 2M = 0x2000
    // -> 0x7ffff7a01000 (≡ 0x1000 mod 2M).
    const file: FileDesc = { kind: 'driver', driver: 'order:9' };
    const req = { len: 4n * M, pgoff: 0x201n };
    expect(shown(place(scenario('6.18', file, req)))).toEqual(['0x7ffff7bff000', 'plain', 0]);
    expect(shown(place(scenario('6.12', file, req)))).toEqual(['0x7ffff7a01000', 'aligned', 9]);
  });

  it('a plain file (no get_unmapped_area) of 4M at pgoff 0 is THP-aligned under 6.12 only', () => {
    // 6.18: B - 4M = 0x7ffff7bff000.
    // 6.12: ret = 0x7ffff79ff000, off_sub = (0 - 0x1ff000) mod 2M = 0x1000 -> 0x7ffff7a00000.
    const plain: FileDesc = { kind: 'plain' };
    expect(shown(place(scenario('6.18', plain, { len: 4n * M })))).toEqual(['0x7ffff7bff000', 'plain', 0]);
    expect(shown(place(scenario('6.12', plain, { len: 4n * M })))).toEqual(['0x7ffff7a00000', 'aligned', 9]);
  });

  it('a length that is not a PMD multiple, or a hint, keeps a driver file plain under 6.12 too', () => {
    // len 4M + 4K: B - 0x401000 = 0x7ffff7bfe000. A free hint 0x500000000000: kept (x86 top-down hint test).
    const file: FileDesc = { kind: 'driver', driver: 'order:9' };
    for (const kernel of KERNEL_VERSIONS) {
      const odd = scenario(kernel, file, { len: 4n * M + 0x1000n, pgoff: 0x201n });
      const hinted = scenario(kernel, file, { addr: 0x500000000000n, len: 4n * M });
      expect(shown(place(odd))).toEqual(['0x7ffff7bfe000', 'plain', 0]);
      expect(shown(place(hinted))).toEqual(['0x500000000000', 'hint', 0]);
    }
  });

  it('anonymous memory is THP-aligned alike', () => {
    // 4M, no hint: ret = B - 6M = 0x7ffff79ff000, off 0: off_sub 0x1000 -> 0x7ffff7a00000.
    for (const kernel of KERNEL_VERSIONS) {
      const s = scenario(kernel, { kind: 'anon' }, { len: 4n * M });
      const priv = { ...s, request: { ...s.request, shared: false } };
      expect(shown(place(priv))).toEqual(['0x7ffff7a00000', 'aligned', 9]);
    }
  });
});

describe('the hook slot sits before the core THP branch in both versions', () => {
  it('jason with an order-0 driver defers to the core: plain under 6.18, THP-aligned under 6.12', () => {
    // The hook returns null (O2 = 0). 6.18: B - 2M = 0x7ffff7dff000.
    // 6.12: len 2M at off 0 holds a whole PMD: search 4M: ret = B - 4M = 0x7ffff7bff000, off_sub = 0x1000
    // -> 0x7ffff7c00000.
    const file: FileDesc = { kind: 'driver', driver: 'order:0' };
    expect(shown(place(scenario('6.18', file, { len: 2n * M }, 'jason')))).toEqual(['0x7ffff7dff000', 'plain', 0]);
    expect(shown(place(scenario('6.12', file, { len: 2n * M }, 'jason')))).toEqual(['0x7ffff7c00000', 'aligned', 9]);
  });

  it('v2 and optimal place an order-9 driver file the same under both versions', () => {
    // v2: thp_get_unmapped_area_vmflags(align 2M), as the 6.12 baseline case above: 0x7ffff7a01000.
    // optimal: one top-down search of 4M + 2M - 4K, align_mask 0x1ff000, align_offset 0x201000:
    // gap = B - 4M = 0x7ffff7bff000, minus (gap - 0x201000) & 0x1ff000 = 0x1fe000 -> 0x7ffff7a01000.
    const file: FileDesc = { kind: 'driver', driver: 'order:9' };
    const req = { len: 4n * M, pgoff: 0x201n };
    for (const kernel of KERNEL_VERSIONS) {
      expect(shown(place(scenario(kernel, file, req, 'v2')))).toEqual(['0x7ffff7a01000', 'aligned', 9]);
      expect(shown(place(scenario(kernel, file, req, 'optimal')))).toEqual(['0x7ffff7a01000', 'aligned', 9]);
    }
  });
});

describe('hugetlbfs on x86: arch/x86/mm/hugetlbpage.c (6.12) vs the arch allocators (6.18)', () => {
  it('a hint is rounded down under 6.12, up under 6.18', () => {
    // 2M pages, hint 0x500000001000, free: 6.12 addr &= huge_page_mask -> 0x500000000000;
    // 6.18 ALIGN -> 0x500000200000.
    const at = (kernel: KernelVersion) =>
      hugetlbGetUnmappedArea(mkCtx({ kernel }), HUGETLB, 0x500000001000n, 2n * M, 0n, SHARED);
    expect(area(at('6.12'))).toEqual(['0x500000000000', 'hint', 0]);
    expect(area(at('6.18'))).toEqual(['0x500000200000', 'hint', 0]);
  });

  it('a hint below the huge page size becomes address 0 under 6.12: security_mmap_addr refuses it', () => {
    // round_hint_to_min keeps 0x10000 (= mmap_min_addr). 6.12: 0x10000 & ~(2M - 1) = 0,
    // mmap_address_hint_valid(0, 2M), no VMA -> 0; __get_unmapped_area: 0 < dac_mmap_min_addr -> EPERM.
    // 6.18: ALIGN -> 0x200000, free: kept.
    const req = { addr: 0x10000n, len: 2n * M };
    expect(shown(place(scenario('6.12', HUGETLB, req)))).toEqual(['EPERM', 'hint', 0]);
    expect(shown(place(scenario('6.18', HUGETLB, req)))).toEqual(['0x200000', 'hint', 0]);
  });

  it('the search itself is the same: huge-page aligned below mmap_base', () => {
    // length 2M + 0x1ff000; gap = B - 2M = 0x7ffff7dff000, minus its 0x1ff000 residue -> 0x7ffff7c00000.
    for (const kernel of KERNEL_VERSIONS) {
      const r = hugetlbGetUnmappedArea(mkCtx({ kernel }), HUGETLB, 0n, 2n * M, 0n, SHARED);
      expect(area(r)).toEqual(['0x7ffff7c00000', 'aligned', 9]);
    }
  });

  it('the top-down fallback starts at TASK_UNMAPPED_BASE under 6.12, at mmap_legacy_base under 6.18', () => {
    // mmap_base 2M: the top-down search in [0x10000, 0x200000) has no 4M - 4K. mmap_legacy_base 0x300000000000
    // (randomised). 6.12: [TASK_UNMAPPED_BASE = PAGE_ALIGN(0x7ffffffff000 / 3) = 0x2aaaaaaab000, TASK_SIZE_LOW):
    // lowest, rounded up to 2M: 0x2aaaaaaab000 + (2M - 0xab000) = 0x2aaaaac00000.
    // 6.18: arch_get_unmapped_area from get_mmap_base(1) = 0x300000000000.
    const mm: Partial<Mm> = { mmapBase: 2n * M, mmapLegacyBase: 0x300000000000n };
    const at = (kernel: KernelVersion) =>
      hugetlbGetUnmappedArea(mkCtx({ kernel, mm }), HUGETLB, 0n, 2n * M, 0n, SHARED);
    expect(area(at('6.12'))).toEqual(['0x2aaaaac00000', 'aligned', 9]);
    expect(area(at('6.18'))).toEqual(['0x300000000000', 'aligned', 9]);
  });
});

describe('hugetlbfs on arm64: generic_hugetlb_get_unmapped_area (6.12) vs generic_get_unmapped_area* (6.18)', () => {
  // arm64-4k: DEFAULT_MAP_WINDOW 2^48, TASK_SIZE 2^52, TASK_UNMAPPED_BASE = 2^48 / 4 = 0x400000000000.
  it('the top-down fallback starts at mm->mmap_base under 6.12, at TASK_UNMAPPED_BASE under 6.18', () => {
    // mmap_base 2M: the top-down search in [0x10000, 0x200000) fails.
    // 6.12: bottom-up from mm->mmap_base = 0x200000 (already 2M-aligned). 6.18: bottom-up from 0x400000000000.
    const mm: Partial<Mm> = { mmapBase: 2n * M };
    const at = (kernel: KernelVersion) =>
      hugetlbGetUnmappedArea(mkCtx({ arch: 'arm64-4k', kernel, mm }), HUGETLB, 0n, 2n * M, 0n, SHARED);
    expect(area(at('6.12'))).toEqual(['0x200000', 'aligned', 9]);
    expect(area(at('6.18'))).toEqual(['0x400000000000', 'aligned', 9]);
  });

  it('the 6.12 fallback reaches above DEFAULT_MAP_WINDOW without a hint', () => {
    // One VMA fills [0x10000, 2^48). Both top-down searches fail. 6.12's fallback ends at
    // arch_get_mmap_end(-ENOMEM) = TASK_SIZE (-ENOMEM > DEFAULT_MAP_WINDOW): the first free 2M at 2^48.
    // 6.18's ends at mmap_end = 2^48: [0x400000000000, 2^48) is full: ENOMEM.
    const vmas: Vma[] = [{ start: 0x10000n, end: 1n << 48n }];
    const at = (kernel: KernelVersion) =>
      hugetlbGetUnmappedArea(mkCtx({ arch: 'arm64-4k', kernel, vmas }), HUGETLB, 0n, 2n * M, 0n, SHARED);
    expect(area(at('6.12'))).toEqual(['0x1000000000000', 'aligned', 9]);
    expect(at('6.18').addr).toBe('ENOMEM');
  });

  it('MAP_FIXED must be huge-page aligned in both', () => {
    const fixed: MmapFlags = { fixed: true, shared: true };
    for (const kernel of KERNEL_VERSIONS) {
      const ctx = mkCtx({ arch: 'arm64-4k', kernel });
      expect(hugetlbGetUnmappedArea(ctx, HUGETLB, 0x400000001000n, 2n * M, 0n, fixed).addr).toBe('EINVAL');
      const r = hugetlbGetUnmappedArea(ctx, HUGETLB, 0x400000200000n, 2n * M, 0n, fixed);
      expect(area(r)).toEqual(['0x400000200000', 'fixed', 0]);
    }
  });
});

describe('what the 6.12 THP branch does to the invariants (docs/KERNELS.md)', () => {
  it('OrderClamped: baseline under 6.12 aligns an order-0 driver to PMD_SIZE', () => {
    // order:0, 2M at pgoff 0, no hint: 6.12 THP-aligns (S = 2M, order 9 > O_drv = 0): not clamped.
    // 6.18: plain, no alignment chosen.
    const file: FileDesc = { kind: 'driver', driver: 'order:0' };
    const at = (kernel: KernelVersion) => {
      const s = scenario(kernel, file, { len: 2n * M });
      return OrderClamped(s, place(s)).ok;
    };
    expect(at('6.12')).toBe(false);
    expect(at('6.18')).toBe(true);
  });

  it('DriverObligation: baseline under 6.12 aligns for a driver whose PA is not congruent', () => {
    // order:2 on a BAR at PA 0x1000 (PFN 1), 2M at pgoff 0: 6.12 aligns VA ≡ 0 (mod 2M) while PA ≡ 0x1000 (mod 2M).
    const file: FileDesc = { kind: 'driver', driver: 'order:2', barPhys: 0x1000n };
    const at = (kernel: KernelVersion) => {
      const s = scenario(kernel, file, { len: 2n * M });
      return DriverObligation(s, place(s)).ok;
    };
    expect(at('6.12')).toBe(false);
    expect(at('6.18')).toBe(true);
  });

  it('HintKept reads the x86 6.12 hugetlb hint rounded down', () => {
    // hint 0x500000001000, 2M pages: 6.12 keeps 0x500000000000 (free), the hint as 6.12 tests it.
    const s = scenario('6.12', HUGETLB, { addr: 0x500000001000n, len: 2n * M });
    const p = place(s);
    expect(p.va).toBe(0x500000000000n);
    expect(HintKept(s, p).ok).toBe(true);
  });
});

describe("optimal's fallback is baseline's placement in both versions", () => {
  it('a 1G chunk with room for len + 2M only: plain under 6.18, THP-aligned under 6.12', () => {
    // order:18 (1G), off 0, len 1G: the 1G chunk fits, so optimal aims at S = 1G and searches len + 1G - 4K.
    // The only free range below B is [B - 1G - 2M, B) (a VMA fills [0x100000, B - 1G - 2M); above B there are
    // 128M, and x86's bottom-up retry from mmap_legacy_base meets the VMA): the aligned search fails.
    // 6.18 fallback = the plain search: B - 1G = 0x7fffb7fff000.
    // 6.12 fallback = mmap_default_area(): __thp_get_unmapped_area(size 2M) searches len + 2M, found at
    // ret = B - 1G - 2M = 0x7fffb7dff000; off_sub = (0 - ret) & (2M - 1) = 0x1000, so VA = 0x7fffb7e00000.
    const B = 0x7ffff7fff000n;
    const G = 1n << 30n;
    const vmas: Vma[] = [{ start: 0x100000n, end: B - G - 2n * M }];
    const s = (kernel: KernelVersion, policy: PolicyName): Scenario => ({
      ...scenario(kernel, { kind: 'driver', driver: 'order:18' }, { len: G }, policy),
      vmas,
    });
    expect(shown(place(s('6.18', 'optimal')))).toEqual(['0x7fffb7fff000', 'fallback', 18]);
    expect(shown(place(s('6.12', 'optimal')))).toEqual(['0x7fffb7e00000', 'fallback', 18]);
    expect(place(s('6.12', 'baseline')).va).toBe(0x7fffb7e00000n);
  });
});
