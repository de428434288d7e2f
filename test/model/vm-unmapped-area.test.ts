// Worked examples for unmapped_area() / unmapped_area_topdown() (mm/vma.c), and a
// property that both agree with a brute-force reference written here from the
// vm_unmapped_area contract and mm/vma.c's conservative neighbour checks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  unmappedArea,
  unmappedAreaTopdown,
  vmUnmappedArea,
  type VmUnmappedAreaInfo,
} from '../../model/vm-unmapped-area.js';
import type { Vma } from '../../model/types.js';
import { hex, M, mkCtx, PS } from './helpers.js';

const info = (o: Partial<VmUnmappedAreaInfo>): VmUnmappedAreaInfo => ({
  topdown: false,
  length: M,
  lowLimit: 0x10000000n,
  highLimit: 0x7f0000000000n,
  alignMask: 0n,
  alignOffset: 0n,
  startGap: 0n,
  ...o,
});

describe('unmappedArea (bottom-up)', () => {
  it('empty mm: the low limit itself', () => {
    // no VMA: the lowest empty range starts at 0; clipped to low_limit 0x10000000.
    expect(unmappedArea(mkCtx(), info({}))).toBe(0x10000000n);
  });

  it('mmap_min_addr raises a lower low_limit', () => {
    // low_limit 0 < mmap_min_addr 0x10000 -> low_limit = 0x10000.
    expect(unmappedArea(mkCtx(), info({ lowLimit: 0n }))).toBe(0x10000n);
  });

  it('align_mask and align_offset: the first congruent address', () => {
    // gap = 0x10000000; (align_offset - gap) & mask = (0x1000 - 0x10000000) & 0x1ff000;
    // 0x10000000 is a multiple of 2M, so that is 0x1000 -> gap = 0x10001000.
    expect(unmappedArea(mkCtx(), info({ alignMask: 0x1ff000n, alignOffset: 0x1000n }))).toBe(0x10001000n);
  });

  it('start_gap is added before aligning', () => {
    // gap = 0x10000000 + 0x1000 = 0x10001000; mask 0x1ff000, offset 0 ->
    // (0 - 0x10001000) & 0x1ff000 = 0x1ff000 -> 0x10200000.
    expect(unmappedArea(mkCtx(), info({ startGap: PS, alignMask: 0x1ff000n }))).toBe(0x10200000n);
  });

  it('skips a hole that is too small', () => {
    // VMAs [0x10000000, 0x10080000) and [0x10100000, 0x10200000): the hole
    // [0x10080000, 0x10100000) is 512K < 1M; next hole starts at 0x10200000.
    const ctx = mkCtx({
      vmas: [
        { start: 0x10000000n, end: 0x10080000n },
        { start: 0x10100000n, end: 0x10200000n },
      ],
    });
    expect(unmappedArea(ctx, info({}))).toBe(0x10200000n);
  });

  it('grow-down VMA: a mapping may end exactly at its guard gap', () => {
    // stack [0x10200000, 0x10300000), stack_guard_gap 1M -> vm_start_gap = 0x10100000.
    // gap = 0x10000000, gap + length - 1 = 0x100fffff, not below 0x10100000 -> kept.
    const ctx = mkCtx({ vmas: [{ start: 0x10200000n, end: 0x10300000n, growsDown: true }] });
    expect(unmappedArea(ctx, info({}))).toBe(0x10000000n);
  });

  it('grow-down VMA: entering its guard gap retries above it', () => {
    // length 0x180000: gap + length - 1 = 0x1017ffff >= vm_start_gap 0x10100000 ->
    // low_limit = vm_end = 0x10300000 -> gap 0x10300000.
    const ctx = mkCtx({ vmas: [{ start: 0x10200000n, end: 0x10300000n, growsDown: true }] });
    expect(unmappedArea(ctx, info({ length: 0x180000n }))).toBe(0x10300000n);
  });

  it('the neighbour check uses the padded length (conservative skip)', () => {
    // stack [0x10300000, 0x10400000), guard 1M -> vm_start_gap 0x10200000; room
    // [0x10000000, 0x10200000) = 2M would hold 1M at 0x10000000, but the search
    // length is 1M + 0x1ff000 = 0x2ff000 and gap + length - 1 = 0x102fefff >= 0x10200000
    // -> retry from vm_end 0x10400000, which is 2M-aligned: 0x10400000.
    const ctx = mkCtx({ vmas: [{ start: 0x10300000n, end: 0x10400000n, growsDown: true }] });
    expect(unmappedArea(ctx, info({ alignMask: 0x1ff000n }))).toBe(0x10400000n);
  });

  it('shadow-stack VMA: a one-page guard', () => {
    // shadow stack at [0x10100000, 0x10101000): vm_start_gap = 0x100ff000;
    // length 1M from 0x10000000: 0x100fffff >= 0x100ff000 -> retry from 0x10101000.
    const ctx = mkCtx({ vmas: [{ start: 0x10100000n, end: 0x10101000n, shadowStack: true }] });
    expect(unmappedArea(ctx, info({}))).toBe(0x10101000n);
  });

  it('ENOMEM when the padded length wraps', () => {
    // length 2^64 - 4096 + align_mask 0x1ff000 wraps below length -> -ENOMEM.
    expect(unmappedArea(mkCtx(), info({ length: (1n << 64n) - PS, alignMask: 0x1ff000n }))).toBe('ENOMEM');
  });

  it('ENOMEM when nothing fits below high_limit', () => {
    // [0x10000000, 0x10080000) holds 512K only.
    expect(unmappedArea(mkCtx(), info({ highLimit: 0x10080000n }))).toBe('ENOMEM');
  });
});

