// The VM probe end to end: the unpatched Linux 6.12 (kernel/build.ts, cached) booted under QEMU, every case
// family of probe/cases.ts run in it through the guest's data channel and compared with the model at kernel
// 6.12. Beyond "no disagreement", it checks the family only 6.12 can show: a file without get_unmapped_area
// (the ivshmem BAR's sysfs resource file) placed THP-aligned congruently with its pgoff, which the same
// scenario under 6.18 does not get. Skipped, saying why, where the harness cannot run.

import { expect, it } from 'vitest';
import { place } from '../../model/place.js';
import { runVmProbe, type ProbeRun } from '../../probe/probe.js';
import { harnessUnavailable } from '../../vm/prerequisites.js';

const why = harnessUnavailable();
if (why) console.log(`skipped: the VM probe: ${why}`);

const PMD = 2n << 20n;
const PAGE = 4096n;

/** The case families of probe/cases.ts, every one of which must have compared mmaps in the guest. */
const FAMILIES = [
  'natural-anon',
  'sequence-anon',
  'natural-files',
  'sequence-files',
  'lengths',
  'holes-anon',
  'holes-files',
  'guard-gaps',
  'hints',
  'fixed',
  'topdown-fallback',
  'bases',
  'hugetlbfs',
  'no-get-area',
];

const title = 'probe --vm: every mmap in the unpatched 6.12 guest lands where the model at kernel 6.12 says';
it.skipIf(why !== null)(
  `${title}${why ? ` (skipped: ${why})` : ''}`,
  async () => {
    const run: ProbeRun = await runVmProbe({ log: (l) => console.log(l) });
    const compared = run.outcomes.filter((o) => o.verdict !== 'skipped');
    const disagreed = run.outcomes.filter((o) => o.verdict === 'disagreed');
    const agreed = compared.length - disagreed.length;
    const vm = run.vm!;
    console.log(
      `vm probe: ${compared.length} mmaps, ${agreed} agreed, ${disagreed.length} disagreed, ` +
        `${run.outcomes.length - compared.length} skipped; boot ${vm.bootMs}ms, sessions ${vm.sessionsMs}ms ` +
        `(${((compared.length * 1000) / vm.sessionsMs).toFixed(0)} mmaps/s)`,
    );
    expect(disagreed.map((o) => `${o.id} ${o.what}: ${o.reason}`)).toEqual([]);
    expect(run.interpreterFailures).toBe(0);
    for (const r of run.reports) expect(r.interpreterCheck.ok, r.interpreterCheck.text).toBe(true);
    expect(run.machine.kernel).toMatch(/^6\.12\./);
    expect(run.machine.modelKernel).toBe('6.12');
    expect(agreed).toBeGreaterThanOrEqual(1000);
    expect('skipped' in vm.bar).toBe(false);
    expect('skipped' in run.tmpfs).toBe(false);
    for (const f of FAMILIES) {
      expect(compared.filter((o) => o.group === f).length, `family ${f}`).toBeGreaterThan(0);
    }
    // Every compared mmap was placed by the model at 6.12.
    for (const o of compared) expect(o.scenario?.kernel).toBe('6.12');

    // The new family: some mmap lands on the THP path congruent with pgoff, and 6.18 would have put it
    // elsewhere (mm/mmap.c __get_unmapped_area: v6.13's `!file`).
    const thp = compared.filter(
      (o) =>
        o.group === 'no-get-area' &&
        o.kernel?.va != null &&
        o.request!.addr === 0n &&
        o.request!.len % PMD === 0n &&
        (o.kernel.va - o.request!.pgoff * PAGE) % PMD === 0n &&
        o.model?.path === 'aligned',
    );
    expect(thp.length).toBeGreaterThan(0);
    const differs = thp.filter((o) => {
      const at618 = place({ ...o.scenario!, kernel: '6.18' });
      return at618.va !== o.kernel!.va;
    });
    console.log(
      `vm probe: no-get-area: ${thp.length} mmaps THP-aligned congruent with pgoff, ${differs.length} placed ` +
        `elsewhere under 6.18 (e.g. ${differs[0]?.what})`,
    );
    expect(differs.length).toBeGreaterThan(0);
    // At least one with an unaligned pgoff, where congruence is not mere PMD alignment.
    expect(differs.some((o) => o.request!.pgoff % (PMD / PAGE) !== 0n)).toBe(true);
  },
  60 * 60_000,
);
