// `npm run gen`: regenerates every generated file of the repository from the model, the CLI and
// spec/verdicts.json:
//   - spec/*.cfg, one per configuration of spec/verdicts.json (check/configs.ts), and spec/TinyGeometries.tla
//     from model/geometry.ts (check/geometry-tla.ts); a .cfg the manifest does not name is removed;
//   - the table of configurations in spec/README.md;
//   - the regions of docs/SEMANTICS.md and docs/FINDINGS.md between
//     <!-- BEGIN GENERATED: name --> and <!-- END GENERATED --> (the prose
//     around them is left as written);
//   - docs/figures/*.json (the inputs of the worked examples and of the policy
//     table) and docs/figures/*.svg (`mapping-order explain --svg` of each);
//   - kernel/patches/test/0009-selftests-mm-add-mapping_order-test.patch, the kselftest whose vectors the
//     model answers (selftest/render.ts).
// Files in docs/figures that nothing generates any more are removed.
//
//   node --import tsx scripts/gen.ts [--check]
//
// --check writes nothing and exits 1 when a committed file differs from what
// would be generated, naming the files (test/scripts/gen.test.ts does the
// same check in the test suite; test/check/configs.test.ts and test/check/geometry-tla.test.ts do it for
// the spec's files).

import { readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES, renderExample } from './docs/examples.js';
import { departures } from './docs/verdicts.js';
import { findingsRegions, headingOf } from './docs/findings.js';
import { replaceRegions } from './docs/regions.js';
import { leafTable, policyInput, policyRows, policyTable, verdictMatrix } from './docs/semantics.js';
import { renderCfg } from '../check/configs.js';
import { renderTinyGeometries } from '../check/geometry-tla.js';
import { loadManifest, type Manifest } from '../check/manifest.js';
import { PATCH_PATH, renderPatch } from '../selftest/render.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIGURES = 'docs/figures';
export const FIX_COMMAND = 'npm run gen';

export interface GeneratedFile {
  /** Relative to the repository root, with '/'. */
  readonly path: string;
  readonly content: string;
}

function read(root: string, path: string): string {
  const f = join(root, path);
  if (!existsSync(f))
    throw new Error(`${path} is missing: it holds the hand-written prose around the generated regions`);
  return readFileSync(f, 'utf8');
}

/** Every generated file, computed in memory from the repository at `root`. */
export async function generateAll(root = REPO_ROOT): Promise<GeneratedFile[]> {
  const verdicts = loadManifest(join(root, 'spec/verdicts.json'));
  const files: GeneratedFile[] = [];

  const semantics = new Map<string, string>();
  semantics.set('leaf-tables', leafTable());
  semantics.set('verdict-matrix', verdictMatrix(verdicts));
  const rows = policyRows();
  const policyJson = JSON.stringify(policyInput(rows), null, 2) + '\n';
  files.push({ path: `${FIGURES}/policies.json`, content: policyJson });
  semantics.set('policy-table', await policyTable(rows, policyJson));
  for (const e of EXAMPLES) {
    const r = await renderExample(e);
    files.push({ path: `${FIGURES}/${e.name}.json`, content: r.inputJson });
    files.push({ path: `${FIGURES}/${e.name}.svg`, content: r.svg });
    semantics.set(`example ${e.name}`, r.markdown);
  }
  files.push({
    path: 'docs/SEMANTICS.md',
    content: replaceRegions(read(root, 'docs/SEMANTICS.md'), semantics, 'docs/SEMANTICS.md'),
  });

  const findingsText = read(root, 'docs/FINDINGS.md');
  for (const d of departures(verdicts)) {
    if (!findingsText.split('\n').some((l) => l.trim() === `### ${headingOf(d)}`))
      throw new Error(
        `docs/FINDINGS.md: no heading ` +
          `'### ${headingOf(d)}' for the departure ${d.invariant}/${d.policy} of spec/verdicts.json: write its section`,
      );
  }
  files.push({
    path: 'docs/FINDINGS.md',
    content: replaceRegions(findingsText, findingsRegions(verdicts), 'docs/FINDINGS.md'),
  });

  for (const c of verdicts.configs) files.push({ path: `spec/${c.name}.cfg`, content: renderCfg(verdicts, c) });
  files.push({ path: 'spec/TinyGeometries.tla', content: renderTinyGeometries() });
  const specReadme = new Map([['configurations', configurationTable(verdicts)]]);
  files.push({
    path: 'spec/README.md',
    content: replaceRegions(read(root, 'spec/README.md'), specReadme, 'spec/README.md'),
  });
  // The kselftest of the test kernel, its vectors answered by the model (selftest/).
  files.push({ path: PATCH_PATH, content: renderPatch() });
  return files;
}

/** spec/README.md's table: every configuration with its wrapper, mode and expected result. */
function configurationTable(m: Manifest): string {
  const rows = m.configs.map((c) => {
    const expected = c.expect === 'pass' ? 'no violation' : `${c.violates} violated`;
    return `| \`${c.name}\` | \`${c.module}\` | ${c.mode} | ${c.policy} | ${c.geometry} | ${expected} | ${c.reason} |`;
  });
  return [
    '| configuration | module | mode | policy | geometry | expected | why |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export interface Stale {
  readonly path: string;
  readonly why: 'differs' | 'missing' | 'not generated';
}

/** The committed files that differ from `generated`, and the figures nothing generates. */
export function staleFiles(root: string, generated: readonly GeneratedFile[]): Stale[] {
  const out: Stale[] = [];
  for (const f of generated) {
    const p = join(root, f.path);
    if (!existsSync(p)) out.push({ path: f.path, why: 'missing' });
    else if (readFileSync(p, 'utf8') !== f.content) out.push({ path: f.path, why: 'differs' });
  }
  const known = new Set(generated.map((f) => f.path));
  const dir = join(root, FIGURES);
  if (existsSync(dir))
    for (const name of readdirSync(dir).sort())
      if (!known.has(`${FIGURES}/${name}`)) out.push({ path: `${FIGURES}/${name}`, why: 'not generated' });
  const spec = join(root, 'spec');
  for (const name of existsSync(spec) ? readdirSync(spec).sort() : []) {
    if (name.endsWith('.cfg') && !known.has(`spec/${name}`)) out.push({ path: `spec/${name}`, why: 'not generated' });
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`gen: ${unknown[0]}: unknown argument (gen takes --check)\n`);
    return 2;
  }
  const generated = await generateAll(REPO_ROOT);
  const stale = staleFiles(REPO_ROOT, generated);
  if (check) {
    for (const s of stale) process.stdout.write(`stale: ${s.path} (${s.why})\n`);
    process.stdout.write(
      stale.length === 0
        ? `gen: ${generated.length} generated files current\n`
        : `gen: ${stale.length} stale; run \`${FIX_COMMAND}\`\n`,
    );
    return stale.length === 0 ? 0 : 1;
  }
  for (const s of stale) {
    const p = join(REPO_ROOT, s.path);
    if (s.why === 'not generated') rmSync(p);
    else writeFileSync(p, generated.find((f) => f.path === s.path)!.content);
    process.stdout.write(`${s.why === 'not generated' ? 'removed' : 'wrote'} ${relative(REPO_ROOT, p)}\n`);
  }
  process.stdout.write(`gen: ${generated.length} generated files, ${stale.length} updated\n`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`gen: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
