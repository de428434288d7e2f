// fast-check properties at x86_64 geometry (real 64-bit addresses) for the
// baseline placement: InRange, NoOverlap and FixedExact on every backing, and
// Congruent on the THP (anonymous and file) and shmem paths. A failure prints
// the seed and the shrunk counterexample (fast-check's report, verbose).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Congruent, FixedExact, InRange, NoOverlap } from '../../../model/invariants/index.js';
import { defaultMm } from '../../../model/mm-defaults.js';
import { place } from '../../../model/place.js';
import type { FileDesc, FileKind, Scenario, Vma } from '../../../model/types.js';

const PS = 4096n;
const M = 1n << 20n;
const MM = defaultMm('x86_64');
const WINDOW = MM.taskSize;

// VMAs clustered where placements land: just below mmap_base, above the legacy
// base, low in the address space, and just below the 47-bit window.
const ANCHORS = [MM.mmapBase - 512n * M, MM.mmapLegacyBase, 0x10000n, WINDOW - 512n * M];
const vmaArb = fc
  .record({
    anchor: fc.integer({ min: 0, max: ANCHORS.length - 1 }),
    at: fc.integer({ min: 0, max: 2048 }),
    pages: fc.integer({ min: 1, max: 1024 }),
    kind: fc.constantFrom('plain', 'plain', 'plain', 'growsDown', 'shadowStack'),
  })
  .map(({ anchor, at, pages, kind }) => {
    const start = ANCHORS[anchor]! + BigInt(at) * 64n * PS;
    return {
      start,
      end: start + BigInt(pages) * PS,
      growsDown: kind === 'growsDown',
      shadowStack: kind === 'shadowStack',
    };
  });
const layoutArb = fc.array(vmaArb, { maxLength: 16 }).map((vs) => {
  const out: Vma[] = [];
  for (const v of vs) if (!out.some((o) => v.start < o.end && o.start < v.end) && v.end <= WINDOW) out.push(v);
  return out;
});

const lenArb = fc.oneof(
  fc.integer({ min: 1, max: 4096 }).map((p) => BigInt(p) * PS),
  fc.integer({ min: 1, max: 32 }).map((k) => BigInt(k) * 2n * M),
  fc.bigInt({ min: 1n, max: 1n << 31n }),
);
const hintArb = fc.oneof(
  { arbitrary: fc.constant(0n), weight: 3 },
  { arbitrary: fc.bigInt({ min: 1n, max: WINDOW }), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: 0x20000n }), weight: 1 },
  {
    arbitrary: fc
      .constantFrom(...ANCHORS)
      .chain((a) => fc.integer({ min: 0, max: 4096 }).map((k) => a + BigInt(k) * PS)),
    weight: 1,
  },
  { arbitrary: fc.bigInt({ min: WINDOW, max: (1n << 56n) - PS }), weight: 1 },
);
const pgoffArb = fc.oneof(fc.integer({ min: 0, max: 2048 }).map(BigInt), fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }));

function scenarioArb(kinds: readonly FileKind[]): fc.Arbitrary<Scenario> {
  return fc
    .record({
      topdown: fc.boolean(),
      smallBase: fc.boolean(),
      vmas: layoutArb,
      kind: fc.constantFrom(...kinds),
      hugeG: fc.boolean(),
      addr: hintArb,
      len: lenArb,
      pgoff: pgoffArb,
      fixed: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
      shared: fc.boolean(),
      compat: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
      shadowStack: fc.boolean(),
    })
    .map((r): Scenario => {
      const file: FileDesc =
        r.kind === 'hugetlb' ? { kind: 'hugetlb', hugePageSize: r.hugeG ? 1n << 30n : 2n * M } : { kind: r.kind };
      // A shadow stack is an anonymous private mapping (map_shadow_stack). It is
      // generated in bottom-up mms only: x86's top-down fallback passes
      // vm_flags = 0 and drops start_gap (invariants.test.ts pins that case).
      const shadowStack = r.shadowStack && r.kind === 'anon' && !r.shared && !r.topdown;
      return {
        arch: 'x86_64',
        policy: 'baseline',
        // smallBase: mmap_base low enough that top-down searches fail and fall back.
        mm: { ...MM, topdown: r.topdown, mmapBase: r.smallBase ? 0x40000000n : MM.mmapBase },
        vmas: r.vmas,
        file,
        request: {
          addr: r.addr,
          len: r.len,
          pgoff: r.pgoff,
          fixed: r.fixed,
          shared: r.shared || r.kind !== 'anon',
          compat: r.compat,
          shadowStack,
        },
      };
    });
}

const ALL: FileKind[] = ['anon', 'anon', 'plain', 'thp', 'shmem', 'shmem-huge', 'hugetlb', 'driver'];
const RUNS = { numRuns: 2000, verbose: 1 } as const;

describe('baseline placement properties (x86_64)', () => {
  it('InRange', () => {
    fc.assert(
      fc.property(scenarioArb(ALL), (s) => {
        expect(InRange(s, place(s)).why).toBe('');
      }),
      RUNS,
    );
  });

  it('NoOverlap', () => {
    fc.assert(
      fc.property(scenarioArb(ALL), (s) => {
        expect(NoOverlap(s, place(s)).why).toBe('');
      }),
      RUNS,
    );
  });

  it('FixedExact', () => {
    fc.assert(
      fc.property(scenarioArb(ALL), (s) => {
        expect(FixedExact(s, place(s)).why).toBe('');
      }),
      RUNS,
    );
  });

  it('Congruent on the THP and shmem paths, and those paths do align', () => {
    let aligned = 0;
    fc.assert(
      fc.property(scenarioArb(['anon', 'thp', 'shmem-huge']), (s) => {
        const p = place(s);
        if (p.path === 'aligned') aligned++;
        expect(Congruent(s, p).why).toBe('');
      }),
      RUNS,
    );
    // Not a vacuous pass: a good share of the runs took the aligned path.
    expect(aligned).toBeGreaterThan(RUNS.numRuns / 10);
  });
});
