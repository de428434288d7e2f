// What on the console means the guest failed.

import { describe, expect, it } from 'vitest';
import { consoleTrouble } from '../../vm/console.js';

describe('consoleTrouble', () => {
  it('is null for a good boot', () => {
    expect(consoleTrouble('[    0.000000] Linux version 6.12.118\r\nmapping-order: ready\n')).toBeNull();
  });

  it("names /init's fatal line before the panic it causes", () => {
    const log = [
      'mapping-order: fatal: mount /mnt/thp (tmpfs huge=always): EINVAL',
      '[    1.2] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
    ].join('\r\n');
    expect(consoleTrouble(log)).toBe('mapping-order: fatal: mount /mnt/thp (tmpfs huge=always): EINVAL');
  });

  it('finds a kernel panic and an oops', () => {
    expect(consoleTrouble('[ 0.5] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n')).toBe(
      'Kernel panic - not syncing: VFS: Unable to mount root fs',
    );
    expect(consoleTrouble('[ 2.0] BUG: kernel NULL pointer dereference, address: 0000000000000000\n')).toBe(
      'BUG: kernel NULL pointer dereference, address: 0000000000000000',
    );
  });
});
