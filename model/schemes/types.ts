// A userspace scheme for mapping a VFIO BAR (docs/MODEL.md#the-userspace-schemes): the mmap and
// munmap calls it makes, each placed by the model under the scenario's policy,
// and the VMAs it ends with, each touched by the fault model.

import type { ArchName } from '../geometry.js';
import type { FaultAnswer } from '../faults/index.js';
import type { FileDesc, Mm, Placement, PolicyName, Scenario, Vma } from '../types.js';
import type { KernelVersion } from '../kernel-version.js';

export type SchemeName = 'dpdk' | 'qemu-9.2' | 'qemu-2026' | 'kernel';

/** One mmap-able piece of the BAR: [offset, offset + size) inside the region. */
export interface BarArea {
  readonly offset: bigint;
  readonly size: bigint;
}

export interface BarSpec {
  /** The region's size (VFIO_DEVICE_GET_REGION_INFO .size): the BAR size. */
  readonly size: bigint;
  /** The MSI-X table inside the BAR, when VFIO does not let it be mapped. */
  readonly msix?: { readonly offset: bigint; readonly size: bigint };
  /** VFIO_REGION_INFO_CAP_SPARSE_MMAP areas (instead of msix). */
  readonly sparse?: readonly BarArea[];
}

/** Where the scheme runs: the mm before it starts, the device file, the policy of the kernel under it. */
export interface SchemeEnv {
  readonly arch: ArchName;
  readonly policy: PolicyName;
  /** The kernel the scheme runs on (model/kernel-version.ts); the default when absent. */
  readonly kernel?: KernelVersion;
  readonly mm: Mm;
  readonly vmas: readonly Vma[];
  /** The VFIO device file (kind 'driver'). */
  readonly file: FileDesc;
  /**
   * The region's offset in the device file (VFIO_DEVICE_GET_REGION_INFO .offset);
   * default barIndex << 40 for vfio-pci, else 0.
   */
  readonly regionOffset?: bigint;
  /** DPDK's reservation hint (pci_map_addr); 0 lets the kernel choose. */
  readonly reserveHint?: bigint;
}

export type SchemeStep =
  | { readonly kind: 'mmap'; readonly label: string; readonly scenario: Scenario; readonly placement: Placement }
  | { readonly kind: 'munmap'; readonly label: string; readonly start: bigint; readonly len: bigint };

/** A BAR area as mapped: its VMA (or why there is none) and what touching it gives. */
export interface SchemePart {
  readonly area: BarArea;
  readonly va: bigint | null;
  /** The mmap length (PAGE_ALIGNed area size). */
  readonly len: bigint;
  readonly pgoff: bigint;
  readonly faults: FaultAnswer | null;
}

export interface SchemeResult {
  readonly scheme: SchemeName;
  readonly steps: readonly SchemeStep[];
  readonly parts: readonly SchemePart[];
  /** The mm's VMAs when the scheme is done. */
  readonly vmas: readonly Vma[];
  /** Why the scheme stopped early (an mmap failed), in the program's terms; null when it ran to the end. */
  readonly error: string | null;
}