describe('unmappedAreaTopdown', () => {
  it('ends at high_limit', () => {
    // gap_end = high_limit 0x7f0000400000; gap = gap_end - 1M = 0x7f0000300000.
    const ctx = mkCtx({ vmas: [{ start: 0x7f0000400000n, end: 0x7f0000500000n }] });
    expect(unmappedAreaTopdown(ctx, info({ topdown: true, highLimit: 0x7f0000400000n }))).toBe(0x7f0000300000n);
  });

  it('rounds down to the congruent address', () => {
    // gap = 0x7f0000400000 - 1M = 0x7f0000300000; (gap - 0x1000) & 0x1ff000:
    // 0x7f00002ff000 mod 2M = 0xff000 -> gap = 0x7f0000300000 - 0xff000 = 0x7f0000201000.
    const r = unmappedAreaTopdown(
      mkCtx(),
      info({ topdown: true, highLimit: 0x7f0000400000n, alignMask: 0x1ff000n, alignOffset: 0x1000n }),
    );
    expect(hex(r)).toBe('0x7f0000201000');
  });

  it('grow-down VMA above the gap: retries below its guard', () => {
    // stack [0x7f0000800000, 0x7f0001000000), guard 1M; gap_end = 0x7f0000800000 >
    // vm_start_gap 0x7f0000700000 -> high_limit = 0x7f0000700000 -> gap 0x7f0000600000.
    const ctx = mkCtx({ vmas: [{ start: 0x7f0000800000n, end: 0x7f0001000000n, growsDown: true }] });
    expect(unmappedAreaTopdown(ctx, info({ topdown: true, highLimit: 0x7f0001000000n }))).toBe(0x7f0000600000n);
  });

  it('start_gap pads the search: a hole of exactly length is skipped', () => {
    // VMAs [0x7f0000000000, 0x7f0000100000) and [0x7f0000200000, ...): the 1M hole
    // between them is < 1M + 4K; next hole below ends at 0x7f0000000000 ->
    // gap = 0x7f0000000000 - 1M = 0x7efffff00000.
    const ctx = mkCtx({
      vmas: [
        { start: 0x7f0000000000n, end: 0x7f0000100000n },
        { start: 0x7f0000200000n, end: 0x7f0000300000n },
      ],
    });
    expect(hex(unmappedAreaTopdown(ctx, info({ topdown: true, highLimit: 0x7f0000200000n, startGap: PS })))).toBe(
      '0x7efffff00000',
    );
  });

  it('ENOMEM when the window below high_limit is too small', () => {
    // low_limit raised to mmap_min_addr 0x10000; [0x10000, 0x80000) is 448K < 1M.
    expect(unmappedAreaTopdown(mkCtx(), info({ topdown: true, lowLimit: PS, highLimit: 0x80000n }))).toBe('ENOMEM');
  });

  it('vmUnmappedArea dispatches on VM_UNMAPPED_AREA_TOPDOWN', () => {
    expect(vmUnmappedArea(mkCtx(), info({ topdown: true, highLimit: 0x20000000n }))).toBe(0x20000000n - M);
    expect(vmUnmappedArea(mkCtx(), info({ topdown: false, highLimit: 0x20000000n }))).toBe(0x10000000n);
  });
});

