// The differential comparison with TLC (skipped, saying why, when the jar or java is missing): zero
// mismatches on every CI configuration and on the CI universe's model answers, and a corrupted model answer
// that TLC must report. test/check/differential/stage.test.ts has the parts that need no TLC.

import { describe, expect, it } from 'vitest';

import { modelAnswerTable, renderModelAnswers } from '../../../check/differential/model-answers-tla.js';
import { diffConfigs } from '../../../check/differential/replay.js';
import { runDifferential } from '../../../check/differential/stage.js';
import { checkTableWithTlc } from '../../../check/differential/table.js';
import { loadManifest } from '../../../check/manifest.js';
import type { TinyUniverse } from '../../../generators/tiny/universe.js';
import { tlcMissing } from '../../helpers/tlc-missing.js';

const missing = tlcMissing();

describe.sequential('with TLC', () => {
  it.skipIf(missing !== null)(
    'reports zero mismatches on every CI configuration and on the CI universe, both ways',
    { timeout: 1_500_000 },
    async () => {
      // MCOptimalTopdown is left to `mapping-order check`: its states are MCOptimal's with top-down
      // requests only (MCTopdownRequests == {r \in MCRequests : r.topdown}), all replayed here already.
      // Of the arm64 configurations one stands for the four here (the generic allocator and the arm64
      // geometry in the dump and the replay); `mapping-order check` replays all of them.
      // One TLC worker: this process replays one configuration while TLC dumps the next.
      const configs = diffConfigs(loadManifest())
        .map((c) => c.name)
        .filter((n) => n !== 'MCOptimalTopdown' && (!n.includes('Arm64') || n === 'MCOptimalArm64'));
      const rep = await runDifferential({ configs, universes: ['ci', 'ci:tiny-arm64'], workers: 1 });
      const shown = rep.specToModel.map((r) => `${r.config}: ${r.error ?? ''} ${r.vaMismatches}`);
      for (const r of rep.specToModel) {
        expect(r.error, shown.join('\n')).toBeNull();
        expect(r.answers).toBeGreaterThan(0);
        expect(r.vaMismatches).toBe(0);
        if (r.universe !== null) expect(r.universe.missingInTs + r.universe.missingInTlc).toBe(0);
      }
      // The policies' CI configurations explore the CI domain: 86 layouts x 2560 requests, on both geometries.
      expect(rep.specToModel.filter((r) => r.universe !== null).map((r) => [r.config, r.transitions])).toEqual([
        ['MCBaseline', 220160],
        ['MCV2', 220160],
        ['MCJason', 220160],
        ['MCOptimal', 220160],
        ['MCOptimalArm64', 220160],
      ]);
      for (const m2s of rep.modelToSpec) {
        expect(m2s.error).toBeNull();
        expect(m2s.answers).toBe(220160 * 4);
        expect(m2s.mismatches).toEqual([]);
      }
      expect(rep.modelToSpec.map((r) => r.universe)).toEqual(['ci', 'ci:tiny-arm64']);
      expect(rep.ok).toBe(true);
    },
  );

  it.skipIf(missing !== null)('TLC reports a model answer that is wrong', { timeout: 300_000 }, async () => {
    const u: TinyUniverse = {
      name: 'corrupt',
      arch: 'tiny-16',
      barPages: 4,
      layouts: [[], [{ start: 14, end: 15, kind: 'vma' }]],
      requests: {
        addrs: [0],
        fixed: [false],
        lens: [1, 2],
        pgoffs: [0],
        regions: [0],
        drivers: [{ kind: 'order', k: 0, pa: 0 }],
        topdown: [true],
        sgs: [0],
      },
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
