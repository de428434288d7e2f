// mapping-order probe [--json] [--quiet] [--only NAME]: real mmaps on this
// machine's kernel, each compared with the model's baseline placement for the
// layout the probing process had just before the call. docs/PROBE.md explains
// the helper, the bases, the cases and how to read a disagreement.

import { EXIT, InputError, MissingToolError } from './errors.js';
import { hex, stringifyJson } from './json.js';
import { SESSIONS, size } from './probe/cases.js';
import { buildHelper, findCompiler } from './probe/helper.js';
import { detectMachine, type Machine } from './probe/machine.js';
import { runSession, type CaseOutcome, type MachineFacts, type SessionReport } from './probe/run-session.js';
import { mountHugeTmpfs, type HugeTmpfs } from './probe/tmpfs.js';

const USAGE = `usage: mapping-order probe [--json] [--quiet] [--only NAME]

Makes real mmaps on this kernel (x86_64 Linux) through a small C helper and
compares each returned address or errno with the model's baseline placement,
given the process's VMAs read from /proc/self/maps just before the call.
  --json    one JSON document: machine facts, sessions, every case, totals
  --quiet   print only disagreements, skips summarised, and the totals
  --only    run only the sessions or case groups whose name contains NAME
Exit: 0 all agreed, 1 a disagreement, 3 no C compiler / not x86_64 Linux.
`;

interface Options {
  json: boolean;
  quiet: boolean;
  only?: string;
}

function parseArgs(argv: string[]): Options | 'help' {
  const o: Options = { json: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') o.json = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') return 'help';
    else if (a === '--only') {
      const v = argv[++i];
      if (v === undefined || v === '') throw new InputError('--only', 'needs a session or group name');
      o.only = v;
    } else throw new InputError('argument', `unknown argument '${a}' (see mapping-order probe --help)`);
  }
  return o;
}

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
  return o.kernel.va !== null ? hex(o.kernel.va) : o.kernel.errno ?? '?';
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

function machineLines(m: Machine, tmpfs: HugeTmpfs | { skipped: string }): string[] {
  const lsm = m.lsmMmapMinAddr === null ? 'none' : m.lsmMmapMinAddr.toString();
  return [
    `probe: x86_64 Linux ${m.kernel}, ${m.la57 ? '5' : '4'}-level paging, TASK_SIZE ${hex(m.taskSize)}, stack_guard_gap ${size(m.stackGuardGap)}`,
    `probe: mmap_min_addr ${hex(m.mmapMinAddr)} = max(vm.mmap_min_addr ${hex(m.dacMmapMinAddr)}, CONFIG_LSM_MMAP_MIN_ADDR ${lsm} from ${m.configSource})`,
    `probe: shmem_enabled ${m.shmemEnabled ?? 'absent'}; tmpfs huge=always: ${'skipped' in tmpfs ? 'skipped: ' + tmpfs.skipped : tmpfs.dir}`,
    `probe: hugetlbfs (MFD_HUGETLB, MAP_NORESERVE): ${hugetlbNote(m)}`,
  ];
}

function sessionLine(r: SessionReport): string {
  const rl = r.rlimStack === (1n << 64n) - 1n ? 'unlimited' : size(r.rlimStack);
  return (
    `session ${r.name}: ${r.bases.topdown ? 'top-down' : 'bottom-up'}, RLIMIT_STACK ${rl}, personality ${r.personality}, ` +
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
    ...(o.model ? { model: { va: o.model.va, error: o.model.error, path: o.model.path, order: String(o.model.order), alignment: o.model.alignment } } : {}),
    ...(o.scenario && o.verdict === 'disagreed' ? { scenario: o.scenario } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const out = (s: string): void => {
    if (!opts.json) process.stdout.write(s + '\n');
  };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingToolError(`skipped: the probe needs an x86_64 Linux kernel (this is ${process.platform}/${process.arch})`);
  }
  if (!findCompiler()) throw new MissingToolError('skipped: no C compiler (install gcc or clang, or set CC) to build probe/mmap-probe.c');
  const binary = buildHelper();
  const machine = detectMachine();
  const tmpfs = mountHugeTmpfs();
  const outcomes: CaseOutcome[] = [];
  const reports: SessionReport[] = [];
  let interpreterFailures = 0;
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
    for (const l of machineLines(machine, tmpfs)) out(l);
    for (const spec of SESSIONS) {
      if (opts.only && !spec.name.includes(opts.only) && !spec.groups.some((g) => g.name.includes(opts.only!))) continue;
      if (!opts.json && !opts.quiet) out(`session ${spec.name}: ${spec.about}`);
      const report = await runSession(spec, facts, {
        binary,
        ...(opts.only ? { only: opts.only } : {}),
        onOutcome: (o) => {
          if (opts.json) return;
          if (!opts.quiet || o.verdict === 'disagreed') out(outcomeLine(o));
        },
      });
      reports.push(report);
      outcomes.push(...report.outcomes);
      if (!report.interpreterCheck.ok) interpreterFailures++;
      out(sessionLine(report));
    }
  } finally {
    if (!('skipped' in tmpfs)) tmpfs.unmount();
  }
  const t = totals(outcomes);
  if (opts.quiet && !opts.json) {
    const reasons = new Map<string, number>();
    for (const o of outcomes) if (o.verdict === 'skipped') reasons.set(o.reason ?? '', (reasons.get(o.reason ?? '') ?? 0) + 1);
    for (const [why, n] of reasons) out(`  skipped: ${why} (${n} cases)`);
  }
  if (opts.json) {
    process.stdout.write(
      stringifyJson(
        {
          machine: {
            kernel: machine.kernel,
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
            hugetlb: machine.unavailable.has('hugetlb') ? { skipped: machine.unavailable.get('hugetlb') } : { hugePageSize: machine.hugePageSize },
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
          cases: outcomes.map(jsonOutcome),
          totals: { agreed: String(t.agreed), disagreed: String(t.disagreed), skipped: String(t.skipped) },
        },
        2,
      ) + '\n',
    );
  } else {
    if (interpreterFailures > 0) out(`probe: ${interpreterFailures} session(s) where the computed base is not where exec put the interpreter`);
    out(totalsLine(t));
  }
  return t.disagreed > 0 || interpreterFailures > 0 ? EXIT.failed : EXIT.ok;
}
