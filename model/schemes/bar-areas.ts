// The mmap-able areas of a BAR as each userspace program computes them around
// the MSI-X table (when VFIO does not report VFIO_REGION_INFO_CAP_MSIX_MAPPABLE),
// or as VFIO_REGION_INFO_CAP_SPARSE_MMAP lists them. Offsets are inside the
// region; sizes are bytes.

import type { BarSpec, BarArea } from './types.js';

/**
 * DPDK pci_vfio_mmap_bar(): table_start = RTE_ALIGN_FLOOR(offset, page), raised
 * back to the table's own offset when that is larger; table_end =
 * RTE_ALIGN(offset + size, page). memreg[0] = [0, table_start),
 * memreg[1] = [table_end, bar size) unless the table runs past the BAR end.
 * A table at 0 that covers the whole BAR: the BAR is skipped (no area).
 */
export function dpdkAreas(bar: BarSpec, pageSize: bigint): BarArea[] {
  if (bar.sparse) return sortedSparse(bar);
  if (!bar.msix) return [{ offset: 0n, size: bar.size }];
  let tableStart = bar.msix.offset & ~(pageSize - 1n);
  const tableEnd = (bar.msix.offset + bar.msix.size + pageSize - 1n) & ~(pageSize - 1n);
  if (tableStart < bar.msix.offset) tableStart = bar.msix.offset;
  if (tableStart === 0n && tableEnd >= bar.size) return [];
  const areas: BarArea[] = [];
  if (tableStart > 0n) areas.push({ offset: 0n, size: tableStart });
  if (tableEnd < bar.size) areas.push({ offset: tableEnd, size: bar.size - tableEnd });
  return areas;
}

/**
 * QEMU vfio_pci_fixup_msix_region(): start = table_offset & host page mask,
 * end = REAL_HOST_PAGE_ALIGN(table_offset + table size); the BAR is split
 * around [start, end) (no area before a table at 0, none after a table
 * reaching the end). Sparse areas are sorted by offset
 * (vfio_setup_region_sparse_mmaps, da02b21cc70e).
 */
export function qemuAreas(bar: BarSpec, pageSize: bigint): BarArea[] {
  if (bar.sparse) return sortedSparse(bar);
  if (!bar.msix) return [{ offset: 0n, size: bar.size }];
  const start = bar.msix.offset & ~(pageSize - 1n);
  const end = (bar.msix.offset + bar.msix.size + pageSize - 1n) & ~(pageSize - 1n);
  const areas: BarArea[] = [];
  if (start > 0n) areas.push({ offset: 0n, size: start });
  if (end < bar.size) areas.push({ offset: end, size: bar.size - end });
  return areas;
}

function sortedSparse(bar: BarSpec): BarArea[] {
  return [...(bar.sparse ?? [])].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
}
