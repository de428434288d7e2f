// Renders spec/TinyGeometries.tla from model/geometry.ts, so the TLA+ constants of the tiny geometries are
// never copied by hand: each constant lives in one place. `npm run gen` (scripts/gen.ts) writes it;
// test/check/geometry-tla.test.ts fails when the committed file differs from renderTinyGeometries().
// Everything is converted to PAGE units (the spec's unit): TLC integers are 32-bit.

import { fileURLToPath } from 'node:url';

import { GEOMETRIES, type ArchName, type Geometry } from '../model/geometry.js';

export const TINY_GEOMETRY_FILE = fileURLToPath(new URL('../spec/TinyGeometries.tla', import.meta.url));
export const REGENERATE_COMMAND = 'npm run gen';

/** The TLA+ operator name of a tiny geometry: tiny-16 -> Tiny16, tiny-arm64 -> TinyArm64. */
export function tlaGeometryName(name: ArchName): string {
  return name
    .split('-')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join('');
}

function pages(g: Geometry, bytes: bigint, what: string): string {
  if (bytes % g.pageSize !== 0n) throw new Error(`${g.name}.${what}: ${bytes} is not a multiple of the page size`);
  const p = bytes / g.pageSize;
  if (p >= 1n << 30n) throw new Error(`${g.name}.${what}: ${p} pages does not fit a TLC integer`);
  return p.toString();
}

function tlaSet(xs: readonly number[]): string {
  return `{${xs.join(', ')}}`;
}

/** One geometry as a TLA+ record in page units. */
export function renderGeometry(g: Geometry): string {
  if (g.pudOrder === null) throw new Error(`${g.name}: the spec needs a PUD order`);
  const fields: Array<[string, string]> = [
    ['name', `"${g.name}"`],
    ['allocator', `"${g.allocator}"`],
    ['taskSize', pages(g, g.taskSize, 'taskSize')],
    ['mmapBase', pages(g, g.defaults.mmapBase, 'defaults.mmapBase')],
    ['mmapLegacyBase', pages(g, g.defaults.mmapLegacyBase, 'defaults.mmapLegacyBase')],
    ['mmapMinAddr', pages(g, g.defaults.mmapMinAddr, 'defaults.mmapMinAddr')],
    ['stackGuardGap', pages(g, g.defaults.stackGuardGap, 'defaults.stackGuardGap')],
    ['pmdOrder', String(g.pmdOrder)],
    ['pudOrder', String(g.pudOrder)],
    ['leafOrders', tlaSet(g.leafOrders)],
    ['pfnmapOrders', tlaSet(g.pfnmapOrders)],
    // check_shl_overflow(PAGE_SIZE, order): BITS_PER_LONG - PAGE_SHIFT on a 64-bit kernel
    ['shiftOverflowOrder', String(64n - g.pageShift)],
  ];
  const body = fields.map(([k, v]) => `${k} |-> ${v}`).join(',\n     ');
  return `${tlaGeometryName(g.name)} ==\n    [${body}]`;
}

export function renderTinyGeometries(): string {
  const tiny = (Object.keys(GEOMETRIES) as ArchName[]).filter((n) => n.startsWith('tiny-'));
  const defs = tiny.map((n) => renderGeometry(GEOMETRIES[n])).join('\n\n');
  return [
    '--------------------------- MODULE TinyGeometries ---------------------------',
    '(***************************************************************************)',
    '(* GENERATED from model/geometry.ts by check/geometry-tla.ts: do not     *)',
    `(* edit; regenerate with \`${REGENERATE_COMMAND}\`.${' '.repeat(48 - REGENERATE_COMMAND.length)}*)`,
    '(* The tiny geometries of the model, in PAGE units (1 = one page), one     *)',
    '(* record each; MC*.tla wrappers bind the CONSTANTS of module Geometry to  *)',
    '(* one of them.  Defaults of the mm fields (mmap_base, mmap_legacy_base,   *)',
    "(* mmap_min_addr, stack_guard_gap) are the model's documented defaults.    *)",
    '(***************************************************************************)',
    '',
    defs,
    '',
    '=============================================================================',
    '',
  ].join('\n');
}
