// The test vectors of the kselftest tools/testing/selftests/mm/mapping_order.c, chosen here and answered by the
// model: for each one, where mmap() of a 64M VFIO BAR (region 2, as QEMU's ivshmem-plain exposes it) lands under
// the `optimal` placement of the 6.12 kernel with the BAR-order driver (vfio-pci-jason: the driver returns
// ilog2(BAR size) - PAGE_SHIFT and leaves the clamp to the core), and which leaves a sequential touch of every
// page installs (vfio_pci_mmap_huge_fault, drivers/vfio/pci/vfio_pci_core.c, 6.12). selftest/render.ts writes
// them into the C file.
//
// A vector's layout is one of:
// - none: no hint, nothing else arranged: the expectation is VA ≡ off (mod S), S the alignment the model
//   aimed for; the absolute address depends on ASLR (mm->mmap_base) and is not checked;
// - hint: the address hint base + delta, with base 1G-aligned and free (the hint is kept: "exactly the hint")
//   or inside a PROT_NONE reservation the test holds (the hint is not kept: VA ≡ off mod S again);
// - hole: the test reserves PROT_NONE, munmaps a hole of `size` bytes at a 1G-aligned base, and fills every
//   other gap of the address space below TASK_SIZE (but the stack guard gap), so that neither the top-down
//   search (vm_unmapped_area, mm/mmap.c, 6.12) nor the bottom-up retry after it fails
//   (arch_get_unmapped_area_topdown, arch/x86/kernel/sys_x86_64.c, 6.12) finds anything else: the
//   expectation is the VA relative to the hole's start.

import { faultsFor } from '../model/faults/index.js';
import { GEOMETRIES } from '../model/geometry.js';
import { defaultMm } from '../model/mm-defaults.js';
import { place } from '../model/place.js';
import type { FileDesc, Scenario, Vma } from '../model/types.js';
import { vfioRegionBase } from '../model/drivers/vfio-region.js';
import { hex } from '../model/u64.js';

export const KiB = 1n << 10n;
export const MiB = 1n << 20n;
export const GiB = 1n << 30n;

const G = GEOMETRIES.x86_64;
const PS = G.pageSize;

/** The BAR the test maps: ivshmem-plain's BAR2, backed by `-object memory-backend-ram,size=64M`. */
export const BAR_INDEX = 2;
export const BAR_SIZE = 64n * MiB;

/** The file as the model sees the VFIO device fd (barPhys: the model's default, aligned like a real BAR). */
export const BAR_FILE: FileDesc = { kind: 'driver', driver: 'vfio-pci-jason', barSize: BAR_SIZE, barIndex: BAR_INDEX };

/**
 * Where the model puts the 1G-aligned base of hint and hole layouts. The test gets its own base from a
 * PROT_NONE reservation; only the base's alignment matters (it is 1G-aligned in both), since every leaf size
 * here is at most 1G.
 */
export const MODEL_BASE = 0x7e0000000000n;

export type Layout =
  | { readonly kind: 'none' }
  | { readonly kind: 'hint'; readonly delta: bigint; readonly free: boolean }
  | { readonly kind: 'hole'; readonly size: bigint };

/** What the test checks of the VA: congruence modulo `align`, or the exact VA relative to the layout's base. */
export type Relation =
  | { readonly kind: 'congruent'; readonly align: bigint }
  | { readonly kind: 'at'; readonly delta: bigint; readonly align: bigint };

export interface VectorChoice {
  /** The name the test reports (a C string: letters, digits and '-'). */
  readonly name: string;
  /** Offset in the BAR, bytes. */
  readonly off: bigint;
  readonly len: bigint;
  readonly layout: Layout;
  /** One line on why the vector is there. */
  readonly why: string;
}

export interface Vector extends VectorChoice {
  readonly relation: Relation;
  /** The leaves after touching every page in order: 4K (pte), 2M (pmd), 1G (pud). */
  readonly leaves: { readonly pte: bigint; readonly pmd: bigint; readonly pud: bigint };
  /** The VA the model placed at (for the record; only `relation` is checked in the guest). */
  readonly modelVa: bigint;
}

