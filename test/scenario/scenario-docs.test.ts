// docs/CLI.md documents every default a scenario can take; this keeps its
// table equal to what the parser fills in (model/mm-defaults.ts from
// model/geometry.ts), so the documentation cannot drift from the code.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/scenario.js';
import { ARCH_NAMES, geometry } from '../../model/geometry.js';
import type { Mm } from '../../model/types.js';
import { hex } from '../../model/u64.js';

const DOC = fileURLToPath(new URL('../../docs/CLI.md', import.meta.url));

function defaultsTable(): Map<string, string[]> {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('<!-- defaults-table');
  const end = text.indexOf('<!-- end defaults-table -->');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  const rows = text
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  return new Map(
    rows.map((r) => {
      const cells = r
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return [cells[0]!.replace(/`/g, ''), cells.slice(1)];
    }),
  );
}

// Every field of model/types.ts Mm, optional ones included: a field added to Mm and missing here is a
// compile error (npx tsc --noEmit), so the two checks below cover the whole interface.
const MM_FIELDS: Record<keyof Mm, true> = {
  topdown: true,
  mmapBase: true,
  mmapLegacyBase: true,
  taskSize: true,
  mmapMinAddr: true,
  stackGuardGap: true,
  mmapCompatBase: true,
  mmapCompatLegacyBase: true,
  dacMmapMinAddr: true,
  taskSizeMax: true,
};

/** The first column of the table under the "### `mm`" heading. */
function mmTableFields(): string[] {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('### `mm`');
  expect(start).toBeGreaterThan(-1);
  const next = text.indexOf('\n### ', start + 1);
  return text
    .slice(start, next === -1 ? undefined : next)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|')[1]!.trim().replace(/`/g, ''));
}

describe('docs/CLI.md mm table', () => {
  it('has one row per Mm field, in any order, and nothing else', () => {
    expect(mmTableFields().sort()).toEqual(Object.keys(MM_FIELDS).sort());
  });

  it('the parser knows every Mm field (its unknown-field message lists the known ones)', () => {
    let message = '';
    try {
      parseScenario(
        { arch: 'x86_64', policy: 'baseline', mm: { bogus: '0' }, file: { kind: 'anon' }, request: { len: '0x1000' } },
        '',
      );
    } catch (e) {
      message = (e as Error).message;
    }
    const m = /^mm\.bogus: unknown field \(known: (.*)\)$/.exec(message);
    expect(m).not.toBeNull();
    expect(m![1]!.split(', ').sort()).toEqual(Object.keys(MM_FIELDS).sort());
  });
});

describe('docs/CLI.md defaults table', () => {
  const table = defaultsTable();

  it('has one row per arch', () => {
    expect([...table.keys()]).toEqual(ARCH_NAMES);
  });

  for (const arch of ARCH_NAMES) {
    it(`${arch}: the documented defaults are the ones a scenario without mm gets`, () => {
      const s = parseScenario({ arch, policy: 'baseline', file: { kind: 'anon' }, request: { len: '0x1000' } }, '');
      const g = geometry(arch);
      const hugeSizes = g.leafOrders
        .filter((o) => o > 0)
        .map((o) => hex(g.pageSize << BigInt(o)))
        .join(', ');
      expect(table.get(arch)).toEqual([
        hex(g.pageSize),
        hex(s.mm.taskSize),
        hex(s.mm.mmapBase),
        hex(s.mm.mmapLegacyBase),
        hex(s.mm.mmapMinAddr),
        hex(s.mm.stackGuardGap),
        hex(g.taskSizeMax),
        hugeSizes,
      ]);
      expect(s.mm.topdown).toBe(true);
    });
  }
});
