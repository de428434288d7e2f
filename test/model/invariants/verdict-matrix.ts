// Reads one expectation out of spec/verdicts.json, the shared verdict matrix.
// Its shape is the TLA+ helper's; the shapes read here are
//   { "matrix": { "<Invariant>": { "<policy>": { "verdict": "holds" | "violated", "reason" } } } } (the one it has),
//   { "<Invariant>": { "<policy>": "holds" | "violated" | true | false | { "expected": ... } } }
//   { "verdicts": [ { "invariant", "policy", "expected" } ] } or a bare array of those,
// and anything else reads as "no expectation" (null).

import type { PolicyName } from '../../../model/types.js';

function asHolds(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.toLowerCase();
    if (['holds', 'hold', 'ok', 'pass', '✓', 'true', 'kept'].includes(t)) return true;
    if (['violated', 'breaks', 'break', 'fails', 'fail', '✗', 'false', 'broken'].includes(t)) return false;
    return null;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['expected', 'expect', 'verdict', 'holds']) if (k in o) return asHolds(o[k]);
  }
  return null;
}

export function matrixExpectation(matrix: unknown, invariant: string, policy: PolicyName): boolean | null {
  if (matrix === null || typeof matrix !== 'object') return null;
  const rows = Array.isArray(matrix) ? matrix : Array.isArray((matrix as Record<string, unknown>).verdicts) ? ((matrix as Record<string, unknown>).verdicts as unknown[]) : null;
  if (rows !== null) {
    for (const row of rows) {
      if (row === null || typeof row !== 'object') continue;
      const r = row as Record<string, unknown>;
      if (r.invariant === invariant && r.policy === policy) return asHolds(r);
    }
    return null;
  }
  const top = matrix as Record<string, unknown>;
  const table = top.matrix !== null && typeof top.matrix === 'object' ? (top.matrix as Record<string, unknown>) : top;
  const byInv = table[invariant];
  if (byInv === null || typeof byInv !== 'object') return null;
  return asHolds((byInv as Record<string, unknown>)[policy]);
}
