// The answer of `faults`, as JSON and as one line. The JSON: {"leaves": {"4096": "511", "2097152": "30", ...},
// "faults": "541", "fallbacks": "2"} (counts as decimal strings, leaf sizes in bytes as keys), or
// {"error": "EINVAL", "why": ...} when the mapping cannot exist (the driver's ->mmap refuses the range;
// hugetlb needs aligned va and len).

import type { FaultAnswer } from '../model/faults/index.js';
import { leavesJson, leavesText } from './units.js';

export function faultsJson(a: FaultAnswer): Record<string, unknown> {
  if (!a.ok) return { error: a.error, why: a.why };
  return {
    leaves: leavesJson(a.report.leaves),
    faults: a.report.faults.toString(),
    fallbacks: a.report.fallbacks.toString(),
  };
}

export function faultsLine(a: FaultAnswer): string {
  if (!a.ok) return `error ${a.error}: ${a.why}`;
  return `leaves ${leavesText(a.report.leaves)}; ${a.report.faults} faults, ${a.report.fallbacks} fallbacks`;
}
