// Every link of the docs this helper writes leads somewhere: the file exists
// and, for an #anchor, the target has a heading with that GitHub slug (the
// generated verdict matrix and summary link into FINDINGS.md and SEMANTICS.md
// by anchor, so a renamed heading breaks them).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  anchors,
  brokenLinks,
  brokenReferences,
  commentsOf,
  githubSlug,
  linkTargets,
  referencesIn,
} from '../../../scripts/docs/links.js';
import { REPO_ROOT } from '../../../scripts/gen.js';

describe('githubSlug and anchors', () => {
  it('slugs headings the way GitHub does', () => {
    expect(githubSlug('2.2 The driver returns O_drv and keeps off ≡ PA')).toBe(
      '22-the-driver-returns-o_drv-and-keeps-off--pa',
    );
    expect(githubSlug('MaxLeafCoverage under v2')).toBe('maxleafcoverage-under-v2');
    expect(githubSlug('The `NoOverlap` invariant')).toBe('the-nooverlap-invariant');
  });

  it('numbers repeated headings and ignores code blocks', () => {
    expect([...anchors('# A\n## A\n```\n# B\n```\n### C')]).toEqual(['a', 'a-1', 'c']);
  });

  it('reads link targets outside code', () => {
    expect(linkTargets('see [x](a.md#b) and `[y](c.md)`\n```\n[z](d.md)\n```\n![f](figures/f.svg)')).toEqual([
      'a.md#b',
      'figures/f.svg',
    ]);
  });
});

describe('brokenLinks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing file and a missing heading', () => {
    mkdirSync(join(dir, 'docs'), { recursive: true });
    writeFileSync(
      join(dir, 'docs/A.md'),
      '# Top\n[ok](B.md#there) [bad](B.md#nowhere) [gone](C.md) [self](#top) [web](https://x.org)\n',
    );
    writeFileSync(join(dir, 'docs/B.md'), '## There\n');
    expect(brokenLinks(dir, 'docs/A.md')).toEqual([
      'B.md#nowhere: no heading #nowhere in docs/B.md',
      'C.md: no file docs/C.md',
    ]);
  });
});

describe('references in comments', () => {
  it('reads comments, not strings, in TypeScript and TLA+', () => {
    expect(commentsOf("const a = 'docs/X.md'; // see docs/Y.md\n/* and docs/Z.md */", 'a.ts')).toEqual([
      '// see docs/Y.md',
      '/* and docs/Z.md */',
    ]);
    expect(commentsOf('x == 1 \\* docs/Y.md\n(* docs/Z.md *)', 'A.tla')).toEqual(['\\* docs/Y.md', '(* docs/Z.md *)']);
  });

  it('reads paths with anchors and section numbers, not URLs or placeholders', () => {
    expect(
      referencesIn(
        'see docs/SEMANTICS.md §5, docs/KERNEL.md#the-allocator and model/place.ts; https://x.org/a.md; <Name>.tla',
      ),
    ).toEqual([
      { path: 'docs/SEMANTICS.md', section: '5' },
      { path: 'docs/KERNEL.md', anchor: 'the-allocator' },
      { path: 'model/place.ts' },
    ]);
  });

  it('names a missing file, heading and section', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refs-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/A.md'), '# Top\n## 5. Five\n');
    writeFileSync(
      join(dir, 'x.ts'),
      '// docs/A.md §5 docs/A.md#top docs/A.md §6 docs/A.md#nowhere notes.md mm/mmap.c\n',
    );
    expect(brokenReferences(dir, 'x.ts')).toEqual([
      'x.ts: docs/A.md §6: no such section',
      'x.ts: docs/A.md#nowhere: no such heading',
      'x.ts: notes.md: no such file',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});

/** The repository's files git knows (tracked, or new and not ignored). */
const repoFiles = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f !== '');

describe('the repository', () => {
  it.each(repoFiles.filter((f) => f.endsWith('.md')))('%s has no broken link', (file) => {
    expect(brokenLinks(REPO_ROOT, file)).toEqual([]);
  });

  it('no file names the background notes the project started from (it stands alone)', () => {
    // Built from pieces so that this file does not name them itself.
    const notes = new RegExp(
      ['design', 'kernel-background', 'conventions', 'TEAM'].map((n) => `\\b${n}\\.md`).join('|') + '|\\.\\./shared/',
    );
    const named = repoFiles.filter(
      (f) => /\.(ts|tla|cfg|c|sh|md|json)$/.test(f) && notes.test(readFileSync(join(REPO_ROOT, f), 'utf8')),
    );
    expect(named).toEqual([]);
  });

  it('every file and heading a comment or a document names exists (*.ts, *.tla, *.cfg, *.c, *.sh, *.md)', () => {
    const sources = repoFiles.filter((f) => /\.(ts|tla|cfg|c|sh|md)$/.test(f));
    expect(sources.flatMap((f) => brokenReferences(REPO_ROOT, f))).toEqual([]);
  });
});
