// Every invariant under every policy at x86_64 and arm64-4k, on driver-file
// mmaps (generators/real/scenario-arb.ts), against the expected verdict: where it is
// expected to hold, fast-check must find no counterexample; where it is
// expected to break, it must find one, and the shrunk counterexample is
// printed in kernel terms (model/invariants/counterexample.ts). Seeds are fixed
// (replayable; FC_SEED overrides them) and printed with every failure.
//
// The expectations come from the verdict matrix spec/verdicts.json (read by check/manifest.ts, its one
// reader); test/helpers/expected-verdicts.ts keeps this suite's own hypotheses beside it, with their reasons, and where
// the
// two disagree a FINDING is printed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../../check/manifest.js';
import { formatCounterexample } from '../../../model/invariants/counterexample.js';
import { INVARIANT_NAMES, INVARIANTS } from '../../../model/invariants/registry.js';
import { place } from '../../../model/place.js';
import { POLICY_NAMES } from '../../../model/policy/index.js';
import type { Scenario } from '../../../model/types.js';
import { realScenarioArb } from '../../../generators/real/scenario-arb.js';
import { expectedFor } from '../../helpers/expected-verdicts.js';

const ARCHS = ['x86_64', 'arm64-4k'] as const;
const BASE_SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20260616;
const RUNS_HOLD = 2000;
const RUNS_BREAK = 20000;
const MATRIX = 'spec/verdicts.json';
const matrix = loadManifest().matrix;

describe.each(ARCHS)('%s', (arch) => {
  INVARIANT_NAMES.forEach((name, i) => {
    POLICY_NAMES.forEach((policy, j) => {
      const mine = expectedFor(arch, name, policy);
      const m = matrix[name][policy].verdict === 'holds';
      // The matrix decides what is asserted; this suite's own hypothesis is kept beside it.
      const exp = { holds: m, why: mine.why };
      const seed = BASE_SEED + 1000 * ARCHS.indexOf(arch) + 10 * i + j;
      it(`${name} under ${policy}: ${exp.holds ? 'holds' : 'breaks'} (${exp.why})`, () => {
        if (m !== mine.holds) {
          console.log(
            `FINDING: ${MATRIX} expects ${name} to ${m ? 'hold' : 'break'} under ${policy} at ${arch}; ` +
              `test/helpers/expected-verdicts.ts expects ${mine.holds ? 'hold' : 'break'} (${mine.why})`,
          );
        }
        const prop = fc.property(
          realScenarioArb(arch, { policies: [policy] }),
          (s: Scenario) => INVARIANTS[name](s, place(s)).ok,
        );
        const r = fc.check(prop, { seed, numRuns: exp.holds ? RUNS_HOLD : RUNS_BREAK });
        const cex = r.counterexample?.[0];
        const text =
          cex !== undefined ? formatCounterexample(name, cex, place(cex), INVARIANTS[name](cex, place(cex))) : null;
        if (exp.holds) {
          if (text !== null) console.log(`seed ${seed}, ${r.numRuns} runs, ${r.numShrinks} shrinks:\n${text}`);
          expect(text, `unexpected counterexample (seed ${seed})`).toBeNull();
        } else {
          expect(r.failed, `no counterexample in ${r.numRuns} runs (seed ${seed})`).toBe(true);
          console.log(
            `expected counterexample, seed ${seed}, after ${r.numRuns} runs and ${r.numShrinks} shrinks:\n${text}`,
          );
        }
      });
    });
  });
});
