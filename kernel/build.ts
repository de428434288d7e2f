// Builds the guest kernel: Linux 6.12 from Debian's linux-source-6.12, `make tinyconfig` plus the fragment
// kernel/config/mapping-order.config, optional patches, `make bzImage` out of tree (O=). Each build is
// cached under the sha256 of its inputs (kernel/build-key.ts), so running it again with nothing changed
// reuses the bzImage. A build runs in <key>.work and its results appear by one rename, so a killed build is
// never mistaken for a finished one; a second process building the same key waits on <key>.lock.

import { spawn } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingToolError, ToolError } from '../io/errors.js';
import { killGroup, registerCleanup } from '../io/cleanup.js';
import { buildKey } from './build-key.js';
import { cacheRoot } from './cache.js';
import { parseConfig, verifyConfig } from './config.js';
import { withLock } from './lock.js';
import { patchedPaths, patchedTree } from './patch-tree.js';
import { kernelSource, SOURCE_PACKAGE } from './source.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_FRAGMENT = join(REPO, 'kernel', 'config', 'mapping-order.config');

export interface BuildKernelOptions {
  /** Patch files (unified diffs, -p1), applied in this order to a copy of the source. */
  patches?: readonly string[];
  /** The configuration fragment merged over tinyconfig; kernel/config/mapping-order.config by default. */
  fragment?: string;
  /** make -j; the number of CPUs by default. */
  jobs?: number;
  /** One line per step (extraction, the build, the reuse of a cached build). */
  log?: (line: string) => void;
}

export interface KernelBuild {
  /** The kernel image for qemu -kernel. */
  bzImage: string;
  /** The final .config of the build, and its System.map (to read addresses in a panic). */
  config: string;
  systemMap: string;
  /** sha256 of (source package version, fragment text, patch texts). */
  key: string;
  version: string;
  /** true when a finished build of the same key was reused. */
  cached: boolean;
  /** Wall time of this call, seconds. */
  seconds: number;
}

/** What a finished build records next to its bzImage. */
interface BuildRecord {
  key: string;
  version: string;
  fragment: string;
  patches: string[];
  seconds: number;
  finished: string;
}

