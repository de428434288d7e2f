// mapping-order oracle [--json] [--only GROUP] [--policy P] [--record]: the model held to the patched Linux 6.12
// with a real PCI BAR (an ivshmem device bound to vfio-pci in a QEMU guest), one boot per placement policy;
// --record writes the findings group's results (bar/findings-kernel.json, shown by docs/FINDINGS.md).
// docs/ORACLE.md explains what runs and how to read the table.

import { writeFileSync } from 'node:fs';
import { EXIT, InputError } from '../io/errors.js';
import { stringifyJson } from '../io/json.js';
import type { PolicyName } from '../model/types.js';
import { FINDINGS_KERNEL, findingsRecord, runOracle } from '../bar/oracle.js';
import { POLICY_NAMES } from '../model/policy/index.js';
import { disagreements, oracleTable, outcomeLine } from '../bar/report.js';
import { scaleCases } from '../scripts/docs/findings-cases.js';

const USAGE = `usage: mapping-order oracle [--json] [--only GROUP] [--policy P] [--record]

Builds Linux 6.12 with kernel/patches/test (cached), boots it under QEMU once
per policy (mapping_order_policy=baseline|v2|jason|optimal) with ivshmem BARs
of 64M and 1G bound to vfio-pci, and compares every mmap of BAR2 with the
model's place() and every touched mapping's leaves (the kernel's page-table
dump) with the model's faults, under both BAR drivers (v2, bar).
  --json    one JSON document: every outcome and the table's figures
  --only    only the case groups whose name contains GROUP (plain, address,
            hole, findings, scheme dpdk, scheme qemu-9.2, scheme qemu-2026,
            scheme kernel)
  --policy  only this policy (repeatable)
  --record  write the findings group's results to bar/findings-kernel.json
            (docs/FINDINGS.md shows them; needs every policy and the group)
Exit: 0 all agreed, 1 a disagreement, 3 skipped (no QEMU, no kernel
package), 4 guest trouble (a panic, a hang, unreadable output).
`;

interface Options {
  json: boolean;
  record: boolean;
  only?: string;
  policies: PolicyName[];
}

function parseArgs(argv: string[]): Options | 'help' {
  const o: Options = { json: false, record: false, policies: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') o.json = true;
    else if (a === '--record') o.record = true;
    else if (a === '--help' || a === '-h') return 'help';
    else if (a === '--only') {
      const v = argv[++i];
      if (v === undefined || v === '') throw new InputError('--only', 'needs a group name');
      o.only = v;
    } else if (a === '--policy') {
      const v = argv[++i];
      if (!POLICY_NAMES.includes(v as PolicyName))
        throw new InputError('--policy', `expected one of ${POLICY_NAMES.join(', ')}, got '${v ?? ''}'`);
      o.policies.push(v as PolicyName);
    } else throw new InputError('argument', `unknown argument '${a}' (see mapping-order oracle --help)`);
  }
  return o;
}

export async function run(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (opts.record && (opts.policies.length > 0 || (opts.only !== undefined && !'findings'.includes(opts.only))))
    throw new InputError('--record', 'needs every policy and the findings group (no --policy; --only findings)');
  const r = await runOracle({
    policies: opts.policies.length > 0 ? opts.policies : POLICY_NAMES,
    ...(opts.only !== undefined ? { only: opts.only } : {}),
    findings: scaleCases(),
    // Build and boot progress goes to stderr: stdout keeps the table (or the JSON).
    log: (l) => process.stderr.write(l + '\n'),
  });
  const bad = disagreements(r);
  if (opts.json) process.stdout.write(stringifyJson(r) + '\n');
  else if (r.skipped) process.stdout.write(`skipped: ${r.skipped}\n`);
  else {
    for (const o of bad) process.stdout.write(outcomeLine(o) + '\n');
    for (const l of oracleTable(r)) process.stdout.write(l + '\n');
  }
  if (r.skipped) return EXIT.missingTool;
  if (bad.length > 0) return EXIT.failed;
  if (opts.record) {
    writeFileSync(FINDINGS_KERNEL, findingsRecord(r));
    process.stderr.write(`oracle: wrote ${FINDINGS_KERNEL}\n`);
  }
  return EXIT.ok;
}
