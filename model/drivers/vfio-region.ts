// The VFIO region layout of a vfio-pci device file (include/linux/vfio_pci_core.h,
// drivers/vfio/pci/vfio_pci_core.c): each region owns 1 << VFIO_PCI_OFFSET_SHIFT
// bytes of file offset, so the region index sits at bit 40 of the byte offset.

import type { Geometry } from '../geometry.js';
import type { FileDesc } from '../types.js';

/** VFIO_PCI_OFFSET_SHIFT. */
export const VFIO_PCI_OFFSET_SHIFT = 40n;
/** VFIO_PCI_ROM_REGION_INDEX: regions 0..5 are BARs. */
export const VFIO_PCI_ROM_REGION_INDEX = 6n;

const OFFSET_MASK = (1n << VFIO_PCI_OFFSET_SHIFT) - 1n;

/** index = pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT). */
export function vfioRegionIndex(g: Geometry, pgoff: bigint): bigint {
  return pgoff >> (VFIO_PCI_OFFSET_SHIFT - g.pageShift);
}

/** req_start = (pgoff << PAGE_SHIFT) & ((1UL << VFIO_PCI_OFFSET_SHIFT) - 1): the offset inside the region. */
export function vfioReqStart(g: Geometry, pgoff: bigint): bigint {
  return (pgoff << g.pageShift) & OFFSET_MASK;
}

/** The byte offset inside its region of a file byte offset. */
export function vfioOffsetInRegion(off: bigint): bigint {
  return off & OFFSET_MASK;
}

/**
 * pci_resource_len(pdev, index): the scenario describes one BAR, at file.barIndex
 * (default 0); every other region index has no memory BAR behind it (length 0).
 */
export function pciResourceLen(file: FileDesc, index: bigint): bigint {
  return index === BigInt(file.barIndex ?? 0) ? (file.barSize ?? 0n) : 0n;
}

/** The file offset of the start of BAR `index` (its pgoff << PAGE_SHIFT). */
export function vfioRegionBase(index: number | bigint): bigint {
  return BigInt(index) << VFIO_PCI_OFFSET_SHIFT;
}
