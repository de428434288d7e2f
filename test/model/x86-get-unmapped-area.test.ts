// Worked examples for x86's arch_get_unmapped_area[_topdown] (arch/x86/kernel/sys_x86_64.c).
// Default x86_64 mm (model/geometry.ts): DEFAULT_MAP_WINDOW = 2^47 - 4K = 0x7ffffffff000,
// mmap_base = window - 128M (mmap_base()'s MIN_GAP clamp) = 0x7ffff7fff000, mmap_legacy_base =
// PAGE_ALIGN(window / 3) = 0x2aaaaaaab000, mmap_min_addr = 0x10000, stack_guard_gap = 1M,
// TASK_SIZE_MAX = DMW with 4-level paging (the default); 2^56 - 4K with 5-level (mm.taskSizeMax).

import { describe, expect, it } from 'vitest';
import type { MmapFlags } from '../../model/context.js';
import {
  archGetUnmappedArea,
  archGetUnmappedAreaTopdown,
  mmapAddressHintValid,
} from '../../model/x86-get-unmapped-area.js';
import { hex, M, mkCtx, PS } from './helpers.js';

const F: MmapFlags = { fixed: false, shared: false };
const FIXED: MmapFlags = { fixed: true, shared: false };
const NOSS = { shadowStack: false };
const SS = { shadowStack: true };
const MMAP_BASE = 0x7ffff7fff000n;
const LA57 = { taskSizeMax: (1n << 56n) - PS };
const LEGACY = 0x2aaaaaaab000n;
const DMW = (1n << 47n) - PS;

describe('x86 arch_get_unmapped_area_topdown', () => {
  it('MAP_FIXED returns addr untouched, even over a VMA', () => {
    const ctx = mkCtx({ vmas: [{ start: 0x12300000n, end: 0x12400000n }] });
    expect(archGetUnmappedAreaTopdown(ctx, null, 0x12345000n, M, 0n, FIXED, NOSS)).toBe(0x12345000n);
  });

  it('no hint: just below mmap_base', () => {
    // gap_end = mmap_base; gap = 0x7ffff7fff000 - 0x100000 = 0x7ffff7eff000.
    expect(hex(archGetUnmappedAreaTopdown(mkCtx(), null, 0n, M, 0n, F, NOSS))).toBe('0x7ffff7eff000');
  });

  it('a free hint is kept', () => {
    expect(archGetUnmappedAreaTopdown(mkCtx(), null, 0x500000000000n, M, 0n, F, NOSS)).toBe(0x500000000000n);
  });

  it('a hint that meets a VMA falls back to the search', () => {
    // hint 0x4ffffff80000 + 1M = 0x500000080000 > vm_start 0x500000000000 -> search: mmap_base - 1M.
    const ctx = mkCtx({ vmas: [{ start: 0x500000000000n, end: 0x500000100000n }] });
    expect(archGetUnmappedAreaTopdown(ctx, null, 0x4ffffff80000n, M, 0n, F, NOSS)).toBe(MMAP_BASE - M);
  });

  it('a hint whose range crosses DEFAULT_MAP_WINDOW is invalid (mmap_address_hint_valid)', () => {
    // 5-level, so that TASK_SIZE - len = 2^56 - 4K - 1M >= addr and only the window test decides:
    // addr = DMW - 0x80000 <= DMW but addr + 1M > DMW -> ignored; addr is not above DMW, so
    // high_limit stays mmap_base -> mmap_base - 1M.
    const hint = DMW - 0x80000n;
    const ctx = mkCtx({ mm: LA57 });
    expect(mmapAddressHintValid(ctx, hint, M)).toBe(false);
    expect(archGetUnmappedAreaTopdown(ctx, null, hint, M, 0n, F, NOSS)).toBe(MMAP_BASE - M);
  });

  it('5-level: a hint above the window opens the full address space', () => {
    // hint 2^47 (> DMW) is taken by a VMA; high_limit = mmap_base + (TASK_SIZE_MAX - DMW)
    // = 0x7ffff7fff000 + (0xfffffffffff000 - 0x7ffffffff000) = 0x7ffff7fff000 + 0xff800000000000
    // = 0xfffffff7fff000 (no VMA up there) -> gap = 0xfffffff7fff000 - 1M = 0xfffffff7eff000.
    const ctx = mkCtx({ mm: LA57, vmas: [{ start: 1n << 47n, end: (1n << 47n) + M }] });
    expect(hex(archGetUnmappedAreaTopdown(ctx, null, 1n << 47n, M, 0n, F, NOSS))).toBe('0xfffffff7eff000');
  });

  it('4-level: a hint above the window is invalid and opens nothing (TASK_SIZE_MAX - DMW = 0)', () => {
    // mmap_address_hint_valid: TASK_SIZE - len = 0x7ffffffff000 - 0x100000 = 0x7fffffeff000 < 2^47 -> false;
    // high_limit += TASK_SIZE_MAX - DMW = 0 -> the plain search below mmap_base: 0x7ffff7eff000.
    expect(mmapAddressHintValid(mkCtx(), 1n << 47n, M)).toBe(false);
    expect(hex(archGetUnmappedAreaTopdown(mkCtx(), null, 1n << 47n, M, 0n, F, NOSS))).toBe('0x7ffff7eff000');
  });

  it('pgoff sets align_offset but without align_mask it has no effect', () => {
    const file = { kind: 'plain' as const };
    expect(archGetUnmappedAreaTopdown(mkCtx(), file, 0n, M, 5n, F, NOSS)).toBe(MMAP_BASE - M);
  });

  it('hugetlbfs: align_mask from the huge page, align_offset 0 (pgoff ignored)', () => {
    // gap = 0x7ffff7fff000 - 2M = 0x7ffff7dff000; round down to 2M -> 0x7ffff7c00000.
    const file = { kind: 'hugetlb' as const };
    expect(hex(archGetUnmappedAreaTopdown(mkCtx(), file, 0n, 2n * M, 1n, F, NOSS))).toBe('0x7ffff7c00000');
  });

  it('falls back bottom-up with vm_flags = 0: the shadow-stack start_gap is dropped', () => {
    // mmap_base 1M: [0x10000, 0x100000) is too small for 1M (+4K) -> bottom-up from
    // mmap_legacy_base 0x2aaaaaaab000 without start_gap -> exactly the legacy base.
    const ctx = mkCtx({ mm: { mmapBase: M } });
    expect(archGetUnmappedAreaTopdown(ctx, null, 0n, M, 0n, F, SS)).toBe(LEGACY);
  });

  it('compat: the compat mmap base (IA32_PAGE_OFFSET - 128M)', () => {
    // 0xffffe000 - 0x8000000 = 0xf7ffe000; minus 1M = 0xf7efe000.
    expect(hex(archGetUnmappedAreaTopdown(mkCtx({ compat: true }), null, 0n, M, 0n, F, NOSS))).toBe('0xf7efe000');
  });

  it('len above TASK_SIZE: ENOMEM before anything else', () => {
    expect(archGetUnmappedAreaTopdown(mkCtx({ compat: true }), null, 0x1000n, 1n << 32n, 0n, FIXED, NOSS)).toBe(
      'ENOMEM',
    );
  });
});

