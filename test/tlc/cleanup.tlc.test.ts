// `check` interrupted while TLC runs leaves nothing behind: a real `mapping-order check` in a child process,
// a real signal once its JVM is up, then no JVM and no mapping-order-tlc-* folder of that run remain. With
// SIGKILL no handler runs: the JVM still dies (setpriv's parent-death signal, io/cleanup.ts dieWithParent).

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tlcMissing } from '../helpers/tlc-missing.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const missing = tlcMissing();
if (missing !== null) console.log(`skipped: check interrupted: ${missing}`);

/** A process that runs: not gone, and not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The JVMs running TLC whose parent is `ppid` (setpriv execs java, so the JVM is check's own child). */
function tlcJvmsOf(ppid: number): { pid: number; tmp: string }[] {
  const out: { pid: number; tmp: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const tmp = argv.find((a) => a.startsWith('-Djava.io.tmpdir='))?.slice('-Djava.io.tmpdir='.length);
      if (parent === ppid && argv.includes('tlc2.TLC') && tmp !== undefined) out.push({ pid: Number(name), tmp });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

async function waitFor<T>(what: string, f: () => T | null, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.sequential('check interrupted while TLC runs', () => {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    it.skipIf(missing !== null)(`${sig}: no JVM left${sig === 'SIGKILL' ? '' : ', no folder left'}`, async () => {
      const child = spawn(process.execPath, ['bin/mapping-order.js', 'check', '--only', 'MCBaseline'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
        child.on('exit', (code, signal) => r({ code, signal })),
      );
      const jvm = await waitFor('the TLC JVM', () => tlcJvmsOf(child.pid!)[0] ?? null, 60_000);
      expect(existsSync(jvm.tmp)).toBe(true);
      child.kill(sig);
      const how = await exited;
      // The process ends the way the signal asks (the handlers re-raise it after cleaning up).
      expect(how.signal).toBe(sig);
      await waitFor('the JVM to end', () => (alive(jvm.pid) ? null : true), 10_000);
      if (sig !== 'SIGKILL') expect(existsSync(jvm.tmp)).toBe(false);
    });
  }
});
