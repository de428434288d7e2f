// Facts about a request the invariants need, computed from the scenario alone
// (not from the allocator): the length do_mmap maps, the file offset, and the
// highest end the placement may reach. Kept independent of model/*.ts so that
// checking the model with these predicates is not checking it against itself.

import { GEOMETRIES, type Geometry } from '../geometry.js';
import { DEFAULT_KERNEL } from '../kernel-version.js';
import type { Scenario } from '../types.js';

export function geometryOf(s: Scenario): Geometry {
  return GEOMETRIES[s.arch];
}

/** The mapped length: PAGE_ALIGN(len), or ALIGN(len, huge page) for hugetlbfs. */
export function mappedLen(s: Scenario): bigint {
  const g = geometryOf(s);
  const unit = s.file.kind === 'hugetlb' ? (s.file.hugePageSize ?? g.pageSize << BigInt(g.pmdOrder)) : g.pageSize;
  return BigInt.asUintN(64, (s.request.len + unit - 1n) & ~(unit - 1n));
}

/** The byte offset the VA must be congruent to: pgoff << PAGE_SHIFT, 0 for anonymous memory. */
export function fileOffset(s: Scenario): bigint {
  if (s.file.kind === 'anon') return 0n;
  return BigInt.asUintN(64, s.request.pgoff << geometryOf(s).pageShift);
}

/**
 * A nonzero hint of a hugetlbfs file as its get_unmapped_area tests it: rounded
 * up to the huge page (v6.18 fs/hugetlbfs/inode.c hugetlb_get_unmapped_area;
 * v6.12 generic_hugetlb_get_unmapped_area), or down on x86 under v6.12
 * (arch/x86/mm/hugetlbpage.c hugetlb_get_unmapped_area: addr &= huge_page_mask).
 */
export function hugetlbHint(s: Scenario, hint: bigint): bigint {
  const g = geometryOf(s);
  const hps = s.file.hugePageSize ?? g.pageSize << BigInt(g.pmdOrder);
  if ((s.kernel ?? DEFAULT_KERNEL) === '6.12' && g.allocator === 'x86') return hint & ~(hps - 1n);
  return (hint + hps - 1n) & ~(hps - 1n);
}

/**
 * The highest end a placement may reach: TASK_SIZE for MAP_FIXED and for a hint
 * (page-masked, as do_mmap hands it on) above the default window, else the window (DEFAULT_MAP_WINDOW, or the 32-bit
 * TASK_SIZE of a compat task). The hint is the one the arch allocator sees:
 * hugetlb_get_unmapped_area() first rounds it to the huge page size (hugetlbHint),
 * which can carry a hint just below the window above it (v6.18 fs/hugetlbfs/inode.c,
 * then arch/x86/kernel/sys_x86_64.c's `addr > DEFAULT_MAP_WINDOW`).
 */
export function mmapEnd(s: Scenario): bigint {
  const g = geometryOf(s);
  if (s.request.compat === true) return g.compatTaskSize;
  const window = s.mm.taskSize;
  // TASK_SIZE_MAX of the machine: the mm's own (4- vs 5-level paging) when the scenario gives it.
  const max = s.mm.taskSizeMax ?? g.taskSizeMax;
  const full = max > window ? max : window;
  // do_mmap's round_hint_to_min() page-masks the hint before any arch test: 2^48 + 0x800 is 2^48 there,
  // which is not above arm64's window (arch_get_mmap_end(): `addr > DEFAULT_MAP_WINDOW`).
  let hint = s.request.fixed ? s.request.addr : s.request.addr & ~(g.pageSize - 1n);
  if (!s.request.fixed && hint !== 0n && s.file.kind === 'hugetlb') hint = hugetlbHint(s, hint);
  if (s.request.fixed || hint > window) return full;
  return window;
}
