import { describe, expect, it } from 'vitest';

import { parseTlaValue, TlaValueSyntaxError } from '../../tlc/value-parse.js';
import { showTlaValue, TlaFunction, TlaModelValue, TlaSet, isTlaRecord } from '../../tlc/value.js';

// The inputs are written the way TLC 2.18 prints values in a trace (tlc2.value.impl.*Value.toString).
describe('parseTlaValue', () => {
  it('reads the scalars', () => {
    expect(parseTlaValue('42')).toBe(42);
    expect(parseTlaValue('-7')).toBe(-7);
    expect(parseTlaValue('TRUE')).toBe(true);
    expect(parseTlaValue('FALSE')).toBe(false);
    // TLC escapes " and \ inside strings: the printed "a\"b\\n" is the 5 characters a " b \ n.
    expect(parseTlaValue('"a\\"b\\\\n"')).toBe('a"b\\n');
  });

  it('reads tuples, the empty tuple in both spellings, and nesting', () => {
    expect(parseTlaValue('<<1, "x", <<>>, << >>>>')).toEqual([1, 'x', [], []]);
  });

  it('reads sets and expands intervals', () => {
    const s = parseTlaValue('{1, 2, {}}');
    expect(s).toBeInstanceOf(TlaSet);
    expect((s as TlaSet).size).toBe(3);
    // 2..5 = {2, 3, 4, 5}: four elements.
    const iv = parseTlaValue('2..5') as TlaSet;
    expect(iv.elems).toEqual([2, 3, 4, 5]);
    expect(iv.has(4)).toBe(true);
    expect(iv.has(6)).toBe(false);
  });

  it('reads records as plain objects, functions as TlaFunction, bare names as model values', () => {
    const r = parseTlaValue('[a |-> 1, b |-> (0 :> "z" @@ 10 :> <<1>>), c |-> Me]');
    expect(isTlaRecord(r)).toBe(true);
    const rec = r as Record<string, unknown>;
    expect(rec.a).toBe(1);
    const f = rec.b as TlaFunction;
    expect(f).toBeInstanceOf(TlaFunction);
    expect(f.get(0)).toBe('z');
    expect(f.get(10)).toEqual([1]);
    expect(f.get(5)).toBeUndefined();
    expect(rec.c).toEqual(new TlaModelValue('Me'));
  });

  it('reads a value pretty-printed over several lines', () => {
    const printed = ['[ a |-> 1,', '  long |->', '      << 1,', '         2 >>,', '  s |-> {3} ]'].join('\n');
    expect(showTlaValue(parseTlaValue(printed))).toBe('[a |-> 1, long |-> <<1, 2>>, s |-> {3}]');
  });

  it('keeps a field named __proto__ as a field', () => {
    const r = parseTlaValue('[__proto__ |-> 1]') as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  });

  it.each([
    ['', 'nothing'],
    ['<<1, 2', 'unclosed tuple'],
    ['[a |-> 1', 'unclosed record'],
    ['1 2', 'trailing input'],
    ['"abc', 'unterminated string'],
    ['Nat', 'an infinite set'],
    ['[x \\in {1} |-> 2]', 'an unevaluated function constructor'],
    ['(1 :> 2', 'unclosed function'],
    ['1..', 'interval without upper bound'],
    ['0..2000000', 'an interval too large to expand'],
    ['1 + 1', 'an expression'],
  ])('refuses %j (%s)', (src) => {
    expect(() => parseTlaValue(src)).toThrow(TlaValueSyntaxError);
  });
});
