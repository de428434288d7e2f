// One name per concept, everywhere: an invariant or a policy has one name in TLA+, in TypeScript and in
// docs/SEMANTICS.md. Every invariant and every
// policy that spec/verdicts.json names must exist:
//   - in model/: an invariant as an exported function or const of that name;
//     a policy as an element of the exported const POLICY_NAMES and a `case`
//     of the exported function policyHook (model/policy/index.ts), read with
//     ts-morph from the syntax tree, not from the text;
//   - in spec/*.tla: an invariant as a module-level operator definition
//     `Name == ...` (comments, strings and LET-local definitions do not
//     count); a policy as the definition `<name>Area` and a string of the set
//     `PolicyNames == {...}`;
//   - in docs/SEMANTICS.md: as a heading word or a bold term (**Name**) with
//     exactly that name, outside code blocks.
//
//   node --import tsx scripts/doc-names.ts    prints what is missing, exit 1 if anything is

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, SyntaxKind, VariableDeclarationKind } from 'ts-morph';
import { loadManifest } from '../check/manifest.js';

export interface NameSources {
  readonly invariants: readonly string[];
  readonly policies: readonly string[];
  /** The TypeScript model's source files. */
  readonly model: Project;
  readonly tla: readonly { readonly file: string; readonly text: string }[];
  readonly semantics: string;
}

/**
 * Helpers the spec and the model both define, by the model's name: the TLA+ operator is the same name with
 * its first letter in capitals (holdsAlignedChunk -> HoldsAlignedChunk).
 */
export const SHARED_HELPERS = ['holdsAlignedChunk', 'bestPfnmapOrder'] as const;

export interface MissingName {
  readonly name: string;
  readonly kind: 'invariant' | 'policy' | 'helper';
  readonly where: 'model' | 'spec' | 'docs';
  /** What was looked for. */
  readonly want: string;
}

// ---------------------------------------------------------------- TypeScript

/** Names exported from the project as a function declaration or a const variable (re-exports resolved). */
export function modelExports(project: Project): Set<string> {
  const out = new Set<string>();
  for (const sf of project.getSourceFiles()) {
    for (const [name, decls] of sf.getExportedDeclarations()) {
      const ok = decls.some(
        (d) =>
          Node.isFunctionDeclaration(d) ||
          (Node.isVariableDeclaration(d) &&
            d.getVariableStatement()?.getDeclarationKind() === VariableDeclarationKind.Const),
      );
      if (ok) out.add(name);
    }
  }
  return out;
}

/** The string elements of the exported const POLICY_NAMES and the string cases of the exported function policyHook. */
export function modelPolicies(project: Project): { listed: Set<string>; hooked: Set<string> } {
  const listed = new Set<string>();
  const hooked = new Set<string>();
  for (const sf of project.getSourceFiles()) {
    for (const [name, decls] of sf.getExportedDeclarations()) {
      for (const d of decls) {
        if (name === 'POLICY_NAMES' && Node.isVariableDeclaration(d)) {
          // [...], [...] as const, ([...]) satisfies T
          let init: Node | undefined = d.getInitializer();
          while (
            init !== undefined &&
            (Node.isAsExpression(init) || Node.isSatisfiesExpression(init) || Node.isParenthesizedExpression(init))
          )
            init = init.getExpression();
          if (init !== undefined && Node.isArrayLiteralExpression(init))
            for (const e of init.getElements())
              if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) listed.add(e.getLiteralText());
        }
        if (name === 'policyHook' && Node.isFunctionDeclaration(d)) {
          for (const c of d.getDescendantsOfKind(SyntaxKind.CaseClause)) {
            const e = c.getExpression();
            if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) hooked.add(e.getLiteralText());
          }
        }
      }
    }
  }
  return { listed, hooked };
}

// ---------------------------------------------------------------- TLA+

type Tok = { readonly kind: 'id' | 'str' | 'op'; readonly text: string };

