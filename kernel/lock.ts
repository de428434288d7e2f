// An exclusive flock(2) held for the length of a task, so that two processes building the same kernel or
// extracting the same source wait for each other instead of writing into the same tree.
//
// Node has no flock, so the lock is held by a `flock` child (util-linux) whose command only waits for its
// stdin to close: the lock is released when the task ends, and also when this process dies in any way,
// SIGKILL included, because the kernel closes the pipe and `cat` sees end of file.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MissingToolError, ToolError } from '../io/errors.js';

/**
 * Runs `task` while holding an exclusive lock on `lockFile` (created if needed). `onWait` is called once
 * when another process holds the lock, so the caller can say what it is waiting for.
 */
export async function withLock<T>(lockFile: string, task: () => Promise<T>, onWait?: () => void): Promise<T> {
  if (spawnSync('flock', ['--version'], { stdio: 'ignore' }).error) {
    throw new MissingToolError('flock: not found; install util-linux (apt-get install util-linux)');
  }
  mkdirSync(dirname(lockFile), { recursive: true });
  const holder = spawn('flock', ['--exclusive', lockFile, 'sh', '-c', 'echo locked && exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => holder.once('close', (code) => resolve(code)));
  let stderr = '';
  holder.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const waitNotice = setTimeout(() => onWait?.(), 250);
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('error', (e) => reject(new ToolError(`flock ${lockFile}: ${e.message}`)));
      void exited.then((code) => reject(new ToolError(`flock ${lockFile}: exited ${code}: ${stderr.trim()}`)));
    });
  } catch (e) {
    clearTimeout(waitNotice);
    holder.kill('SIGKILL');
    throw e;
  }
  clearTimeout(waitNotice);
  try {
    return await task();
  } finally {
    holder.stdin.end();
    await exited;
  }
}