/** The vectors, chosen by hand; their expectations come from the model (vectors()). */
export const CHOICES: readonly VectorChoice[] = [
  { name: 'dpdk-lo', off: 0n, len: 2n * MiB, layout: { kind: 'none' }, why: 'DPDK: the BAR below the MSI-X page' },
  {
    name: 'dpdk-hi',
    off: 2n * MiB + 4n * KiB,
    len: BAR_SIZE - 2n * MiB - 4n * KiB,
    layout: { kind: 'none' },
    why: 'DPDK: the BAR above the MSI-X page, an unaligned offset',
  },
  { name: 'whole', off: 0n, len: BAR_SIZE, layout: { kind: 'none' }, why: 'the whole BAR: order 14 clamped to 2M' },
  { name: 'aligned-4m', off: 4n * MiB, len: 8n * MiB, layout: { kind: 'none' }, why: 'an aligned sub-range' },
  {
    name: 'unaligned-64k',
    off: 64n * KiB,
    len: 4n * MiB,
    layout: { kind: 'none' },
    why: 'an offset 64K into a 2M chunk',
  },
  {
    name: 'unaligned-1m',
    off: 1n * MiB,
    len: 32n * MiB,
    layout: { kind: 'none' },
    why: 'an offset 1M into a 2M chunk, 15 whole chunks',
  },
  {
    name: 'sub-2m4k',
    off: 2n * MiB - 4n * KiB,
    len: 2n * MiB + 4n * KiB,
    layout: { kind: 'none' },
    why: 'a 2M+4K sub-range holding one whole chunk',
  },
  {
    name: 'straddle-4k-only',
    off: 4n * KiB,
    len: 2n * MiB + 4n * KiB,
    layout: { kind: 'none' },
    why: '2M+4K holding no whole 2M chunk: the BAR order has no leaf here',
  },
  {
    name: 'small-16k',
    off: 12n * KiB,
    len: 16n * KiB,
    layout: { kind: 'none' },
    why: 'shorter than any huge leaf',
  },
  {
    name: 'tail-4k-only',
    off: BAR_SIZE - 2n * MiB + 4n * KiB,
    len: 2n * MiB - 4n * KiB,
    layout: { kind: 'none' },
    why: 'the end of the BAR, no whole chunk',
  },
  { name: 'last-2m', off: BAR_SIZE - 2n * MiB, len: 2n * MiB, layout: { kind: 'none' }, why: 'the last chunk' },
  {
    name: 'hint-free',
    off: 0n,
    len: 4n * MiB,
    layout: { kind: 'hint', delta: 4n * KiB, free: true },
    why: 'a free hint is kept, even an unaligned one',
  },
  {
    name: 'hint-taken',
    off: 2n * MiB + 4n * KiB,
    len: 4n * MiB,
    layout: { kind: 'hint', delta: 0n, free: false },
    why: 'a hint that is not free: optimal aligns',
  },
  {
    name: 'hole-fit',
    off: 2n * MiB + 4n * KiB,
    len: 4n * MiB,
    layout: { kind: 'hole', size: 4n * MiB + 2n * MiB - 4n * KiB },
    why: 'a hole of len + 2M - 4K: just enough room to align',
  },
  {
    name: 'hole-tight',
    off: 2n * MiB + 4n * KiB,
    len: 4n * MiB,
    layout: { kind: 'hole', size: 4n * MiB },
    why: 'a hole of exactly len: no room to align, the plain placement',
  },
];

/** The VMAs of the model's mm for a layout: a hint's reservation, or everything but the hole below TASK_SIZE. */
function layoutVmas(layout: Layout): Vma[] {
  const mm = defaultMm('x86_64');
  switch (layout.kind) {
    case 'none':
      return [];
    case 'hint':
      return layout.free ? [] : [{ start: MODEL_BASE, end: MODEL_BASE + GiB }];
    case 'hole':
      return [
        { start: mm.mmapMinAddr, end: MODEL_BASE },
        { start: MODEL_BASE + layout.size, end: mm.taskSize },
      ];
  }
}