// ---------------------------------------------------------------------------
// Brute-force reference. Free space is computed as the complement of the VMAs
// in [0, 2^64); a candidate hole is judged by the vm_unmapped_area contract
// (inside [max(low, mmap_min_addr), high), at least length + align_mask +
// start_gap long, congruent start) and by mm/vma.c's neighbour checks as
// documented: bottom-up rejects a hole whose next VMA is grow-down/shadow-stack
// and whose guard starts below gap + padded length - 1 (the search then resumes
// above that VMA); top-down lowers its ceiling to the guard start of such a VMA
// when the hole's end passes it.

interface Hole {
  start: bigint;
  end: bigint; // exclusive (may be 2^64)
  above: Vma | null;
}

function holes(vmas: readonly Vma[]): Hole[] {
  const sorted = [...vmas].sort((a, b) => (a.start < b.start ? -1 : 1));
  const out: Hole[] = [];
  let from = 0n;
  for (const v of sorted) {
    if (v.start > from) out.push({ start: from, end: v.start, above: v });
    from = v.end;
  }
  out.push({ start: from, end: 1n << 64n, above: null });
  return out;
}

function guardStart(v: Vma, stackGuardGap: bigint): { flagged: boolean; at: bigint } {
  const g = v.growsDown ? stackGuardGap : v.shadowStack ? PS : 0n;
  return { flagged: g > 0n, at: v.start >= g ? v.start - g : 0n };
}

function refBottomUp(vmas: Vma[], minAddr: bigint, sgg: bigint, i: VmUnmappedAreaInfo): bigint | 'ENOMEM' {
  const padded = i.length + i.alignMask + i.startGap;
  if (padded >= 1n << 64n) return 'ENOMEM';
  const lo = i.lowLimit > minAddr ? i.lowLimit : minAddr;
  const step = i.alignMask + PS; // alignment stride (align_mask is (S-1) & PAGE_MASK)
  for (const h of holes(vmas)) {
    const s = h.start > lo ? h.start : lo;
    const e = h.end < i.highLimit ? h.end : i.highLimit;
    if (e <= s || e - s < padded) continue;
    let gap = s + i.startGap;
    if (i.alignMask !== 0n) while (gap % step !== i.alignOffset % step) gap += PS;
    if (h.above !== null) {
      const gs = guardStart(h.above, sgg);
      if (gs.flagged && gs.at < gap + padded - 1n) continue;
    }
    return gap;
  }
  return 'ENOMEM';
}

