// The oracle's own checks that need no guest: the series it builds and the console check after each boot.

import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleCheck, seriesPatches } from '../../bar/oracle.js';
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
