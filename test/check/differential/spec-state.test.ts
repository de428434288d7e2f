// A dumped state of spec/MappingOrder.tla read back as a case and answers.

import { describe, expect, it } from 'vitest';
import { archOfConsts, readConsts, readSpecState } from '../../../check/differential/spec-state.js';
import { parseTlaValue } from '../../../tlc/value-parse.js';

const kindAt = (p: number): string => (p === 5 || p === 6 ? 'vma' : p === 7 ? 'gd' : p === 15 ? 'gd' : 'free');
const layout = `( ${Array.from({ length: 16 }, (_, p) => `${p} :> "${kindAt(p)}"`).join(' @@\n  ')} )`;
const vars = {
  req: parseTlaValue(`[ op |-> "mmap", len |-> 3, addr |-> 5, pgoff |-> 1, fixed |-> FALSE, sg |-> 0, topdown |-> TRUE,
    drv |-> [k |-> -1, kind |-> "order", pa |-> 0], region |-> 0 ]`),
  layout: parseTlaValue(layout),
  ans: parseTlaValue(
    '[baseline |-> [va |-> 12, order |-> -1, path |-> "plain"], v2 |-> [va |-> -12, order |-> 0, path |-> "fallback"]]',
  ),
  calls: parseTlaValue('1'),
  consts: parseTlaValue(
    '[allocator |-> "x86", taskSize |-> 16, barPages |-> 4, mmapBase |-> 16, mmapLegacyBase |-> 6, ' +
      'mmapMinAddr |-> 1, stackGuardGap |-> ' +
      '1, policy |-> "v2"]',
  ),
};

describe('readSpecState', () => {
  it('turns the page map into VMAs (runs of one kind) and the answers into the spec encoding', () => {
    const consts = readConsts(vars.consts);
    expect(archOfConsts(consts)).toBe('tiny-16');
    const t = readSpecState(vars, consts, 'tiny-16');
    expect(t.case).toEqual({
      arch: 'tiny-16',
      barPages: 4,
      // pages 5-6 ordinary, 7 a stack (another kind: another VMA), 15 a stack
      layout: [
        { start: 5, end: 7, kind: 'vma' },
        { start: 7, end: 8, kind: 'gd' },
        { start: 15, end: 16, kind: 'gd' },
      ],
      request: {
        addr: 5,
        fixed: false,
        len: 3,
        pgoff: 1,
        region: 0,
        drv: { kind: 'order', k: -1, pa: 0 },
        topdown: true,
        sg: 0,
      },
    });
    expect(t.answers.get('baseline')).toEqual({ va: 12, path: 'plain', order: -1 });
    expect(t.answers.get('v2')).toEqual({ va: -12, path: 'fallback', order: 0 });
  });

  it('a state without an mmap (Init) has no case', () => {
    const init = {
      ...vars,
      req: parseTlaValue(
        '[op |-> "none", len |-> 0, addr |-> 0, pgoff |-> 0, fixed |-> FALSE, sg |-> 0, topdown |-> TRUE, drv |-> [k ' +
          '|-> 0, kind |-> "none", pa |-> 0], region |-> 0]',
      ),
    };
    expect(readSpecState(init, readConsts(vars.consts), 'tiny-16').case).toBeNull();
  });

  it('refuses constants that differ from model/geometry.ts, naming the constant', () => {
    const c = readConsts(
      parseTlaValue(
        '[allocator |-> "x86", taskSize |-> 16, barPages |-> 4, mmapBase |-> 15, mmapLegacyBase |-> 6, ' +
          'mmapMinAddr |-> 1, stackGuardGap ' +
          '|-> 1, policy |-> "v2"]',
      ),
    );
    expect(() => archOfConsts(c)).toThrow(/MmapBase is 15 pages in the spec, 16 in model\/geometry.ts tiny-16/);
  });

  it('tells the arm64 geometry from tiny-16 by its allocator, and refuses a geometry it does not know', () => {
    const consts = (allocator: string, legacy: number): string =>
      `[allocator |-> "${allocator}", taskSize |-> 16, barPages |-> 4, mmapBase |-> 16, ` +
      `mmapLegacyBase |-> ${legacy}, mmapMinAddr |-> 1, stackGuardGap |-> 1, policy |-> "v2"]`;
    // TASK_UNMAPPED_BASE is PAGE_ALIGN(DEFAULT_MAP_WINDOW / 4) on arm64: 4 pages of 16.
    expect(archOfConsts(readConsts(parseTlaValue(consts('generic', 4))))).toBe('tiny-arm64');
    expect(() => archOfConsts(readConsts(parseTlaValue(consts('generic', 6))))).toThrow(/MmapLegacyBase is 6 pages/);
    expect(() => archOfConsts(readConsts(parseTlaValue(consts('riscv', 4))))).toThrow(
      /no tiny geometry of 16 pages with the riscv allocator/,
    );
  });

  it('refuses an unknown kind or driver instead of guessing', () => {
    const bad = { ...vars, layout: parseTlaValue(layout.replace('"vma"', '"heap"')) };
    expect(() => readSpecState(bad, readConsts(vars.consts), 'tiny-16')).toThrow(/unknown kind heap/);
  });
});
