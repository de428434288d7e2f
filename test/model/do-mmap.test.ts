// Worked examples for the do_mmap pre-steps and the checks after the address
// (mm/mmap.c ksys_mmap_pgoff, do_mmap, round_hint_to_min, file_mmap_ok; hugetlbfs mmap).

import { describe, expect, it } from 'vitest';
import type { AreaResult, MmapFlags } from '../../model/context.js';
import { doMmap, ksysMmapPgoff, roundHintToMin } from '../../model/do-mmap.js';
import { hex, M, mkCtx, PS } from './helpers.js';

const PRIV: MmapFlags = { fixed: false, shared: false };
const SHARED: MmapFlags = { fixed: false, shared: true };
const NOSS = { shadowStack: false };
const show = (r: AreaResult) => [hex(r.addr), r.path, r.order];

describe('do_mmap pre-steps', () => {
  it('len 0: EINVAL', () => {
    expect(doMmap(mkCtx(), null, 0n, 0n, 0n, PRIV, NOSS).addr).toBe('EINVAL');
  });

  it('PAGE_ALIGN(len) wraps to 0: ENOMEM', () => {
    // (2^64 - 1 + 0xfff) & ~0xfff = 2^64 -> 0 in 64 bits.
    expect(doMmap(mkCtx(), null, 0n, (1n << 64n) - 1n, 0n, PRIV, NOSS).addr).toBe('ENOMEM');
  });

  it('pgoff + (len >> PAGE_SHIFT) wraps: EOVERFLOW', () => {
    // (2^64 - 1) + 1 = 2^64 -> 0 < pgoff.
    expect(doMmap(mkCtx(), { kind: 'plain' }, 0n, PS, (1n << 64n) - 1n, SHARED, NOSS).addr).toBe('EOVERFLOW');
  });

  it('round_hint_to_min: page-masked, raised to PAGE_ALIGN(mmap_min_addr)', () => {
    const ctx = mkCtx();
    expect(roundHintToMin(ctx, 0x1234n)).toBe(0x10000n);
    expect(roundHintToMin(ctx, 0x20234n)).toBe(0x20000n);
    expect(roundHintToMin(ctx, 0n)).toBe(0n);
    // mmap_min_addr 0x10800 -> PAGE_ALIGN = 0x11000.
    expect(roundHintToMin(mkCtx({ mm: { mmapMinAddr: 0x10800n } }), 0x1000n)).toBe(0x11000n);
  });

  it('a low hint is raised and then kept', () => {
    // hint 0x1000 -> 0x10000, free in an empty mm, 1M + 0x10000 fits -> kept.
    expect(show(doMmap(mkCtx(), null, 0x1000n, M, 0n, PRIV, NOSS))).toEqual(['0x10000', 'hint', 0]);
  });

  it('MAP_FIXED is not rounded: below mmap_min_addr is EPERM', () => {
    expect(doMmap(mkCtx(), null, 0x1000n, M, 0n, { fixed: true, shared: false }, NOSS).addr).toBe('EPERM');
  });

  it('len is page-aligned before the search', () => {
    // len 1 -> 4K: mmap_base 0x7ffff7fff000 - 0x1000 = 0x7ffff7ffe000.
    expect(show(doMmap(mkCtx(), null, 0n, 1n, 0n, PRIV, NOSS))).toEqual(['0x7ffff7ffe000', 'plain', 0]);
  });
});

describe('ksys_mmap_pgoff and the file checks', () => {
  it('hugetlbfs: len rounded up to the huge page', () => {
    // len 1 -> 2M; aligned search: 0x7ffff7fff000 - 2M = 0x7ffff7dff000, rounded down to 2M -> 0x7ffff7c00000.
    expect(show(ksysMmapPgoff(mkCtx(), { kind: 'hugetlb' }, 0n, 1n, 0n, SHARED, NOSS))).toEqual([
      '0x7ffff7c00000',
      'aligned',
      9,
    ]);
  });

  it('hugetlbfs: pgoff not a multiple of the huge page: EINVAL', () => {
    expect(ksysMmapPgoff(mkCtx(), { kind: 'hugetlb' }, 0n, 2n * M, 1n, SHARED, NOSS).addr).toBe('EINVAL');
  });

  it('file_mmap_ok, regular file: off + len beyond MAX_LFS_FILESIZE: EOVERFLOW', () => {
    // maxsize = 2^63 - 1 - 4K; >> 12 = 2^51 - 2 < pgoff 2^51 - 1.
    expect(doMmap(mkCtx(), { kind: 'plain' }, 0n, PS, (1n << 51n) - 1n, SHARED, NOSS).addr).toBe('EOVERFLOW');
    expect(doMmap(mkCtx(), { kind: 'plain' }, 0n, PS, (1n << 51n) - 2n, SHARED, NOSS).addr).not.toBe('EOVERFLOW');
  });

  it('file_mmap_ok, driver (ULONG_MAX): a much larger pgoff passes', () => {
    // maxsize = 2^64 - 1 - 4K, >> 12 = 2^52 - 2: pgoff 2^52 - 2 passes, 2^52 - 1 does not.
    expect(doMmap(mkCtx(), { kind: 'driver' }, 0n, PS, (1n << 52n) - 2n, SHARED, NOSS).addr).not.toBe('EOVERFLOW');
    expect(doMmap(mkCtx(), { kind: 'driver' }, 0n, PS, (1n << 52n) - 1n, SHARED, NOSS).addr).toBe('EOVERFLOW');
  });
});
