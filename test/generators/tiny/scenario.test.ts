// A tiny case in kernel terms, converted by hand.

import { describe, expect, it } from 'vitest';
import { layoutText, toScenario } from '../../../generators/tiny/scenario.js';
import type { TinyCase } from '../../../generators/tiny/types.js';

describe('toScenario', () => {
  it('pages become bytes (4 KiB pages), the region goes to bit 40 of the offset, the mm is tiny-16 default', () => {
    const c: TinyCase = {
      arch: 'tiny-16',
      barPages: 4,
      layout: [
        { start: 3, end: 5, kind: 'vma' },
        { start: 15, end: 16, kind: 'gd' },
        { start: 8, end: 9, kind: 'ss' },
      ],
      request: {
        addr: 5,
        fixed: true,
        len: 3,
        pgoff: 2,
        region: 1,
        drv: { kind: 'vfio-pci', pa: 3 },
        topdown: false,
        sg: 1,
      },
    };
    const s = toScenario(c, 'optimal');
    expect(s.policy).toBe('optimal');
    // tiny-16: TASK_SIZE = 16 pages = 0x10000; mmap_base = TASK_SIZE; legacy base PAGE_ALIGN(0x10000 / 3) = 0x6000.
    expect(s.mm).toEqual({
      topdown: false,
      mmapBase: 0x10000n,
      mmapLegacyBase: 0x6000n,
      taskSize: 0x10000n,
      mmapMinAddr: 0x1000n,
      stackGuardGap: 0x1000n,
    });
    expect(s.vmas).toEqual([
      { start: 0x3000n, end: 0x5000n },
      { start: 0xf000n, end: 0x10000n, growsDown: true },
      { start: 0x8000n, end: 0x9000n, shadowStack: true },
    ]);
    expect(s.file).toEqual({ kind: 'driver', driver: 'vfio-pci', barSize: 0x4000n, barPhys: 0x3000n, barIndex: 0 });
    // pgoff = 2 + (1 << (40 - 12)) = 2 + 0x10000000 pages.
    expect(s.request).toEqual({
      addr: 0x5000n,
      len: 0x3000n,
      pgoff: 0x10000002n,
      fixed: true,
      shared: true,
      shadowStack: true,
    });
  });

  it('order:K names its driver order:K', () => {
    const c: TinyCase = {
      arch: 'tiny-32',
      barPages: 4,
      layout: [],
      request: {
        addr: 0,
        fixed: false,
        len: 1,
        pgoff: 0,
        region: 0,
        drv: { kind: 'order', k: -1, pa: 0 },
        topdown: true,
        sg: 0,
      },
    };
    expect(toScenario(c, 'v2').file.driver).toBe('order:-1');
    expect(toScenario(c, 'v2').mm.taskSize).toBe(32n * 4096n);
  });

  it('prints a layout in pages', () => {
    expect(layoutText([])).toBe('empty');
    expect(
      layoutText([
        { start: 1, end: 3, kind: 'vma' },
        { start: 15, end: 16, kind: 'gd' },
      ]),
    ).toBe('[1,3) [15,16)gd');
  });
});
