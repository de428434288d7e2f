// The manifest spec/verdicts.json against the files on disk: every .cfg is its rendering, every module
// exists, every matrix cell has a configuration that decides it, the seeded bugs are there, and the
// names used in the manifest are the ones the spec declares.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { BOUND_CONSTANTS, GEOMETRY_CONSTANT, REGENERATE_CONFIGS, staleConfigs } from '../../check/configs.js';
import { decidingConfig, loadManifest, parseManifest, SPEC_ARCHES, SPEC_DIR } from '../../check/manifest.js';
import { INVARIANT_NAMES } from '../../model/invariants/index.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import { InputError } from '../../io/errors.js';

const m = loadManifest();
const tla = Object.fromEntries(
  readdirSync(SPEC_DIR)
    .filter((f) => f.endsWith('.tla'))
    .map((f) => [f, readFileSync(join(SPEC_DIR, f), 'utf8')]),
);

/** Names declared in CONSTANT / CONSTANTS blocks of every module (a block ends at a blank line). */
/** Each CONSTANT the spec declares, once (CIUniverse and LargeUniverse both declare MCGeometry). */
function declaredConstants(): string[] {
  const out: string[] = [];
  for (const text of Object.values(tla)) {
    const re = /^CONSTANTS?\b([\s\S]*?)(?:\n\s*\n)/gm;
    for (let x = re.exec(text); x !== null; x = re.exec(text)) {
      for (const line of (x[1] ?? '').split('\n')) {
        const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*,?\s*(\\\*.*)?$/.exec(line)?.[1];
        if (name) out.push(name);
      }
    }
  }
  return [...new Set(out)].sort();
}

describe('spec/verdicts.json', () => {
  it(`renders every .cfg on disk exactly (else run ${REGENERATE_CONFIGS})`, () => {
    expect(staleConfigs(m)).toEqual({ differ: [], unknown: [] });
  });

  it('names an existing MC*.tla wrapper for every configuration', () => {
    for (const c of m.configs) expect(existsSync(join(SPEC_DIR, `${c.module}.tla`)), c.name).toBe(true);
  });

  it('has a CI configuration deciding every cell of the matrix on each architecture', () => {
    for (const inv of INVARIANT_NAMES)
      for (const p of POLICY_NAMES)
        for (const a of SPEC_ARCHES) {
          const c = decidingConfig(m, inv, p, a);
          expect(c, `${inv} x ${p} on ${a}`).toBeDefined();
          expect(c?.geometry).toBe(a === 'x86' ? 'tiny-16' : 'tiny-arm64');
        }
  });

  it('checks, in the main run of each policy on each architecture, every invariant the matrix says holds there', () => {
    for (const p of POLICY_NAMES)
      for (const a of SPEC_ARCHES) {
        const holds = INVARIANT_NAMES.filter((i) => m.matrix[i][p].arches[a] === 'holds');
        const name = `MC${p === 'v2' ? 'V2' : p[0]?.toUpperCase() + p.slice(1)}${a === 'x86' ? '' : 'Arm64'}`;
        const main = m.configs.find((c) => c.name === name);
        expect(main?.invariants.filter((i) => i !== 'TypeOK').sort(), name).toEqual([...holds].sort());
      }
  });

  it('refuses a cell whose verdict is not violated exactly when some architecture violates it', () => {
    const doc = JSON.parse(readFileSync(join(SPEC_DIR, 'verdicts.json'), 'utf8'));
    doc.matrix.InRange.v2.arm64 = 'violated';
    expect(() => parseManifest(doc)).toThrow(/matrix\.InRange\.v2\.verdict: must be violated/);
    doc.matrix.InRange.v2.arm64 = 'maybe';
    expect(() => parseManifest(doc)).toThrow(/matrix\.InRange\.v2\.arm64: must be one of holds, violated/);
  });

  it('seeds at least 8 distinct bug toggles, each in CI with the invariant it must break', () => {
    const bugCfgs = m.configs.filter((c) => c.bugs.length > 0);
    const toggles = new Set(bugCfgs.flatMap((c) => c.bugs));
    expect(toggles.size).toBeGreaterThanOrEqual(8);
    for (const c of bugCfgs) {
      expect(c.mode).toBe('ci');
      expect(c.expect).toBe('violation');
      expect(c.invariants).toEqual([c.violates]);
    }
  });

  it('uses exactly the CONSTANTS the spec declares (geometry, bounds, bug toggles)', () => {
    expect(declaredConstants()).toEqual([...BOUND_CONSTANTS, GEOMETRY_CONSTANT, ...m.bugToggles].sort());
  });

  it('names only invariants that Invariants.tla defines', () => {
    const inv = tla['Invariants.tla'] ?? '';
    for (const name of new Set(m.configs.flatMap((c) => c.invariants))) {
      expect(new RegExp(`^${name} ==`, 'm').test(inv), name).toBe(true);
    }
  });

  it('refuses a malformed manifest with a message naming the field', () => {
    const doc = JSON.parse(readFileSync(join(SPEC_DIR, 'verdicts.json'), 'utf8')) as {
      matrix: Record<string, Record<string, { verdict: string }>>;
      configs: Array<{ expect: string; violates: string | null }>;
    };
    const bad1 = structuredClone(doc);
    (bad1.matrix.InRange as Record<string, { verdict: string }>).v2 = { verdict: 'maybe' };
    expect(() => parseManifest(bad1)).toThrow(InputError);
    expect(() => parseManifest(bad1)).toThrow(/matrix\.InRange\.v2/);
    const bad2 = structuredClone(doc);
    const first = bad2.configs[0] as { expect: string; violates: string | null };
    first.expect = 'violation';
    first.violates = null;
    expect(() => parseManifest(bad2)).toThrow(/configs\[0\]\.violates/);
  });
});
