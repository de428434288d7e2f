// A driver-file mmap at a real geometry (x86_64, arm64-4k, ...), biased to the
// edges: driver orders at and beyond the largest leaf, lengths around the leaf
// sizes, unaligned pgoffs, a free gap of an edge size placed where the search
// starts or at the ends of the address space, guard gaps, and hints at the
// gap, just below TASK_SIZE - len, past it, and below mmap_min_addr.
// generators/real/classify.ts says which edges a scenario hits, from the
// scenario alone. Half the layouts are instead a cluster of VMAs cut from len
// at the search's start (cluster-layout-arb.ts), and the requests also come
// shared or private, compat, in another VFIO region, at other BAR indexes:
// one arbitrary for the invariant properties and the verdict tests alike.

import fc from 'fast-check';
import { GEOMETRIES, type ArchName, type Geometry } from '../../model/geometry.js';
import { defaultMm } from '../../model/mm-defaults.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import type { FileDesc, PolicyName, Scenario } from '../../model/types.js';
import { leafSizes, pageAlignLen } from './edge-values.js';
import { clusterLayoutArb } from './cluster-layout-arb.js';
import { gapChoiceArb, gapLayout, type GapChoice } from './gap-layout-arb.js';
import { lenArb } from './len-arb.js';
import { driverOrderArb } from './order-arb.js';
import { pgoffArb } from './pgoff-arb.js';

/** A BAR's physical base far above every leaf size (1 TiB), or a page off it. */
const BAR_BASE = 1n << 40n;

export type HintChoice = 'none' | 'gap' | 'gap-unaligned' | 'last-valid' | 'past-task-size' | 'below-min-addr';

/** Orders beyond the edge values: small, mid and far past every leaf, as drivers might answer. */
const MORE_ORDERS = [-5, 1, 3, 4, 5, 10, 13, 17, 20, 22, 30, 35, 70, 1000];

interface FileChoice {
  readonly file: FileDesc;
  /** The VFIO region the request's offset lies in, as a byte offset (the index at bit 40). */
  readonly regionBase: bigint;
}

function fileArb(arch: ArchName): fc.Arbitrary<FileChoice> {
  const g = GEOMETRIES[arch];
  const ps = g.pageSize;
  const pmd = ps << BigInt(g.pmdOrder);
  // The BAR's physical base: 1 TiB, a page off it (off ≢ PA), a PMD past it, or the driver's default.
  const barPhys = fc.oneof(
    { arbitrary: fc.constant<bigint | undefined>(BAR_BASE), weight: 4 },
    { arbitrary: fc.constant<bigint | undefined>(BAR_BASE + ps), weight: 1 },
    { arbitrary: fc.integer({ min: 2, max: 511 }).map((k) => BAR_BASE + BigInt(k) * ps), weight: 1 },
    { arbitrary: fc.constant<bigint | undefined>(BAR_BASE + pmd), weight: 1 },
    { arbitrary: fc.constant<bigint | undefined>(undefined), weight: 1 },
  );
  const withPhys = (f: FileDesc, pa: bigint | undefined): FileDesc => (pa === undefined ? f : { ...f, barPhys: pa });
  const order = fc.oneof(
    { arbitrary: driverOrderArb(g), weight: 4 },
    { arbitrary: fc.constantFrom(...MORE_ORDERS), weight: 1 },
  );
  return fc.oneof(
    {
      arbitrary: fc.record({ k: order, pa: barPhys }).map(({ k, pa }): FileChoice => ({
        file: withPhys({ kind: 'driver', driver: `order:${k}` }, pa),
        regionBase: 0n,
      })),
      weight: 3,
    },
    {
      arbitrary: fc
        .record({
          driver: fc.constantFrom('vfio-pci', 'vfio-pci-jason'),
          barShift: fc.integer({ min: Number(g.pageShift), max: 36 }),
          barIndex: fc.oneof(
            { arbitrary: fc.constant(0), weight: 4 },
            { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 },
          ),
          otherRegion: fc.oneof(
            { arbitrary: fc.constant(false), weight: 9 },
            { arbitrary: fc.constant(true), weight: 1 },
          ),
          pa: barPhys,
        })
        .map(({ driver, barShift, barIndex, otherRegion, pa }): FileChoice => ({
          file: withPhys({ kind: 'driver', driver, barSize: 1n << BigInt(barShift), barIndex }, pa),
          // VFIO_PCI_OFFSET_SHIFT: the region index sits at bit 40 of the byte offset.
          regionBase: BigInt(otherRegion ? (barIndex + 1) % 7 : barIndex) << 40n,
        })),
      weight: 1,
    },
  );
}

export interface RealScenarioOptions {
  readonly policies?: readonly PolicyName[];
  /** Generate VM_GROWSDOWN VMAs (default true); false keeps stacks and their guard gaps out of the layouts. */
  readonly growsDown?: boolean;
}

