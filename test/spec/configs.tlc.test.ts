// Runs TLC on every CI configuration of spec/verdicts.json and asserts its verdict, then checks the
// seeded bugs against a table written here by hand (bug toggle -> the invariant that must catch it), so
// the bug expectations do not come from the manifest they are checking.

import { describe, expect, it } from 'vitest';

import { loadManifest, SPEC_DIR } from '../../check/manifest.js';
import { tlcMissing } from '../helpers/tlc-missing.js';
import { runTlc } from '../../tlc/run.js';

const missing = tlcMissing();

const m = loadManifest();
const ci = m.configs.filter((c) => c.mode === 'ci');

/**
 * The seeded mutations of issue 4 and what must catch each one, with the reason:
 * - NoOffSub: the VA stays at the padded start ret, not moved to off mod S -> VA != off (mod S).
 * - TopdownPlusSizeAlways: ret + S is congruent only when off_sub == 0.
 * - PadLenOnly: searching len but shifting by off_sub pushes the end past the free range.
 * - NoFallback: a failed padded search becomes an error where the plain search succeeds.
 * - IgnoreHintTest: aligning with a hint needs len + S free there; a hint with only len free is lost.
 * - NoLeafClamp: floor_log2(8 pages) = 3, no leaf order of tiny-16 (leaves 0, 1, 2).
 * - NoLenClamp: a PUD order for a 1-page mapping: 4 pages > 2^floor_log2(1) = 1.
 * - RoundUpNotCongruent: VA = 0 (mod S) while off = 1 (mod S).
 * - NoGuardGap: a mapping ending at a stack's vm_start, inside stack_guard_gap.
 * - NoChunkTest: padding/shifting although [off, off + len) holds no whole S-chunk.
 * - FaultNoPfnCheck: a PMD on the misaligned BAR (PFN 1).
 */
const SEEDED: Record<string, string> = {
  MCV2_bug_NoOffSub: 'Congruent',
  MCV2_bug_TopdownPlusSizeAlways: 'Congruent',
  MCV2_bug_PadLenOnly: 'NoOverlap',
  MCJason_bug_NoFallback: 'NoNewFailure',
  MCOptimal_bug_NoFallback: 'NoNewFailure',
  MCV2_bug_IgnoreHintTest: 'HintKept',
  MCOptimal_bug_IgnoreHintTest: 'HintKept',
  MCJason_bug_NoLeafClamp: 'OrderClamped',
  MCJason_bug_NoLenClamp: 'OrderClamped',
  MCV2_bug_RoundUpNotCongruent: 'Congruent',
  MCOptimal_bug_RoundUpNotCongruent: 'Congruent',
  MCBaseline_bug_NoGuardGap: 'NoOverlap',
  MCV2_bug_NoChunkTest: 'UsefulOnly',
  MCBaseline_bug_FaultNoPfnCheck: 'FaultSafe',
};

describe.sequential('TLC on every CI configuration', () => {
  it('lists every seeded bug of the table as a CI configuration', () => {
    for (const name of Object.keys(SEEDED)) expect(ci.map((c) => c.name)).toContain(name);
    expect(
      ci
        .filter((c) => c.bugs.length > 0)
        .map((c) => c.name)
        .sort(),
    ).toEqual(Object.keys(SEEDED).sort());
  });

  for (const c of ci) {
    const want = c.expect === 'pass' ? 'no violation' : `${c.violates} violated`;
    it.skipIf(missing !== null)(`${c.name}: ${want}`, { timeout: 600_000 }, async () => {
      const r = await runTlc({ dir: SPEC_DIR, spec: c.module, config: `${c.name}.cfg`, workers: 2 });
      expect(r.errors).toEqual([]);
      if (c.expect === 'pass') {
        expect(r.outcome).toBe('pass');
        expect(r.distinctStates).toBeGreaterThan(0);
      } else {
        expect(r.outcome).toBe('violation');
        expect(r.invariant).toBe(c.violates);
        expect(r.trace.length).toBeGreaterThan(0);
      }
      const seeded = SEEDED[c.name];
      if (seeded !== undefined) expect(r.invariant).toBe(seeded);
    });
  }
});
