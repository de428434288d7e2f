// vfio_pci_mmap_huge_fault(vmf, order) (drivers/vfio/pci/vfio_pci_core.c, v6.15+
// after c1d9dac0db16 "vfio/pci: Align huge faults to order"): the address is
// rounded down to the order; the leaf is installed only if the rounded range
// lies inside the VMA and its PFN is aligned to the order (the pfn check added
// for bugzilla 219619), else VM_FAULT_FALLBACK. Order 0 always inserts a PTE.

import type { Geometry } from '../geometry.js';
import { isAligned, roundDown } from './align.js';

/** The VMA as the fault sees it: its bounds and the PFN of its first page, in bytes (vma_to_pfn(vma) << PAGE_SHIFT). */
export interface PfnVma {
  readonly start: bigint;
  readonly end: bigint;
  readonly physStart: bigint;
}

export type HugeFaultResult =
  | { readonly ret: 'VM_FAULT_NOPAGE'; readonly addr: bigint; readonly size: bigint }
  | { readonly ret: 'VM_FAULT_FALLBACK' };

export function vfioPciMmapHugeFault(g: Geometry, vma: PfnVma, address: bigint, order: number): HugeFaultResult {
  const size = g.pageSize << BigInt(order);
  const addr = roundDown(address, size);
  // pfn = vma_to_pfn(vma) + ((addr - vma->vm_start) >> PAGE_SHIFT), kept in bytes here.
  const phys = vma.physStart + (addr - vma.start);
  return order !== 0 && (addr < vma.start || addr + size > vma.end || !isAligned(phys, size))
    ? { ret: 'VM_FAULT_FALLBACK' }
    : { ret: 'VM_FAULT_NOPAGE', addr, size };
}
