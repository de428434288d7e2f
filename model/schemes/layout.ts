// The mm's VMA list as a userspace scheme changes it: a new mapping is
// inserted (MAP_FIXED first unmaps whatever it covers, as mmap_region() does
// through do_vmi_munmap()), and munmap() removes a range, splitting the VMAs it
// cuts. Attributes (VM_GROWSDOWN, VM_SHADOW_STACK) stay with the pieces. VMAs
// are never merged: the allocator only sees the gaps, which merging does not
// change.

import type { Vma } from '../types.js';

/** munmap(start, len): the VMAs with [start, start + len) removed. */
export function unmapRange(vmas: readonly Vma[], start: bigint, len: bigint): Vma[] {
  const end = start + len;
  const out: Vma[] = [];
  for (const v of vmas) {
    if (v.end <= start || v.start >= end) {
      out.push(v);
      continue;
    }
    if (v.start < start) out.push({ ...v, end: start });
    if (v.end > end) out.push({ ...v, start: end });
  }
  return sortVmas(out);
}

/** A new VMA [start, start + len); whatever it overlaps is unmapped first (MAP_FIXED semantics). */
export function insertVma(vmas: readonly Vma[], start: bigint, len: bigint): Vma[] {
  return sortVmas([...unmapRange(vmas, start, len), { start, end: start + len }]);
}

export function sortVmas(vmas: readonly Vma[]): Vma[] {
  return [...vmas].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
