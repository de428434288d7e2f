// Children (QEMU, a kernel build's make) and temp folders that must not outlive this process, whichever way
// it ends: a normal end runs each owner's own cleanup; this module covers the rest, a process exit with the
// work still running and SIGINT, SIGTERM or SIGHUP, after which the signal is raised again so the process
// still ends the way the signal asks. Each cleanup is synchronous (kill, rmSync): nothing asynchronous runs
// once the process is exiting.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Cleanup = () => void;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const pending = new Set<Cleanup>();
let installed = false;

function runAll(): void {
  for (const fn of [...pending]) {
    pending.delete(fn);
    try {
      fn();
    } catch {
      // One failed cleanup must not keep the others from running.
    }
  }
}

function onSignal(sig: NodeJS.Signals): void {
  runAll();
  uninstall();
  // Without listeners of its own the process now dies of the signal, with the usual 128 + n status.
  process.kill(process.pid, sig);
}

const handlers = new Map(SIGNALS.map((s) => [s, () => onSignal(s)] as const));

function install(): void {
  if (installed) return;
  installed = true;
  for (const [sig, h] of handlers) process.on(sig, h);
  process.on('exit', runAll);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const [sig, h] of handlers) process.off(sig, h);
  process.off('exit', runAll);
}

/**
 * Registers `fn` to run if the process exits or is signalled before the returned function is called; the
 * returned function unregisters it (without running it). Signal handlers are installed only while
 * something is registered.
 */
export function registerCleanup(fn: Cleanup): () => void {
  pending.add(fn);
  install();
  return () => {
    pending.delete(fn);
    if (pending.size === 0) uninstall();
  };
}

/** Sends `signal` to a child's whole process group (spawned with detached: true); no error if it is gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already ended.
  }
}

let deathSignal: string[] | null = null;

/**
 * The command prefix that makes a child die with this process even when it is SIGKILLed and no handler runs:
 * setpriv's parent-death signal (prctl PR_SET_PDEATHSIG), where util-linux's setpriv has it; else nothing.
 */
export function dieWithParent(): readonly string[] {
  if (deathSignal === null) {
    const r = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
    deathSignal = !r.error && r.stdout.includes('--pdeathsig') ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
  }
  return deathSignal;
}

/** A temporary folder this process owns: removed by remove(), or on any way out before that. */
export interface OwnedDir {
  readonly path: string;
  remove(): void;
}

/** Makes a folder under the system's temporary directory, named `<prefix>XXXXXX`, owned as above. */
export function ownedTempDir(prefix: string): OwnedDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const unregister = registerCleanup(() => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    remove(): void {
      unregister();
      rmSync(path, { recursive: true, force: true });
    },
  };
}
