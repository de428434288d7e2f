// The differential comparison of the TLA+ spec and the TypeScript model.
// Without TLC: the replay of a dump written here (one answer deliberately
// wrong), and the choice of configurations. With TLC (skipped when the jar is
// missing): zero mismatches on every CI configuration and on the CI universe's
// model answers, and a corrupted model answer that TLC must report.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { checkTableWithTlc, diffConfigs, emptyRun, replayDump, runDifferential } from '../../cli/check/differential.js';
import { loadManifest } from '../../cli/check/manifest.js';
import { tlcMissing } from '../helpers/tlc-missing.js';
import { modelAnswerTable, renderModelAnswers } from '../../generators/diff/model-answers-tla.js';
import type { TinyUniverse } from '../../generators/tiny/universe.js';

const missing = tlcMissing();

const CONSTS = '[taskSize |-> 16, barPages |-> 4, mmapBase |-> 16, mmapLegacyBase |-> 6, mmapMinAddr |-> 1, stackGuardGap |-> 1, policy |-> "v2"]';
const layout = (busy: number[]): string => `( ${Array.from({ length: 16 }, (_, p) => `${p} :> "${busy.includes(p) ? 'vma' : 'free'}"`).join(' @@ ')} )`;
const req = (op: string, len: number): string =>
  `[op |-> "${op}", len |-> ${len}, addr |-> 0, pgoff |-> 0, fixed |-> FALSE, sg |-> 0, topdown |-> TRUE, drv |-> [k |-> 0, kind |-> "order", pa |-> 0], region |-> 0]`;
const state = (n: number, r: string, l: string, ans: string): string =>
  [`State ${n}:`, `/\\ req = ${r}`, `/\\ layout = ${l}`, `/\\ ans = ${ans}`, `/\\ calls = ${n === 1 ? 0 : 1}`, `/\\ consts = ${CONSTS}`, ''].join('\n');

describe('replayDump', () => {
  it('compares every mmap state, counts a wrong VA as a mismatch and a path difference as a label', async () => {
    // State 2: one page, VMA at page 14, order:0, top-down. baseline: page 15; v2 pads to two pages,
    // finds [12, 14) and returns 12 + 1 = 13 (exhaustive.test.ts derives it). Both answers right, v2's
    // labelled 'fallback' where the model says 'aligned': one label difference.
    // State 3: the same with v2's answer wrong (page 12): one mismatch.
    const dir = mkdtempSync(join(tmpdir(), 'diff-test-'));
    try {
      const file = join(dir, 'states.dump');
      writeFileSync(
        file,
        [
          state(1, req('none', 0), layout([14]), '[baseline |-> [va |-> 0, order |-> -1, path |-> "none"], v2 |-> [va |-> 0, order |-> -1, path |-> "none"]]'),
          state(2, req('mmap', 1), layout([14]), '[baseline |-> [va |-> 15, order |-> -1, path |-> "plain"], v2 |-> [va |-> 13, order |-> 0, path |-> "fallback"]]'),
          state(3, req('mmap', 1).replace('pgoff |-> 0', 'pgoff |-> 4'), layout([14]), '[baseline |-> [va |-> 15, order |-> -1, path |-> "plain"], v2 |-> [va |-> 12, order |-> 0, path |-> "aligned"]]'),
        ].join('\n'),
      );
      const run = emptyRun('test', 'test', { outcome: 'pass', exitCode: 0, distinctStates: 3, seconds: 0, errors: [] });
      await replayDump(file, run, false);
      expect(run.error).toBeNull();
      expect([run.states, run.transitions, run.answers, run.vaMismatches]).toEqual([3, 2, 4, 1]);
      expect(run.examples[0]).toMatchObject({ policy: 'v2', model: { va: 13 }, spec: { va: 12 } });
      expect([...run.labels.keys()]).toEqual(['v2 path: model aligned, spec fallback']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('diffConfigs', () => {
  it('replays each CI state space once: no bug toggles, one run per module and overrides', () => {
    const names = diffConfigs(loadManifest()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['MCBaseline', 'MCV2', 'MCJason', 'MCOptimal']));
    expect(names.some((n) => n.includes('_bug_'))).toBe(false);
    expect(names).not.toContain('MCV2_OrderZeroIsBaseline'); // the same state space as MCV2
  });
});

describe.sequential('with TLC', () => {
  it.skipIf(missing !== null)('reports zero mismatches on every CI configuration and on the CI universe, both ways', { timeout: 1_500_000 }, async () => {
    // MCOptimalTopdown is left to `mapping-order check`: its states are MCOptimal's with top-down
    // requests only (MCTopdownRequests == {r \in MCRequests : r.topdown}), all replayed here already.
    // One TLC worker: this process replays one configuration while TLC dumps the next.
    const configs = diffConfigs(loadManifest())
      .map((c) => c.name)
      .filter((n) => n !== 'MCOptimalTopdown');
    const rep = await runDifferential({ configs, universes: ['ci'], workers: 1 });
    const shown = rep.specToModel.map((r) => `${r.config}: ${r.error ?? ''} ${r.vaMismatches}`);
    for (const r of rep.specToModel) {
      expect(r.error, shown.join('\n')).toBeNull();
      expect(r.answers).toBeGreaterThan(0);
      expect(r.vaMismatches).toBe(0);
      if (r.universe !== null) expect(r.universe.missingInTs + r.universe.missingInTlc).toBe(0);
    }
    // The four policies' CI configurations explore the CI domain: 86 layouts x 2560 requests.
    expect(rep.specToModel.filter((r) => r.universe !== null).map((r) => r.transitions)).toEqual([220160, 220160, 220160, 220160]);
    const m2s = rep.modelToSpec[0]!;
    expect(m2s.error).toBeNull();
    expect(m2s.answers).toBe(220160 * 4);
    expect(m2s.mismatches).toEqual([]);
    expect(rep.ok).toBe(true);
  });

  it.skipIf(missing !== null)('TLC reports a model answer that is wrong', { timeout: 300_000 }, async () => {
    const u: TinyUniverse = {
      name: 'corrupt',
      arch: 'tiny-16',
      barPages: 4,
      layouts: [[], [{ start: 14, end: 15, kind: 'vma' }]],
      requests: { addrs: [0], fixed: [false], lens: [1, 2], pgoffs: [0], regions: [0], drivers: [{ kind: 'order', k: 0, pa: 0 }], topdown: [true], sgs: [0] },
      policies: ['baseline', 'v2'],
    };
    const t = modelAnswerTable(u);
    // Row 3 is layout 2 ([14, 15)) with request 1 (len 1): v2's answer is page 13; claim 12 instead.
    expect(t.answers[2]).toEqual([15, 13]);
    const answers = t.answers.map((row, i) => (i === 2 ? [row[0]!, 12] : row));
    const corrupt = { ...t, answers, module: renderModelAnswers(u, { ...t, answers }) };
    const r = await checkTableWithTlc(u, corrupt, 1);
    expect(r.error).toBeNull();
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]).toMatchObject({ policy: 'v2', model: { va: 12 }, spec: { va: 13 } });
    expect(r.mismatches[0]!.case.layout).toEqual([{ start: 14, end: 15, kind: 'vma' }]);
  });
});
