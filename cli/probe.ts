// mapping-order probe [--vm] [--json] [--quiet] [--only NAME]: real mmaps on this
// machine's kernel (or, with --vm, on the unpatched Linux 6.12 booted under
// QEMU), each compared with the model's baseline placement for the layout the
// probing process had just before the call. docs/PROBE.md explains the helper,
// the bases, the cases and how to read a disagreement.

import { EXIT, InputError } from '../io/errors.js';
import { stringifyJson } from '../io/json.js';
import { runProbe, runVmProbe, type ProbeOptions } from '../probe/probe.js';
import { machineLines, outcomeLine, probeJson, sessionLine, totals, totalsLine } from '../probe/report.js';

const USAGE = `usage: mapping-order probe [--vm] [--json] [--quiet] [--only NAME]

Makes real mmaps on this kernel (x86_64 Linux) through a small C helper and
compares each returned address or errno with the model's baseline placement,
given the process's VMAs read from /proc/self/maps just before the call.
  --vm      the same in a QEMU guest running the unpatched Linux 6.12 (built
            once and cached), compared with the model at kernel 6.12
  --json    one JSON document: machine facts, sessions, every case, totals
  --quiet   print only disagreements, skips summarised, and the totals
  --only    run only the sessions or case groups whose name contains NAME
Exit: 0 all agreed, 1 a disagreement, 3 a missing tool (no C compiler, not
x86_64 Linux, a kernel the model does not mirror, no QEMU or kernel source
for --vm), 4 guest trouble (a panic, a hang, unreadable output).
`;

interface Options {
  vm: boolean;
  json: boolean;
  quiet: boolean;
  only?: string;
}

function parseArgs(argv: string[]): Options | 'help' {
  const o: Options = { vm: false, json: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') o.json = true;
    else if (a === '--vm') o.vm = true;
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

export async function run(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const out = (s: string): void => {
    if (!opts.json) process.stdout.write(s + '\n');
  };
  const common: ProbeOptions = {
    ...(opts.only !== undefined ? { only: opts.only } : {}),
    onMachine: (m, tmpfs) => machineLines(m, tmpfs).forEach(out),
    onSessionStart: (spec) => {
      if (!opts.quiet) out(`session ${spec.name}: ${spec.about}`);
    },
    onOutcome: (o) => {
      if (!opts.quiet || o.verdict === 'disagreed') out(outcomeLine(o));
    },
    onSession: (rep) => out(sessionLine(rep)),
  };
  const r = opts.vm
    ? await runVmProbe({
        ...common,
        // The build and boot progress goes to stderr: stdout keeps the probe's own format.
        log: (l) => process.stderr.write(l + '\n'),
        onGuest: (g) =>
          out(
            `probe: guest Linux ${g.release} (unpatched, kernel build ${g.kernelKey.slice(0, 16)}` +
              `${g.kernelCached ? ', cached' : ''}), QEMU TCG, ready in ${(g.bootMs / 1000).toFixed(1)}s; ` +
              'model kernel 6.12',
          ),
      })
    : await runProbe(common);
  const t = totals(r.outcomes);
  if (opts.json) {
    process.stdout.write(stringifyJson(probeJson(r), 2) + '\n');
  } else {
    if (opts.quiet) {
      const reasons = new Map<string, number>();
      for (const o of r.outcomes)
        if (o.verdict === 'skipped') reasons.set(o.reason ?? '', (reasons.get(o.reason ?? '') ?? 0) + 1);
      for (const [why, n] of reasons) out(`  skipped: ${why} (${n} cases)`);
    }
    if (r.interpreterFailures > 0) {
      out(`probe: ${r.interpreterFailures} session(s) where the computed base is not where exec put the interpreter`);
    }
    if (r.vm) {
      const compared = t.agreed + t.disagreed;
      const rate = r.vm.sessionsMs > 0 ? (compared * 1000) / r.vm.sessionsMs : 0;
      out(
        `probe: guest: boot ${(r.vm.bootMs / 1000).toFixed(1)}s, sessions ${(r.vm.sessionsMs / 1000).toFixed(1)}s ` +
          `(${rate.toFixed(0)} mmaps/s compared), power-off ${((r.vm.poweroffMs ?? 0) / 1000).toFixed(1)}s`,
      );
    }
    out(totalsLine(t));
  }
  return t.disagreed > 0 || r.interpreterFailures > 0 ? EXIT.failed : EXIT.ok;
}
