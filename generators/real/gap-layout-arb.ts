// Layouts built around one free gap whose usable size is an edge for the
// request: exactly len, len + S - PAGE_SIZE (the least that guarantees a
// congruent fit), len + S (v2's padding), a page less than len, or a page
// more than len + S; its start aligned to S or off by a page; and where the
// search meets it first: just below mmap_base (top-down start, a stack right
// above it), at mmap_legacy_base (bottom-up start), at mmap_min_addr (the rest
// of [mmap_min_addr, mmap_base) mapped), or ending at TASK_SIZE (everything
// below mapped). The VMA above the gap may be VM_GROWSDOWN or VM_SHADOW_STACK,
// its guard either inside the gap (eating into it) or beside it.

import fc from 'fast-check';
import type { Geometry } from '../../model/geometry.js';
import type { Mm, Vma } from '../../model/types.js';

export type GapSize = 'len' | 'len+S-PS' | 'len+S' | 'len-PS' | 'len+S+PS';
export type GapWhere = 'below-mmap-base' | 'at-legacy-base' | 'at-mmap-min-addr' | 'at-task-size';
export type GapGuard = 'none' | 'grows-down' | 'grows-down-guard-inside' | 'shadow-stack';

export interface GapChoice {
  readonly size: GapSize;
  readonly where: GapWhere;
  readonly guard: GapGuard;
  /** Pages the gap start is past an S-aligned address (0: aligned). */
  readonly skew: 0 | 1 | -1;
}

export function gapChoiceArb(): fc.Arbitrary<GapChoice> {
  return fc.record({
    size: fc.constantFrom<GapSize>('len', 'len+S-PS', 'len+S', 'len-PS', 'len+S+PS'),
    where: fc.constantFrom<GapWhere>('below-mmap-base', 'at-legacy-base', 'at-mmap-min-addr', 'at-task-size'),
    guard: fc.constantFrom<GapGuard>('none', 'none', 'grows-down', 'grows-down-guard-inside', 'shadow-stack'),
    skew: fc.constantFrom<0 | 1 | -1>(0, 1, -1),
  });
}

function alignDown(x: bigint, a: bigint): bigint {
  return x - (((x % a) + a) % a);
}

/**
 * The VMAs for a gap choice, for a mapping of L bytes (PAGE_ALIGNed) and an
 * alignment S, in mm. Returns null when the gap does not fit the address
 * space (a huge len at a low anchor).
 */
export function gapLayout(
  g: Geometry,
  mm: Mm,
  L: bigint,
  S: bigint,
  c: GapChoice,
): { vmas: Vma[]; gapStart: bigint; gapEnd: bigint } | null {
  const ps = g.pageSize;
  const usable = { len: L, 'len+S-PS': L + S - ps, 'len+S': L + S, 'len-PS': L - ps, 'len+S+PS': L + S + ps }[c.size];
  if (usable <= 0n) return null;
  const guard = c.guard === 'shadow-stack' ? ps : c.guard === 'none' ? 0n : mm.stackGuardGap;
  // The free space between the neighbours: the usable size plus a guard that does not eat into it.
  const free = c.guard === 'grows-down-guard-inside' || c.guard === 'none' ? usable : usable + guard;
  const skew = BigInt(c.skew) * ps;
  const minAddr = (mm.mmapMinAddr + ps - 1n) & ~(ps - 1n);
  let start: bigint;
  switch (c.where) {
    case 'below-mmap-base':
      start = alignDown(mm.mmapBase - free, S) + skew;
      if (start + free > mm.mmapBase) start -= S;
      break;
    case 'at-legacy-base':
      start = alignDown(mm.mmapLegacyBase + S - 1n, S) + skew;
      break;
    case 'at-mmap-min-addr':
      start = minAddr + (skew > 0n ? skew : 0n);
      break;
    case 'at-task-size':
      start = mm.taskSize - free;
      break;
  }
  const end = start + free;
  if (start < minAddr || end > mm.taskSize) return null;
  const vmas: Vma[] = [];
  const above: Vma = {
    start: end,
    end: end + 16n * ps,
    ...(c.guard === 'grows-down' || c.guard === 'grows-down-guard-inside' ? { growsDown: true } : {}),
    ...(c.guard === 'shadow-stack' ? { shadowStack: true } : {}),
  };
  if (c.where === 'at-task-size') {
    // Everything below mapped (one VMA), so every search ends here.
    if (start > minAddr) vmas.push({ start: minAddr, end: start });
    return { vmas, gapStart: start, gapEnd: end };
  }
  if (start - 16n * ps >= minAddr) vmas.push({ start: start - 16n * ps, end: start });
  if (above.end <= mm.taskSize) vmas.push(above);
  if (c.where === 'at-mmap-min-addr' && above.end < mm.mmapBase) vmas.push({ start: above.end, end: mm.mmapBase });
  return { vmas, gapStart: start, gapEnd: end };
}
