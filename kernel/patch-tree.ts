// A patched copy of the pristine source tree, for builds with patches (kernel/patches/). The pristine tree
// is read by others and must not change, and a full copy is 1.5 GB, so the copy shares every file with it
// by hard links (cp -al) and first gives each file a patch touches a private copy: whatever way `patch`
// writes a file (GNU patch renames a new file over the old one, but that is not something to rely on), it
// then writes a file only the copy has.

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, renameSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { InputError, MissingToolError, ToolError } from '../io/errors.js';

/**
 * The tree-relative paths a unified diff writes (both sides of each file header, with one leading
 * component stripped as `patch -p1` does; /dev/null left out). `source` names the patch in errors.
 */
export function patchedPaths(text: string, source: string): string[] {
  const paths = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^(?:---|\+\+\+) (\S+)/.exec(line);
    if (!m?.[1]) return;
    // A hunk line removing "-- x" or adding "++ x" looks like a header too; a header pair is always
    // "--- " directly followed by "+++ ".
    const isOld = line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ');
    const isNew = line.startsWith('+++ ') && lines[i - 1]?.startsWith('--- ');
    if (!isOld && !isNew) return;
    const name = m[1];
    if (name === '/dev/null') return;
    const slash = name.indexOf('/');
    if (slash < 0) throw new InputError(`${source}:${i + 1}`, `'${name}' has no leading component for -p1`);
    const rel = normalize(name.slice(slash + 1));
    if (rel.startsWith('..') || rel.startsWith(sep)) {
      throw new InputError(`${source}:${i + 1}`, `'${name}' points outside the tree`);
    }
    paths.add(rel);
  });
  if (paths.size === 0) throw new InputError(source, 'not a unified diff (no ---/+++ file headers)');
  return [...paths];
}

/** Builds `dest` (which must not exist) as `pristine` with the patches applied in order. */
export async function patchedTree(
  pristine: string,
  patches: readonly { path: string; text: string }[],
  dest: string,
): Promise<void> {
  await run('cp', ['-al', pristine, dest], 'cp -al');
  for (const patch of patches) {
    for (const rel of patchedPaths(patch.text, patch.path)) {
      const file = join(dest, rel);
      if (!existsSync(file) || !lstatSync(file).isFile()) continue;
      const own = `${file}.mapping-order-unlink`;
      copyFileSync(file, own);
      renameSync(own, file);
    }
    await run(
      'patch',
      ['-p1', '--batch', '--forward', '--no-backup-if-mismatch', '-d', dest, '-i', patch.path],
      `patch ${patch.path}`,
    );
  }
}

function run(cmd: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', (e) => {
      const pkg = cmd === 'cp' ? 'coreutils' : cmd;
      reject(new MissingToolError(`${cmd}: ${e.message}; install it (apt-get install ${pkg})`));
    });
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const lines = out.split('\n');
      const why = lines.find((l) => /FAILED|error|malformed|can't|No such/i.test(l)) ?? lines[0];
      reject(new ToolError(`${what}: ${signal ?? `exit ${code}`}: ${why ?? '(no message)'}`));
    });
  });
}
