// The repository's folders and which way their imports go: cli/ is the command line and nothing imports it
// (its own tests aside); no two top-level folders import each other, directly or round a longer cycle.
// Read with ts-morph from the sources themselves, so a new import that breaks either rule fails here.

import { dirname, relative, resolve } from 'node:path';
import { Node, Project, SyntaxKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const project = new Project({ tsConfigFilePath: resolve(ROOT, 'tsconfig.json') });

/** Every relative import (static, dynamic or re-export) of every source, as [from file, to file]. */
function imports(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const sf of project.getSourceFiles()) {
    const from = relative(ROOT, sf.getFilePath());
    if (from.startsWith('..') || from.startsWith('node_modules')) continue;
    const specs = [
      ...sf.getImportDeclarations().map((d) => d.getModuleSpecifierValue()),
      ...sf.getExportDeclarations().flatMap((d) => d.getModuleSpecifierValue() ?? []),
      ...sf
        .getDescendantsOfKind(SyntaxKind.CallExpression)
        .filter((c) => c.getExpression().getKind() === SyntaxKind.ImportKeyword)
        .flatMap((c) => c.getArguments().flatMap((a) => (Node.isStringLiteral(a) ? [a.getLiteralValue()] : []))),
    ];
    for (const spec of specs) {
      if (!spec.startsWith('.')) continue;
      out.push([from, relative(ROOT, resolve(dirname(sf.getFilePath()), spec))]);
    }
  }
  return out;
}

const top = (file: string): string => (file.includes('/') ? file.split('/')[0]! : '.');

describe('imports', () => {
  const edges = imports();

  it('are read from the whole tree', () => {
    expect(edges.length).toBeGreaterThan(500);
  });

  it('never reach cli/ from outside it (its tests, test/cli/, aside)', () => {
    const bad = edges.filter(([from, to]) => top(to) === 'cli' && top(from) !== 'cli' && !from.startsWith('test/cli/'));
    expect(bad.map(([f, t]) => `${f} -> ${t}`)).toEqual([]);
  });

  it('form no cycle between top-level folders (tests excluded: they import what they test)', () => {
    const graph = new Map<string, Set<string>>();
    for (const [from, to] of edges) {
      const a = top(from);
      const b = top(to);
      if (a === b || a === 'test') continue;
      if (!graph.has(a)) graph.set(a, new Set());
      graph.get(a)!.add(b);
    }
    // Depth-first search for a back edge; the cycle found is reported as a path.
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (n: string): void => {
      state.set(n, 'open');
      stack.push(n);
      for (const m of graph.get(n) ?? []) {
        if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m].join(' -> '));
        else if (state.get(m) === undefined) visit(m);
      }
      stack.pop();
      state.set(n, 'done');
    };
    for (const n of [...graph.keys()].sort()) if (state.get(n) === undefined) visit(n);
    expect(cycles).toEqual([]);
  });
});