/** The model's scenario for a vector under `policy` (optimal for the expectations). */
export function scenarioOf(c: VectorChoice, policy: Scenario['policy'] = 'optimal'): Scenario {
  const addr = c.layout.kind === 'hint' ? MODEL_BASE + c.layout.delta : 0n;
  return {
    arch: 'x86_64',
    policy,
    kernel: '6.12',
    mm: defaultMm('x86_64'),
    vmas: layoutVmas(c.layout),
    file: BAR_FILE,
    request: {
      addr,
      len: c.len,
      pgoff: (vfioRegionBase(BAR_INDEX) + c.off) / PS,
      fixed: false,
      shared: true,
    },
  };
}

/** A vector's expectations, from the model; throws when the model's answer is not one the test can check. */
export function answer(c: VectorChoice): Vector {
  const s = scenarioOf(c);
  const p = place(s);
  if (p.va === null) throw new Error(`${c.name}: the model refuses the mmap (${p.error})`);
  const va = p.va;
  const align = p.alignment;
  let relation: Relation;
  if (c.layout.kind === 'none' || (c.layout.kind === 'hint' && !c.layout.free)) {
    // The contract: VA ≡ pgoff · PAGE_SIZE (mod PAGE_SIZE << order); the region base (2 << 40) is 0 mod S.
    if ((va - c.off) % align !== 0n) throw new Error(`${c.name}: the model's VA ${hex(va)} breaks the contract`);
    relation = { kind: 'congruent', align };
  } else {
    relation = { kind: 'at', delta: va - MODEL_BASE, align };
  }
  const f = faultsFor(G, { va, len: c.len, pgoff: s.request.pgoff, shared: true }, BAR_FILE);
  if (!f.ok) throw new Error(`${c.name}: the fault model refuses: ${f.why}`);
  const n = (size: bigint): bigint => f.report.leaves.get(size) ?? 0n;
  const leaves = { pte: n(PS), pmd: n(2n * MiB), pud: n(GiB) };
  for (const size of f.report.leaves.keys())
    if (size !== PS && size !== 2n * MiB && size !== GiB) throw new Error(`${c.name}: a leaf of ${hex(size)}`);
  return { ...c, relation, leaves, modelVa: va };
}

export function vectors(): Vector[] {
  return CHOICES.map(answer);
}

/** Whether a placement at `va` meets a vector's VA relation (what the C checks first). */
export function meetsRelation(v: Vector, va: bigint): boolean {
  return v.relation.kind === 'congruent'
    ? (va - v.off) % v.relation.align === 0n
    : va === MODEL_BASE + v.relation.delta;
}

/**
 * The vectors whose expectation (set under optimal) the model's placement under `policy` breaks: the VA
 * relation, or the leaves. Under baseline these are the ones the kselftest must fail; for a `none` layout
 * the guest's VA also depends on ASLR, so a break the model predicts there is a break with probability
 * 1 - PAGE_SIZE / S, not 1.
 */
export function modelBreaks(policy: Scenario['policy'], vs: readonly Vector[] = vectors()): string[] {
  return vs
    .filter((v) => {
      const s = scenarioOf(v, policy);
      const p = place(s);
      if (p.va === null) return true;
      if (!meetsRelation(v, p.va)) return true;
      const f = faultsFor(G, { va: p.va, len: v.len, pgoff: s.request.pgoff, shared: true }, BAR_FILE);
      if (!f.ok) return true;
      const n = (size: bigint): bigint => f.report.leaves.get(size) ?? 0n;
      return n(PS) !== v.leaves.pte || n(2n * MiB) !== v.leaves.pmd || n(GiB) !== v.leaves.pud;
    })
    .map((v) => v.name);
}
