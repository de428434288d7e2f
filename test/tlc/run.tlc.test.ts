import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { MissingToolError } from '../../io/errors.js';
import { tlcMissing } from '../helpers/tlc-missing.js';
import { runTlc, type TlcTraceState } from '../../tlc/run.js';
import { TlaFunction, TlaModelValue, TlaSet } from '../../tlc/value.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/tlc');

const missing = tlcMissing();
const needsTlc = it.skipIf(missing !== null);

const scratch: string[] = [];
function scratchDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tlc-test-'));
  scratch.push(d);
  return d;
}
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** An environment whose `java` is the script in `bin`, with an existing file standing in for the jar. */
function fakeJavaEnv(bin: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    JAVA_HOME: undefined,
    TLA2TOOLS_JAR: join(FIXTURES, 'Counter.tla'),
  };
}

const xy = (s: TlcTraceState) => [s.vars.x, s.vars.y];

describe('runTlc on the Counter fixture (N = 3, M = 2)', () => {
  needsTlc('passes with the hand-counted state space and leaves nothing in the spec folder', async () => {
    const before = readdirSync(FIXTURES).sort();
    const progress: number[] = [];
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', onProgress: (p) => progress.push(p.distinct) });
    expect(r.errors).toEqual([]);
    expect(r.outcome).toBe('pass');
    expect(r.exitCode).toBe(0);
    // Reachable: every (x, y) in 0..3 \X 0..2 = 4 * 3 = 12 distinct states.
    expect(r.distinctStates).toBe(12);
    // Generated = 1 initial state + one successor per enabled action in each state:
    // IncX is enabled where x < 3 (3 * 3 = 9 states), IncY where y < 2 (4 * 2 = 8 states): 1 + 9 + 8 = 18.
    expect(r.statesGenerated).toBe(18);
    // The farthest state (3, 2) is 3 + 2 = 5 steps from (0, 0); TLC counts states on the path: 6.
    expect(r.depth).toBe(6);
    expect(r.trace).toEqual([]);
    expect(r.invariant).toBeNull();
    expect(r.version).toBe('2.18');
    // TLC prints a final progress line at the end of every run.
    expect(progress[progress.length - 1]).toBe(12);
    expect(readdirSync(FIXTURES).sort()).toEqual(before);
  });

  needsTlc('reports the violated invariant with the only shortest trace to (2, 0)', async () => {
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter.tla', config: 'CounterViolation.cfg' });
    expect(r.outcome).toBe('violation');
    expect(r.violation).toBe('invariant');
    expect(r.exitCode).toBe(12);
    expect(r.invariant).toBe('NotTwoZero');
    expect(r.errors).toEqual([]);
    // (2, 0) is reached only by IncX twice from (0, 0): the trace is (0,0) -> (1,0) -> (2,0).
    expect(r.trace.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(r.trace.map((s) => s.action)).toEqual([null, 'IncX', 'IncX']);
    expect(r.trace.map(xy)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    // info = Info(2, 0) in the last state, field by field from the spec's definition:
    const info = r.trace[2]?.vars.info as Record<string, unknown>;
    expect(info.sum).toBe(2); // 2 + 0
    expect(info.tag).toBe('c"q');
    expect(info.ok).toBe(false); // 2 <= 0 is false
    expect(info.pair).toEqual([2, 0]);
    expect((info.bits as TlaSet).elems).toEqual([0, 2]); // {2, 0}, printed sorted
    const fn = info.fn as TlaFunction;
    expect(fn).toBeInstanceOf(TlaFunction);
    expect([fn.get(0), fn.get(10)]).toEqual([2, 0]); // (0 :> a @@ 10 :> b)
    expect(info.who).toEqual(new TlaModelValue('Me'));
    expect(info.none).toEqual([]);
  });

  needsTlc('reports a violation in the initial state with a one-state trace', async () => {
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', config: 'CounterInitial.cfg' });
    expect(r.outcome).toBe('violation');
    expect(r.invariant).toBe('NotOrigin');
    expect(r.trace.map(xy)).toEqual([[0, 0]]);
    expect(r.trace[0]?.action).toBeNull();
  });

  needsTlc('reports the deadlock at (3, 2) with a shortest trace', async () => {
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', config: 'CounterDeadlock.cfg', workers: 2 });
    expect(r.outcome).toBe('deadlock');
    expect(r.exitCode).toBe(11);
    // (3, 2) has no successor (x = N and y = M). A shortest path there takes 3 + 2 = 5 steps: 6 states,
    // each step adding 1 to exactly one of x, y.
    expect(r.trace).toHaveLength(6);
    expect(xy(r.trace[5] as TlcTraceState)).toEqual([3, 2]);
    for (let i = 1; i < r.trace.length; i++) {
      const [x0, y0] = xy(r.trace[i - 1] as TlcTraceState) as [number, number];
      const [x1, y1] = xy(r.trace[i] as TlcTraceState) as [number, number];
      expect(x1 - x0 + (y1 - y0)).toBe(1);
      expect(r.trace[i]?.action).toBe(x1 > x0 ? 'IncX' : 'IncY');
    }
  });

  needsTlc('reports a temporal violation ending in stuttering', async () => {
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', config: 'CounterLiveness.cfg' });
    expect(r.outcome).toBe('violation');
    expect(r.violation).toBe('temporal');
    expect(r.exitCode).toBe(13);
    expect(r.lasso).toEqual({ kind: 'stuttering' });
    // The behaviour stutters forever somewhere short of (3, 2).
    expect(r.trace.length).toBeGreaterThan(0);
    expect(xy(r.trace[r.trace.length - 1] as TlcTraceState)).not.toEqual([3, 2]);
  });

  needsTlc('passes a temporal property that holds under fairness, with no messages in errors', async () => {
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', config: 'CounterFair.cfg' });
    expect(r.errors).toEqual([]);
    expect(r.outcome).toBe('pass');
    // Same reachable graph as without fairness: 12 distinct states, 18 generated, depth 6.
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([12, 18, 6]);
  });

  needsTlc("gives error (exit 76) when an invariant cannot be evaluated, with TLC's reason", async () => {
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', config: 'CounterDiv.cfg' });
    expect(r.outcome).toBe('error');
    expect(r.exitCode).toBe(76);
    expect(r.invariant).toBe('DivInv');
    expect(r.errors).toContain('Evaluating invariant DivInv failed.');
    expect(r.errors.join('\n')).toMatch(/second argument of \\div is 0/);
    // The state where 2 - x = 0 is x = 2: TLC shows the behaviour up to it.
    expect(r.trace[r.trace.length - 1]?.vars.x).toBe(2);
  });

  needsTlc('gives error (exit 150) for a spec that does not parse', async () => {
    const r = await runTlc({ dir: FIXTURES, spec: 'Broken' });
    expect(r.outcome).toBe('error');
    expect(r.exitCode).toBe(150);
    expect(r.errors.join('\n')).toMatch(/does not parse/);
  });

  needsTlc("keeps the spec's Print output out of a pass's errors", async () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'P.tla'),
      '---- MODULE P ----\nEXTENDS TLC\nVARIABLE x\nInit == x = 0 /\\ PrintT("hello")\nNext == x\' = x\n====\n',
    );
    writeFileSync(join(dir, 'P.cfg'), 'INIT Init\nNEXT Next\n');
    const r = await runTlc({ dir, spec: 'P' });
    expect(r.outcome).toBe('pass');
    expect(r.errors).toEqual([]);
    // One state (x = 0); Next keeps it, so 1 initial + 1 successor = 2 generated; depth 1.
    expect([r.distinctStates, r.statesGenerated, r.depth]).toEqual([1, 2, 1]);
    expect(r.raw).toMatch(/"hello"/);
  });

  needsTlc('gives error (exit 151) for an invariant the spec does not define', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'C.tla'), "---- MODULE C ----\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n");
    writeFileSync(join(dir, 'C.cfg'), 'INIT Init\nNEXT Next\nINVARIANT Nope\n');
    const r = await runTlc({ dir, spec: 'C' });
    expect(r.outcome).toBe('error');
    expect(r.exitCode).toBe(151);
    expect(r.errors.join('\n')).toMatch(/Nope/);
  });
});