/** Lengths around PMD and PUD multiples, a page either way (the sizes BARs and their pieces come in). */
function barLenArb(g: Geometry): fc.Arbitrary<bigint> {
  const ps = g.pageSize;
  const pmd = ps << BigInt(g.pmdOrder);
  const pud = ps << BigInt(g.pudOrder ?? g.pmdOrder + 9);
  const d = fc.integer({ min: -1, max: 1 }).map(BigInt);
  return fc
    .oneof(
      fc.tuple(fc.integer({ min: 1, max: 64 }), d).map(([k, e]) => BigInt(k) * pmd + e * ps),
      fc
        .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 3 }), d)
        .map(([k, j, e]) => BigInt(k) * pud + BigInt(j) * pmd + e * ps),
    )
    .filter((l) => l > 0n);
}

/** File offsets in pages at PMD and PUD multiples, a page either way. */
function barPgoffArb(g: Geometry): fc.Arbitrary<bigint> {
  const pmdPages = 1n << BigInt(g.pmdOrder);
  const pudPages = 1n << BigInt(g.pudOrder ?? g.pmdOrder + 9);
  const d = fc.integer({ min: -1, max: 1 }).map(BigInt);
  return fc
    .oneof(
      fc.tuple(fc.integer({ min: 0, max: 600 }), d).map(([k, e]) => BigInt(k) * pmdPages + e),
      fc
        .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), d)
        .map(([j, k, e]) => BigInt(j) * pudPages + BigInt(k) * pmdPages + e),
    )
    .filter((p) => p >= 0n);
}

export function realScenarioArb(arch: ArchName, opts: RealScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const g = GEOMETRIES[arch];
  const ps = g.pageSize;
  const mm0 = defaultMm(arch);
  const gap =
    opts.growsDown === false
      ? gapChoiceArb().filter((c: GapChoice) => c.guard !== 'grows-down' && c.guard !== 'grows-down-guard-inside')
      : gapChoiceArb();
  return fc
    .record({
      policy: fc.constantFrom(...(opts.policies ?? POLICY_NAMES)),
      f: fileArb(arch),
      len: fc.oneof({ arbitrary: lenArb(g), weight: 2 }, { arbitrary: barLenArb(g), weight: 1 }),
      pgoff: fc.oneof({ arbitrary: pgoffArb(g), weight: 2 }, { arbitrary: barPgoffArb(g), weight: 1 }),
      S: fc.constantFrom(...leafSizes(g)),
      layout: fc.oneof(gap, fc.constant('cluster' as const)),
      topdown: fc.oneof({ arbitrary: fc.constant(true), weight: 2 }, { arbitrary: fc.constant(false), weight: 1 }),
      hint: fc.constantFrom<HintChoice>(
        'none',
        'none',
        'none',
        'gap',
        'gap-unaligned',
        'last-valid',
        'past-task-size',
        'below-min-addr',
      ),
      fixed: fc.oneof({ arbitrary: fc.constant(false), weight: 7 }, { arbitrary: fc.constant(true), weight: 1 }),
      shared: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
      compat: fc.oneof({ arbitrary: fc.constant(false), weight: 19 }, { arbitrary: fc.constant(true), weight: 1 }),
      where: fc.integer({ min: 0, max: 4096 }),
    })
    .chain((r) => {
      const mm = { ...mm0, topdown: r.topdown };
      const L = pageAlignLen(g, r.len);
      if (r.layout !== 'cluster') {
        const laid = gapLayout(g, mm, L, r.S, r.layout);
        return fc.constant({ r, mm, L, vmas: laid?.vmas ?? null, gapStart: laid?.gapStart ?? 0n });
      }
      // A cluster is cut from the largest of PMD and PUD that len holds (PMD for a smaller len).
      const pmd = ps << BigInt(g.pmdOrder);
      const pud = ps << BigInt(g.pudOrder ?? g.pmdOrder + 9);
      const S = [pud, pmd].find((s) => s <= L) ?? pmd;
      const near = r.topdown ? mm.mmapBase - 64n * pmd : mm.mmapLegacyBase;
      return clusterLayoutArb(g, mm, L, S, { growsDown: opts.growsDown !== false }).map((vmas) => ({
        r,
        mm,
        L,
        vmas,
        gapStart: near + BigInt(r.where) * 16n * ps,
      }));
    })
    .map(({ r, mm, L, vmas, gapStart }): Scenario | null => {
      if (vmas === null) return null;
      const addr = {
        none: 0n,
        gap: gapStart,
        'gap-unaligned': gapStart + ps / 2n,
        'last-valid': mm.taskSize - L,
        'past-task-size': mm.taskSize - L + ps,
        'below-min-addr': mm.mmapMinAddr - ps,
      }[r.hint];
      if (addr < 0n || (r.fixed && addr === 0n)) return null;
      const { file, regionBase } = r.f;
      const inRegion =
        file.driver === 'vfio-pci' || file.driver === 'vfio-pci-jason'
          ? r.pgoff % ((file.barSize ?? ps) / ps + 2n)
          : r.pgoff;
      return {
        arch,
        policy: r.policy,
        mm,
        vmas,
        file,
        request: {
          addr,
          len: r.len,
          pgoff: (regionBase >> g.pageShift) + inRegion,
          fixed: r.fixed,
          shared: r.shared,
          compat: r.compat,
        },
      };
    })
    .filter((s): s is Scenario => s !== null);
}
