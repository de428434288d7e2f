// spec/verdicts.json: the verdict matrix (invariant x policy -> holds | violated, with a reason) and the
// manifest of TLC configurations (mode, expected result, invariant expected to fail, measured figures),
// in the spirit of the manifest of the tlaplus/Examples repository. parseManifest is its one reader: every other part
// of
// the project (the stages, the docs generator, the tests) takes the typed Manifest from here.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { InputError } from '../io/errors.js';
import { GEOMETRIES, isArchName, type ArchName } from '../model/geometry.js';
import { INVARIANT_NAMES, type InvariantName } from '../model/invariants/index.js';
import { POLICY_NAMES } from '../model/policy/index.js';
import type { PolicyName } from '../model/types.js';

export const MANIFEST_FILE = fileURLToPath(new URL('../spec/verdicts.json', import.meta.url));
export const SPEC_DIR = fileURLToPath(new URL('../spec/', import.meta.url));

export type Verdict = 'holds' | 'violated';

/** The architectures the spec models, by their allocator: x86's own, or mm/mmap.c's generic one (arm64). */
export type SpecArch = 'x86' | 'arm64';
export const SPEC_ARCHES: readonly SpecArch[] = ['x86', 'arm64'];

/** The spec architecture of a tiny geometry. */
export function specArchOf(geometry: ArchName): SpecArch {
  return GEOMETRIES[geometry].allocator === 'x86' ? 'x86' : 'arm64';
}

export interface MatrixCell {
  /** 'violated' when the invariant is violated on some architecture. */
  verdict: Verdict;
  /** The verdict on each architecture. */
  arches: Record<SpecArch, Verdict>;
  reason: string;
  /** Set when TLC contradicted an earlier hypothesis: what it found and what was corrected. */
  finding?: string;
}

export interface Measured {
  distinct: number;
  generated: number;
  depth: number;
  seconds: number;
  workers: number;
  date: string;
}

export interface ConfigEntry {
  /** The .cfg's base name (MCV2_bug_NoOffSub -> spec/MCV2_bug_NoOffSub.cfg). */
  name: string;
  /** The MC*.tla wrapper it checks. */
  module: string;
  /** 'ci' configurations run in `mapping-order check` and the tests; 'manual' ones are the large runs. */
  mode: 'ci' | 'manual';
  /** The tiny geometry the configuration binds (MCGeometry). */
  geometry: ArchName;
  /** Its architecture (specArchOf). */
  arch: SpecArch;
  policy: PolicyName;
  /** The invariants the .cfg lists (TLC stops at the first violation). */
  invariants: string[];
  /** Bug toggles set TRUE. */
  bugs: string[];
  /** CONSTANT -> the wrapper's definition to bind instead of MC<CONSTANT>. */
  overrides: Record<string, string>;
  expect: 'pass' | 'violation';
  violates: string | null;
  reason: string;
  measured: Measured | null;
}

export interface Manifest {
  tlc: string;
  policies: PolicyName[];
  invariants: InvariantName[];
  bugToggles: string[];
  matrix: Record<InvariantName, Record<PolicyName, MatrixCell>>;
  configs: ConfigEntry[];
}

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json, field: string): string {
  if (typeof v !== 'string' || v === '') throw new InputError(field, 'must be a non-empty string');
  return v;
}

function strList(v: Json, field: string): string[] {
  if (!Array.isArray(v)) throw new InputError(field, 'must be an array of strings');
  return v.map((x, i) => str(x, `${field}[${i}]`));
}

function count(v: Json, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InputError(field, 'must be a non-negative integer');
  return v;
}

