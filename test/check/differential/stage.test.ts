// The differential comparison of the TLA+ spec and the TypeScript model.
// Without TLC: the replay of a dump written here (one answer deliberately
// wrong), and the choice of configurations. The runs with TLC are in stage.tlc.test.ts.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { diffConfigs, emptyRun, replayDump } from '../../../check/differential/replay.js';
import { loadManifest } from '../../../check/manifest.js';

const CONSTS =
  '[allocator |-> "x86", taskSize |-> 16, barPages |-> 4, mmapBase |-> 16, mmapLegacyBase |-> 6, ' +
  'mmapMinAddr |-> 1, stackGuardGap |-> 1, ' +
  'policy |-> "v2"]';
const layout = (busy: number[]): string =>
  `( ${Array.from({ length: 16 }, (_, p) => `${p} :> "${busy.includes(p) ? 'vma' : 'free'}"`).join(' @@ ')} )`;
const req = (op: string, len: number): string =>
  `[op |-> "${op}", len |-> ${len}, addr |-> 0, pgoff |-> 0, fixed |-> FALSE, sg |-> 0, topdown |-> TRUE, drv |-> [k ` +
  `|-> 0, kind |-> "order", pa |-> 0], region |-> 0]`;
const state = (n: number, r: string, l: string, ans: string): string =>
  [
    `State ${n}:`,
    `/\\ req = ${r}`,
    `/\\ layout = ${l}`,
    `/\\ ans = ${ans}`,
    `/\\ calls = ${n === 1 ? 0 : 1}`,
    `/\\ consts = ${CONSTS}`,
    '',
  ].join('\n');

describe('replayDump', () => {
  it('compares every mmap state, counts a wrong VA as a mismatch and a path difference as a label', async () => {
    // State 2: one page, VMA at page 14, order:0, top-down. baseline: page 15; v2 pads to two pages,
    // finds [12, 14) and returns 12 + 1 = 13 (test/check/exhaustive/exhaustive.test.ts derives it). Both answers right,
    // v2's
    // labelled 'fallback' where the model says 'aligned': one label difference.
    // State 3: the same with v2's answer wrong (page 12): one mismatch.
    const dir = mkdtempSync(join(tmpdir(), 'diff-test-'));
    try {
      const file = join(dir, 'states.dump');
      writeFileSync(
        file,
        [
          state(
            1,
            req('none', 0),
            layout([14]),
            '[baseline |-> [va |-> 0, order |-> -1, path |-> "none"], v2 |-> [va |-> 0, order |-> -1, path |-> ' +
              '"none"]]',
          ),
          state(
            2,
            req('mmap', 1),
            layout([14]),
            '[baseline |-> [va |-> 15, order |-> -1, path |-> "plain"], v2 |-> [va |-> 13, order |-> 0, path |-> ' +
              '"fallback"]]',
          ),
          state(
            3,
            req('mmap', 1).replace('pgoff |-> 0', 'pgoff |-> 4'),
            layout([14]),
            '[baseline |-> [va |-> 15, order |-> -1, path |-> "plain"], v2 |-> [va |-> 12, order |-> 0, path |-> ' +
              '"aligned"]]',
          ),
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
