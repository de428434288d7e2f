// The generated kselftest: the C carries each vector's numbers, the patch is a well-formed git format-patch mail
// whose hunk counts match its lines, the C is clean under the kernel's checkpatch.pl --strict and compiles
// against the pristine tree's kselftest.h (both skipped, saying why, without the 6.12 source tree).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourcePackageVersion, sourceVersionDir } from '../../kernel/source.js';
import { C_PATH, PATCH_PATH, renderC, renderPatch } from '../../selftest/render.js';
import { vectors } from '../../selftest/vectors.js';

const vs = vectors();
const c = renderC(vs);
const patch = renderPatch(vs);

function pristine(): string | null {
  try {
    const dir = join(sourceVersionDir(sourcePackageVersion()), 'linux-source-6.12');
    return existsSync(join(dir, 'scripts', 'checkpatch.pl')) ? dir : null;
  } catch {
    return null;
  }
}
const tree = pristine();
const noTree = tree === null ? 'no extracted 6.12 source tree (kernel/source.ts)' : null;
if (noTree) console.log(`skipped: checkpatch and compile of ${C_PATH}: ${noTree}`);

describe('renderC', () => {
  it('writes one initializer per vector with its offset, length, relation and leaves', () => {
    for (const v of vs) {
      const at = c.indexOf(`.name = "${v.name}",`);
      expect(at, v.name).toBeGreaterThan(0);
      const entry = c.slice(at, c.indexOf('\t},', at));
      expect(entry).toContain(`.off = 0x${v.off.toString(16)}UL,`);
      expect(entry).toContain(`.len = 0x${v.len.toString(16)}UL,`);
      const val = v.relation.kind === 'congruent' ? v.relation.align : v.relation.delta;
      expect(entry).toContain(`.val = 0x${val.toString(16)}UL,`);
      expect(entry).toContain(`.leaves = { ${v.leaves.pte}, ${v.leaves.pmd}, ${v.leaves.pud} },`);
    }
    expect(c.match(/\.name = "/g)!.length).toBe(vs.length);
  });

  it('follows the vectors: another expectation gives another C', () => {
    const moved = vs.map((v) => (v.name === 'dpdk-hi' ? { ...v, leaves: { ...v.leaves, pmd: 29n } } : v));
    expect(renderC(moved)).not.toBe(c);
    expect(renderC(moved)).toContain('.leaves = { 511, 29, 0 },');
  });

  it('keeps to the kernel style checkpatch cannot see in a patch: tabs, no line over 100 columns', () => {
    for (const line of c.split('\n')) {
      expect(line.replace(/\t/g, '        ').length, line).toBeLessThanOrEqual(100);
      expect(line, line).not.toMatch(/^ +[^*\s]/);
      expect(line, line).not.toMatch(/\s$/);
    }
  });
});

describe('renderPatch', () => {
  const lines = patch.split('\n');

  it('is a format-patch mail from mapping-order, signed off, adding the test and its build lines', () => {
    expect(lines[0]).toBe('From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001');
    expect(lines).toContain('From: mapping-order <mapping-order@invalid>');
    expect(lines).toContain('Signed-off-by: mapping-order <mapping-order@invalid>');
    expect(patch).toContain(`+++ b/${C_PATH}\n`);
    expect(patch).toContain('+TEST_GEN_FILES += mapping_order\n');
    const gitignore = patch.slice(patch.indexOf('+++ b/tools/testing/selftests/mm/.gitignore\n'));
    expect(gitignore.split('\n').slice(2, 6)).toEqual([' mseal_test', ' seal_elf', ' droppable', '+mapping_order']);
    expect(PATCH_PATH).toMatch(/^kernel\/patches\/test\/0009-/);
  });

  it('has hunks whose counts match their lines, and the C verbatim', () => {
    let i = lines.findIndex((l) => l.startsWith('@@'));
    let hunks = 0;
    while (i >= 0 && i < lines.length) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i]!);
      if (!m) {
        i++;
        continue;
      }
      hunks++;
      let oldN = Number(m[2] ?? 1);
      let newN = Number(m[4] ?? 1);
      i++;
      while (oldN > 0 || newN > 0) {
        const l = lines[i++]!;
        if (l.startsWith('+')) newN--;
        else if (l.startsWith('-')) oldN--;
        else if (l.startsWith(' ')) {
          oldN--;
          newN--;
        } else throw new Error(`line ${i}: '${l}' inside a hunk`);
      }
      expect([oldN, newN]).toEqual([0, 0]);
    }
    expect(hunks).toBe(3);
    const added = patch
      .slice(patch.indexOf(`+++ b/${C_PATH}\n`))
      .split('\n')
      .slice(2);
    const body = added.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
    expect(body.join('\n') + '\n').toBe(c);
  });

  it.skipIf(noTree !== null)(`is clean under checkpatch.pl --strict${noTree ? ` (skipped: ${noTree})` : ''}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'selftest-patch-'));
    try {
      writeFileSync(join(dir, 'p.patch'), patch);
      const r = spawnSync('perl', ['scripts/checkpatch.pl', '--strict', join(dir, 'p.patch')], {
        cwd: tree!,
        encoding: 'utf8',
      });
      const findings = r.stdout.split('\n').filter((l) => /^(ERROR|WARNING|CHECK):/.test(l));
      // The one warning every new file gets: MAINTAINERS already covers tools/testing/selftests/mm/.
      expect(findings).toEqual(['WARNING: added, moved or deleted file(s), does MAINTAINERS need updating?']);
      expect(r.stdout).toMatch(/total: 0 errors, 1 warnings, 0 checks/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(noTree !== null)(
    `compiles against kselftest.h with -Wall -Wextra -Werror${noTree ? ' (skipped)' : ''}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'selftest-c-'));
      afterAll(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(join(dir, 'mapping_order.c'), c);
      const inc = join(tree!, 'tools', 'testing', 'selftests', 'mm');
      const r = spawnSync(
        'cc',
        ['-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-I', inc, join(dir, 'mapping_order.c')],
        {
          encoding: 'utf8',
        },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
  );
});
