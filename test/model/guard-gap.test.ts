import { describe, expect, it } from 'vitest';
import {
  findVma,
  findVmaPrev,
  stackGuardPlacement,
  stackGuardStartGap,
  vmEndGap,
  vmStartGap,
} from '../../model/guard-gap.js';
import { M, mkCtx, PS } from './helpers.js';

describe('guard gaps (include/linux/mm.h)', () => {
  const ctx = mkCtx();
  it('stack_guard_start_gap: 1M below grow-down, one page below a shadow stack, else 0', () => {
    expect(stackGuardStartGap(ctx, { start: 0x10000000n, end: 0x10100000n, growsDown: true })).toBe(M);
    expect(stackGuardStartGap(ctx, { start: 0x10000000n, end: 0x10100000n, shadowStack: true })).toBe(PS);
    expect(stackGuardStartGap(ctx, { start: 0x10000000n, end: 0x10100000n })).toBe(0n);
  });
  it('vm_start_gap clamps to 0 on underflow; vm_end_gap is vm_end', () => {
    // 0x80000 - 1M underflows -> 0.
    expect(vmStartGap(ctx, { start: 0x80000n, end: 0x90000n, growsDown: true })).toBe(0n);
    expect(vmStartGap(ctx, { start: 0x10000000n, end: 0x10100000n, growsDown: true })).toBe(0x0ff00000n);
    expect(vmEndGap(ctx, { start: 0x10000000n, end: 0x10100000n, growsDown: true })).toBe(0x10100000n);
  });
  it('stack_guard_placement: PAGE_SIZE for VM_SHADOW_STACK', () => {
    expect(stackGuardPlacement(ctx, { shadowStack: true })).toBe(PS);
    expect(stackGuardPlacement(ctx, { shadowStack: false })).toBe(0n);
  });
  it('find_vma / find_vma_prev', () => {
    const a = { start: 0x1000000n, end: 0x2000000n };
    const b = { start: 0x3000000n, end: 0x4000000n };
    const c2 = mkCtx({ vmas: [a, b] });
    expect(findVma(c2, 0x1fff000n)).toBe(a); // vm_end 0x2000000 > addr
    expect(findVma(c2, 0x2000000n)).toBe(b);
    expect(findVma(c2, 0x4000000n)).toBe(null);
    expect(findVmaPrev(c2, 0x2800000n)).toEqual({ vma: b, prev: a });
  });
});
