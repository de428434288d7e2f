// Layouts counted once: the canonical form of a VMA list is the sorted list
// with every two VMAs of the same kind that touch (a.end == b.start) merged
// into one. That is the spec's own representation (spec/Layout.tla: a layout is
// the kind of each page, so touching VMAs of one kind read as one).
//
// Why merging changes no answer and no verdict (the arithmetic, v6.18):
// - the maple-tree gap searches (mas_empty_area[_rev]) see the empty ranges
//   only; touching VMAs leave none between them, and the VMAs bounding each empty
//   range (vma_next / vma_prev) keep their start, end and flags;
// - find_vma(addr) may return the lower half instead of the merged VMA, with the
//   same vm_start and flags, so vm_start_gap() and the hint tests agree;
// - unmapped_area()'s retry after a VM_GROWSDOWN neighbour sets low_limit to the
//   lower half's vm_end instead of the merged one's; the next search from there
//   finds no empty range before the merged end, so it returns the same gap;
// - the invariants' guard test below the upper half only matters when the lower
//   half has a guard of its own (same kind), whose range is then wider;
// - sorting: the allocator keeps VMAs in address order (normaliseVmas sorts).
// test/generators/tiny/canonical-layout.test.ts checks it on every raw layout of a
// small bound: the merged layout gives the same VA and the same verdicts.

import type { TinyLayout, TinyVma } from './types.js';

export function canonicalLayout(vmas: readonly TinyVma[]): TinyLayout {
  const sorted = [...vmas].sort((a, b) => a.start - b.start);
  const out: TinyVma[] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.end === v.start && last.kind === v.kind)
      out[out.length - 1] = { ...last, end: v.end };
    else out.push(v);
  }
  return out;
}

/** A key that is equal for equal canonical layouts. */
export function layoutKey(l: TinyLayout): string {
  return l.map((v) => `${v.start}-${v.end}${v.kind}`).join(',');
}
