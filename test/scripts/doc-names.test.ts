// One name per invariant and policy in model/, spec/ and docs/SEMANTICS.md
// (scripts/doc-names.ts). The repository must have every name of
// spec/verdicts.json everywhere; the readers are checked on small synthetic
// inputs, each with one name missing or only present where it does not count
// (a comment, a LET, a string, a code block, an unexported or non-const
// declaration), so that the check is known to fail when a name goes missing.

import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import {
  documentedTerms,
  formatMissing,
  missingNames,
  modelExports,
  modelPolicies,
  repoNameSources,
  tlaDefinitions,
  SHARED_HELPERS,
  type NameSources,
} from '../../scripts/doc-names.js';

describe('the repository', () => {
  it('names every invariant and policy of spec/verdicts.json in model/, spec/ and docs/SEMANTICS.md', () => {
    const src = repoNameSources();
    // the lists are read from the matrix: 12 invariants (docs/SEMANTICS.md §5) and 4 policies (docs/SEMANTICS.md §4)
    expect(src.invariants).toHaveLength(12);
    expect(src.policies).toEqual(['baseline', 'v2', 'jason', 'optimal']);
    expect(missingNames(src).map(formatMissing)).toEqual([]);
  });
});

function inMemoryModel(files: Record<string, string>): Project {
  const p = new Project({ useInMemoryFileSystem: true });
  for (const [path, text] of Object.entries(files)) p.createSourceFile(path, text);
  return p;
}

describe('modelExports (ts-morph)', () => {
  it('counts exported functions and consts, re-exports included, and nothing else', () => {
    const p = inMemoryModel({
      '/m/a.ts': [
        'export function InRange() { return true; }',
        'function NoOverlap() { return true; }', // not exported
        'export const FixedExact = () => true;',
        'export let HintKept = 1;', // not const
        'export type Congruent = 1;', // a type
        'export interface UsefulOnly {}', // an interface
        '// export function NoNewFailure() {}', // a comment
        "export const text = 'OrderClamped';", // a string
      ].join('\n'),
      '/m/b.ts': "export { NoOverlap2 as MaxLeafCoverage } from './c.js';",
      '/m/c.ts': 'export function NoOverlap2() { return 1; }',
    });
    const names = modelExports(p);
    for (const n of ['InRange', 'FixedExact', 'MaxLeafCoverage', 'NoOverlap2']) expect(names.has(n), n).toBe(true);
    for (const n of ['NoOverlap', 'HintKept', 'Congruent', 'UsefulOnly', 'NoNewFailure', 'OrderClamped'])
      expect(names.has(n), n).toBe(false);
  });

  it('reads POLICY_NAMES and the cases of policyHook from the syntax tree', () => {
    const p = inMemoryModel({
      '/m/policy.ts': [
        "export const POLICY_NAMES = ['baseline', 'v2'] as const;",
        "const OTHER = ['jason'];",
        '// optimal',
        'export function policyHook(n: string) {',
        "  switch (n) { case 'baseline': return null; case 'jason': return 1; }",
        "  return 'optimal';",
        '}',
      ].join('\n'),
    });
    const { listed, hooked } = modelPolicies(p);
    expect([...listed].sort()).toEqual(['baseline', 'v2']);
    expect([...hooked].sort()).toEqual(['baseline', 'jason']);
  });
});

describe('tlaDefinitions', () => {
  const TLA = [
    '---------------- MODULE M ----------------',
    'EXTENDS Naturals',
    '\\* InRange == a line comment',
    '(* NoOverlap == (* nested *) still a comment *)',
    'FixedExact == TRUE',
    'HintKeptX == TRUE',
    'Foo(a, _) == LET Congruent == 1',
    '                 UsefulOnly(x) == x',
    '             IN a',
    'Bar[x \\in 1..3] == x',
    'Names == {"NoNewFailure", "v2"}',
    'Tuple ==<<1, 2>>',
    '=============================================',
  ].join('\n');

  it('finds module-level definitions only', () => {
    const names = tlaDefinitions(TLA).map((d) => d.name);
    expect(names).toEqual(['FixedExact', 'HintKeptX', 'Foo', 'Bar', 'Names', 'Tuple']);
  });

  it('keeps a definition body with its strings (PolicyNames)', () => {
    const names = tlaDefinitions(TLA).find((d) => d.name === 'Names');
    expect(names?.body.filter((t) => t.kind === 'str').map((t) => t.text)).toEqual(['NoNewFailure', 'v2']);
  });
});

