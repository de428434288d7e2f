// Statically linked programs for the guest (its /init, the probe helper): compiled with the system C
// compiler and cached by the sha256 of the source, the flags and the compiler's version, under a private
// name then renamed, so two processes compiling at once never see half a binary.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MissingToolError, ToolError } from '../io/errors.js';
import { cacheRoot } from '../kernel/cache.js';

const FLAGS = ['-static', '-O2', '-Wall', '-Wextra'];

/** The compiler: $CC or cc. MissingToolError when it does not run. */
function compiler(): { cc: string; version: string } {
  const cc = process.env.CC && process.env.CC.trim() !== '' ? process.env.CC.trim() : 'cc';
  const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new MissingToolError(`${cc}: no C compiler; install gcc and libc6-dev`);
  return { cc, version: r.stdout };
}

/** Compiles `source` (a C file) into a static executable and returns its path; cached. */
export function compileStatic(source: string, extraFlags: readonly string[] = []): string {
  const { cc, version } = compiler();
  const flags = [...FLAGS, ...extraFlags];
  const text = readFileSync(source);
  const key = createHash('sha256')
    .update(text)
    .update(`\0${flags.join(' ')}\0${cc}\0${version}`)
    .digest('hex');
  const dir = join(cacheRoot(), 'vm', 'bin');
  const out = join(dir, `${basename(source, '.c')}-${key.slice(0, 16)}`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const r = spawnSync(cc, [...flags, '-o', tmp, source], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const lines = `${r.stderr ?? ''}${r.error?.message ?? ''}`.split('\n');
    if (lines.some((l) => /cannot find -lc\b/.test(l))) {
      throw new MissingToolError(`${cc} -static: no static C library; install libc6-dev`);
    }
    const why = lines.find((l) => /error/.test(l)) ?? lines.find((l) => l.trim() !== '') ?? `exit ${r.status}`;
    throw new ToolError(`${cc} -static ${source}: ${why}`);
  }
  renameSync(tmp, out);
  return out;
}
