// The TypeScript exhaustive stage of `mapping-order check`: on the CI universe,
// in two worker threads, every verdict agrees with spec/verdicts.json.

import { describe, expect, it } from 'vitest';
import { disagreements } from '../../../check/exhaustive/report.js';
import { readMatrixFile, runTsExhaustiveStage, tsExhaustiveStage } from '../../../check/exhaustive/stage.js';
import { DEFAULT_CHECK_OPTIONS } from '../../../check/stage.js';
import { INVARIANT_NAMES } from '../../../model/invariants/index.js';

describe('ts-exhaustive stage', () => {
  it(
    'the checker verdicts on the CI universe match the matrix, cell by cell (2 worker threads)',
    { timeout: 300_000 },
    async () => {
      const st = await runTsExhaustiveStage({ universes: ['ci'], workers: 2 });
      const run = st.runs[0]!;
      expect(run.workers).toBe(2);
      expect(run.result.cases).toBe(86 * 2560 * 4);
      expect(run.rows).toHaveLength(INVARIANT_NAMES.length * 4);
      expect(disagreements(run)).toEqual([]);
      const matrix = readMatrixFile();
      for (const row of run.rows)
        expect(`${row.invariant}/${row.policy}: ${row.observed}`).toBe(
          `${row.invariant}/${row.policy}: ${matrix.get(`${row.invariant}/${row.policy}`)?.verdict}`,
        );
      expect(st.ok).toBe(true);
      expect(st.lines.join('\n')).toContain('verdicts vs expectations: 48/48 agree');
    },
  );

  it('is skipped with --only (a single TLC configuration)', async () => {
    const rep = await tsExhaustiveStage({ ...DEFAULT_CHECK_OPTIONS, only: 'MCV2' }, () => {}, { replays: new Map() });
    expect(rep).toMatchObject({ ok: true, summary: 'ts-exhaustive: skipped (--only)' });
  });
});