describe('documentedTerms', () => {
  it('takes heading words and exact bold terms, not code blocks, comments or plain text', () => {
    const md = [
      '### InRange',
      '## The `NoOverlap` invariant',
      'Some text about FixedExact.',
      '**HintKept**: ...',
      '**Congruent check** is not the exact name.',
      '```',
      '### UsefulOnly',
      '**NoNewFailure**',
      '```',
      '<!-- ### OrderClamped -->',
      '`MaxLeafCoverage` in code only',
      '__FaultSafe__',
    ].join('\n');
    const t = documentedTerms(md);
    const documented = (n: string) => t.headingWords.has(n) || t.bold.has(n);
    for (const n of ['InRange', 'NoOverlap', 'HintKept', 'FaultSafe']) expect(documented(n), n).toBe(true);
    for (const n of ['FixedExact', 'Congruent', 'UsefulOnly', 'NoNewFailure', 'OrderClamped', 'MaxLeafCoverage'])
      expect(documented(n), n).toBe(false);
  });
});

describe('missingNames', () => {
  function sources(opts: {
    dropModel?: string;
    dropSpec?: string;
    dropDocs?: string;
    dropPolicyCase?: string;
  }): NameSources {
    const invs = ['InRange', 'NoOverlap'];
    const pols = ['baseline', 'v2'];
    const model = inMemoryModel({
      '/m/inv.ts': [...invs, ...SHARED_HELPERS]
        .filter((n) => n !== opts.dropModel)
        .map((n) => `export function ${n}() { return true; }`)
        .join('\n'),
      '/m/pol.ts': [
        `export const POLICY_NAMES = [${pols.map((p) => `'${p}'`).join(', ')}];`,
        `export function policyHook(n: string) { switch (n) { ${pols
          .filter((p) => p !== opts.dropPolicyCase)
          .map((p) => `case '${p}': return 1;`)
          .join(' ')} } return 0; }`,
      ].join('\n'),
    });
    const tla = [
      ...invs.filter((n) => n !== opts.dropSpec).map((n) => `${n} == TRUE`),
      ...SHARED_HELPERS.filter((n) => n !== opts.dropSpec).map((n) => `${n[0]!.toUpperCase()}${n.slice(1)}(x) == x`),
      ...pols.filter((p) => p !== opts.dropSpec).map((p) => `${p}Area(L, r) == r`),
      `PolicyNames == {${pols.map((p) => `"${p}"`).join(', ')}}`,
    ].join('\n');
    const semantics = [...invs, ...pols]
      .filter((n) => n !== opts.dropDocs)
      .map((n) => `### ${n}`)
      .join('\n');
    return { invariants: invs, policies: pols, model, tla: [{ file: 'spec/X.tla', text: tla }], semantics };
  }

  it('reports nothing when every name is everywhere', () => {
    expect(missingNames(sources({}))).toEqual([]);
  });

  it('names an invariant missing from the model', () => {
    expect(missingNames(sources({ dropModel: 'NoOverlap' })).map(formatMissing)).toEqual([
      'invariant NoOverlap: missing in model: want an exported function or const NoOverlap in model/',
    ]);
  });

  it('names an invariant missing from the spec, and a policy whose Area operator is missing', () => {
    expect(missingNames(sources({ dropSpec: 'InRange' })).map((m) => `${m.name}@${m.where}`)).toEqual(['InRange@spec']);
    expect(missingNames(sources({ dropSpec: 'v2' })).map(formatMissing)).toEqual([
      'policy v2: missing in spec: want a definition v2Area == ... in spec/*.tla',
    ]);
  });

  it('names a helper the spec and the model share when either side lacks it', () => {
    expect(missingNames(sources({ dropSpec: 'holdsAlignedChunk' })).map(formatMissing)).toEqual([
      'helper holdsAlignedChunk: missing in spec: want a definition HoldsAlignedChunk(...) == ... in spec/*.tla',
    ]);
    expect(missingNames(sources({ dropModel: 'bestPfnmapOrder' })).map((m) => `${m.name}@${m.where}`)).toEqual([
      'bestPfnmapOrder@model',
    ]);
  });

  it('names a name missing from SEMANTICS.md, and a policy policyHook does not handle', () => {
    expect(missingNames(sources({ dropDocs: 'baseline' })).map((m) => `${m.name}@${m.where}`)).toEqual([
      'baseline@docs',
    ]);
    expect(missingNames(sources({ dropPolicyCase: 'v2' })).map(formatMissing)).toEqual([
      "policy v2: missing in model: want case 'v2' in the exported function policyHook in model/",
    ]);
  });
});