/** Builds (or reuses) the kernel; ToolError with make's first error line when the build fails. */
export async function buildKernel(opts: BuildKernelOptions = {}): Promise<KernelBuild> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const fragmentPath = resolve(opts.fragment ?? DEFAULT_FRAGMENT);
  const fragmentText = readFileSync(fragmentPath, 'utf8');
  parseConfig(fragmentText, fragmentPath);
  const patches = (opts.patches ?? []).map((p) => ({ path: resolve(p), text: readFileSync(p, 'utf8') }));
  for (const p of patches) patchedPaths(p.text, p.path);

  const source = await kernelSource(log);
  const key = buildKey({ version: source.version, fragment: fragmentText, patches: patches.map((p) => p.text) });
  const dir = join(cacheRoot(), 'kernel', 'build', key.slice(0, 16));
  const result = (cached: boolean): KernelBuild => ({
    bzImage: join(dir, 'bzImage'),
    config: join(dir, 'config'),
    systemMap: join(dir, 'System.map'),
    key,
    version: source.version,
    cached,
    seconds: (Date.now() - t0) / 1000,
  });
  const reused = (): KernelBuild => {
    const r = result(true);
    const rec = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8')) as BuildRecord;
    log(`kernel: reused the cached bzImage ${r.bzImage} (built in ${rec.seconds.toFixed(0)}s on ${rec.finished})`);
    return r;
  };
  if (existsSync(join(dir, 'build.json'))) return reused();

  return withLock(
    `${dir}.lock`,
    async () => {
      if (existsSync(join(dir, 'build.json'))) return reused();
      const work = `${dir}.work`;
      mkdirSync(work, { recursive: true });
      let srcTree = source.dir;
      if (patches.length > 0) {
        // A copy half patched by a killed run cannot be trusted; the object tree can (kbuild records each
        // command after it succeeded, scripts/Kbuild.include if_changed), so only the copy is redone.
        srcTree = join(work, 'src');
        rmSync(srcTree, { recursive: true, force: true });
        log(`kernel: applying ${patches.length} patch${patches.length === 1 ? '' : 'es'} to a copy of ${source.dir}`);
        await patchedTree(source.dir, patches, srcTree);
      }
      const obj = join(work, 'obj');
      mkdirSync(obj, { recursive: true });
      const logFile = join(work, 'build.log');
      writeFileSync(logFile, '');
      const jobs = opts.jobs ?? availableParallelism();
      const make = (args: string[]): Promise<void> =>
        run('make', ['-C', srcTree, `O=${obj}`, 'ARCH=x86_64', ...args], srcTree, logFile);

      const nPatches = `${patches.length} patch${patches.length === 1 ? '' : 'es'}`;
      log(
        `kernel: building ${key.slice(0, 16)} (${SOURCE_PACKAGE} ${source.version}, ${nPatches}):` +
          ` make -j${jobs} bzImage, log in ${logFile}`,
      );
      await make(['tinyconfig']);
      await run(
        'scripts/kconfig/merge_config.sh',
        ['-m', '-O', obj, join(obj, '.config'), fragmentPath],
        srcTree,
        logFile,
      );
      await make(['olddefconfig']);
      verifyConfig(fragmentText, fragmentPath, readFileSync(join(obj, '.config'), 'utf8'));
      await make([`-j${jobs}`, 'bzImage']);

      const stage = `${dir}.tmp`;
      rmSync(stage, { recursive: true, force: true });
      mkdirSync(stage);
      copyFileSync(join(obj, 'arch', 'x86', 'boot', 'bzImage'), join(stage, 'bzImage'));
      copyFileSync(join(obj, '.config'), join(stage, 'config'));
      copyFileSync(join(obj, 'System.map'), join(stage, 'System.map'));
      const record: BuildRecord = {
        key,
        version: source.version,
        fragment: fragmentPath,
        patches: patches.map((p) => p.path),
        seconds: (Date.now() - t0) / 1000,
        finished: new Date().toISOString(),
      };
      writeFileSync(join(stage, 'build.json'), JSON.stringify(record, null, 2) + '\n');
      renameSync(stage, dir);
      rmSync(work, { recursive: true, force: true });
      log(`kernel: built ${join(dir, 'bzImage')} in ${record.seconds.toFixed(0)}s`);
      return result(false);
    },
    () => log(`kernel: waiting for another process building ${key.slice(0, 16)} (${dir}.lock)`),
  );
}

/**
 * The environment of every build step: fixed build user, host and time (what `uname -v` shows), so the
 * same inputs give the same image (Documentation/kbuild/reproducible-builds.rst).
 */
function buildEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KBUILD_BUILD_USER: 'mapping-order',
    KBUILD_BUILD_HOST: 'mapping-order',
    KBUILD_BUILD_TIMESTAMP: 'Thu Jan  1 00:00:00 UTC 1970',
    KBUILD_BUILD_VERSION: '1',
    LC_ALL: 'C',
  };
}

/** Runs one build step, its output appended to the log; ToolError with the first error line on failure. */
function run(cmd: string, args: string[], cwd: string, logFile: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    out.write(`$ ${cmd} ${args.join(' ')}\n`);
    // Its own process group, so that a signal to this process takes make's compilers down with it.
    const child = spawn(cmd, args, { cwd, env: buildEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const unregister = registerCleanup(() => killGroup(child.pid));
    let tail = '';
    let firstError: string | null = null;
    const scan = (d: Buffer): void => {
      out.write(d);
      const lines = (tail + d.toString('utf8')).split('\n');
      tail = lines.pop() ?? '';
      firstError ??= lines.find((l) => /error:|undefined reference|\*\*\*/i.test(l)) ?? null;
    };
    child.stdout.on('data', scan);
    child.stderr.on('data', scan);
    child.once('error', (e) => {
      unregister();
      out.end();
      reject(new MissingToolError(`${cmd}: ${e.message}; install the kernel build tools (bash scripts/setup.sh)`));
    });
    child.once('close', (code, signal) => {
      unregister();
      out.end();
      if (code === 0) return resolvePromise();
      const why = firstError ?? (tail.trim() || `${signal ?? `exit ${code}`}`);
      reject(new ToolError(`kernel build: ${cmd} ${args.at(-1)} failed: ${why.trim()} (log: ${logFile})`));
    });
  });
}
