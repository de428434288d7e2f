// Which page-table levels the fault path tries before a PTE, per backing.
//
// __handle_mm_fault() (mm/memory.c) tries create_huge_pud() while the PUD entry
// is none and PUD_ORDER is allowed, then create_huge_pmd() while the PMD entry
// is none and PMD_ORDER is allowed, then handle_pte_fault(). For a VM_PFNMAP
// VMA with ->huge_fault (vfio-pci) the allowed orders are THP_ORDERS_ALL_SPECIAL
// as far as the arch supports huge PFN maps (geometry.pfnmapOrders); anonymous
// memory and page-cache THP only have PMD.

import type { Geometry } from '../geometry.js';

/** Page orders of the huge levels a PFN-map fault tries, largest first (PUD, PMD). */
export function pfnmapFaultOrders(g: Geometry): number[] {
  const levels = [g.pudOrder, g.pmdOrder].filter((o): o is number => o !== null && g.pfnmapOrders.includes(o));
  return levels.sort((a, b) => b - a);
}

/** Page orders of the huge levels THP tries: PMD only (no anonymous or page-cache PUD THP). */
export function thpFaultOrders(g: Geometry): number[] {
  return [g.pmdOrder];
}
