// Worked examples for generic_get_unmapped_area[_topdown] (mm/mmap.c) on arm64-4k.
// Defaults: DEFAULT_MAP_WINDOW = 2^48, TASK_SIZE = 2^52, mmap_base = 2^48 - 128M (mm/util.c
// mmap_base(): 8M rlimit + 1M guard gap clamped up to MIN_GAP 128M) = 0xfffff8000000, legacy base
// (mm->mmap_base of a legacy layout) = TASK_UNMAPPED_BASE = PAGE_ALIGN(2^48 / 4) = 0x400000000000.

import { describe, expect, it } from 'vitest';
import type { MmapFlags } from '../../model/context.js';
import { genericGetUnmappedArea, genericGetUnmappedAreaTopdown } from '../../model/generic-get-unmapped-area.js';
import { hex, M, mkCtx, PS } from './helpers.js';

const arch = 'arm64-4k' as const;
const F: MmapFlags = { fixed: false, shared: false };
const NOSS = { shadowStack: false };
const SS = { shadowStack: true };

describe('generic_get_unmapped_area_topdown', () => {
  it('no hint: below mmap_base', () => {
    // 0xfffff8000000 - 0x100000 = 0xfffff7f00000.
    expect(hex(genericGetUnmappedAreaTopdown(mkCtx({ arch }), null, 0n, M, 0n, F, NOSS))).toBe('0xfffff7f00000');
  });

  it('ignores pgoff (align_offset stays 0)', () => {
    expect(hex(genericGetUnmappedAreaTopdown(mkCtx({ arch }), { kind: 'plain' }, 0n, M, 3n, F, NOSS))).toBe(
      '0xfffff7f00000',
    );
  });

  it('hint below mmap_min_addr is refused by its own test', () => {
    expect(hex(genericGetUnmappedAreaTopdown(mkCtx({ arch }), null, 0x1000n, M, 0n, F, NOSS))).toBe('0xfffff7f00000');
  });

  it('hint test also checks the previous VMA end', () => {
    // VMA [0x40000000, 0x40100000): hint 0x40080000 is inside it -> search.
    const ctx = mkCtx({ arch, vmas: [{ start: 0x40000000n, end: 0x40100000n }] });
    expect(hex(genericGetUnmappedAreaTopdown(ctx, null, 0x40080000n, M, 0n, F, NOSS))).toBe('0xfffff7f00000');
    expect(genericGetUnmappedAreaTopdown(ctx, null, 0x40100000n, M, 0n, F, NOSS)).toBe(0x40100000n);
  });

  it('MAP_FIXED passes through', () => {
    expect(
      genericGetUnmappedAreaTopdown(mkCtx({ arch }), null, 0x1234000n, M, 0n, { fixed: true, shared: false }, NOSS),
    ).toBe(0x1234000n);
  });

  it('len > mmap_end - mmap_min_addr: ENOMEM', () => {
    // mmap_end = 2^48; 2^48 - 0x10000 + 0x1000 is too long.
    expect(genericGetUnmappedAreaTopdown(mkCtx({ arch }), null, 0n, (1n << 48n) - 0x10000n + PS, 0n, F, NOSS)).toBe(
      'ENOMEM',
    );
  });

  it('bottom-up retry from TASK_UNMAPPED_BASE keeps start_gap (unlike x86)', () => {
    // mmap_base 1M: no room below it -> bottom-up from 0x400000000000 + start_gap 0x1000.
    const ctx = mkCtx({ arch, mm: { mmapBase: M } });
    expect(hex(genericGetUnmappedAreaTopdown(ctx, null, 0n, M, 0n, F, SS))).toBe('0x400000001000');
  });

  it('a hint above the window may use TASK_SIZE', () => {
    // mmap_end = TASK_SIZE = 2^52 for addr > 2^48: a free hint at 2^49 is kept.
    expect(genericGetUnmappedAreaTopdown(mkCtx({ arch }), null, 1n << 49n, M, 0n, F, NOSS)).toBe(1n << 49n);
  });

  it('hugetlbfs: 2M align_mask, offset 0', () => {
    // 0xfffff8000000 - 2M = 0xfffff7e00000, already 2M-aligned.
    expect(hex(genericGetUnmappedAreaTopdown(mkCtx({ arch }), { kind: 'hugetlb' }, 0n, 2n * M, 1n, F, NOSS))).toBe(
      '0xfffff7e00000',
    );
  });
});

describe('generic_get_unmapped_area (bottom-up)', () => {
  it('starts at the legacy mmap base', () => {
    // mmap_legacy_base = TASK_UNMAPPED_BASE = PAGE_ALIGN(2^48 / 4) = 0x400000000000.
    expect(hex(genericGetUnmappedArea(mkCtx({ arch, mm: { topdown: false } }), null, 0n, M, 0n, F, NOSS))).toBe(
      '0x400000000000',
    );
  });
});