function refTopdown(vmas: Vma[], minAddr: bigint, sgg: bigint, i: VmUnmappedAreaInfo): bigint | 'ENOMEM' {
  const padded = i.length + i.alignMask + i.startGap;
  if (padded >= 1n << 64n) return 'ENOMEM';
  const lo = i.lowLimit > minAddr ? i.lowLimit : minAddr;
  const step = i.alignMask + PS;
  let ceiling = i.highLimit;
  const hs = holes(vmas).reverse();
  for (let k = 0; k < hs.length; k++) {
    const h = hs[k]!;
    const s = h.start > lo ? h.start : lo;
    const e = h.end < ceiling ? h.end : ceiling;
    if (e <= s || e - s < padded) continue;
    if (h.above !== null) {
      const gs = guardStart(h.above, sgg);
      if (gs.flagged && gs.at < e) {
        ceiling = gs.at;
        k = -1; // search again from the top under the lowered ceiling
        continue;
      }
    }
    let gap = e - i.length;
    if (i.alignMask !== 0n) while (gap % step !== i.alignOffset % step) gap -= PS;
    return gap;
  }
  return 'ENOMEM';
}

// Layouts in a 64 MiB window at a real x86_64 height, in 64K units, so holes,
// guards and 2M alignment interact often.
const BASE = 0x7f0000000000n;
const UNIT = 64n * 1024n;
const vmaArb = fc
  .record({
    at: fc.integer({ min: 0, max: 1000 }),
    pages: fc.integer({ min: 1, max: 64 }),
    kind: fc.constantFrom('plain', 'plain', 'growsDown', 'shadowStack'),
  })
  .map(({ at, pages, kind }) => ({
    start: BASE + BigInt(at) * UNIT,
    end: BASE + BigInt(at) * UNIT + BigInt(pages) * PS,
    kind,
  }));

const layoutArb = fc.array(vmaArb, { maxLength: 12 }).map((vs) => {
  // drop overlapping ones, keep the first of each clash
  const out: Vma[] = [];
  for (const v of vs) {
    if (out.some((o) => v.start < o.end && o.start < v.end)) continue;
    out.push({ start: v.start, end: v.end, growsDown: v.kind === 'growsDown', shadowStack: v.kind === 'shadowStack' });
  }
  return out;
});

const infoArb = fc.record({
  topdown: fc.boolean(),
  lenPages: fc.integer({ min: 1, max: 2048 }),
  alignOrder: fc.constantFrom(0, 0, 4, 9),
  offPages: fc.integer({ min: 0, max: 1023 }),
  startGap: fc.constantFrom(0n, PS),
  lowUnits: fc.integer({ min: 0, max: 600 }),
  highUnits: fc.integer({ min: 400, max: 1100 }),
  guardPages: fc.constantFrom(1n, 16n, 256n),
});

describe('vm_unmapped_area agrees with the brute-force reference', () => {
  it('lowest fitting hole (bottom-up) and highest (top-down), guards, start_gap and align_mask included', () => {
    fc.assert(
      fc.property(layoutArb, infoArb, (vmas, p) => {
        const sgg = p.guardPages * PS;
        const ctx = mkCtx({ vmas, mm: { stackGuardGap: sgg } });
        const alignMask = p.alignOrder === 0 ? 0n : ((PS << BigInt(p.alignOrder)) - 1n) & ~(PS - 1n);
        const i: VmUnmappedAreaInfo = {
          topdown: p.topdown,
          length: BigInt(p.lenPages) * PS,
          lowLimit: BASE + BigInt(p.lowUnits) * UNIT,
          highLimit: BASE + BigInt(p.highUnits) * UNIT,
          alignMask,
          alignOffset: BigInt(p.offPages) * PS,
          startGap: p.startGap,
        };
        const want = p.topdown
          ? refTopdown(vmas, ctx.mm.mmapMinAddr, sgg, i)
          : refBottomUp(vmas, ctx.mm.mmapMinAddr, sgg, i);
        const got = vmUnmappedArea(ctx, i);
        expect(hex(got)).toBe(hex(want));
      }),
      { numRuns: 6000, verbose: 1 },
    );
  });
});
