// A tmpfs mounted with huge=always in a temporary folder, for the shmem-huge
// probes (shmem_get_unmapped_area on a superblock with SHMEM_HUGE_ALWAYS).
// Only root can mount; every other outcome is a reason to skip those cases.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from '../io/cleanup.js';

export interface HugeTmpfs {
  readonly dir: string;
  /** A file path inside the mount. */
  readonly file: string;
  unmount(): void;
}

/** The mount options /proc/mounts lists for `dir`, or null when it is not a mount point. */
export function mountOptions(mounts: string, dir: string): string | null {
  for (const line of mounts.split('\n')) {
    const f = line.split(' ');
    // /proc/mounts escapes spaces in paths as \040
    if (f.length >= 4 && f[1]!.replace(/\\040/g, ' ') === dir) return f[3]!;
  }
  return null;
}

/** Mounts a huge=always tmpfs, or returns the reason it cannot. */
export function mountHugeTmpfs(): HugeTmpfs | { skipped: string } {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { skipped: 'not root: cannot mount a tmpfs with huge=always' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mapping-order-probe-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'huge=always,size=64m,mode=0700', 'mapping-order-probe', dir], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    rmdirSync(dir);
    const why = r.error ? r.error.message : (r.stderr || `exit ${r.status}`).trim().split('\n')[0];
    return { skipped: `cannot mount a tmpfs with huge=always: ${why}` };
  }
  const release = (): void => {
    // Lazily: the probe helper may still hold the file open when a signal ends the run.
    spawnSync('umount', ['-l', dir]);
    try {
      rmdirSync(dir);
    } catch {
      // still mounted (busy): leave the empty folder rather than fail the run
    }
  };
  // Unmounted on every way out, a signal or a closed stdout included (io/cleanup.ts), not only at the end.
  const unregister = registerCleanup(release);
  const unmount = (): void => {
    unregister();
    release();
  };
  const opts = mountOptions(readFileSync('/proc/mounts', 'utf8'), dir);
  if (opts === null || !opts.split(',').includes('huge=always')) {
    unmount();
    return { skipped: `the tmpfs at ${dir} did not keep huge=always (options: ${opts ?? 'not mounted'})` };
  }
  return { dir, file: join(dir, 'probe-file'), unmount };
}
