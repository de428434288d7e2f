// Two holders of the same lock file run one after the other; the second is told it waits.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { withLock } from '../../kernel/lock.js';

const noFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).error !== undefined;
if (noFlock) console.log('skipped: withLock: flock is missing (apt-get install util-linux)');

it.skipIf(noFlock)('serialises two tasks on one lock file and releases it after a failure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapping-order-lock-'));
  try {
    const lock = join(dir, 'x.lock');
    const events: string[] = [];
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    const first = withLock(lock, async () => {
      events.push('first in');
      await sleep(800);
      events.push('first out');
    });
    await sleep(200);
    let waited = false;
    const second = withLock(
      lock,
      async () => {
        events.push('second in');
      },
      () => (waited = true),
    );
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
    expect(waited).toBe(true);

    await expect(withLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await withLock(lock, async () => events.push('third in'));
    expect(events.at(-1)).toBe('third in');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
