// The edge-biased real-geometry scenarios under every policy: each invariant
// the verdict matrix says holds does hold (fixed seeds; a failure prints the
// case in kernel terms). Cases found this way are kept below as regressions.
//
// EOVERFLOW answers are kept: do_mmap's offset refusal (pgoff near 2^52 here)
// comes after a free hint was taken, and HintKept judges placements only
// (model/invariants/hint-kept.ts); the regression below pins that reading.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMatrixFile } from '../../../check/exhaustive/stage.js';
import { realScenarioArb } from '../../../generators/real/scenario-arb.js';
import type { ArchName } from '../../../model/geometry.js';
import {
  formatCounterexample,
  HintKept,
  INVARIANTS,
  INVARIANT_NAMES,
  NoOverlap,
} from '../../../model/invariants/index.js';
import { defaultMm } from '../../../model/mm-defaults.js';
import { place } from '../../../model/place.js';
import type { Scenario } from '../../../model/types.js';

const matrix = readMatrixFile();

for (const arch of ['x86_64', 'arm64-4k'] as ArchName[]) {
  describe(`holds-cells at ${arch}`, () => {
    it('hold on 4000 edge-biased driver mmaps', () => {
      fc.assert(
        fc.property(realScenarioArb(arch), (s) => {
          const p = place(s);
          for (const name of INVARIANT_NAMES) {
            if (matrix.get(`${name}/${s.policy}`)?.verdict !== 'holds') continue;
            const v = INVARIANTS[name](s, p);
            if (!v.ok) throw new Error(formatCounterexample(name, s, p, v));
          }
        }),
        { numRuns: 4000, seed: 1125 },
      );
    });
  });
}

describe('regressions', () => {
  it('arm64-4k HintKept: a hint of 2^48 + 0x800 is page-masked to 2^48, not above the window', () => {
    // do_mmap's round_hint_to_min() masks it to 2^48 = DEFAULT_MAP_WINDOW; arm64's arch_get_mmap_end() opens
    // TASK_SIZE only for `addr > DEFAULT_MAP_WINDOW`, so mmap_end stays 2^48 and the hint (ending above it)
    // is not taken: top-down from mmap_base 0xfffff8000000, VA = 0xfffff7fff000, under every policy. The
    // invariant once judged the unmasked hint, above the window, and called the hint free.
    const s: Scenario = {
      arch: 'arm64-4k',
      policy: 'optimal',
      mm: defaultMm('arm64-4k'),
      vmas: [],
      file: { kind: 'driver', driver: 'order:-5', barPhys: 1n << 40n },
      request: { addr: (1n << 48n) + 0x800n, len: 0x1000n, pgoff: 0n, fixed: false, shared: true },
    };
    const p = place(s);
    expect(p.va).toBe(0xfffff7fff000n);
    expect(HintKept(s, p).ok).toBe(true);
  });

  it('arm64-4k NoOverlap: a stack guard reaching over an ordinary VMA guards nothing below it', () => {
    // jason, order -1 -> baseline's placement, 2 pages, top-down from mmap_base 0xfffff8000000. VMAs: an
    // ordinary one [0xfffff7fe1000, 0xfffff7ff1000) and a stack from 0xfffff7ff2000 with a 1 MiB guard.
    // The free page [0xfffff7ff1000, 0xfffff7ff2000) is too small (and inside the guard); the next gap
    // ends at the ordinary VMA, which has no guard: VA = 0xfffff7fe1000 - 0x2000 = 0xfffff7fdf000.
    const s: Scenario = {
      arch: 'arm64-4k',
      policy: 'jason',
      mm: defaultMm('arm64-4k'),
      vmas: [
        { start: 0xfffff7fe1000n, end: 0xfffff7ff1000n },
        { start: 0xfffff7ff2000n, end: 0xfffff8002000n, growsDown: true },
      ],
      file: { kind: 'driver', driver: 'order:-1', barPhys: 1n << 40n },
      request: { addr: 0n, len: 0x2000n, pgoff: 0xa00n, fixed: false, shared: true },
    };
    const p = place(s);
    expect(p.va).toBe(0xfffff7fdf000n);
    expect(NoOverlap(s, p)).toEqual({ ok: true, why: '' });
  });

  it('x86_64 HintKept: do_mmap refusing a taken hint with EOVERFLOW (file_mmap_ok) is no lost hint', () => {
    // A driver file is no regular file: file_mmap_size_max() = ULONG_MAX, so file_mmap_ok() wants
    // pgoff <= (2^64 - 1 - len) >> 12. len = 1G: (2^64 - 1 - 2^30) >> 12 = 0xfffffffbffff, and pgoff
    // 0xffffffffff003 is above it. pgoff + (len >> 12) = 0xffffffffff003 + 0x40000 does not wrap, so
    // the refusal comes after __get_unmapped_area, which had kept the free hint.
    const s: Scenario = {
      arch: 'x86_64',
      policy: 'jason',
      mm: defaultMm('x86_64'),
      vmas: [],
      file: { kind: 'driver', driver: 'order:9', barPhys: 1n << 40n },
      request: { addr: 0x7fffbffff000n, len: 1n << 30n, pgoff: 0xffffffffff003n, fixed: false, shared: true },
    };
    for (const policy of ['baseline', 'v2', 'jason', 'optimal'] as const) {
      const p = place({ ...s, policy });
      expect(p.error).toBe('EOVERFLOW');
      expect(HintKept({ ...s, policy }, p)).toEqual({ ok: true, why: '' });
    }
  });
});
