// Patched builds work on a hard-linked copy; the pristine tree must come out unchanged.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { patchedPaths, patchedTree } from '../../kernel/patch-tree.js';

const PATCH = `From: someone
Subject: [PATCH] mm: say hello

---
 mm/mmap.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/mmap.c b/mm/mmap.c
--- a/mm/mmap.c
+++ b/mm/mmap.c
@@ -1,3 +1,3 @@
 one
-two
+TWO
 three
diff --git a/mm/new.c b/mm/new.c
new file mode 100644
--- /dev/null
+++ b/mm/new.c
@@ -0,0 +1 @@
+new
`;

describe('patchedPaths', () => {
  it('lists the files of a -p1 unified diff, /dev/null left out', () => {
    expect(patchedPaths(PATCH, 'p')).toEqual(['mm/mmap.c', 'mm/new.c']);
  });

  it('refuses a text with no file header and a path out of the tree', () => {
    expect(() => patchedPaths('hello\n', 'p')).toThrow(/^p: not a unified diff/);
    expect(() => patchedPaths('--- a/../x\n+++ b/../x\n', 'p')).toThrow(/points outside the tree/);
  });
});

const noPatch = spawnSync('patch', ['--version'], { stdio: 'ignore' }).error !== undefined;
if (noPatch) console.log('skipped: patchedTree: the patch tool is missing (apt-get install patch)');

describe('patchedTree', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(noPatch)('patches the copy and leaves the pristine tree and its inodes alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mapping-order-patch-'));
    const pristine = join(dir, 'pristine');
    mkdirSync(join(pristine, 'mm'), { recursive: true });
    writeFileSync(join(pristine, 'mm', 'mmap.c'), 'one\ntwo\nthree\n');
    writeFileSync(join(pristine, 'Makefile'), 'all:\n');
    const patchFile = join(dir, '0001.patch');
    writeFileSync(patchFile, PATCH);
    const before = statSync(join(pristine, 'mm', 'mmap.c'));

    const copy = join(dir, 'copy');
    await patchedTree(pristine, [{ path: patchFile, text: PATCH }], copy);

    expect(readFileSync(join(copy, 'mm', 'mmap.c'), 'utf8')).toBe('one\nTWO\nthree\n');
    expect(readFileSync(join(copy, 'mm', 'new.c'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(pristine, 'mm', 'mmap.c'), 'utf8')).toBe('one\ntwo\nthree\n');
    const after = statSync(join(pristine, 'mm', 'mmap.c'));
    expect([after.ino, after.nlink, after.mtimeMs]).toEqual([before.ino, 1, before.mtimeMs]);
    // Untouched files stay shared with the pristine tree.
    expect(statSync(join(copy, 'Makefile')).ino).toBe(statSync(join(pristine, 'Makefile')).ino);
  });

  it.skipIf(noPatch)('fails with a ToolError naming the patch when it does not apply', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mapping-order-patch-'));
    const pristine = join(dir, 'pristine');
    mkdirSync(join(pristine, 'mm'), { recursive: true });
    writeFileSync(join(pristine, 'mm', 'mmap.c'), 'something else\n');
    const patchFile = join(dir, '0001.patch');
    writeFileSync(patchFile, PATCH);
    await expect(patchedTree(pristine, [{ path: patchFile, text: PATCH }], join(dir, 'copy'))).rejects.toThrow(
      new RegExp(`^patch ${patchFile}: exit 1: .*FAILED`),
    );
    expect(readFileSync(join(pristine, 'mm', 'mmap.c'), 'utf8')).toBe('something else\n');
  });
});
