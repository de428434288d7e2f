// One probe run against the kernel this process runs on: the machine's facts, a huge=always tmpfs (mounted
// for the run and always unmounted), then every session of probe/cases.ts, each case compared with the model
// (probe/run-session.ts). The command (cli/probe.ts) prints; this file decides nothing about output.

import { MissingToolError } from '../io/errors.js';
import { SESSIONS, type SessionSpec } from './cases.js';
import { buildHelper, findCompiler } from './helper.js';
import { detectMachine, type Machine } from './machine.js';
import { runSession, type CaseOutcome, type MachineFacts, type SessionReport } from './run-session.js';
import { mountHugeTmpfs, type HugeTmpfs } from './tmpfs.js';

export interface ProbeRun {
  readonly machine: Machine;
  readonly tmpfs: HugeTmpfs | { skipped: string };
  readonly reports: readonly SessionReport[];
  readonly outcomes: readonly CaseOutcome[];
  /** Sessions whose computed mmap_base is not where exec put the interpreter. */
  readonly interpreterFailures: number;
}

export interface ProbeOptions {
  /** Only the sessions or case groups whose name contains this text. */
  readonly only?: string;
  /** Called once the machine is known, before the first session. */
  readonly onMachine?: (m: Machine, tmpfs: HugeTmpfs | { skipped: string }) => void;
  readonly onSessionStart?: (s: SessionSpec) => void;
  readonly onOutcome?: (o: CaseOutcome) => void;
  readonly onSession?: (r: SessionReport) => void;
}

export async function runProbe(opts: ProbeOptions = {}): Promise<ProbeRun> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingToolError(
      `skipped: the probe needs an x86_64 Linux kernel (this is ${process.platform}/${process.arch})`,
    );
  }
  if (!findCompiler())
    throw new MissingToolError('skipped: no C compiler (install gcc or clang, or set CC) to build probe/mmap-probe.c');
  const binary = buildHelper();
  const machine = detectMachine();
  const tmpfs = mountHugeTmpfs();
  const outcomes: CaseOutcome[] = [];
  const reports: SessionReport[] = [];
  let interpreterFailures = 0;
  const only = opts.only;
  try {
    const unavailable = new Map(machine.unavailable);
    if ('skipped' in tmpfs && !unavailable.has('tmpfs')) unavailable.set('tmpfs', tmpfs.skipped);
    const facts: MachineFacts = {
      pageSize: machine.pageSize,
      taskSize: machine.taskSize,
      taskSizeMax: machine.taskSizeMax,
      stackGuardGap: machine.stackGuardGap,
      mmapMinAddr: machine.mmapMinAddr,
      dacMmapMinAddr: machine.dacMmapMinAddr,
      legacyVaLayout: machine.legacyVaLayout,
      randomize: machine.randomize,
      mmapRndBits: machine.mmapRndBits,
      la57: machine.la57,
      unavailable,
      anonSharedUnavailable: machine.anonSharedUnavailable,
      tmpfsFile: 'skipped' in tmpfs ? null : tmpfs.file,
      hugePageSize: machine.hugePageSize,
    };
    opts.onMachine?.(machine, tmpfs);
    for (const spec of SESSIONS) {
      if (only !== undefined && !spec.name.includes(only) && !spec.groups.some((g) => g.name.includes(only))) continue;
      opts.onSessionStart?.(spec);
      const report = await runSession(spec, facts, {
        binary,
        ...(only !== undefined ? { only } : {}),
        ...(opts.onOutcome ? { onOutcome: opts.onOutcome } : {}),
      });
      reports.push(report);
      outcomes.push(...report.outcomes);
      if (!report.interpreterCheck.ok) interpreterFailures++;
      opts.onSession?.(report);
    }
  } finally {
    if (!('skipped' in tmpfs)) tmpfs.unmount();
  }
  return { machine, tmpfs, reports, outcomes, interpreterFailures };
}
