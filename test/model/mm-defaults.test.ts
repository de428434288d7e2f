import { describe, expect, it } from 'vitest';
import { defaultMm, normaliseVmas, VmaLayoutError } from '../../model/mm-defaults.js';

describe('defaultMm', () => {
  it('x86_64: window 2^47 - 4K, mmap_base 128M below it, legacy base a third of it', () => {
    const mm = defaultMm('x86_64');
    expect(mm.taskSize).toBe((1n << 47n) - 4096n);
    // mmap_base(): gap = 8M rlimit + 1M stack_guard_gap (no randomisation) = 9M, clamped up to
    // MIN_GAP 128M: PAGE_ALIGN(0x7ffffffff000 - 0x8000000) = 0x7ffff7fff000
    expect(mm.mmapBase).toBe(0x7ffff7fff000n);
    // 0x7ffffffff000 / 3 = 0x2aaaaaaaa555 -> page-aligned up 0x2aaaaaaab000
    expect(mm.mmapLegacyBase).toBe(0x2aaaaaaab000n);
    expect([mm.topdown, mm.mmapMinAddr, mm.stackGuardGap]).toEqual([true, 0x10000n, 0x100000n]);
  });

  it('arm64: mmap_base 128M below 2^48, legacy base TASK_UNMAPPED_BASE = PAGE_ALIGN(2^48 / 4)', () => {
    for (const arch of ['arm64-4k', 'arm64-16k', 'arm64-64k'] as const) {
      const mm = defaultMm(arch);
      expect(mm.taskSize).toBe(1n << 48n);
      // mm/util.c mmap_base(): gap 8M + stack_guard_gap (256 pages: 1M, 4M or 16M) < 128M -> 128M;
      // 0x1000000000000 - 0x8000000 = 0xfffff8000000, page-aligned for 4K, 16K and 64K pages.
      expect(mm.mmapBase).toBe(0xfffff8000000n);
      // 0x1000000000000 / 4 = 0x400000000000, already page-aligned.
      expect(mm.mmapLegacyBase).toBe(0x400000000000n);
    }
  });
});

describe('normaliseVmas', () => {
  it('sorts by start', () => {
    const v = normaliseVmas([
      { start: 0x3000n, end: 0x4000n },
      { start: 0x1000n, end: 0x2000n },
    ]);
    expect(v.map((x) => x.start)).toEqual([0x1000n, 0x3000n]);
  });

  it('touching VMAs are fine', () => {
    expect(
      normaliseVmas([
        { start: 0x1000n, end: 0x2000n },
        { start: 0x2000n, end: 0x3000n },
      ]),
    ).toHaveLength(2);
  });

  it('an overlap names the later input index', () => {
    const vmas = [
      { start: 0x1000n, end: 0x3000n },
      { start: 0x8000n, end: 0x9000n },
      { start: 0x2000n, end: 0x4000n },
    ];
    expect(() => normaliseVmas(vmas)).toThrow(VmaLayoutError);
    expect(() => normaliseVmas(vmas)).toThrow(/^vmas\[2\]: .*overlaps vmas\[0\]/);
  });

  it('empty or inverted, and unaligned with a page size', () => {
    expect(() => normaliseVmas([{ start: 0x2000n, end: 0x2000n }])).toThrow(/^vmas\[0\]: end/);
    expect(() => normaliseVmas([{ start: 0x1000n, end: 0x2800n }], 4096n)).toThrow(
      /^vmas\[0\]: start and end must be multiples/,
    );
  });
});
