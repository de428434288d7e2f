// spec/TinyGeometries.tla is generated from model/geometry.ts; these tests check that the committed
// file is current and that its numbers are the page-unit values derived by hand below.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { REGENERATE_COMMAND, renderTinyGeometries, TINY_GEOMETRY_FILE } from '../../check/geometry-tla.js';

const committed = readFileSync(TINY_GEOMETRY_FILE, 'utf8');

/** The fields of one record of the generated module, as written there. */
function record(name: string): Record<string, string> {
  const m = new RegExp(`^${name} ==\\n\\s*\\[([^\\]]*)\\]`, 'm').exec(committed);
  if (!m || m[1] === undefined) throw new Error(`${name} not found in spec/TinyGeometries.tla`);
  const out: Record<string, string> = {};
  for (const part of m[1].split(/,\n/)) {
    const kv = /^\s*(\w+) \|-> (.*)$/s.exec(part);
    if (kv && kv[1] !== undefined && kv[2] !== undefined) out[kv[1]] = kv[2].trim();
  }
  return out;
}

describe('spec/TinyGeometries.tla', () => {
  it(`is what the generator renders from model/geometry.ts (else run ${REGENERATE_COMMAND})`, () => {
    expect(committed).toBe(renderTinyGeometries());
  });

  // TASK_UNMAPPED_BASE = PAGE_ALIGN(TASK_SIZE / 3) in bytes, then divided by the 4096-byte page:
  //   tiny-16:  16 * 4096 = 65536;  65536 / 3 = 21845 -> PAGE_ALIGN = 24576 = 6 pages
  //   tiny-32:  131072 / 3 = 43690 -> 45056 = 11 pages
  //   tiny-64:  262144 / 3 = 87381 -> 90112 = 22 pages
  //   tiny-128: 524288 / 3 = 174762 -> 176128 = 43 pages
  // mmap_base = TASK_SIZE (no stack gap in the tiny geometries); mmap_min_addr and stack_guard_gap are
  // one page; PMD = 2 pages (order 1), PUD = 4 pages (order 2); 64 - PAGE_SHIFT 12 = 52.
  it.each([
    ['Tiny16', '16', '6'],
    ['Tiny32', '32', '11'],
    ['Tiny64', '64', '22'],
    ['Tiny128', '128', '43'],
  ])('%s has the hand-derived page-unit constants', (name, taskSize, legacyBase) => {
    const r = record(name);
    expect(r.taskSize).toBe(taskSize);
    expect(r.mmapBase).toBe(taskSize);
    expect(r.mmapLegacyBase).toBe(legacyBase);
    expect(r.mmapMinAddr).toBe('1');
    expect(r.stackGuardGap).toBe('1');
    expect(r.pmdOrder).toBe('1');
    expect(r.pudOrder).toBe('2');
    expect(r.leafOrders).toBe('{0, 1, 2}');
    expect(r.pfnmapOrders).toBe('{1, 2}');
    expect(r.shiftOverflowOrder).toBe('52');
  });
});
