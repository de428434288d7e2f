// However a process ends (a signal, or exit with its work still running), what it registered with
// io/cleanup.ts is gone afterwards, and a signal still ends it with the signal's status.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'io', 'cleanup-child.ts');

/** A process that runs: not gone, and not a zombie waiting for whoever inherited it to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

interface Ended {
  status: number | null;
  signal: string | null;
  pid: number;
  dir: string;
}

async function run(how: NodeJS.Signals | 'exit'): Promise<Ended> {
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD, how === 'exit' ? 'exit' : 'wait'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => {
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
  });
  const [pid, dir] = line.split(' ');
  expect(alive(Number(pid))).toBe(true);
  expect(existsSync(dir as string)).toBe(true);
  if (how !== 'exit') p.kill(how);
  const [status, signal] = await new Promise<[number | null, string | null]>((r) =>
    p.once('exit', (c, s) => r([c, s])),
  );
  // SIGKILL is delivered asynchronously: give the kernel a moment to end the `sleep`.
  await new Promise((r) => setTimeout(r, 200));
  return { status, signal, pid: Number(pid), dir: dir as string };
}

describe('registerCleanup', () => {
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`runs the cleanups on ${sig}, then dies of it`, async () => {
      const r = await run(sig);
      expect(r.signal).toBe(sig);
      expect(alive(r.pid)).toBe(false);
      expect(existsSync(r.dir)).toBe(false);
    });
  }

  it('runs the cleanups when the process exits with them still registered', async () => {
    const r = await run('exit');
    expect(r.status).toBe(7);
    expect(alive(r.pid)).toBe(false);
    expect(existsSync(r.dir)).toBe(false);
  });
});
