// The committed docs are what `npm run gen` generates now: the generated
// regions of docs/SEMANTICS.md and docs/FINDINGS.md, and docs/figures/*. A
// stale file fails the test with its name and the command that fixes it.
// The comparison itself (staleFiles) is checked on a scratch directory first,
// so a difference is known to be reported.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../check/manifest.js';
import { FIX_COMMAND, generateAll, REPO_ROOT, staleFiles, type GeneratedFile } from '../../scripts/gen.js';

describe('staleFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docs-fresh-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a file that differs, one that is missing and a figure nothing generates', () => {
    mkdirSync(join(dir, 'docs/figures'), { recursive: true });
    writeFileSync(join(dir, 'docs/A.md'), 'current\n');
    writeFileSync(join(dir, 'docs/B.md'), 'old\n');
    writeFileSync(join(dir, 'docs/figures/kept.svg'), '<svg/>\n');
    writeFileSync(join(dir, 'docs/figures/left-over.svg'), '<svg/>\n');
    const generated: GeneratedFile[] = [
      { path: 'docs/A.md', content: 'current\n' },
      { path: 'docs/B.md', content: 'new\n' },
      { path: 'docs/C.md', content: 'x\n' },
      { path: 'docs/figures/kept.svg', content: '<svg/>\n' },
    ];
    expect(staleFiles(dir, generated)).toEqual([
      { path: 'docs/B.md', why: 'differs' },
      { path: 'docs/C.md', why: 'missing' },
      { path: 'docs/figures/left-over.svg', why: 'not generated' },
    ]);
  });
});

describe('the committed docs', () => {
  it(`are current (else run \`${FIX_COMMAND}\`)`, async () => {
    const generated = await generateAll(REPO_ROOT);
    // docs/SEMANTICS.md, docs/FINDINGS.md, docs/figures/policies.json, a .json and an .svg for each of the 4
    // worked examples, spec/README.md, spec/TinyGeometries.tla, one .cfg per configuration of the manifest and
    // the kselftest patch of the test kernel
    expect(generated.map((f) => f.path).sort()).toEqual(
      [
        'docs/FINDINGS.md',
        'docs/SEMANTICS.md',
        'docs/figures/policies.json',
        ...['bar-1g-from-2m', 'bar-4g-unaligned', 'dpdk-msix', 'qemu-regions'].flatMap((n) => [
          `docs/figures/${n}.json`,
          `docs/figures/${n}.svg`,
        ]),
        'kernel/patches/test/0009-selftests-mm-add-mapping_order-test.patch',
        'spec/README.md',
        'spec/TinyGeometries.tla',
        ...loadManifest().configs.map((c) => `spec/${c.name}.cfg`),
      ].sort(),
    );
    const stale = staleFiles(REPO_ROOT, generated).map((s) => `${s.path} (${s.why})`);
    expect(stale, `stale generated docs: ${stale.join(', ')}; run \`${FIX_COMMAND}\` and commit the result`).toEqual(
      [],
    );
  });
});