describe('runTlc without its tools', () => {
  it('says java is missing when PATH has no java', async () => {
    const empty = scratchDir();
    const env = { ...process.env, PATH: empty, JAVA_HOME: undefined };
    const p = runTlc({ dir: FIXTURES, spec: 'Counter', env });
    await expect(p).rejects.toThrow(MissingToolError);
    await expect(p).rejects.toThrow(/^java not found on PATH; install a JDK 11\+ .*scripts\/setup\.sh/);
  });

  it('says the jar is missing when TLA2TOOLS_JAR points nowhere', async () => {
    const env = { ...process.env, TLA2TOOLS_JAR: '/nonexistent/tla2tools.jar' };
    const p = runTlc({ dir: FIXTURES, spec: 'Counter', env });
    await expect(p).rejects.toThrow(MissingToolError);
    await expect(p).rejects.toThrow(/TLC jar not found: TLA2TOOLS_JAR=\/nonexistent\/tla2tools\.jar is not a file/);
  });

  it('gives error, not pass, when "java" exits 0 with output that is not TLC -tool output', async () => {
    const bin = scratchDir();
    const fake = join(bin, 'java');
    writeFileSync(fake, '#!/bin/sh\necho "Model checking completed. No error has been found."\nexit 0\n');
    chmodSync(fake, 0o755);
    // Any existing file will do as the jar: the fake java does not read it.
    const env = fakeJavaEnv(bin);
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', env });
    expect(r.outcome).toBe('error');
    expect(r.exitCode).toBe(0);
    expect(r.errors[0]).toMatch(/not understood/);
  });

  it('gives error when TLC is killed by the timeout', async () => {
    const bin = scratchDir();
    const fake = join(bin, 'java');
    writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(fake, 0o755);
    const env = fakeJavaEnv(bin);
    const r = await runTlc({ dir: FIXTURES, spec: 'Counter', env, timeoutMs: 200 });
    expect(r.outcome).toBe('error');
    expect(r.exitCode).toBe(-1);
    expect(r.errors[0]).toBe('TLC timed out after 200 ms');
  });

  it('refuses a spec file that does not exist, naming the field', async () => {
    await expect(runTlc({ dir: FIXTURES, spec: 'NoSuchSpec' })).rejects.toThrow(
      /^spec: .*NoSuchSpec\.tla: no such file$/,
    );
  });
});
