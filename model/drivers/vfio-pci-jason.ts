// vfio-pci as Jason Gunthorpe asked for it (review of v2 4/4,
// aTWqvfYHWWMgKHPQ@nvidia.com): return the BAR's own order,
// ilog2(pci_resource_len()) - PAGE_SHIFT, and leave every clamp to the core
// ("the mm … be the one aligning it to what the arch can do not drives").

import type { Geometry } from '../geometry.js';
import type { FileDesc } from '../types.js';
import { ilog2 } from '../faults/align.js';
import type { DriverModel } from './driver.js';
import { vfioPciCoreMmapCheck, vfioPhysAddr } from './vfio-pci.js';
import { pciResourceLen, VFIO_PCI_ROM_REGION_INDEX, vfioRegionIndex, vfioReqStart } from './vfio-region.js';

export function vfioPciJasonGetMappingOrder(g: Geometry, file: FileDesc, pgoff: bigint, _len: bigint): number {
  const index = vfioRegionIndex(g, pgoff);
  if (index >= VFIO_PCI_ROM_REGION_INDEX) return 0;
  const barLen = pciResourceLen(file, index);
  if (vfioReqStart(g, pgoff) >= barLen) return 0;
  // A BAR smaller than a page gives a negative order: the core's problem, by design.
  return ilog2(barLen) - Number(g.pageShift);
}

export const vfioPciJason: DriverModel = {
  name: 'vfio-pci-jason',
  getMappingOrder: vfioPciJasonGetMappingOrder,
  physAddr: vfioPhysAddr,
  mmapCheck: vfioPciCoreMmapCheck,
};
