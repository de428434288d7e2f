// What the probe reports: the totals, one line per case and session, the machine facts, and the JSON
// document of `probe --json` (docs/PROBE.md).

import { answerJson, placeAnswer } from '../scenario/answer.js';
import { size } from './cases.js';
import type { Machine } from './machine.js';
import type { ProbeRun } from './probe.js';
import type { CaseOutcome, SessionReport } from './run-session.js';
import type { HugeTmpfs } from './tmpfs.js';
import { hex } from '../model/u64.js';

export interface ProbeTotals {
  readonly agreed: number;
  readonly disagreed: number;
  readonly skipped: number;
}

export function totals(outcomes: readonly CaseOutcome[]): ProbeTotals {
  let agreed = 0,
    disagreed = 0,
    skipped = 0;
  for (const o of outcomes) {
    if (o.verdict === 'agreed') agreed++;
    else if (o.verdict === 'disagreed') disagreed++;
    else skipped++;
  }
  return { agreed, disagreed, skipped };
}

export function totalsLine(t: ProbeTotals): string {
  return `probe: ${t.agreed} agreed, ${t.disagreed} disagreed, ${t.skipped} skipped`;
}

function kernelText(o: CaseOutcome): string {
  if (!o.kernel) return '';
  return o.kernel.va !== null ? hex(o.kernel.va) : (o.kernel.errno ?? '?');
}

export function outcomeLine(o: CaseOutcome): string {
  if (o.verdict === 'skipped') return `  skipped    ${o.id}  ${o.what}: skipped: ${o.reason ?? ''}`;
  if (o.verdict === 'agreed') return `  agreed     ${o.id}  ${o.what} -> ${kernelText(o)} (${o.model?.path})`;
  return `  DISAGREED  ${o.id}  ${o.what}: ${o.reason ?? ''}`;
}

function hugetlbNote(m: Machine): string {
  const why = m.unavailable.get('hugetlb');
  return why !== undefined ? `skipped: ${why}` : `huge page size ${size(m.hugePageSize ?? 0n)}`;
}

export function machineLines(m: Machine, tmpfs: HugeTmpfs | { skipped: string }): string[] {
  const lsm = m.lsmMmapMinAddr === null ? 'none' : m.lsmMmapMinAddr.toString();
  const tmpfsNote = 'skipped' in tmpfs ? 'skipped: ' + tmpfs.skipped : tmpfs.dir;
  return [
    `probe: x86_64 Linux ${m.kernel} (model kernel ${m.modelKernel ?? 'none'}), ${m.la57 ? '5' : '4'}-level paging, ` +
      `TASK_SIZE ${hex(m.taskSize)}, stack_guard_gap ${size(m.stackGuardGap)}`,
    `probe: mmap_min_addr ${hex(m.mmapMinAddr)} = max(vm.mmap_min_addr ${hex(m.dacMmapMinAddr)}, ` +
      `CONFIG_LSM_MMAP_MIN_ADDR ${lsm} from ${m.configSource})`,
    `probe: shmem_enabled ${m.shmemEnabled ?? 'absent'}; tmpfs huge=always: ${tmpfsNote}`,
    `probe: hugetlbfs (MFD_HUGETLB, MAP_NORESERVE): ${hugetlbNote(m)}`,
  ];
}

export function sessionLine(r: SessionReport): string {
  const rl = r.rlimStack === (1n << 64n) - 1n ? 'unlimited' : size(r.rlimStack);
  const direction = r.bases.topdown ? 'top-down' : 'bottom-up';
  return (
    `session ${r.name}: ${direction}, RLIMIT_STACK ${rl}, personality ${r.personality}, ` +
    `mmap_base ${hex(r.bases.mmapBase)}, mmap_legacy_base ${hex(r.bases.mmapLegacyBase)}; ${r.interpreterCheck.text}`
  );
}

function jsonOutcome(o: CaseOutcome): unknown {
  return {
    id: o.id,
    session: o.session,
    group: o.group,
    what: o.what,
    verdict: o.verdict,
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
    ...(o.request
      ? {
          request: {
            backing: o.request.backing,
            addr: o.request.addr,
            len: o.request.len,
            pgoff: o.request.pgoff,
            fixed: o.request.fixed,
            shared: o.request.shared,
            keep: o.request.keep === true,
          },
        }
      : {}),
    ...(o.kernel ? { kernel: { va: o.kernel.va, error: o.kernel.errno } } : {}),
    ...(o.model && o.scenario ? { model: answerJson(placeAnswer(o.scenario, o.model)) } : {}),
    ...(o.scenario && o.verdict === 'disagreed' ? { scenario: o.scenario } : {}),
  };
}

/** The document `probe --json` prints. */
export function probeJson(r: ProbeRun): Record<string, unknown> {
  const { machine, tmpfs, reports, outcomes } = r;
  const t = totals(outcomes);
  return {
    machine: {
      kernel: machine.kernel,
      modelKernel: machine.modelKernel,
      la57: machine.la57,
      taskSize: machine.taskSize,
      taskSizeMax: machine.taskSizeMax,
      stackGuardGap: machine.stackGuardGap,
      mmapMinAddr: machine.mmapMinAddr,
      dacMmapMinAddr: machine.dacMmapMinAddr,
      lsmMmapMinAddr: machine.lsmMmapMinAddr,
      configSource: machine.configSource,
      shmemEnabled: machine.shmemEnabled,
      tmpfs: 'skipped' in tmpfs ? { skipped: tmpfs.skipped } : { dir: tmpfs.dir },
      hugetlb: machine.unavailable.has('hugetlb')
        ? { skipped: machine.unavailable.get('hugetlb') }
        : { hugePageSize: machine.hugePageSize },
    },
    sessions: reports.map((r) => ({
      name: r.name,
      about: r.about,
      topdown: r.bases.topdown,
      mmapBase: r.bases.mmapBase,
      mmapLegacyBase: r.bases.mmapLegacyBase,
      rlimStack: r.rlimStack,
      personality: r.personality,
      interpreterCheck: r.interpreterCheck,
    })),
    ...(r.vm
      ? {
          vm: {
            release: r.vm.release,
            kernelKey: r.vm.kernelKey,
            kernelCached: r.vm.kernelCached,
            bootMs: String(r.vm.bootMs),
            sessionsMs: String(r.vm.sessionsMs),
            poweroffMs: r.vm.poweroffMs === null ? null : String(r.vm.poweroffMs),
            bar: r.vm.bar,
          },
        }
      : {}),
    cases: outcomes.map(jsonOutcome),
    totals: { agreed: String(t.agreed), disagreed: String(t.disagreed), skipped: String(t.skipped) },
  };
}
