// The TAP reader the guest test uses on the kselftest's output (tools/testing/selftests/kselftest.h formats).

import { describe, expect, it } from 'vitest';
import { parseTap, vectorName } from '../../selftest/tap.js';

describe('parseTap', () => {
  it('reads the plan, each result with its vector, and ignores the diagnostics', () => {
    const tap = parseTap(
      [
        'TAP version 13',
        '1..3',
        '# dpdk-lo: 0+0x200000 at 0x7fa9d7200000, base 0: 0 pte 1 pmd 0 pud, sum 0',
        'ok 1 dpdk-lo',
        'not ok 2 dpdk-hi: VA 0x7f5e5fca7000 is not 0x1000 mod 0x200000',
        'ok 3 # SKIP no BAR',
        '# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0',
      ].join('\n'),
    );
    expect(tap.plan).toBe(3);
    expect(tap.skipAll).toBeNull();
    expect(tap.results.map((r) => [r.number, r.ok, r.skip, vectorName(r)])).toEqual([
      [1, true, false, 'dpdk-lo'],
      [2, false, false, 'dpdk-hi'],
      [3, true, true, ''],
    ]);
  });

  it('reads a skip of the whole test (ksft_exit_skip before ksft_set_plan)', () => {
    const tap = parseTap('TAP version 13\n1..0 # SKIP /dev/vfio/noiommu-0: No such file or directory\n');
    expect(tap.plan).toBe(0);
    expect(tap.skipAll).toBe('/dev/vfio/noiommu-0: No such file or directory');
    expect(tap.results).toEqual([]);
  });

  it('has no plan when the test died before printing one', () => {
    expect(parseTap('TAP version 13\n').plan).toBeNull();
  });
});
