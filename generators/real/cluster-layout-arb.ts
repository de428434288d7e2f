// Layouts of a few VMAs clustered where the search starts (below mmap_base top-down, above
// mmap_legacy_base bottom-up), the gaps between them cut from the request itself: 0, a page, len, len plus
// or minus a page, len + S - a page (or two), len + S, a PMD less a page, three PMDs; optionally crowded,
// everything else around the cluster mapped so that only the cut gaps remain. VM_GROWSDOWN VMAs keep their
// stack_guard_gap free below them, as the kernel keeps it against the VMA right below a stack.

import fc from 'fast-check';
import type { Geometry } from '../../model/geometry.js';
import type { Mm, Vma } from '../../model/types.js';

export interface ClusterOptions {
  /** Generate VM_GROWSDOWN VMAs (default true). */
  readonly growsDown?: boolean;
}

export function clusterLayoutArb(g: Geometry, mm: Mm, len: bigint, S: bigint, opts: ClusterOptions = {}) {
  const ps = g.pageSize;
  const pmd = ps << BigInt(g.pmdOrder);
  const pud = ps << BigInt(g.pudOrder ?? g.pmdOrder + 9);
  const growsDownArb =
    opts.growsDown === false
      ? fc.constant(false)
      : fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 });
  const gapArb = fc.constantFrom(
    0n,
    ps,
    len,
    len + ps,
    len - ps,
    len + S - ps,
    len + S - 2n * ps,
    len + S,
    pmd - ps,
    3n * pmd,
  );
  const sizeArb = fc.oneof(
    fc.constantFrom(ps, pmd, pud),
    fc.integer({ min: 1, max: 4096 }).map((p) => BigInt(p) * ps),
  );
  const items = fc.array(fc.record({ gap: gapArb, size: sizeArb, growsDown: growsDownArb }), { maxLength: 5 });
  return fc.record({ items, crowded: fc.boolean() }).map(({ items, crowded }): Vma[] => {
    const vmas: Vma[] = [];
    let cursor = mm.topdown ? mm.mmapBase : mm.mmapLegacyBase;
    // No VMA inside a grow-down VMA's stack_guard_gap: the kernel keeps that gap free only against the VMA
    // right below the stack, and a layout with a VMA inside it (reachable only by MAP_FIXED into the gap)
    // makes "the guard gap" ambiguous.
    let lowestGrowsDown = false;
    for (const it of items) {
      if (mm.topdown) {
        const end = cursor - it.gap - (lowestGrowsDown ? mm.stackGuardGap : 0n);
        const start = end - it.size;
        if (start < 0x100000n) break;
        vmas.push({ start, end, ...(it.growsDown ? { growsDown: true } : {}) });
        cursor = start;
        lowestGrowsDown = it.growsDown;
      } else {
        const start = cursor + it.gap + (it.growsDown ? mm.stackGuardGap : 0n);
        const end = start + it.size;
        if (end > mm.taskSize) break;
        vmas.push({ start, end, ...(it.growsDown ? { growsDown: true } : {}) });
        cursor = end;
      }
    }
    if (crowded) {
      const below = cursor - ps - (lowestGrowsDown ? mm.stackGuardGap : 0n);
      if (mm.topdown && below > 0x200000n) vmas.push({ start: 0x100000n, end: below });
      if (!mm.topdown && cursor + ps < mm.taskSize) vmas.push({ start: cursor + ps, end: mm.taskSize });
      if (mm.topdown) vmas.push({ start: mm.mmapBase, end: mm.taskSize });
    }
    return vmas.sort((a, b) => (a.start < b.start ? -1 : 1));
  });
}
