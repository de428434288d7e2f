// The explanation of a scenario or a scheme as data, before any rendering: per
// VMA the mmap call, the driver's order, the path, the alignment and the
// congruence, and the leaves the fault model installs.

import { driverModel } from '../model/drivers/index.js';
import { faultsFor, type FaultAnswer } from '../model/faults/index.js';
import { geometry } from '../model/geometry.js';
import { place } from '../model/place.js';
import { runScheme } from '../model/schemes/index.js';
import type { Placement, Scenario } from '../model/types.js';
import type { ExplainInput } from '../scenario/scheme.js';
import { sizeLabel } from './units.js';
import { hex } from '../model/u64.js';

export interface VmaExplain {
  readonly title: string;
  readonly scenario: Scenario;
  readonly placement: Placement;
  /** The mapped length (PAGE_ALIGN(len), or the hugetlb rounding). */
  readonly len: bigint;
  /** off = pgoff << PAGE_SHIFT (0 for anonymous memory). */
  readonly off: bigint;
  /** get_mapping_order(file, pgoff, len) for a driver file. */
  readonly driverOrder: number | null;
  /** VA ≡ off (mod alignment) where an alignment above a page was aimed for and a VA returned. */
  readonly congruent: boolean | null;
  readonly faults: FaultAnswer | null;
}

export interface ExplainDoc {
  readonly title: string;
  readonly arch: string;
  readonly policy: string;
  /** For a scheme: each call it made, as one line. */
  readonly steps: readonly string[];
  readonly vmas: readonly VmaExplain[];
  /** For a scheme that stopped early. */
  readonly error: string | null;
}

function mappedLen(s: Scenario): bigint {
  const g = geometry(s.arch);
  const unit = s.file.kind === 'hugetlb' ? (s.file.hugePageSize ?? g.pageSize << BigInt(g.pmdOrder)) : g.pageSize;
  return (s.request.len + unit - 1n) & ~(unit - 1n);
}

export function explainVma(title: string, s: Scenario, p: Placement): VmaExplain {
  const g = geometry(s.arch);
  const len = mappedLen(s);
  const off = s.file.kind === 'anon' ? 0n : BigInt.asUintN(64, s.request.pgoff << g.pageShift);
  const d = s.file.kind === 'driver' ? driverModel(s.file.driver ?? '') : null;
  const driverOrder = d ? d.getMappingOrder(g, s.file, s.request.pgoff, len) : null;
  const congruent = p.va !== null && p.alignment > g.pageSize ? (p.va - off) % p.alignment === 0n : null;
  const faults =
    p.va === null
      ? null
      : faultsFor(
          g,
          { va: p.va, len, pgoff: s.file.kind === 'anon' ? 0n : s.request.pgoff, shared: s.request.shared },
          s.file,
        );
  return { title, scenario: s, placement: p, len, off, driverOrder, congruent, faults };
}

export function buildDoc(input: ExplainInput): ExplainDoc {
  if (input.kind === 'scenario') {
    const s = input.scenario;
    return {
      title: `mmap under ${s.policy} (${s.arch})`,
      arch: s.arch,
      policy: s.policy,
      steps: [],
      vmas: [explainVma('the mapping', s, place(s))],
      error: null,
    };
  }
  const r = runScheme(input.scheme, input.env, input.bar);
  const steps = r.steps.map((st) => {
    if (st.kind === 'munmap') return `munmap(${hex(st.start)}, ${hex(st.len)})  ${st.label}`;
    const req = st.scenario.request;
    const fixed = req.fixed ? ', MAP_FIXED' : '';
    const backing = st.scenario.file.kind === 'anon' ? ', anonymous' : `, pgoff ${hex(req.pgoff)}`;
    const result = st.placement.va !== null ? hex(st.placement.va) : (st.placement.error ?? '?');
    return `mmap(${hex(req.addr)}, ${hex(req.len)}${fixed}${backing}) = ${result}  ${st.label}`;
  });
  // The BAR areas are the device mmaps among the steps, in order.
  const deviceSteps = r.steps.filter((st) => st.kind === 'mmap' && st.scenario.file.kind === 'driver');
  const vmas = r.parts.map((part, i) => {
    const st = deviceSteps[i]!;
    if (st.kind !== 'mmap') throw new Error('a BAR area without its mmap step');
    const { offset, size } = part.area;
    return explainVma(
      `area ${i}: BAR [${hex(offset)}, ${hex(offset + size)}) (${sizeLabel(size)})`,
      st.scenario,
      st.placement,
    );
  });
  return {
    title: `${input.scheme} scheme under ${input.env.policy} (${input.env.arch}), BAR ${sizeLabel(input.bar.size)}${
      input.bar.msix ? `, MSI-X table at ${hex(input.bar.msix.offset)} (${hex(input.bar.msix.size)} bytes)` : ''
    }`,
    arch: input.env.arch,
    policy: input.env.policy,
    steps,
    vmas,
    error: r.error,
  };
}
