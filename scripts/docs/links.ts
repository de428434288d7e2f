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
    if (anchor !== undefined && dest.endsWith('.md') && !anchors(readFileSync(join(root, dest), 'utf8')).has(anchor))
      out.push(`${target}: no heading #${anchor} in ${dest}`);
  }
  return out;
}

/**
 * The comments of a TypeScript, C, shell or TLA+ source, as text (code and string literals left out); a
 * Markdown document is all prose.
 */
export function commentsOf(text: string, file: string): string[] {
  if (file.endsWith('.md')) return [text];
  if (file.endsWith('.tla') || file.endsWith('.cfg')) {
    const out: string[] = [];
    for (const m of text.matchAll(/\(\*[\s\S]*?\*\)|\\\*.*$/gm)) out.push(m[0]);
    return out;
  }
  if (file.endsWith('.sh')) return [...text.matchAll(/(?:^|\s)#.*$/gm)].map((m) => m[0]);
  // TypeScript and C: // and /* */ comments, skipping string and template literals so that a URL or a
  // path inside a string is not read as a reference.
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      out.push(text.slice(i, end === -1 ? text.length : end));
      i = end === -1 ? text.length : end;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      out.push(text.slice(i, end === -1 ? text.length : end + 2));
      i = end === -1 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < text.length && text[i] !== c && !(c !== '`' && text[i] === '\n')) i += text[i] === '\\' ? 2 : 1;
      i++;
    } else i++;
  }
  return out;
}

/**
 * The file references in a comment: a repository path with an extension the project has (`model/place.ts`,
 * `docs/SEMANTICS.md#5-the-invariants`, `docs/SEMANTICS.md §5`), with its anchor or section number if any.
 */
export function referencesIn(comment: string): Array<{ path: string; anchor?: string; section?: string }> {
  const out: Array<{ path: string; anchor?: string; section?: string }> = [];
  const re = new RegExp(
    [
      String.raw`(?<![\w./<-])`, // not the tail of a longer path or word
      String.raw`((?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.(?:md|ts|tla|cfg|json|c|sh))`, // the path (1)
      String.raw`(?:#([\w-]+)|\s+§\s?(\d+(?:\.\d+)*))?`, // an anchor (2) or a section number (3)
      String.raw`(?![\w/])`, // not followed by more of a path
    ].join(''),
    'g',
  );
  for (const m of comment.replace(/[a-z]+:\/\/\S+/gi, '').matchAll(re)) {
    out.push({
      path: m[1]!,
      ...(m[2] !== undefined ? { anchor: m[2] } : {}),
      ...(m[3] !== undefined ? { section: m[3] } : {}),
    });
  }
  return out;
}

/** Whether a Markdown document has a heading numbered `section` ("## 5. The invariants" is §5). */
function hasSection(markdown: string, section: string): boolean {
  return markdown.split('\n').some((l) => new RegExp(`^#{1,6}\\s+${section.replace(/\./g, '\\.')}\\.?\\s`).test(l));
}

/**
 * The references in the comments of the source at `file` (repository-relative) that lead nowhere: no such
 * file (looked up from the repository root, the file's folder, docs/, spec/ and examples/), or no such
 * heading or section. Names of the kernel's own files (mm/mmap.c, include/linux/mm.h, ...) are not the
 * repository's: a path under a kernel top-level folder is left alone, and so is a run's output under .cache/.
 */
export function brokenReferences(root: string, file: string): string[] {
  const KERNEL_TOP_DIRS =
    'mm arch include fs drivers kernel lib tools security Documentation io_uring virt hw linux init block ipc net usr';
  const KERNEL_DIRS = new RegExp(`^(${KERNEL_TOP_DIRS.split(' ').join('|')}|scripts/kconfig)/`);
  const out: string[] = [];
  for (const comment of commentsOf(readFileSync(join(root, file), 'utf8'), file)) {
    for (const r of referencesIn(comment)) {
      if (KERNEL_DIRS.test(r.path) || r.path.startsWith('.cache/')) continue;
      // Prose names kernel and userspace source files freely: in a document only a path
      // under one of the repository's folders, or a document's name, is taken as a reference.
      if (
        file.endsWith('.md') &&
        !r.path.endsWith('.md') &&
        !(r.path.includes('/') && existsSync(join(root, r.path.split('/')[0]!)))
      )
        continue;
      // A bare name is looked up beside the file and in the folders that hold the project's documents.
      const candidates = [
        r.path,
        join(dirname(file), r.path),
        join('docs', r.path),
        join('spec', r.path),
        join('examples', r.path),
      ].map(normalize);
      const dest = candidates.find((p) => existsSync(join(root, p)));
      if (dest === undefined) {
        out.push(`${file}: ${r.path}: no such file`);
        continue;
      }
      if (!dest.endsWith('.md')) continue;
      const md = readFileSync(join(root, dest), 'utf8');
      if (r.anchor !== undefined && !anchors(md).has(r.anchor))
        out.push(`${file}: ${r.path}#${r.anchor}: no such heading`);
      if (r.section !== undefined && !hasSection(md, r.section))
        out.push(`${file}: ${r.path} §${r.section}: no such section`);
    }
  }
  return out;
}