function oneOf<T extends string>(v: Json, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new InputError(field, `must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function measured(v: Json, field: string): Measured | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) throw new InputError(field, 'must be an object or null');
  const seconds = v.seconds;
  if (typeof seconds !== 'number' || !(seconds >= 0)) throw new InputError(`${field}.seconds`, 'must be a number >= 0');
  return {
    distinct: count(v.distinct, `${field}.distinct`),
    generated: count(v.generated, `${field}.generated`),
    depth: count(v.depth, `${field}.depth`),
    seconds,
    workers: count(v.workers, `${field}.workers`),
    date: str(v.date, `${field}.date`),
  };
}

/** Validates the parsed JSON of spec/verdicts.json; every error names the field. */
export function parseManifest(doc: Json, file = 'spec/verdicts.json'): Manifest {
  if (!isObj(doc)) throw new InputError(file, 'must be a JSON object');
  const policies = strList(doc.policies, `${file}: policies`);
  if (policies.join() !== POLICY_NAMES.join())
    throw new InputError(`${file}: policies`, `must be ${POLICY_NAMES.join(', ')}`);
  const invariants = strList(doc.invariants, `${file}: invariants`);
  if (invariants.join() !== INVARIANT_NAMES.join())
    throw new InputError(`${file}: invariants`, `must be ${INVARIANT_NAMES.join(', ')}`);
  const bugToggles = strList(doc.bugToggles, `${file}: bugToggles`);

  if (!isObj(doc.matrix)) throw new InputError(`${file}: matrix`, 'must be an object');
  const matrix = {} as Record<InvariantName, Record<PolicyName, MatrixCell>>;
  for (const inv of INVARIANT_NAMES) {
    const row = doc.matrix[inv];
    if (!isObj(row)) throw new InputError(`${file}: matrix.${inv}`, 'is missing');
    const cells = {} as Record<PolicyName, MatrixCell>;
    for (const p of POLICY_NAMES) {
      const c = row[p];
      const f = `${file}: matrix.${inv}.${p}`;
      if (!isObj(c)) throw new InputError(f, 'is missing');
      const verdict = oneOf(c.verdict, ['holds', 'violated'] as const, `${f}.verdict`);
      const arches = {} as Record<SpecArch, Verdict>;
      for (const a of SPEC_ARCHES) arches[a] = oneOf(c[a], ['holds', 'violated'] as const, `${f}.${a}`);
      const any: Verdict = SPEC_ARCHES.some((a) => arches[a] === 'violated') ? 'violated' : 'holds';
      if (verdict !== any) throw new InputError(`${f}.verdict`, `must be ${any}: 'violated' exactly when some arch is`);
      const cell: MatrixCell = { verdict, arches, reason: str(c.reason, `${f}.reason`) };
      if (c.finding !== undefined) cell.finding = str(c.finding, `${f}.finding`);
      cells[p] = cell;
    }
    matrix[inv] = cells;
  }

  if (!Array.isArray(doc.configs)) throw new InputError(`${file}: configs`, 'must be an array');
  const names = new Set<string>();
  const configs = doc.configs.map((c: Json, i: number): ConfigEntry => {
    const f = `${file}: configs[${i}]`;
    if (!isObj(c)) throw new InputError(f, 'must be an object');
    const name = str(c.name, `${f}.name`);
    if (!/^MC[A-Za-z0-9]+(_[A-Za-z0-9]+)?(_bug_[A-Za-z0-9]+)?$/.test(name)) {
      throw new InputError(
        `${f}.name`,
        'must follow MC<Name>.cfg / MC<Name>_<Invariant>.cfg / MC<Name>_bug_<What>.cfg',
      );
    }
    if (names.has(name)) throw new InputError(`${f}.name`, `${name} appears twice`);
    names.add(name);
    const expect = oneOf(c.expect, ['pass', 'violation'] as const, `${f}.expect`);
    const violates = c.violates === null ? null : str(c.violates, `${f}.violates`);
    if ((expect === 'violation') !== (violates !== null)) {
      throw new InputError(`${f}.violates`, 'names the invariant exactly when expect is "violation"');
    }
    const invs = strList(c.invariants, `${f}.invariants`);
    if (violates !== null && !invs.includes(violates))
      throw new InputError(`${f}.violates`, 'must be one of its invariants');
    const bugs = strList(c.bugs, `${f}.bugs`);
    for (const b of bugs) if (!bugToggles.includes(b)) throw new InputError(`${f}.bugs`, `${b} is not a bug toggle`);
    if (name.includes('_bug_') !== bugs.length > 0)
      throw new InputError(`${f}.bugs`, 'a _bug_ configuration sets exactly its toggles');
    if (!isObj(c.overrides)) throw new InputError(`${f}.overrides`, 'must be an object');
    const overrides: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.overrides)) overrides[k] = str(v, `${f}.overrides.${k}`);
    const geometry = str(c.geometry, `${f}.geometry`);
    if (!isArchName(geometry) || !geometry.startsWith('tiny-'))
      throw new InputError(`${f}.geometry`, 'must be a tiny geometry of model/geometry.ts');
    return {
      name,
      module: str(c.module, `${f}.module`),
      mode: oneOf(c.mode, ['ci', 'manual'] as const, `${f}.mode`),
      geometry,
      arch: specArchOf(geometry),
      policy: oneOf(c.policy, POLICY_NAMES, `${f}.policy`),
      invariants: invs,
      bugs,
      overrides,
      expect,
      violates,
      reason: str(c.reason, `${f}.reason`),
      measured: measured(c.measured, `${f}.measured`),
    };
  });
  return {
    tlc: str(doc.tlc, `${file}: tlc`),
    policies: [...POLICY_NAMES],
    invariants: [...INVARIANT_NAMES],
    bugToggles,
    matrix,
    configs,
  };
}

export function loadManifest(path = MANIFEST_FILE): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('spec/verdicts.json', `cannot read ${path}: ${(e as Error).message}`);
  }
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError('spec/verdicts.json', `not JSON: ${(e as Error).message}`);
  }
  return parseManifest(doc);
}

/** Rewrites the measured figures of the named configurations, keeping the rest of the file as it is. */
export function recordMeasured(updates: ReadonlyMap<string, Measured>, path = MANIFEST_FILE): void {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { configs: Array<{ name: string; measured: Measured | null }> };
  for (const c of doc.configs) {
    const m = updates.get(c.name);
    if (m) c.measured = m;
  }
  writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
}

/**
 * The configuration that decides a matrix cell on one architecture: for a cell that holds there the
 * policy's CI run on that architecture that checks the invariant and is expected to pass; for a violated
 * one the CI run on it expected to violate exactly that invariant.
 */
export function decidingConfig(
  m: Manifest,
  inv: InvariantName,
  policy: PolicyName,
  arch: SpecArch,
): ConfigEntry | undefined {
  const verdict = m.matrix[inv][policy].arches[arch];
  return m.configs.find(
    (c) =>
      c.mode === 'ci' &&
      c.arch === arch &&
      c.policy === policy &&
      c.bugs.length === 0 &&
      Object.keys(c.overrides).length === 0 &&
      (verdict === 'holds' ? c.expect === 'pass' && c.invariants.includes(inv) : c.violates === inv),
  );
}
