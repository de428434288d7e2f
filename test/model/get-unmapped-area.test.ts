// Worked examples for __get_unmapped_area (mm/mmap.c): dispatch, pgoff = 0 for
// anonymous memory, the anonymous-THP rule, the hook slot, and the post-checks.
// x86_64 default mm: mmap_base B = 0x7ffff7fff000, mmap_min_addr 0x10000, TASK_SIZE = 2^47 - 4K (4-level).

import { describe, expect, it } from 'vitest';
import type { AreaResult, MappingOrderHook, MmapFlags } from '../../model/context.js';
import { __getUnmappedArea } from '../../model/get-unmapped-area.js';
import type { FileDesc } from '../../model/types.js';
import { hex, M, mkCtx, PS } from './helpers.js';

const PRIV: MmapFlags = { fixed: false, shared: false };
const SHARED: MmapFlags = { fixed: false, shared: true };
const NOSS = { shadowStack: false };
const show = (r: AreaResult) => [hex(r.addr), r.path, r.order];

describe('__getUnmappedArea dispatch', () => {
  it('anonymous private, len a multiple of PMD, no hint: THP-aligned', () => {
    // len_pad 6M: ret = B - 6M = 0x7ffff79ff000, off_sub = 0x200000 - 0x1ff000 = 0x1000 -> 0x7ffff7a00000.
    expect(show(__getUnmappedArea(mkCtx(), null, 0n, 4n * M, 0n, PRIV, NOSS))).toEqual([
      '0x7ffff7a00000',
      'aligned',
      9,
    ]);
  });

  it('anonymous, len not a multiple of PMD: plain', () => {
    // 0x7ffff7fff000 - 0x401000 = 0x7ffff7bfe000.
    expect(show(__getUnmappedArea(mkCtx(), null, 0n, 4n * M + PS, 0n, PRIV, NOSS))).toEqual([
      '0x7ffff7bfe000',
      'plain',
      0,
    ]);
  });

  it('anonymous with a hint: no THP; an occupied hint gives a plain search', () => {
    // B - 4M = 0x7ffff7fff000 - 0x400000 = 0x7ffff7bff000.
    const ctx = mkCtx({ vmas: [{ start: 0x500000000000n, end: 0x500000100000n }] });
    expect(show(__getUnmappedArea(ctx, null, 0x500000000000n, 4n * M, 0n, PRIV, NOSS))).toEqual([
      '0x7ffff7bff000',
      'plain',
      0,
    ]);
  });

  it('anonymous pgoff is forced to 0', () => {
    // as pgoff 0 above: 0x7ffff7a00000 (pgoff 7 would give off_sub 0x8000 -> 0x7ffff7a07000).
    expect(show(__getUnmappedArea(mkCtx(), null, 0n, 4n * M, 7n, PRIV, NOSS))).toEqual([
      '0x7ffff7a00000',
      'aligned',
      9,
    ]);
  });

  it('anonymous shared goes through shmem (huge=never here): plain', () => {
    // B - 4M = 0x7ffff7bff000.
    expect(show(__getUnmappedArea(mkCtx(), null, 0n, 4n * M, 0n, SHARED, NOSS))).toEqual([
      '0x7ffff7bff000',
      'plain',
      0,
    ]);
  });

  it('a driver file has no get_unmapped_area and no THP: plain', () => {
    // B - 4M = 0x7ffff7bff000.
    expect(
      show(__getUnmappedArea(mkCtx(), { kind: 'driver', driver: 'order:9' }, 0n, 4n * M, 0n, SHARED, NOSS)),
    ).toEqual(['0x7ffff7bff000', 'plain', 0]);
  });

  it('a thp file uses thp_get_unmapped_area', () => {
    // off 0x1000: ret = B - 6M = 0x7ffff79ff000, off_sub = (0x1000 - 0x1ff000) mod 2M = 0x2000 -> 0x7ffff7a01000.
    expect(show(__getUnmappedArea(mkCtx(), { kind: 'thp' }, 0n, 4n * M, 1n, SHARED, NOSS))).toEqual([
      '0x7ffff7a01000',
      'aligned',
      9,
    ]);
  });
});

describe('__getUnmappedArea checks', () => {
  it('len > TASK_SIZE: ENOMEM', () => {
    // TASK_SIZE = 2^47 - 4K < len 2^47.
    expect(__getUnmappedArea(mkCtx(), null, 0n, 1n << 47n, 0n, PRIV, NOSS).addr).toBe('ENOMEM');
  });

  it('MAP_FIXED below mmap_min_addr: EPERM (no CAP_SYS_RAWIO)', () => {
    const r = __getUnmappedArea(mkCtx(), null, 0x1000n, M, 0n, { fixed: true, shared: false }, NOSS);
    expect([r.addr, r.path]).toEqual(['EPERM', 'fixed']);
  });

  it('MAP_FIXED ending above TASK_SIZE: ENOMEM', () => {
    // TASK_SIZE = 2^47 - 4K; addr = TASK_SIZE - 1M + 4K -> addr > TASK_SIZE - len.
    const ts = (1n << 47n) - PS;
    expect(__getUnmappedArea(mkCtx(), null, ts - M + PS, M, 0n, { fixed: true, shared: false }, NOSS).addr).toBe(
      'ENOMEM',
    );
  });
});

describe('the mapping-order hook slot', () => {
  const seen: string[] = [];
  const hook: MappingOrderHook = (ctx, file, addr, len, pgoff) => {
    seen.push(`${file?.kind ?? 'anon'}:${pgoff}`);
    if (file?.kind !== 'driver') return null;
    return { addr: 0x600000000000n + (addr === 0n ? 0n : PS), path: 'aligned', order: 9, alignment: 2n * M };
  };
  const withHook = () => ({ ...mkCtx(), mappingOrder: hook });
  const driver: FileDesc = { kind: 'driver', driver: 'order:9' };

  it('is consulted for a file without get_unmapped_area and its placement used', () => {
    seen.length = 0;
    expect(show(__getUnmappedArea(withHook(), driver, 0n, 4n * M, 3n, SHARED, NOSS))).toEqual([
      '0x600000000000',
      'aligned',
      9,
    ]);
    expect(seen).toEqual(['driver:3']);
  });

  it('is consulted for anonymous private memory with pgoff already 0, and null continues upstream', () => {
    seen.length = 0;
    // upstream's anonymous THP placement, as above: 0x7ffff7a00000.
    expect(show(__getUnmappedArea(withHook(), null, 0n, 4n * M, 5n, PRIV, NOSS))).toEqual([
      '0x7ffff7a00000',
      'aligned',
      9,
    ]);
    expect(seen).toEqual(['anon:0']);
  });

  it('is not consulted when the file (or anon-shared) has its own get_unmapped_area', () => {
    seen.length = 0;
    __getUnmappedArea(withHook(), { kind: 'thp' }, 0n, 4n * M, 0n, SHARED, NOSS);
    __getUnmappedArea(withHook(), null, 0n, 4n * M, 0n, SHARED, NOSS);
    expect(seen).toEqual([]);
  });

  it('its result still goes through the post-checks', () => {
    // a hook returning an address with page-offset bits: offset_in_page -> EINVAL.
    const bad: MappingOrderHook = () => ({ addr: 0x600000000800n, path: 'aligned', order: 9, alignment: 2n * M });
    expect(__getUnmappedArea({ ...mkCtx(), mappingOrder: bad }, driver, 0n, M, 0n, SHARED, NOSS).addr).toBe('EINVAL');
  });
});
