// The oracle's own checks that need no guest: the series it builds, the console check after each boot, and which
// real-scale cases of docs/FINDINGS.md the guest can run.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realise } from '../../bar/cases.js';
import { consoleCheck, FINDINGS_KERNEL, seriesPatches } from '../../bar/oracle.js';
import { scaleCases } from '../../scripts/docs/findings-cases.js';
import { ToolError } from '../../io/errors.js';

describe('seriesPatches', () => {
  it('lists kernel/patches/test/series in order, comments left out', () => {
    const names = seriesPatches().map((p) => basename(p));
    expect(names[0]).toMatch(/^0001-/);
    expect(names.every((n) => n.endsWith('.patch'))).toBe(true);
    expect([...names].sort()).toEqual(names);
  });
});

describe('consoleCheck', () => {
  const boot = 'Kernel command line: console=ttyS0 mapping_order_policy=jason\nmmap: mapping_order_policy=jason\n';

  it('passes when the kernel reports the policy asked for and printed no warning', () => {
    expect(() => consoleCheck(boot, 'jason')).not.toThrow();
    expect(() => consoleCheck('[    0.912345] mmap: mapping_order_policy=v2\r\n', 'v2')).not.toThrow();
  });

  it('fails on another policy, on none (the command line alone does not count), and on a splat', () => {
    expect(() => consoleCheck(boot, 'optimal')).toThrow(ToolError);
    expect(() => consoleCheck('Kernel command line: mapping_order_policy=jason\n', 'jason')).toThrow(ToolError);
    expect(() => consoleCheck(`${boot}WARNING: CPU: 0 PID: 20 at mm/huge_memory.c:1400\n`, 'jason')).toThrow(
      /WARNING: CPU: 0/,
    );
  });
});

describe('realise (the findings group)', () => {
  it('runs the 64M-BAR cases of FINDINGS.md under vfio-pci in the guest, and says why not for the rest', () => {
    const rs = scaleCases().map((c) => ({ c, r: realise(c) }));
    const ran = rs.flatMap(({ c, r }) =>
      r.ok ? [`${c.invariant}/${c.policy}/${r.case.driver}/${r.case.barSize}`] : [],
    );
    expect(ran).toEqual([
      'OrderClamped/v2/bar/67108864',
      'MaxLeafCoverage/baseline/v2/67108864',
      'MaxLeafCoverage/jason/v2/67108864',
    ]);
    for (const { r } of rs) if (!r.ok) expect(r.why).toMatch(/guest/);
    // Every realised case has its recorded guest result (docs/FINDINGS.md shows it).
    const recorded = (JSON.parse(readFileSync(FINDINGS_KERNEL, 'utf8')) as { cases: Array<{ title: string }> }).cases;
    expect(recorded.map((k) => k.title).sort()).toEqual(
      rs
        .filter(({ r }) => r.ok)
        .map(({ c }) => c.title)
        .sort(),
    );
  });
});
