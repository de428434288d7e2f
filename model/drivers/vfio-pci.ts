// vfio-pci as Peter Xu's v2 posted it (patch 4/4,
// vfio_pci_core_get_mapping_order()): the driver clamps to what the range can
// hold, PUD if the arch has PUD PFN maps and the rest of the BAR from req_start
// (capped at len) is at least PUD_SIZE, else PMD likewise, else 0.

import type { Geometry } from '../geometry.js';
import type { Errno, FileDesc } from '../types.js';
import { ulong } from '../faults/align.js';
import { barPhys, type DriverModel } from './driver.js';
import {
  pciResourceLen,
  VFIO_PCI_ROM_REGION_INDEX,
  vfioOffsetInRegion,
  vfioRegionIndex,
  vfioReqStart,
} from './vfio-region.js';

/** PAGE_ALIGN(x) on an unsigned long (wraps like the kernel's). */
function pageAlign(g: Geometry, x: bigint): bigint {
  return ulong(x + g.pageSize - 1n) & ~(g.pageSize - 1n);
}

/** IS_ENABLED(CONFIG_ARCH_SUPPORTS_P{M,U}D_PFNMAP) for this geometry. */
export function supportsPfnmapOrder(g: Geometry, order: number | null): order is number {
  return order !== null && g.pfnmapOrders.includes(order);
}

export function vfioPciCoreGetMappingOrder(g: Geometry, file: FileDesc, pgoff: bigint, len: bigint): number {
  const index = vfioRegionIndex(g, pgoff);
  // Currently, only bars 0-5 support huge pfnmap.
  if (index >= VFIO_PCI_ROM_REGION_INDEX) return 0;
  const reqStart = vfioReqStart(g, pgoff);
  let physLen = pageAlign(g, pciResourceLen(file, index));
  // "If this happens, it will probably fail mmap() later."
  if (reqStart >= physLen) return 0;
  physLen = physLen - reqStart < len ? physLen - reqStart : len; // MIN(phys_len - req_start, len)
  if (supportsPfnmapOrder(g, g.pudOrder) && physLen >= g.pageSize << BigInt(g.pudOrder)) return g.pudOrder;
  if (supportsPfnmapOrder(g, g.pmdOrder) && physLen >= g.pageSize << BigInt(g.pmdOrder)) return g.pmdOrder;
  return 0;
}

/**
 * vma_to_pfn(vma) << PAGE_SHIFT for the page at file offset `off`:
 * pci_resource_start(pdev, index) + the offset inside the region.
 */
export function vfioPhysAddr(_g: Geometry, file: FileDesc, off: bigint): bigint {
  return barPhys(file) + vfioOffsetInRegion(off);
}

/**
 * The checks of vfio_pci_core_mmap() that can refuse a mapping after its VA was
 * chosen: !VM_SHARED, a region that is not an mmap-able BAR, and
 * req_start + req_len > PAGE_ALIGN(pci_resource_len()).
 */
export function vfioPciCoreMmapCheck(
  g: Geometry,
  file: FileDesc,
  pgoff: bigint,
  len: bigint,
  shared: boolean,
): Errno | null {
  if (!shared) return 'EINVAL';
  const index = vfioRegionIndex(g, pgoff);
  if (index >= VFIO_PCI_ROM_REGION_INDEX) return 'EINVAL';
  const physLen = pageAlign(g, pciResourceLen(file, index));
  if (physLen === 0n) return 'EINVAL'; // !vdev->bar_mmap_supported[index]: no memory BAR there
  const reqLen = pageAlign(g, len);
  if (vfioReqStart(g, pgoff) + reqLen > physLen) return 'EINVAL';
  return null;
}

export const vfioPci: DriverModel = {
  name: 'vfio-pci',
  getMappingOrder: vfioPciCoreGetMappingOrder,
  physAddr: vfioPhysAddr,
  mmapCheck: vfioPciCoreMmapCheck,
};
