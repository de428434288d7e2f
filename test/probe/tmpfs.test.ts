// The probe's huge=always tmpfs is unmounted however the probe ends: a real `probe` in a child process,
// interrupted by a real signal once the mount is there, leaves no mapping-order-probe mount behind.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root) console.log('skipped: probe interrupted: not root, so the probe mounts no tmpfs');

const probeMounts = (): string[] =>
  readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('mapping-order-probe '));

async function until(what: string, f: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.sequential('probe interrupted', () => {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it.skipIf(!root)(`${sig}: the huge=always tmpfs is unmounted`, async () => {
      const before = probeMounts().length;
      const child = spawn(process.execPath, ['bin/mapping-order.js', 'probe', '--quiet'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
      await until('the probe mount', () => probeMounts().length > before, 60_000);
      child.kill(sig);
      expect(await exited).toBe(sig);
      expect(probeMounts().length).toBe(before);
    });
  }
});