/** TLA+ tokens with comments removed: (* nested *) blocks and \* to the end of the line. */
export function tlaTokens(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '(' && text[i + 1] === '*') {
      let depth = 0;
      while (i < n) {
        if (text[i] === '(' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === ')') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      continue;
    }
    if (c === '\\' && text[i + 1] === '*') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < n) {
          s += text[j + 1];
          j += 2;
        } else s += text[j++];
      }
      toks.push({ kind: 'str', text: s });
      i = j + 1;
      continue;
    }
    if (c === '\\' && /[A-Za-z]/.test(text[i + 1] ?? '')) {
      // \in, \A, \union ...: one operator, never an identifier
      let j = i + 1;
      while (j < n && /[A-Za-z]/.test(text[j]!)) j++;
      toks.push({ kind: 'op', text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (/[A-Za-z0-9_]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      toks.push({ kind: /[A-Za-z]/.test(text.slice(i, j)) ? 'id' : 'op', text: text.slice(i, j) });
      i = j;
      continue;
    }
    if ('()[]{},'.includes(c)) {
      toks.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    let j = i;
    while (j < n && /[=<>\-+*/#&|~!@$%^.:\\?']/.test(text[j]!)) j++;
    if (j === i) j = i + 1;
    let run = text.slice(i, j);
    // `Name ==<<a, b>>`: the definition sign is not part of the operator after it
    if (run.startsWith('==') && run[2] !== '=' && run.length > 2) run = '==';
    toks.push({ kind: 'op', text: run });
    i += run.length;
  }
  return toks;
}

export interface TlaDefinition {
  readonly name: string;
  /** The tokens after `==` up to the next module-level definition. */
  readonly body: readonly Tok[];
}

/** Index just past the bracket that closes the one at `open`, or -1. */
function closing(toks: readonly Tok[], open: number): number {
  const pair: Record<string, string> = { '(': ')', '[': ']' };
  const o = toks[open]!.text;
  const c = pair[o]!;
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    if (toks[k]!.text === o) depth++;
    else if (toks[k]!.text === c && --depth === 0) return k + 1;
  }
  return -1;
}

/**
 * The module-level operator and function definitions of a TLA+ text: `Name ==`, `Name(p, _) ==`, `Name[x \in S] ==`.
 */
export function tlaDefinitions(text: string): TlaDefinition[] {
  const toks = tlaTokens(text);
  const starts: { name: string; at: number; body: number }[] = [];
  let letDepth = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind === 'id' && t.text === 'LET') letDepth++;
    else if (t.kind === 'id' && t.text === 'IN' && letDepth > 0) letDepth--;
    if (t.kind !== 'id' || letDepth > 0) continue;
    let after = k + 1;
    const next = toks[after];
    if (next !== undefined && (next.text === '(' || next.text === '[')) after = closing(toks, after);
    if (after > 0 && toks[after]?.text === '==') starts.push({ name: t.text, at: k, body: after + 1 });
  }
  return starts.map((s, i) => ({ name: s.name, body: toks.slice(s.body, starts[i + 1]?.at ?? toks.length) }));
}

// ---------------------------------------------------------------- Markdown

/** Words of headings and the exact content of bold terms, outside fenced code blocks and HTML comments. */
export function documentedTerms(markdown: string): { headingWords: Set<string>; bold: Set<string> } {
  const headingWords = new Set<string>();
  const bold = new Set<string>();
  let fence: string | null = null;
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '');
  for (const line of text.split('\n')) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) for (const w of h[1]!.replace(/`/g, '').split(/[^A-Za-z0-9_]+/)) if (w) headingWords.add(w);
    for (const m of line.matchAll(/\*\*(.+?)\*\*|__(.+?)__/g)) bold.add((m[1] ?? m[2]!).replace(/`/g, '').trim());
  }
  return { headingWords, bold };
}

// ---------------------------------------------------------------- the check

