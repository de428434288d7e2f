// The executable's own ways out: a fault of ours is exit 70 with one line (never "a check disagreed"), and a
// reader that closes stdout early ends the command quietly (exit 141, nothing on stderr). Real child
// processes of bin/mapping-order.js.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'mapping-order.js');
const dir = mkdtempSync(join(tmpdir(), 'main-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('an internal fault (a stack overflow on 8000 nested arrays) is exit 70 and one line', () => {
  const r = spawnSync(process.execPath, [BIN, 'place', '-'], { input: '['.repeat(8000), encoding: 'utf8' });
  expect(r.status).toBe(70);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(r.stderr).toMatch(/^mapping-order: internal error: /);
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
