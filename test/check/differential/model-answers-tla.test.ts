// The model's answer table as TLA+: rows, packing and the row -> case index.

import { describe, expect, it } from 'vitest';
import { modelAnswerTable, tableCase, tableRows, vaBase } from '../../../check/differential/model-answers-tla.js';
import type { TinyUniverse } from '../../../generators/tiny/universe.js';

const u: TinyUniverse = {
  name: 'test',
  arch: 'tiny-16',
  barPages: 4,
  layouts: [[]],
  requests: {
    addrs: [0],
    fixed: [false],
    lens: [1, 17],
    pgoffs: [0],
    regions: [0],
    drivers: [{ kind: 'order', k: 0, pa: 0 }],
    topdown: [true],
    sgs: [0],
  },
  policies: ['baseline', 'v2', 'jason', 'optimal'],
};

describe('modelAnswerTable', () => {
  it('packs each row into one integer of base T + 81 = 97', () => {
    const t = modelAnswerTable(u);
    expect(vaBase(u)).toBe(97);
    expect(tableRows(t)).toBe(2);
    // Row 1: len 1 in the empty tiny-16, top-down: every policy gives page 15 (v2's order 0 pads to 2
    // pages, finds 14, and returns ret + PAGE_SIZE = 15). 15 + 80 = 95 in each digit:
    // 95 * (1 + 97 + 97^2 + 97^3) = 95 * 922180 = 87607100.
    // Row 2: len 17 > TASK_SIZE: ENOMEM = -12 everywhere: 68 * 922180 = 62708240.
    expect(t.answers).toEqual([
      [15, 15, 15, 15],
      [-12, -12, -12, -12],
    ]);
    expect(t.module).toContain('DiffAnswers == <<\n    87607100, 62708240\n  >>');
    expect(t.module).toContain(
      'DiffRequests == <<\n    <<0, FALSE, 1, 0, 0, 1, TRUE, 0>>, <<0, FALSE, 17, 0, 0, 1, TRUE, 0>>\n  >>',
    );
    expect(t.module).toContain('DiffGeometry == Tiny16');
    expect(t.module).toContain('DiffDrivers == <<\n    [kind |-> "order", k |-> 0, pa |-> 0]\n  >>');
    expect(tableCase(u, t, 2).request.len).toBe(17);
    expect(() => tableCase(u, t, 3)).toThrow(RangeError);
  });
});
