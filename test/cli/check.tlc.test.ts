// `check` with a TLC run that does not finish in time: the run is killed and reported as a tool error
// (exit 4), not as a verdict that differed. A real check in a child process.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { tlcMissing } from '../helpers/tlc-missing.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const missing = tlcMissing();
if (missing !== null) console.log(`skipped: check --tlc-timeout: ${missing}`);

it.skipIf(missing !== null)('--tlc-timeout 1: the run is killed, exit 4, a tool error and no mismatch', () => {
  // MCBaseline explores 220,246 states: far more than a second's worth on these machines.
  const args = ['bin/mapping-order.js', 'check', '--only', 'MCBaseline', '--tlc-timeout', '1'];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(4);
  expect(r.stdout).toContain('MCBaseline: TLC error: TLC timed out after 1000 ms');
  expect(r.stdout).toMatch(/tlc: 1 configurations, 0 matrix cells decided, 0 mismatches, 1 TLC runs failed/);
});
