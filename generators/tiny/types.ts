// A case of the bounded universe, in PAGE units on a tiny geometry, shaped
// like the TLA+ spec's records (spec/MappingOrder.tla RequestsFrom, spec/Layout.tla
// LayoutOf, spec/Drivers.tla driver records), so a case converts to the spec's
// values and back without interpretation. generators/tiny/scenario.ts turns a
// case into a Scenario in kernel terms (bytes) for the TypeScript model.

import type { ArchName } from '../../model/geometry.js';

/** What maps a VMA's pages, with the spec's names: an ordinary VMA, VM_GROWSDOWN, VM_SHADOW_STACK. */
export type TinyKind = 'vma' | 'gd' | 'ss';

export const TINY_KINDS: readonly TinyKind[] = ['vma', 'gd', 'ss'];

/** One VMA [start, end) in pages. */
export interface TinyVma {
  readonly start: number;
  readonly end: number;
  readonly kind: TinyKind;
}

/** The mm's VMAs, sorted by start, non-overlapping. */
export type TinyLayout = readonly TinyVma[];

/**
 * A driver file as spec/Drivers.tla records it: which get_mapping_order,
 * K for order:K, and pa, the page frame of the BAR's first page.
 */
export type TinyDriver =
  | { readonly kind: 'order'; readonly k: number; readonly pa: number }
  | { readonly kind: 'vfio-pci'; readonly pa: number }
  | { readonly kind: 'vfio-pci-jason'; readonly pa: number };

/** An mmap of a driver file (the spec's request record without `op`). */
export interface TinyRequest {
  /** The address argument in pages: a hint, or the MAP_FIXED address. */
  readonly addr: number;
  readonly fixed: boolean;
  /** Pages. */
  readonly len: number;
  /** Page offset inside the VFIO region (the whole pgoff for order:K). */
  readonly pgoff: number;
  /** VFIO region index (bits 40.. of the byte offset). */
  readonly region: number;
  readonly drv: TinyDriver;
  /** MMF_TOPDOWN. */
  readonly topdown: boolean;
  /** info.start_gap in pages: 1 for a VM_SHADOW_STACK request, else 0. */
  readonly sg: number;
}

/** One case: a geometry, a layout and a request (the policy is chosen by the checker). */
export interface TinyCase {
  readonly arch: ArchName;
  /** pci_resource_len of the vfio-pci drivers' BAR, in pages (the spec's BarPages). */
  readonly barPages: number;
  readonly layout: TinyLayout;
  readonly request: TinyRequest;
}

/** A driver's name as model/drivers spells it in file.driver. */
export function driverName(d: TinyDriver): string {
  return d.kind === 'order' ? `order:${d.k}` : d.kind;
}
