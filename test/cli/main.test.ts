// The executable's own ways out: a fault of ours is exit 70 with one line (never "a check disagreed");
// input nested too deep, or a huge bad value, is bad input with a short line; a reader that closes stdout
// early ends the command quietly (exit 141, nothing on stderr). Real child processes of bin/mapping-order.js.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { exitCodeFor, InputError } from '../../io/errors.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'mapping-order.js');
const dir = mkdtempSync(join(tmpdir(), 'main-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('8000 nested arrays are refused as bad input (exit 2) at the position, not a stack overflow', () => {
  const r = spawnSync(process.execPath, [BIN, 'place', '-'], { input: '['.repeat(8000), encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(
    'mapping-order: input: malformed JSON at line 1, column 65: nested deeper than 64 arrays and objects\n',
  );
});

it('an error line quotes at most about 80 characters of a bad value (a 200,000-digit number)', () => {
  const input = JSON.stringify({
    arch: 'x86_64',
    policy: 'baseline',
    file: { kind: 'anon' },
    request: { len: '9'.repeat(200_000) },
  });
  const r = spawnSync(process.execPath, [BIN, 'place', '-'], { input, encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr.length).toBeLessThan(200);
  expect(r.stderr).toContain('(200000 characters)');
});

it('anything else that escapes a command is an internal error: exit 70 (never 1, "a check disagreed")', () => {
  expect(exitCodeFor(new TypeError('x is undefined'))).toBe(70);
  expect(exitCodeFor(new RangeError('Maximum call stack size exceeded'))).toBe(70);
  expect(exitCodeFor(new InputError('f', 'bad'))).toBe(2);
});

it('a closed stdout ends `place` quietly: exit 141, no stack trace', async () => {
  const line = JSON.stringify({
    arch: 'x86_64',
    policy: 'optimal',
    file: { kind: 'anon' },
    request: { len: '0x200000' },
  });
  const input = join(dir, 'many.jsonl');
  writeFileSync(input, `${line}\n`.repeat(20000));
  const child = spawn(process.execPath, [BIN, 'place', '--json', input], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  // The reader takes the first chunk and goes away, as `| head -1` does.
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  expect(stderr).toBe('');
  expect(code).toBe(141);
});
