// The explanation as JSON (--json): per VMA the place answer, the driver's
// order, the congruence, the fault model's leaves and its runs.

import { answerJson } from '../scenario/answer.js';
import { faultsJson } from './faults.js';
import type { ExplainDoc } from './doc.js';
import { hex } from '../model/u64.js';

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
      ...answerJson({ ...v.placement, congruent: v.congruent }),
      driverOrder: v.driverOrder,
      faults: v.faults === null ? null : faultsJson(v.faults),
      runs:
        v.faults !== null && v.faults.ok
          ? v.faults.report.runs.map((r) => ({
              start: hex(r.start),
              end: hex(r.end),
              size: r.size.toString(),
              count: ((r.end - r.start) / r.size).toString(),
            }))
          : [],
    })),
  };
}
