// The dump run's wrapper module and configuration.

import { describe, expect, it } from 'vitest';
import { dumpConfig, dumpModule, dumpModuleName } from '../../../check/differential/dump-module.js';

describe('dumpConfig', () => {
  it('keeps constants and CHECK_DEADLOCK, drops invariants and comments, points INIT and NEXT at the wrapper', () => {
    const cfg = [
      '\\* GENERATED: a comment',
      'CONSTANTS',
      '  TaskSize <- MCTaskSize',
      '  BUG_NoGuardGap = FALSE \\* trailing comment',
      'INIT Init',
      'NEXT Next',
      'CHECK_DEADLOCK FALSE',
      'INVARIANTS',
      '  TypeOK',
      '  InRange',
      '',
    ].join('\n');
    expect(dumpConfig(cfg)).toBe(
      [
        'CONSTANTS TaskSize <- MCTaskSize BUG_NoGuardGap = FALSE',
        'CHECK_DEADLOCK FALSE',
        'INIT DiffInit',
        'NEXT DiffNext',
        '',
      ].join('\n'),
    );
  });

  it('keeps the invariants when the run also checks the configuration (the TLC stage), still without PROPERTY', () => {
    const cfg = [
      'CONSTANTS',
      '  MaxCalls <- MCMaxCalls',
      'INIT Init',
      'NEXT Next',
      'INVARIANTS',
      '  TypeOK',
      '  InRange',
    ];
    cfg.push('PROPERTY Live', '');
    expect(dumpConfig(cfg.join('\n'), true)).toBe(
      ['CONSTANTS MaxCalls <- MCMaxCalls', 'INVARIANTS TypeOK InRange', 'INIT DiffInit', 'NEXT DiffNext', ''].join(
        '\n',
      ),
    );
  });

  it('refuses SPECIFICATION and text before any keyword', () => {
    expect(() => dumpConfig('SPECIFICATION Spec')).toThrow(/SPECIFICATION/);
    expect(() => dumpConfig('Foo\nINIT Init')).toThrow(/'Foo' before any keyword/);
  });
});

describe('dumpModule', () => {
  it('extends the configuration module and records the constants in a variable that never changes', () => {
    const m = dumpModule('MCV2');
    expect(dumpModuleName('MCV2')).toBe('DiffDump_MCV2');
    expect(m).toMatch(/MODULE DiffDump_MCV2 /);
    expect(m).toContain('EXTENDS MCV2');
    expect(m).toContain('DiffInit == Init /\\ consts = DiffConsts');
    expect(m).toContain('DiffNext == calls < MaxCalls /\\ Next /\\ UNCHANGED consts');
    expect(m).toContain('barPages |-> BarPages');
  });
});
