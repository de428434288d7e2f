// A driver as the mapping-order hint sees it: the get_mapping_order() hook
// (file_operations, v2 patch 2/4) and, for the fault model, the physical
// address behind each file offset (what vma_to_pfn() computes for vfio-pci).

import type { Geometry } from '../geometry.js';
import type { Errno, FileDesc } from '../types.js';

export interface DriverModel {
  /** The name a scenario uses in file.driver. */
  readonly name: string;
  /**
   * int (*get_mapping_order)(struct file *, unsigned long pgoff, size_t len).
   * Any int: negative and >= BITS_PER_LONG values are what misbehaving drivers
   * return, and the core must cope with them.
   */
  getMappingOrder(g: Geometry, file: FileDesc, pgoff: bigint, len: bigint): number;
  /** The physical address backing file offset `off` (bytes): pfn << PAGE_SHIFT in the fault path. */
  physAddr(g: Geometry, file: FileDesc, off: bigint): bigint;
  /**
   * The driver's ->mmap checks that run after the VA is chosen (vfio_pci_core_mmap
   * refuses a range outside the BAR): the errno, or null when the mapping is accepted.
   */
  mmapCheck(g: Geometry, file: FileDesc, pgoff: bigint, len: bigint, shared: boolean): Errno | null;
}

/**
 * Default physical base of the BAR when a scenario gives none: 1 TiB, aligned to
 * every leaf size of every geometry (the largest is arm64-16k's 64G PUD), as a
 * naturally aligned PCI BAR would be. A scenario that wants the obligation
 * broken gives its own barPhys.
 */
export const DEFAULT_BAR_PHYS = 1n << 40n;

export function barPhys(file: FileDesc): bigint {
  return file.barPhys ?? DEFAULT_BAR_PHYS;
}
