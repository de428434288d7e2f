// mapping-order probe [--json] [--quiet] [--only NAME]: real mmaps on this
// machine's kernel, each compared with the model's baseline placement for the
// layout the probing process had just before the call. docs/PROBE.md explains
// the helper, the bases, the cases and how to read a disagreement.

import { EXIT, InputError } from '../io/errors.js';
import { stringifyJson } from '../io/json.js';
import { runProbe } from '../probe/probe.js';
import { machineLines, outcomeLine, probeJson, sessionLine, totals, totalsLine } from '../probe/report.js';

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

export async function run(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const out = (s: string): void => {
    if (!opts.json) process.stdout.write(s + '\n');
  };
  const r = await runProbe({
    ...(opts.only !== undefined ? { only: opts.only } : {}),
    onMachine: (m, tmpfs) => machineLines(m, tmpfs).forEach(out),
    onSessionStart: (spec) => {
      if (!opts.quiet) out(`session ${spec.name}: ${spec.about}`);
    },
    onOutcome: (o) => {
      if (!opts.quiet || o.verdict === 'disagreed') out(outcomeLine(o));
    },
    onSession: (rep) => out(sessionLine(rep)),
  });
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
    out(totalsLine(t));
  }
  return t.disagreed > 0 || r.interpreterFailures > 0 ? EXIT.failed : EXIT.ok;
}
