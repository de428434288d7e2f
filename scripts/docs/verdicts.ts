// spec/verdicts.json as the docs read it: the policies and invariants it
// names, each cell's verdict and reason, and the TLC configurations that
// exhibit a violation. The shape is the spec helper's:
//   { "policies": [...], "invariants": [...],
//     "matrix": { "<Invariant>": { "<policy>": { "verdict": "holds" | "violated", "reason", "finding"? } } },
//     "configs": [ { "name", "policy", "expect": "pass" | "violation", "violates", "bugs": [...],
//                    "geometry", "reason" } ] }   (the measured state counts and times are not read)

export type VerdictName = 'holds' | 'violated';

export interface MatrixCell {
  readonly invariant: string;
  readonly policy: string;
  readonly verdict: VerdictName;
  readonly reason: string;
  /** Set where the hypothesis was corrected by a check. */
  readonly finding: string | null;
}

export interface ConfigEntry {
  readonly name: string;
  readonly policy: string;
  readonly geometry: string;
  readonly expect: 'pass' | 'violation';
  readonly violates: string | null;
  readonly bugs: readonly string[];
  readonly reason: string;
}

export interface Verdicts {
  readonly policies: readonly string[];
  readonly invariants: readonly string[];
  readonly cells: readonly MatrixCell[];
  readonly configs: readonly ConfigEntry[];
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`spec/verdicts.json: ${where}: expected an object`);
  return v as Record<string, unknown>;
}

function strings(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`spec/verdicts.json: ${where}: expected an array of strings`);
  return v as string[];
}

/** The parsed file; throws naming the first field that is not as described above. */
export function readVerdicts(json: unknown): Verdicts {
  const root = obj(json, '(top level)');
  const policies = strings(root.policies, 'policies');
  const invariants = strings(root.invariants, 'invariants');
  const matrix = obj(root.matrix, 'matrix');
  const cells: MatrixCell[] = [];
  for (const [invariant, row] of Object.entries(matrix)) {
    for (const [policy, c] of Object.entries(obj(row, `matrix.${invariant}`))) {
      const cell = obj(c, `matrix.${invariant}.${policy}`);
      if (cell.verdict !== 'holds' && cell.verdict !== 'violated') throw new Error(`spec/verdicts.json: matrix.${invariant}.${policy}.verdict: must be "holds" or "violated"`);
      cells.push({
        invariant,
        policy,
        verdict: cell.verdict,
        reason: typeof cell.reason === 'string' ? cell.reason : '',
        finding: typeof cell.finding === 'string' ? cell.finding : null,
      });
    }
  }
  const configs: ConfigEntry[] = (Array.isArray(root.configs) ? root.configs : []).map((c, i) => {
    const e = obj(c, `configs[${i}]`);
    return {
      name: String(e.name),
      policy: String(e.policy),
      geometry: String(e.geometry),
      expect: e.expect === 'violation' ? 'violation' : 'pass',
      violates: typeof e.violates === 'string' ? e.violates : null,
      bugs: Array.isArray(e.bugs) ? e.bugs.map(String) : [],
      reason: typeof e.reason === 'string' ? e.reason : '',
    };
  });
  return { policies, invariants, cells, configs };
}

/** Every name the file uses for an invariant or a policy: the lists and the matrix's rows and columns. */
export function verdictNames(v: Verdicts): { invariants: string[]; policies: string[] } {
  const inv = new Set(v.invariants);
  const pol = new Set(v.policies);
  for (const c of v.cells) {
    inv.add(c.invariant);
    pol.add(c.policy);
  }
  return { invariants: [...inv], policies: [...pol] };
}

export interface Departure {
  readonly invariant: string;
  readonly policy: string;
  /** The matrix cell, when the departure is one; null for a kernel fact shown by a configuration alone. */
  readonly cell: MatrixCell | null;
  /** The TLC configurations (no bug toggle) that are expected to violate it. */
  readonly configs: readonly ConfigEntry[];
}

/**
 * Every place the contract is broken without a deliberate bug: the matrix
 * cells whose verdict is "violated", and the configurations without bug
 * toggles that expect a violation of a cell the matrix says holds (a kernel
 * fact outside the matrix's universe, such as spec/MCShadowStack.cfg).
 * In the matrix's order (invariants, then policies).
 */
export function departures(v: Verdicts): Departure[] {
  const key = (i: string, p: string) => `${i}/${p}`;
  const out = new Map<string, Departure>();
  const cfgs = (i: string, p: string) => v.configs.filter((c) => c.expect === 'violation' && c.bugs.length === 0 && c.violates === i && c.policy === p);
  for (const c of v.cells) if (c.verdict === 'violated') out.set(key(c.invariant, c.policy), { invariant: c.invariant, policy: c.policy, cell: c, configs: cfgs(c.invariant, c.policy) });
  for (const c of v.configs) {
    if (c.expect !== 'violation' || c.bugs.length > 0 || c.violates === null || out.has(key(c.violates, c.policy))) continue;
    out.set(key(c.violates, c.policy), { invariant: c.violates, policy: c.policy, cell: null, configs: cfgs(c.violates, c.policy) });
  }
  const order = (d: Departure) => [v.invariants.indexOf(d.invariant), v.policies.indexOf(d.policy)];
  return [...out.values()].sort((a, b) => {
    const [ai, ap] = order(a);
    const [bi, bp] = order(b);
    return ai! - bi! || ap! - bp!;
  });
}
