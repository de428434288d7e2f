// Renders each configuration of spec/verdicts.json as its TLC .cfg, so the manifest is the one source of
// the .cfg files (which invariants, which bug toggles, which bounds). `npm run gen` (scripts/gen.ts) writes
// them; test/check/configs.test.ts fails when a .cfg on disk differs from its rendering.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { tlaGeometryName } from './geometry-tla.js';
import { SPEC_DIR, type ConfigEntry, type Manifest } from './manifest.js';

export const REGENERATE_CONFIGS = 'npm run gen';

/** The CONSTANTS of the spec bound to the wrapper's MC<Name> definitions (module by module). */
export const BOUND_CONSTANTS = [
  // Geometry
  'Allocator',
  'TaskSize',
  'MmapBase',
  'MmapLegacyBase',
  'MmapMinAddr',
  'StackGuardGap',
  'PmdOrder',
  'PudOrder',
  'LeafOrders',
  'PfnmapOrders',
  'ShiftOverflowOrder',
  // Drivers
  'BarPages',
  // MappingOrder
  'Policy',
  'InitLayouts',
  'Requests',
  'Munmaps',
  'MaxCalls',
] as const;

/** The constant of CIUniverse / LargeUniverse that selects the tiny geometry (ConfigEntry.geometry). */
export const GEOMETRY_CONSTANT = 'MCGeometry';

export interface CfgShape {
  init: string;
  next: string;
  invariants: readonly string[];
}

/**
 * The .cfg text of one configuration; `shape` replaces INIT / NEXT / INVARIANTS (the counterexample decoder's runs).
 */
export function renderCfg(m: Manifest, c: ConfigEntry, shape?: CfgShape): string {
  const init = shape?.init ?? 'Init';
  const next = shape?.next ?? 'Next';
  const invs = shape?.invariants ?? c.invariants;
  const expect = c.expect === 'pass' ? 'expected: no violation' : `expected: ${c.violates} violated`;
  const lines = [
    `\\* GENERATED from spec/verdicts.json by check/configs.ts: do not edit; run \`${REGENERATE_CONFIGS}\``,
    `\\* ${c.name} (${c.mode}, policy ${c.policy}, module ${c.module}): ${expect}.`,
    `\\* ${c.reason}`,
    'CONSTANTS',
    `  ${GEOMETRY_CONSTANT} <- ${tlaGeometryName(c.geometry)}`,
    ...BOUND_CONSTANTS.map((k) => `  ${k} <- ${c.overrides[k] ?? `MC${k}`}`),
    ...m.bugToggles.map((b) => `  ${b} = ${c.bugs.includes(b) ? 'TRUE' : 'FALSE'}`),
    `INIT ${init}`,
    `NEXT ${next}`,
    // After MaxCalls calls there is no successor, by design (MappingOrder's header).
    'CHECK_DEADLOCK FALSE',
    'INVARIANTS',
    ...invs.map((i) => `  ${i}`),
    '',
  ];
  return lines.join('\n');
}

export function cfgPath(c: ConfigEntry): string {
  return join(SPEC_DIR, `${c.name}.cfg`);
}

/** Configurations whose file differs from the rendering, and .cfg files the manifest does not know. */
export function staleConfigs(m: Manifest): { differ: string[]; unknown: string[] } {
  const differ: string[] = [];
  for (const c of m.configs) {
    let onDisk: string | null = null;
    try {
      onDisk = readFileSync(cfgPath(c), 'utf8');
    } catch {
      onDisk = null;
    }
    if (onDisk !== renderCfg(m, c)) differ.push(c.name);
  }
  const known = new Set(m.configs.map((c) => `${c.name}.cfg`));
  const unknown = readdirSync(SPEC_DIR).filter((f) => f.endsWith('.cfg') && !known.has(f));
  return { differ, unknown };
}

export function writeConfigs(m: Manifest): string[] {
  const written: string[] = [];
  for (const c of m.configs) {
    writeFileSync(cfgPath(c), renderCfg(m, c));
    written.push(`${c.name}.cfg`);
  }
  return written;
}