export function missingNames(src: NameSources): MissingName[] {
  const out: MissingName[] = [];
  const exported = modelExports(src.model);
  const { listed, hooked } = modelPolicies(src.model);
  const defs = src.tla.flatMap((f) => tlaDefinitions(f.text));
  const defined = new Set(defs.map((d) => d.name));
  const policyStrings = new Set(
    defs
      .filter((d) => d.name === 'PolicyNames')
      .flatMap((d) => d.body.filter((t) => t.kind === 'str').map((t) => t.text)),
  );
  const docs = documentedTerms(src.semantics);
  const documented = (n: string) => docs.headingWords.has(n) || docs.bold.has(n);

  for (const name of src.invariants) {
    if (!exported.has(name))
      out.push({ name, kind: 'invariant', where: 'model', want: `an exported function or const ${name} in model/` });
    if (!defined.has(name))
      out.push({ name, kind: 'invariant', where: 'spec', want: `a definition ${name} == ... in spec/*.tla` });
    if (!documented(name))
      out.push({ name, kind: 'invariant', where: 'docs', want: `a heading or **${name}** in docs/SEMANTICS.md` });
  }
  for (const name of SHARED_HELPERS) {
    const tla = name[0]!.toUpperCase() + name.slice(1);
    if (!exported.has(name))
      out.push({ name, kind: 'helper', where: 'model', want: `an exported function ${name} in model/` });
    if (!defined.has(tla))
      out.push({ name, kind: 'helper', where: 'spec', want: `a definition ${tla}(...) == ... in spec/*.tla` });
  }
  for (const name of src.policies) {
    if (!listed.has(name))
      out.push({
        name,
        kind: 'policy',
        where: 'model',
        want: `'${name}' in the exported const POLICY_NAMES in model/`,
      });
    if (!hooked.has(name))
      out.push({
        name,
        kind: 'policy',
        where: 'model',
        want: `case '${name}' in the exported function policyHook in model/`,
      });
    if (!defined.has(`${name}Area`))
      out.push({ name, kind: 'policy', where: 'spec', want: `a definition ${name}Area == ... in spec/*.tla` });
    if (!policyStrings.has(name))
      out.push({ name, kind: 'policy', where: 'spec', want: `"${name}" in PolicyNames == {...} in spec/*.tla` });
    if (!documented(name))
      out.push({ name, kind: 'policy', where: 'docs', want: `a heading or **${name}** in docs/SEMANTICS.md` });
  }
  return out;
}

export function formatMissing(m: MissingName): string {
  return `${m.kind} ${m.name}: missing in ${m.where}: want ${m.want}`;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The sources of the repository at `root`: spec/verdicts.json, model/**\/*.ts, spec/*.tla, docs/SEMANTICS.md. */
export function repoNameSources(root = REPO_ROOT): NameSources {
  const { invariants, policies } = loadManifest(join(root, 'spec/verdicts.json'));
  const model = new Project({ tsConfigFilePath: join(root, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  model.addSourceFilesAtPaths(join(root, 'model/**/*.ts'));
  const specDir = join(root, 'spec');
  const tla = readdirSync(specDir)
    .filter((f) => f.endsWith('.tla'))
    .sort()
    .map((f) => ({ file: `spec/${f}`, text: readFileSync(join(specDir, f), 'utf8') }));
  const semPath = join(root, 'docs/SEMANTICS.md');
  return { invariants, policies, model, tla, semantics: existsSync(semPath) ? readFileSync(semPath, 'utf8') : '' };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = missingNames(repoNameSources());
  for (const m of missing) process.stdout.write(`${formatMissing(m)}\n`);
  process.stdout.write(
    missing.length === 0
      ? 'names: every invariant and policy of spec/verdicts.json is in model/, spec/ and docs/SEMANTICS.md\n'
      : `names: ${missing.length} missing\n`,
  );
  process.exitCode = missing.length === 0 ? 0 : 1;
}
