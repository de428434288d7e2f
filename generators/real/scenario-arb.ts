// A driver-file mmap at a real geometry (x86_64, arm64-4k, ...), biased to the
// edges: driver orders at and beyond the largest leaf, lengths around the leaf
// sizes, unaligned pgoffs, a free gap of an edge size placed where the search
// starts or at the ends of the address space, guard gaps, and hints at the
// gap, just below TASK_SIZE - len, past it, and below mmap_min_addr.
// generators/real/classify.ts says which edges a scenario hits, from the
// scenario alone.

import fc from 'fast-check';
import { GEOMETRIES, type ArchName } from '../../model/geometry.js';
import { defaultMm } from '../../model/mm-defaults.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import type { FileDesc, PolicyName, Scenario } from '../../model/types.js';
import { leafSizes, pageAlignLen } from './edge-values.js';
import { gapChoiceArb, gapLayout } from './gap-layout-arb.js';
import { lenArb } from './len-arb.js';
import { driverOrderArb } from './order-arb.js';
import { pgoffArb } from './pgoff-arb.js';

/** A BAR's physical base far above every leaf size (1 TiB), or a page off it. */
const BAR_BASE = 1n << 40n;

export type HintChoice = 'none' | 'gap' | 'gap-unaligned' | 'last-valid' | 'past-task-size' | 'below-min-addr';

function fileArb(arch: ArchName): fc.Arbitrary<FileDesc> {
  const g = GEOMETRIES[arch];
  const misaligned = fc.oneof(
    { arbitrary: fc.constant(0n), weight: 4 },
    { arbitrary: fc.constant(g.pageSize), weight: 1 },
  );
  return fc.oneof(
    {
      arbitrary: fc
        .record({ k: driverOrderArb(g), skew: misaligned })
        .map(({ k, skew }): FileDesc => ({ kind: 'driver', driver: `order:${k}`, barPhys: BAR_BASE + skew })),
      weight: 3,
    },
    {
      arbitrary: fc
        .record({
          driver: fc.constantFrom('vfio-pci', 'vfio-pci-jason'),
          barShift: fc.integer({ min: Number(g.pageShift), max: 34 }),
          skew: misaligned,
        })
        .map(({ driver, barShift, skew }): FileDesc => ({
          kind: 'driver',
          driver,
          barSize: 1n << BigInt(barShift),
          barPhys: BAR_BASE + skew,
          barIndex: 0,
        })),
      weight: 1,
    },
  );
}

export interface RealScenarioOptions {
  readonly policies?: readonly PolicyName[];
}

export function realScenarioArb(arch: ArchName, opts: RealScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const g = GEOMETRIES[arch];
  const ps = g.pageSize;
  const mm0 = defaultMm(arch);
  return fc
    .record({
      policy: fc.constantFrom(...(opts.policies ?? POLICY_NAMES)),
      file: fileArb(arch),
      len: lenArb(g),
      pgoff: pgoffArb(g),
      S: fc.constantFrom(...leafSizes(g)),
      gap: gapChoiceArb(),
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
    })
    .map((r): Scenario | null => {
      const mm = { ...mm0, topdown: r.topdown };
      const L = pageAlignLen(g, r.len);
      const layout = gapLayout(g, mm, L, r.S, r.gap);
      if (layout === null) return null;
      const addr = {
        none: 0n,
        gap: layout.gapStart,
        'gap-unaligned': layout.gapStart + ps / 2n,
        'last-valid': mm.taskSize - L,
        'past-task-size': mm.taskSize - L + ps,
        'below-min-addr': mm.mmapMinAddr - ps,
      }[r.hint];
      if (addr < 0n || (r.fixed && addr === 0n)) return null;
      const pgoff =
        r.file.driver === 'vfio-pci' || r.file.driver === 'vfio-pci-jason'
          ? r.pgoff % ((r.file.barSize ?? ps) / ps + 2n)
          : r.pgoff;
      return {
        arch,
        policy: r.policy,
        mm,
        vmas: layout.vmas,
        file: r.file,
        request: { addr, len: r.len, pgoff, fixed: r.fixed, shared: true },
      };
    })
    .filter((s): s is Scenario => s !== null);
}
