// FaultSafe: no leaf the fault model installs crosses the VMA's ends or maps a
// physical block not aligned to its size. Checked on the fault model's own
// output (the runs of model/faults), from the VMA and the backing alone: the
// runs tile [VA, VA + len) exactly, every leaf starts at an address aligned to
// its size, and its physical address (PFN map) or file position (THP) is too.

import { faultsFor, type FaultReport } from '../faults/index.js';
import type { Placement, Scenario } from '../types.js';
import { geometryOf, mappedLen } from './request-facts.js';
import { fail, OK, type Verdict } from './verdict.js';
import { hex } from '../u64.js';

export function FaultSafe(s: Scenario, p: Placement): Verdict {
  if (p.va === null) return OK;
  const g = geometryOf(s);
  const len = mappedLen(s);
  const a = faultsFor(
    g,
    { va: p.va, len, pgoff: s.file.kind === 'anon' ? 0n : s.request.pgoff, shared: s.request.shared },
    s.file,
  );
  // The mapping never exists (the driver's ->mmap, or hugetlb, refuses it): nothing is faulted.
  if (!a.ok) return OK;
  return checkLeafRuns(p.va, len, a.physStart, a.report);
}

/** The leaves of a report tile [va, va + len), each aligned to its size in VA and in physical (or file) position. */
export function checkLeafRuns(va: bigint, len: bigint, physStart: bigint, report: FaultReport): Verdict {
  let cursor = va;
  let leaves = 0n;
  for (const run of report.runs) {
    if (run.start !== cursor) return fail(`leaves leave [${hex(cursor)}, ${hex(run.start)}) unmapped or overlap it`);
    if (run.end > va + len)
      return fail(`a ${hex(run.size)} run [${hex(run.start)}, ${hex(run.end)}) crosses the VMA's end ${hex(va + len)}`);
    if (run.start % run.size !== 0n || (run.end - run.start) % run.size !== 0n)
      return fail(`a ${hex(run.size)} leaf at ${hex(run.start)} is not aligned to its size`);
    const phys = physStart + (run.start - va);
    if (phys % run.size !== 0n)
      return fail(`a ${hex(run.size)} leaf at VA ${hex(run.start)} maps ${hex(phys)}, not aligned to its size`);
    leaves += (run.end - run.start) / run.size;
    cursor = run.end;
  }
  if (cursor !== va + len) return fail(`leaves end at ${hex(cursor)}, the VMA at ${hex(va + len)}`);
  if (leaves !== report.faults) return fail(`${leaves} leaves but ${report.faults} faults`);
  return OK;
}
