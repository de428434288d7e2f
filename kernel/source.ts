// The kernel source: Debian's linux-source-6.12 package (a tarball of Linux 6.12 LTS with Debian's patches
// applied), extracted once per package version into the cache, never into the clone.
//
// The extracted tree stays pristine: builds use it read-only with O= (kbuild writes nothing into the source
// tree of an out-of-tree build) and patched builds work on a copy (kernel/patch-tree.ts).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MissingToolError, ToolError } from '../io/errors.js';
import { registerCleanup } from '../io/cleanup.js';
import { cacheRoot } from './cache.js';
import { withLock } from './lock.js';

export const SOURCE_PACKAGE = 'linux-source-6.12';
export const SOURCE_TARBALL = `/usr/src/${SOURCE_PACKAGE}.tar.xz`;

export interface KernelSource {
  /** The Debian package version, e.g. 6.12.118-1~deb12u1. */
  version: string;
  /** The extracted tree: <cache>/kernel/src/<version, ~ as _>/linux-source-6.12. */
  dir: string;
}

/** The installed version of linux-source-6.12; MissingToolError when it is not installed. */
export function sourcePackageVersion(): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev} ${Version}', SOURCE_PACKAGE], {
    encoding: 'utf8',
  });
  if (r.error) {
    throw new MissingToolError(`${SOURCE_PACKAGE}: dpkg-query not found; this needs a Debian machine`);
  }
  const m = /^ii\s+(\S+)$/.exec((r.stdout ?? '').trim());
  if (r.status !== 0 || !m?.[1]) {
    throw new MissingToolError(`${SOURCE_PACKAGE}: not installed; as root: apt-get install ${SOURCE_PACKAGE}`);
  }
  return m[1];
}

/** The cache folder name of a package version: Debian's `~` is awkward in paths and make variables. */
export function versionDirName(version: string): string {
  return version.replaceAll('~', '_');
}

/** <cache>/kernel/src/<version>; the tree itself is its linux-source-6.12 subfolder. */
export function sourceVersionDir(version: string, root: string = cacheRoot()): string {
  return join(root, 'kernel', 'src', versionDirName(version));
}

/**
 * The extracted source of the installed package, extracting it first if this version was never extracted.
 * `log` receives one line per step taken.
 */
export async function kernelSource(log: (line: string) => void = () => {}): Promise<KernelSource> {
  const version = sourcePackageVersion();
  const versionDir = sourceVersionDir(version);
  const dir = join(versionDir, SOURCE_PACKAGE);
  // The version folder appears only by the final rename, so its existence means a complete extraction.
  if (existsSync(join(dir, 'Makefile'))) return { version, dir };
  if (!existsSync(SOURCE_TARBALL)) {
    throw new MissingToolError(`${SOURCE_PACKAGE}: ${SOURCE_TARBALL} is missing; reinstall ${SOURCE_PACKAGE}`);
  }
  await withLock(
    `${versionDir}.lock`,
    async () => {
      if (existsSync(join(dir, 'Makefile'))) return;
      if (existsSync(versionDir)) {
        throw new ToolError(`${versionDir}: exists without ${SOURCE_PACKAGE}/Makefile (not made by us); remove it`);
      }
      const parent = join(versionDir, '..');
      const base = `${versionDirName(version)}.tmp-`;
      // Holding the lock, any temp folder left here belongs to an extraction that was killed.
      for (const name of readdirSync(parent)) {
        if (name.startsWith(base)) rmSync(join(parent, name), { recursive: true, force: true });
      }
      const tmp = join(parent, `${base}${process.pid}`);
      mkdirSync(tmp, { recursive: true });
      log(`kernel: extracting ${SOURCE_TARBALL} into ${versionDir}`);
      const t0 = Date.now();
      try {
        await untar(SOURCE_TARBALL, tmp);
        if (!existsSync(join(tmp, SOURCE_PACKAGE, 'Makefile'))) {
          throw new ToolError(`${SOURCE_TARBALL}: has no ${SOURCE_PACKAGE}/Makefile`);
        }
        renameSync(tmp, versionDir);
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true });
        throw e;
      }
      log(`kernel: extracted in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    },
    () => log(`kernel: waiting for another process extracting ${SOURCE_PACKAGE} (${versionDir}.lock)`),
  );
  return { version, dir };
}

function untar(tarball: string, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-xJf', tarball, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Killed with this process, its half-extracted folder removed (the next run would remove it too).
    const unregister = registerCleanup(() => {
      tar.kill('SIGKILL');
      rmSync(into, { recursive: true, force: true });
    });
    tar.once('close', unregister);
    let stderr = '';
    tar.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    tar.once('error', (e) => reject(new MissingToolError(`tar: ${e.message}; install tar and xz-utils`)));
    tar.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new ToolError(`tar -xJf ${tarball}: ${signal ?? `exit ${code}`}: ${firstLine(stderr)}`));
    });
  });
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '') ?? '(no message)';
}
