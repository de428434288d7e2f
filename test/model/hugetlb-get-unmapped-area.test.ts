// Worked examples for hugetlb_get_unmapped_area (fs/hugetlbfs/inode.c).

import { describe, expect, it } from 'vitest';
import type { MmapFlags } from '../../model/context.js';
import { hugetlbGetUnmappedArea } from '../../model/hugetlb-get-unmapped-area.js';
import { G, hex, M, mkCtx } from './helpers.js';

const F: MmapFlags = { fixed: false, shared: true };
const FILE = { kind: 'hugetlb' as const };
const show = (r: { addr: bigint | string; path: string; order: number }) => [hex(r.addr), r.path, r.order];

describe('hugetlbGetUnmappedArea', () => {
  it('len not a multiple of the huge page: EINVAL', () => {
    expect(hugetlbGetUnmappedArea(mkCtx(), FILE, 0n, 3n * M, 0n, F).addr).toBe('EINVAL');
  });

  it('MAP_FIXED at an unaligned address: EINVAL', () => {
    expect(hugetlbGetUnmappedArea(mkCtx(), FILE, 0x500000001000n, 2n * M, 0n, { fixed: true, shared: true }).addr).toBe(
      'EINVAL',
    );
  });

  it('a hint is rounded up to the huge page and kept if free', () => {
    // ALIGN(0x500000001000, 2M) = 0x500000200000.
    expect(show(hugetlbGetUnmappedArea(mkCtx(), FILE, 0x500000001000n, 2n * M, 0n, F))).toEqual([
      '0x500000200000',
      'hint',
      0,
    ]);
  });

  it('search aligned to the huge page (2M)', () => {
    // mmap_base 0x7ffff7fff000 - 2M = 0x7ffff7dff000 -> round down to 2M: 0x7ffff7c00000.
    expect(show(hugetlbGetUnmappedArea(mkCtx(), FILE, 0n, 2n * M, 0n, F))).toEqual(['0x7ffff7c00000', 'aligned', 9]);
  });

  it('1G huge pages', () => {
    // 0x7ffff7fff000 - 1G = 0x7fffb7fff000 -> round down to 1G: 0x7fff80000000.
    expect(show(hugetlbGetUnmappedArea(mkCtx(), { kind: 'hugetlb', hugePageSize: G }, 0n, G, 0n, F))).toEqual([
      '0x7fff80000000',
      'aligned',
      18,
    ]);
  });
});