describe('x86 arch_get_unmapped_area (bottom-up)', () => {
  const bu = { topdown: false };

  it('starts at mmap_legacy_base', () => {
    expect(archGetUnmappedArea(mkCtx({ mm: bu }), null, 0n, M, 0n, F, NOSS)).toBe(LEGACY);
  });

  it('shadow stack: start_gap one page above the base', () => {
    // gap = 0x2aaaaaaab000 + 0x1000 = 0x2aaaaaaac000.
    expect(hex(archGetUnmappedArea(mkCtx({ mm: bu }), null, 0n, M, 0n, F, SS))).toBe('0x2aaaaaaac000');
  });

  it('its hint test has no mmap_min_addr term (do_mmap rounds the hint first)', () => {
    expect(archGetUnmappedArea(mkCtx({ mm: bu }), null, 0x1000n, M, 0n, F, NOSS)).toBe(0x1000n);
  });

  it('its hint test checks only the next VMA guard gap', () => {
    // stack [0x40200000, ...) grows down, guard 1M: vm_start_gap = 0x40100000.
    // hint 0x40000000 + 1M = 0x40100000 <= 0x40100000 -> kept; hint 0x40001000 -> not.
    const ctx = mkCtx({ mm: bu, vmas: [{ start: 0x40200000n, end: 0x40300000n, growsDown: true }] });
    expect(archGetUnmappedArea(ctx, null, 0x40000000n, M, 0n, F, NOSS)).toBe(0x40000000n);
    expect(archGetUnmappedArea(ctx, null, 0x40001000n, M, 0n, F, NOSS)).toBe(LEGACY);
  });

  it('len above the end: ENOMEM', () => {
    // end = task_size_64bit(0) = DMW.
    expect(archGetUnmappedArea(mkCtx({ mm: bu }), null, 0n, DMW + PS, 0n, F, NOSS)).toBe('ENOMEM');
  });
});
