import { describe, expect, it } from 'vitest';
import {
  compatBase,
  compatLegacyBase,
  defaultMapWindow,
  getMmapBase,
  taskSize,
  taskUnmappedBase,
} from '../../model/task-size.js';
import { mkCtx } from './helpers.js';

describe('address-space limits', () => {
  it('x86_64 4-level (the default): window 2^47 - 4K = TASK_SIZE = TASK_SIZE_MAX; compat IA32_PAGE_OFFSET', () => {
    expect(defaultMapWindow(mkCtx())).toBe((1n << 47n) - 4096n);
    expect(taskSize(mkCtx())).toBe((1n << 47n) - 4096n);
    expect(taskSize(mkCtx({ compat: true }))).toBe(0xffffe000n);
  });
  it('x86_64 5-level (mm.taskSizeMax 2^56 - 4K): the window stays 2^47 - 4K, TASK_SIZE = 2^56 - 4K', () => {
    const ctx = mkCtx({ mm: { taskSizeMax: (1n << 56n) - 4096n } });
    expect(defaultMapWindow(ctx)).toBe((1n << 47n) - 4096n);
    expect(taskSize(ctx)).toBe((1n << 56n) - 4096n);
  });
  it('arm64 compat: TASK_SIZE_32 = 4G - PAGE_SIZE (0xfffff000 with 4K pages, 0xffff0000 with 64K)', () => {
    expect(taskSize(mkCtx({ arch: 'arm64-4k', compat: true }))).toBe(0xfffff000n);
    expect(taskSize(mkCtx({ arch: 'arm64-64k', compat: true }))).toBe(0xffff0000n);
  });
  it('x86 compat bases: 0xffffe000 - 128M = 0xf7ffe000; PAGE_ALIGN(0xffffe000 / 3) = 0x55555000', () => {
    // 0xffffe000 / 3 = 0x55554aaa -> page-aligned up 0x55555000.
    const ctx = mkCtx({ compat: true });
    expect(compatBase(ctx)).toBe(0xf7ffe000n);
    expect(compatLegacyBase(ctx)).toBe(0x55555000n);
    expect(getMmapBase(ctx, false)).toBe(0xf7ffe000n);
    expect(getMmapBase(mkCtx(), true)).toBe(0x2aaaaaaab000n);
  });
  it('arm64 TASK_UNMAPPED_BASE = PAGE_ALIGN(2^48 / 4)', () => {
    expect(taskUnmappedBase(mkCtx({ arch: 'arm64-4k' }))).toBe(0x400000000000n);
  });
});
