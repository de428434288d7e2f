// cli/check.ts: argument handling and the derivation of matrix cells from configuration runs, without
// running TLC (test/spec/configs.tlc.test.ts does that).

import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseCheckArgs } from '../../cli/check.js';
import { decidingConfig, loadManifest } from '../../check/manifest.js';
import { decideCells, outcomeMatches, type ConfigOutcome } from '../../check/tlc-stage.js';
import { InputError } from '../../io/errors.js';

const BIN = join(resolve(import.meta.dirname, '..', '..'), 'bin', 'mapping-order.js');

const m = loadManifest();

function run(name: string, observed: ConfigOutcome['observed'], violated: string | null): ConfigOutcome {
  const entry = m.configs.find((c) => c.name === name);
  if (entry === undefined) throw new Error(`${name} missing from spec/verdicts.json`);
  return {
    entry,
    observed,
    violated,
    matched: observed !== 'error' && outcomeMatches(entry, observed, violated),
    distinct: 1,
    generated: 1,
    depth: 1,
    seconds: 0,
    error: null,
    explanation: null,
  };
}

describe('parseCheckArgs', () => {
  it('takes the defaults and the options', () => {
    expect(parseCheckArgs([])).toEqual({
      json: false,
      only: undefined,
      workers: 2,
      counterexamples: true,
      record: false,
      tlcTimeoutSeconds: 3600,
    });
    const args = ['--json', '--only', 'MCV2.cfg', '--workers', '1', '--no-counterexamples', '--tlc-timeout', '90'];
    expect(parseCheckArgs(args)).toEqual({
      json: true,
      only: 'MCV2',
      workers: 1,
      counterexamples: false,
      record: false,
      tlcTimeoutSeconds: 90,
    });
  });

  it('refuses bad input naming the field', () => {
    expect(() => parseCheckArgs(['--workers', '0'])).toThrow(/--workers: must be an integer/);
    expect(() => parseCheckArgs(['--workers'])).toThrow(InputError);
    expect(() => parseCheckArgs(['--only', 'MCNope'])).toThrow(/--only: unknown configuration 'MCNope'/);
    expect(() => parseCheckArgs(['--only'])).toThrow(/--only: needs a configuration name/);
    expect(() => parseCheckArgs(['--frobnicate'])).toThrow(/--frobnicate: unknown option/);
    expect(() => parseCheckArgs(['--tlc-timeout', '0'])).toThrow(/--tlc-timeout: must be a number of seconds/);
    expect(() => parseCheckArgs(['--tlc-timeout'])).toThrow(/--tlc-timeout: must be a number of seconds/);
  });
});

describe('decideCells', () => {
  it('decides a holds cell by the main run and a violated cell by its own run', () => {
    expect(decidingConfig(m, 'Congruent', 'v2', 'x86')?.name).toBe('MCV2');
    expect(decidingConfig(m, 'OrderClamped', 'v2', 'x86')?.name).toBe('MCV2_OrderClamped');
    expect(decidingConfig(m, 'Congruent', 'v2', 'arm64')?.name).toBe('MCV2Arm64');
    const cells = decideCells(m, [run('MCV2', 'pass', null), run('MCV2_OrderClamped', 'violation', 'OrderClamped')]);
    expect(cells.find((c) => c.invariant === 'Congruent' && c.policy === 'v2')).toMatchObject({
      observed: 'holds',
      matched: true,
    });
    expect(cells.find((c) => c.invariant === 'OrderClamped' && c.policy === 'v2')).toMatchObject({
      observed: 'violated',
      matched: true,
    });
    expect(cells.find((c) => c.invariant === 'Congruent' && c.policy === 'jason')).toMatchObject({
      observed: 'not run',
    });
  });

  it('reports a contradiction, and an invariant TLC did not reach, as mismatches', () => {
    const cells = decideCells(m, [run('MCV2', 'violation', 'NoOverlap'), run('MCV2_OrderClamped', 'pass', null)]);
    expect(cells.find((c) => c.invariant === 'NoOverlap' && c.policy === 'v2')).toMatchObject({
      observed: 'violated',
      matched: false,
    });
    // TLC stops at the first violation: the run says nothing about Congruent
    expect(cells.find((c) => c.invariant === 'Congruent' && c.policy === 'v2')).toMatchObject({
      observed: 'undecided',
      matched: false,
    });
    expect(cells.find((c) => c.invariant === 'OrderClamped' && c.policy === 'v2')).toMatchObject({
      observed: 'holds',
      matched: false,
    });
  });
});

describe('check --json without its tools', () => {
  it('still prints a JSON object: ok false, exit code 3, the reason', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
    delete env.JAVA_HOME;
    const r = spawnSync(process.execPath, [BIN, 'check', '--only', 'MCV2', '--json'], { env, encoding: 'utf8' });
    expect(r.status).toBe(3);
    const doc = JSON.parse(r.stdout) as { ok: boolean; exitCode: string; error: string };
    expect(doc.ok).toBe(false);
    expect(doc.exitCode).toBe('3');
    expect(doc.error).toMatch(/^java not found on PATH/);
  });
});
