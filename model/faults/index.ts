// The fault model's entry point: a VMA (its start, length and pgoff) and its
// backing -> the leaves a sequential touch of the whole VMA installs.
//
// Backings (docs/MODEL.md#the-huge-fault-model):
// - driver: a VM_PFNMAP VMA faulted through vfio_pci_mmap_huge_fault() at the
//   arch's huge PFN-map levels, PFNs from the driver's physical layout; the
//   driver's ->mmap checks run first (vfio_pci_core_mmap refuses a range outside
//   the BAR);
// - anon, thp, shmem-huge: THP at PMD only, assuming THP "always" and a huge
//   folio available at every attempt; a file folio of PMD order sits at a
//   PMD-aligned file index, so its position is the file offset (the
//   thp_vma_suitable_order() congruence of VA and pgoff);
// - hugetlb: every fault maps one huge page (mmap already refused unaligned VA or len);
// - plain, shmem: PTEs only.

import type { Geometry } from '../geometry.js';
import type { Errno, FileDesc } from '../types.js';
import { driverOf } from '../drivers/index.js';
import { ilog2, isAligned } from './align.js';
import { pfnmapFaultOrders, thpFaultOrders } from './fault-levels.js';
import type { FaultReport } from './report.js';
import { sequentialTouch } from './sequential-touch.js';
import { hex } from '../u64.js';

export type { FaultReport, LeafRun } from './report.js';
export { coverageAtLeast } from './report.js';

/** A mapped VMA: where it is and which file offset it starts at. */
export interface TouchedVma {
  readonly va: bigint;
  readonly len: bigint;
  /** In pages. */
  readonly pgoff: bigint;
  /** MAP_SHARED (vfio-pci refuses private mappings); true when not given. */
  readonly shared?: boolean;
}

export type FaultAnswer =
  | { readonly ok: true; readonly report: FaultReport; readonly physStart: bigint; readonly orders: readonly number[] }
  | { readonly ok: false; readonly error: Errno; readonly why: string };

export function faultsFor(g: Geometry, vma: TouchedVma, file: FileDesc): FaultAnswer {
  const { va, len, pgoff } = vma;
  const ps = g.pageSize;
  if (!isAligned(va, ps) || !isAligned(len, ps) || len <= 0n) {
    return { ok: false, error: 'EINVAL', why: `a VMA is page-aligned and non-empty: va ${hex(va)}, len ${hex(len)}` };
  }
  const off = pgoff << g.pageShift;
  const run = (physStart: bigint, orders: readonly number[]): FaultAnswer => ({
    ok: true,
    report: sequentialTouch(g, va, va + len, physStart, orders),
    physStart,
    orders,
  });
  switch (file.kind) {
    case 'driver': {
      const d = driverOf(file);
      const err = d.mmapCheck(g, file, pgoff, len, vma.shared ?? true);
      if (err)
        return {
          ok: false,
          error: err,
          why: `${d.name}'s mmap refuses pgoff ${hex(pgoff)} len ${hex(len)} (outside the BAR, or not MAP_SHARED)`,
        };
      return run(d.physAddr(g, file, off), pfnmapFaultOrders(g));
    }
    case 'anon':
      return run(va, thpFaultOrders(g));
    case 'thp':
    case 'shmem-huge':
      return run(off, thpFaultOrders(g));
    case 'hugetlb': {
      const hps = file.hugePageSize ?? ps << BigInt(g.pmdOrder);
      const order = ilog2(hps) - Number(g.pageShift);
      if (order <= 0 || hps !== ps << BigInt(order))
        return {
          ok: false,
          error: 'EINVAL',
          why: `hugePageSize ${hex(hps)} is not a power-of-two multiple of PAGE_SIZE`,
        };
      if (!isAligned(va, hps) || !isAligned(len, hps) || !isAligned(off, hps)) {
        return { ok: false, error: 'EINVAL', why: `hugetlb needs va, len and pgoff aligned to ${hex(hps)}` };
      }
      return run(va, [order]);
    }
    case 'plain':
    case 'shmem':
      return run(va, []);
  }
}
