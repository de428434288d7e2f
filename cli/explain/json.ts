// The explanation as JSON (--json): per VMA the place answer, the driver's
// order, the congruence, the fault model's leaves and its runs.

import { faultsJson } from '../faults.js';
import type { ExplainDoc } from './doc.js';

const hex = (x: bigint): string => `0x${x.toString(16)}`;

export function docJson(doc: ExplainDoc): Record<string, unknown> {
  return {
    title: doc.title,
    arch: doc.arch,
    policy: doc.policy,
    steps: doc.steps,
    error: doc.error,
    vmas: doc.vmas.map((v) => ({
      title: v.title,
      request: {
        addr: hex(v.scenario.request.addr),
        len: hex(v.scenario.request.len),
        pgoff: hex(v.scenario.request.pgoff),
        fixed: v.scenario.request.fixed,
        shared: v.scenario.request.shared,
      },
      va: v.placement.va === null ? null : hex(v.placement.va),
      error: v.placement.error,
      path: v.placement.path,
      order: v.placement.order,
      alignment: hex(v.placement.alignment),
      congruent: v.congruent,
      driverOrder: v.driverOrder,
      faults: v.faults === null ? null : faultsJson(v.faults),
      runs:
        v.faults !== null && v.faults.ok
          ? v.faults.report.runs.map((r) => ({ start: hex(r.start), end: hex(r.end), size: r.size.toString(), count: ((r.end - r.start) / r.size).toString() }))
          : [],
    })),
  };
}
