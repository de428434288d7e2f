// The kernel-terms explanation of a counterexample, on states written by hand (no TLC needed). Every
// expected string is derived here: tiny-16 pages are 4096 bytes, so page 13 is 13 * 4096 = 53248 =
// 0xd000, 2 pages = 8192 bytes = 8K, and PMD = order 1, PUD = order 2.

import { describe, expect, it } from 'vitest';

import {
  decodeState,
  decodeView,
  describeCounterexample,
  Units,
  whatBroke,
  type KernelState,
  type TraceViewValues,
} from '../../check/counterexample.js';
import { loadManifest } from '../../check/manifest.js';
import { ToolError } from '../../io/errors.js';
import { parseTlaValue } from '../../tlc/value-parse.js';

const u = new Units('tiny-16');

// v2 with BUG_NoOffSub, as TLC reports it: vfio-pci asks for PMD (len 2 pages >= PMD); the padded search
// (2 + 2 pages) top-down finds [11, 15) below the VMA at page 15, ret = 11, off_sub dropped, so top-down
// returns ret + S = 13, which is 1 page (4K) mod S = 2 pages while off = 0.
const noOffSub: KernelState = {
  layout: [...Array.from({ length: 15 }, () => 'free'), 'vma'],
  req: {
    op: 'mmap',
    addr: 0,
    fixed: false,
    len: 2,
    pgoff: 0,
    region: 0,
    drv: { kind: 'vfio-pci', k: 0, pa: 0 },
    topdown: true,
    sg: 0,
  },
  ans: { v2: { va: 13, path: 'aligned', order: 1 }, baseline: { va: 13, path: 'plain', order: -1 } },
  calls: 1,
};
const noOffSubView: TraceViewValues = {
  vmas: [{ start: 15, end: 16, kind: 'vma' }],
  order: 1,
  hintFree: false,
  leaves: [
    { start: 13, order: 0 },
    { start: 14, order: 0 },
  ],
  baseLeaves: [
    { start: 13, order: 0 },
    { start: 14, order: 0 },
  ],
  bestOrder: 1,
  bestLeaves: [{ start: 0, order: 1 }],
  room: true,
};

describe('Units (tiny-16)', () => {
  it('prints pages as byte addresses and sizes', () => {
    expect(u.addr(13)).toBe('0xd000');
    expect(u.addr(0)).toBe('0x0');
    expect(u.size(2)).toBe('8K');
    expect(u.size(256)).toBe('1M'); // 256 * 4096 = 1048576
    expect(u.orderSize(2)).toBe('16K');
    expect(u.va(-12)).toBe('ENOMEM');
    expect(u.va(-1)).toBe('EPERM');
    expect(
      u.leaves([
        { start: 0, order: 2 },
        { start: 4, order: 1 },
        { start: 6, order: 1 },
        { start: 8, order: 0 },
      ]),
    ).toBe('1 x 16K PUD, 2 x 8K PMD, 1 x 4K PTE');
  });
});

describe('explainState', () => {
  it('writes the layout, request, answers and what broke in kernel terms', () => {
    const c = loadManifest().configs.find((x) => x.name === 'MCV2_bug_NoOffSub');
    if (c === undefined) throw new Error('MCV2_bug_NoOffSub missing from spec/verdicts.json');
    const e = describeCounterexample(c, 'Congruent', noOffSub, noOffSubView, true);
    expect(e.lines).toEqual([
      'MCV2_bug_NoOffSub: Congruent violated (expected)',
      '  layout:   [0xf000, 0x10000) vma',
      '  request:  mmap(len 8K, pgoff 0 (off 0x0), no hint, top-down)',
      '  driver:   vfio-pci, BAR at PFN 0 (PA 0x0) -> get_mapping_order = 1',
      '  v2:       VA 0xd000, path aligned, order 1 (S = 8K)',
      '  baseline: VA 0xd000, path plain',
      '  broke:    aligned path with S = 8K: VA 0xd000 is 4K mod S, off 0x0 is 0 mod S',
    ]);
    expect(e.json.request).toMatchObject({ len: '0x2000', off: '0x0', order: '1' });
    expect(e.json.answers).toMatchObject({ v2: { va: '0xd000', error: null, path: 'aligned', order: '1' } });
  });

  it('explains MaxLeafCoverage with the two leaf counts', () => {
    expect(whatBroke('MaxLeafCoverage', u, noOffSub, noOffSubView, 'v2', 1, 16)).toBe(
      'leaves at VA 0xd000: 2 x 4K PTE; a placement with VA = off mod 8K (room existed) gets 1 x 8K PMD',
    );
  });

  it('names the overlapped VMA for NoOverlap', () => {
    const s: KernelState = {
      ...noOffSub,
      ans: { v2: { va: 14, path: 'aligned', order: 1 }, baseline: { va: 13, path: 'plain', order: -1 } },
    };
    // [14, 16) meets the VMA [15, 16): bytes [0xe000, 0x10000) against [0xf000, 0x10000)
    expect(whatBroke('NoOverlap', u, s, noOffSubView, 'v2', 1, 16)).toBe(
      '[0xe000, 0x10000) overlaps the vma [0xf000, 0x10000)',
    );
  });

  it('names the misaligned PFN for DriverObligation', () => {
    const s: KernelState = {
      ...noOffSub,
      req: { ...noOffSub.req, drv: { kind: 'order', k: 2, pa: 1 } },
      ans: { optimal: { va: 12, path: 'aligned', order: 2 }, baseline: { va: 14, path: 'plain', order: -1 } },
    };
    expect(whatBroke('DriverObligation', u, s, noOffSubView, 'optimal', 1, 16)).toBe(
      "optimal aligned the VA to 16K (VA = off), but the BAR's first PFN 1 is not a multiple of 4: off != PA (mod " +
        'S), so no large leaf can be installed',
    );
  });
});

describe('decoding TLC values', () => {
  it('reads a TraceView record as TLC prints it', () => {
    const v = decodeView(
      parseTlaValue(
        '[ order |-> 1, vmas |-> {[kind |-> "gd", start |-> 15, end |-> 16]}, hintFree |-> FALSE, leaves |-> {[order ' +
          '|-> 1, start |-> 12]}, baseLeaves |-> {}, bestOrder |-> 1, bestLeaves |-> {[order |-> 1, start |-> 0]}, ' +
          'room |-> TRUE ]',
      ),
    );
    expect(v.vmas).toEqual([{ start: 15, end: 16, kind: 'gd' }]);
    expect(v.leaves).toEqual([{ start: 12, order: 1 }]);
    expect(v.baseLeaves).toEqual([]);
  });

  it('refuses a state it does not understand instead of guessing', () => {
    expect(() => decodeState({ layout: 3, req: 0, ans: 0, calls: 0 })).toThrow(ToolError);
  });
});
