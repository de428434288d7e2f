// Every link of the docs this helper writes leads somewhere: the file exists
// and, for an #anchor, the target has a heading with that GitHub slug (the
// generated verdict matrix and summary link into FINDINGS.md and SEMANTICS.md
// by anchor, so a renamed heading breaks them).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anchors, brokenLinks, githubSlug, linkTargets } from '../../scripts/docs/links.js';
import { REPO_ROOT } from '../../scripts/gen-docs.js';

describe('githubSlug and anchors', () => {
  it('slugs headings the way GitHub does', () => {
    expect(githubSlug('2.2 The driver returns O_drv and keeps off ≡ PA')).toBe('22-the-driver-returns-o_drv-and-keeps-off--pa');
    expect(githubSlug('MaxLeafCoverage under v2')).toBe('maxleafcoverage-under-v2');
    expect(githubSlug('The `NoOverlap` invariant')).toBe('the-nooverlap-invariant');
  });

  it('numbers repeated headings and ignores code blocks', () => {
    expect([...anchors('# A\n## A\n```\n# B\n```\n### C')]).toEqual(['a', 'a-1', 'c']);
  });

  it('reads link targets outside code', () => {
    expect(linkTargets('see [x](a.md#b) and `[y](c.md)`\n```\n[z](d.md)\n```\n![f](figures/f.svg)')).toEqual(['a.md#b', 'figures/f.svg']);
  });
});

describe('brokenLinks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing file and a missing heading', () => {
    mkdirSync(join(dir, 'docs'), { recursive: true });
    writeFileSync(join(dir, 'docs/A.md'), '# Top\n[ok](B.md#there) [bad](B.md#nowhere) [gone](C.md) [self](#top) [web](https://x.org)\n');
    writeFileSync(join(dir, 'docs/B.md'), '## There\n');
    expect(brokenLinks(dir, 'docs/A.md')).toEqual(['B.md#nowhere: no heading #nowhere in docs/B.md', 'C.md: no file docs/C.md']);
  });
});

describe('the docs', () => {
  it.each(['docs/SEMANTICS.md', 'docs/FINDINGS.md', 'README.md'])('%s has no broken link', (file) => {
    expect(brokenLinks(REPO_ROOT, file)).toEqual([]);
  });
});
