// The generated kselftest in a guest: the test kernel of the whole series (0001-0009, cached), QEMU's
// ivshmem-plain as a 64M BAR2, VFIO no-IOMMU; booted with mapping_order_policy=optimal every vector passes, and
// with mapping_order_policy=baseline (6.12's own placement: no congruence for an unaligned offset unless len is
// a PMD multiple) the test fails, naming vectors, only ones the model says baseline breaks, and always the
// hole-fit one (its VA does not depend on ASLR). Skipped, saying why, where the harness cannot run.

import { expect, it } from 'vitest';
import { harnessUnavailable } from '../../vm/prerequisites.js';
import { prepare, runInGuest, seriesPatches } from '../../selftest/guest.js';
import { parseTap, vectorName } from '../../selftest/tap.js';
import { modelBreaks, vectors } from '../../selftest/vectors.js';

const why = harnessUnavailable();
if (why) console.log(`skipped: kselftest mapping_order in a guest: ${why}`);

const title = 'the generated kselftest passes every vector under optimal and fails named ones under baseline';
it.skipIf(why !== null)(
  `${title}${why ? ` (skipped: ${why})` : ''}`,
  async () => {
    const log = (l: string): void => console.log(l);
    const patches = seriesPatches();
    expect(patches.map((p) => p.split('/').pop()).at(-1)).toBe('0009-selftests-mm-add-mapping_order-test.patch');
    const prepared = await prepare(log, patches);
    const names = vectors().map((v) => v.name);

    const optimal = await runInGuest(prepared, 'optimal', log);
    console.log(`optimal (${optimal.bdf}):\n${optimal.tap}`);
    const good = parseTap(optimal.tap);
    expect(good.skipAll).toBeNull();
    expect(good.plan).toBe(names.length);
    expect(good.results.map((r) => [vectorName(r), r.ok, r.skip])).toEqual(names.map((n) => [n, true, false]));
    expect(optimal.exit).toEqual({ code: 0, signal: null });
    // The vectors are the BAR-order driver's: the module parameter of patch 0008 must have taken.
    expect(optimal.driver).toBe('bar');

    const baseline = await runInGuest(prepared, 'baseline', log);
    console.log(`baseline (${baseline.bdf}):\n${baseline.tap}`);
    const bad = parseTap(baseline.tap);
    expect(bad.plan).toBe(names.length);
    expect(bad.results.map(vectorName)).toEqual(names);
    const failed = bad.results.filter((r) => !r.ok).map(vectorName);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed).toContain('hole-fit');
    for (const n of failed) expect(modelBreaks('baseline')).toContain(n);
    expect(baseline.exit.code).not.toBe(0);
  },
  40 * 60_000,
);
