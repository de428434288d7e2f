// Worked examples for shmem_get_unmapped_area (mm/shmem.c). x86_64 default mm,
// mmap_base B = 0x7ffff7fff000 (top-down); hpage_size 2M for huge=always.

import { describe, expect, it } from 'vitest';
import type { MmapFlags } from '../../model/context.js';
import { shmemGetUnmappedArea } from '../../model/shmem-get-unmapped-area.js';
import { hex, M, mkCtx } from './helpers.js';

const F: MmapFlags = { fixed: false, shared: true };
const HUGE = { kind: 'shmem-huge' as const };
const show = (r: { addr: bigint | string; path: string; order: number }) => [hex(r.addr), r.path, r.order];

describe('shmemGetUnmappedArea', () => {
  it('inflated search and shift to the offset', () => {
    // plain: 0x7ffff7fff000 - 4M = 0x7ffff7bff000 (mod 2M = 0x1ff000 != offset 0x1000);
    // inflated_len = 4M + 2M - 4K = 0x5ff000 -> 0x7ffff7fff000 - 0x5ff000 = 0x7ffff7a00000,
    // inflated_offset 0 < 0x1000 -> + 0x1000 = 0x7ffff7a01000.
    expect(show(shmemGetUnmappedArea(mkCtx(), HUGE, 0n, 4n * M, 1n, F))).toEqual(['0x7ffff7a01000', 'aligned', 9]);
  });

  it('keeps the plain result when it is already congruent', () => {
    // mmap_base 0x7ffff7800000: plain 0x7ffff7400000 ≡ 0 (mod 2M) = offset.
    expect(show(shmemGetUnmappedArea(mkCtx({ mm: { mmapBase: 0x7ffff7800000n } }), HUGE, 0n, 4n * M, 0n, F))).toEqual([
      '0x7ffff7400000',
      'aligned',
      9,
    ]);
  });

  it('offset && offset + len < 2 * hpage_size: plain', () => {
    // offset 0x1000, len 2M: 0x201000 < 4M -> plain 0x7ffff7fff000 - 2M = 0x7ffff7dff000.
    expect(show(shmemGetUnmappedArea(mkCtx(), HUGE, 0n, 2n * M, 1n, F))).toEqual(['0x7ffff7dff000', 'plain', 0]);
  });

  it('len < hpage_size: plain', () => {
    // B - 1M = 0x7ffff7eff000.
    expect(show(shmemGetUnmappedArea(mkCtx(), HUGE, 0n, M, 0n, F))).toEqual(['0x7ffff7eff000', 'plain', 0]);
  });

  it('a hint that fits len alone is kept', () => {
    expect(show(shmemGetUnmappedArea(mkCtx(), HUGE, 0x500000001000n, 4n * M, 0n, F))).toEqual([
      '0x500000001000',
      'hint',
      0,
    ]);
  });

  it('huge=never (memfd, plain tmpfs) and anonymous shared: plain', () => {
    // B - 4M = 0x7ffff7bff000.
    expect(show(shmemGetUnmappedArea(mkCtx(), { kind: 'shmem' }, 0n, 4n * M, 1n, F))).toEqual([
      '0x7ffff7bff000',
      'plain',
      0,
    ]);
    expect(show(shmemGetUnmappedArea(mkCtx(), null, 0n, 4n * M, 0n, F))).toEqual(['0x7ffff7bff000', 'plain', 0]);
  });

  it('inflated search fails: fallback to the plain result', () => {
    // bottom-up, base 0x40000000, only [0x40000000, 0x40400000) free: plain = 0x40000000
    // (≢ 0x1000), inflated 0x5ff000 does not fit -> plain kept, path fallback.
    const ctx = mkCtx({
      mm: { topdown: false, mmapLegacyBase: 0x40000000n },
      vmas: [{ start: 0x40400000n, end: 0x7ffffffff000n }],
    });
    expect(show(shmemGetUnmappedArea(ctx, HUGE, 0n, 4n * M, 1n, F))).toEqual(['0x40000000', 'fallback', 9]);
  });

  it('MAP_FIXED: returned as is', () => {
    expect(
      show(shmemGetUnmappedArea(mkCtx(), HUGE, 0x500000001000n, 4n * M, 0n, { fixed: true, shared: true })),
    ).toEqual(['0x500000001000', 'fixed', 0]);
  });
});
