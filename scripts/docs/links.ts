// The links of a Markdown document that lead nowhere: a relative path that
// does not exist, or an #anchor that no heading of the target has. Anchors are
// GitHub's heading slugs: lower case, everything but letters, digits, spaces,
// '-' and '_' dropped, spaces turned into '-', repeats numbered -1, -2, ...

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export function githubSlug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a document's headings, outside fenced code blocks. */
export function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const slug = githubSlug(h[1]!);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** The link targets of a document, outside fenced code blocks and inline code. */
export function linkTargets(markdown: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence) continue;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1]!);
  }
  return out;
}

/** The broken links of the document at `file` (repository-relative), as "target: why". */
export function brokenLinks(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z]+:/i.test(target)) continue; // http:, mailto:
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const dest = path === '' ? file : normalize(join(dirname(file), path));
    if (!existsSync(join(root, dest))) {
      out.push(`${target}: no file ${dest}`);
      continue;
    }
    if (anchor !== undefined && dest.endsWith('.md') && !anchors(readFileSync(join(root, dest), 'utf8')).has(anchor)) out.push(`${target}: no heading #${anchor} in ${dest}`);
  }
  return out;
}
