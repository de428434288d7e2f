// Worked examples for __thp_get_unmapped_area / thp_get_unmapped_area_vmflags
// (mm/huge_memory.c). x86_64 default mm: mmap_base = 0x7ffff7fff000 (top-down).

import { describe, expect, it } from 'vitest';
import type { MmapFlags } from '../../model/context.js';
import { __thpGetUnmappedArea, thpGetUnmappedAreaVmflags } from '../../model/thp-get-unmapped-area.js';
import { G, hex, M, mkCtx } from './helpers.js';

const F: MmapFlags = { fixed: false, shared: false };
const NOSS = { shadowStack: false };
const PMD = 2n * M;

describe('__thpGetUnmappedArea', () => {
  it('pads by size and moves up by off_sub', () => {
    // len_pad = 4M + 2M = 6M; ret = 0x7ffff7fff000 - 0x600000 = 0x7ffff79ff000;
    // ret mod 2M = 0x1ff000, off 0 -> off_sub = 0x200000 - 0x1ff000 = 0x1000 -> 0x7ffff7a00000.
    expect(hex(__thpGetUnmappedArea(mkCtx(), null, 0n, 4n * M, 0n, F, PMD, NOSS))).toBe('0x7ffff7a00000');
  });

  it('top-down with off_sub == 0 returns ret + size', () => {
    // mmap_base 0x7ffff7800000 (2M-aligned): ret = 0x7ffff7800000 - 6M = 0x7ffff7200000,
    // off_sub = 0 -> ret + 2M = 0x7ffff7400000 (the mapping ends at mmap_base).
    expect(
      hex(__thpGetUnmappedArea(mkCtx({ mm: { mmapBase: 0x7ffff7800000n } }), null, 0n, 4n * M, 0n, F, PMD, NOSS)),
    ).toBe('0x7ffff7400000');
  });

  it('bottom-up with off_sub == 0 keeps ret', () => {
    // legacy base 0x40000000 is 2M-aligned: ret = 0x40000000, off_sub 0.
    const ctx = mkCtx({ mm: { topdown: false, mmapLegacyBase: 0x40000000n } });
    expect(__thpGetUnmappedArea(ctx, null, 0n, 4n * M, 0n, F, PMD, NOSS)).toBe(0x40000000n);
  });

  it('file offset congruence: off 0x1000 -> VA ≡ 0x1000 (mod 2M)', () => {
    // ret = 0x7ffff7fff000 - 6M = 0x7ffff79ff000 (mod 2M = 0x1ff000); off_sub = (0x1000 - 0x1ff000) mod 2M
    // = 0x2000 -> 0x7ffff7a01000.
    expect(hex(__thpGetUnmappedArea(mkCtx(), { kind: 'thp' }, 0n, 4n * M, 0x1000n, F, PMD, NOSS))).toBe(
      '0x7ffff7a01000',
    );
  });

  it('0 when [off, off + len) holds no whole aligned chunk', () => {
    // off 0x1000, len 2M: off_end 0x201000, off_align 0x200000, 0x1000 < 2M.
    expect(__thpGetUnmappedArea(mkCtx(), { kind: 'thp' }, 0n, PMD, 0x1000n, F, PMD, NOSS)).toBe(0n);
    // len 1M < 2M.
    expect(__thpGetUnmappedArea(mkCtx(), null, 0n, M, 0n, F, PMD, NOSS)).toBe(0n);
  });

  it('0 for a compat syscall', () => {
    expect(__thpGetUnmappedArea(mkCtx({ compat: true }), null, 0n, 4n * M, 0n, F, PMD, NOSS)).toBe(0n);
  });

  it('0 when off + len_pad overflows', () => {
    // off = (loff_t)(2^64 - 4M) = -4M, len 2M: off_end = -2M > off_align = -4M and
    // off_end - off_align = 2M >= size; len_pad = 4M; (u64)off + 4M = 2^64 wraps to 0 < off.
    expect(__thpGetUnmappedArea(mkCtx(), { kind: 'thp' }, 0n, PMD, -4n * M, F, PMD, NOSS)).toBe(0n);
  });

  it('ret == addr: a hint where len + size fits is kept unaligned', () => {
    expect(__thpGetUnmappedArea(mkCtx(), { kind: 'thp' }, 0x500000001000n, 4n * M, 0n, F, PMD, NOSS)).toBe(
      0x500000001000n,
    );
  });

  it('MAP_FIXED: ret == addr, returned as is', () => {
    expect(
      __thpGetUnmappedArea(mkCtx(), null, 0x500000001000n, 4n * M, 0n, { fixed: true, shared: false }, PMD, NOSS),
    ).toBe(0x500000001000n);
  });
});

describe('thpGetUnmappedAreaVmflags', () => {
  it('aligned path with order 9 by default', () => {
    // as 'pads by size' above: 0x7ffff79ff000 + off_sub 0x1000 = 0x7ffff7a00000.
    const r = thpGetUnmappedAreaVmflags(mkCtx(), null, 0n, 4n * M, 0n, F, NOSS);
    expect([hex(r.addr), r.path, r.order, hex(r.alignment)]).toEqual(['0x7ffff7a00000', 'aligned', 9, '0x200000']);
  });

  it('size parameter: 1G', () => {
    // len_pad = 3G; ret = 0x7ffff7fff000 - 0xc0000000 = 0x7fff37fff000; ret mod 1G = 0x37fff000;
    // off_sub = 0x40000000 - 0x37fff000 = 0x8001000 -> 0x7fff40000000.
    const r = thpGetUnmappedAreaVmflags(mkCtx(), null, 0n, 2n * G, 0n, F, NOSS, G);
    expect([hex(r.addr), r.path, r.order]).toEqual(['0x7fff40000000', 'aligned', 18]);
  });

  it('padded search fails, plain fits: fallback', () => {
    // bottom-up, legacy base 0x40000000, VMA from 0x40400000 to the window: only a 4M hole.
    // len_pad 6M fails -> 0 -> plain search returns 0x40000000.
    const ctx = mkCtx({
      mm: { topdown: false, mmapLegacyBase: 0x40000000n },
      vmas: [{ start: 0x40400000n, end: 0x7ffffffff000n }],
    });
    const r = thpGetUnmappedAreaVmflags(ctx, null, 0n, 4n * M, 0n, F, NOSS);
    expect([hex(r.addr), r.path, r.order]).toEqual(['0x40000000', 'fallback', 9]);
  });

  it('no whole chunk: plain, order 0', () => {
    // len 1M < 2M: plain search, 0x7ffff7fff000 - 0x100000 = 0x7ffff7eff000.
    const r = thpGetUnmappedAreaVmflags(mkCtx(), null, 0n, M, 0n, F, NOSS);
    expect([hex(r.addr), r.path, r.order]).toEqual(['0x7ffff7eff000', 'plain', 0]);
  });

  it('hint kept: path hint', () => {
    const r = thpGetUnmappedAreaVmflags(mkCtx(), { kind: 'thp' }, 0x500000001000n, 4n * M, 0n, F, NOSS);
    expect([hex(r.addr), r.path]).toEqual(['0x500000001000', 'hint']);
  });
});
