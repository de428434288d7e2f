// The machine facts the hugetlbfs probes read: the default huge page size an MFD_HUGETLB memfd
// gets, from /proc/filesystems and /proc/meminfo as this kernel writes them.

import { describe, expect, it } from 'vitest';
import { defaultHugePageSize } from '../../probe/machine.js';

const FILESYSTEMS = 'nodev\tsysfs\nnodev\ttmpfs\nnodev\thugetlbfs\n\text4\n';
const MEMINFO =
  'HugePages_Total:       0\nHugePages_Free:        0\nHugepagesize:       2048 kB\nHugetlb:               0 kB\n';

describe('defaultHugePageSize', () => {
  it('reads Hugepagesize in kB: 2048 kB = 0x200000 bytes, 1048576 kB = 1G', () => {
    expect(defaultHugePageSize(FILESYSTEMS, MEMINFO)).toBe(0x200000n);
    expect(defaultHugePageSize(FILESYSTEMS, MEMINFO.replace('2048 kB', '1048576 kB'))).toBe(1n << 30n);
  });
  it('is null without hugetlbfs, whatever meminfo says, and without a Hugepagesize line', () => {
    expect(defaultHugePageSize(FILESYSTEMS.replace('hugetlbfs', 'ramfs'), MEMINFO)).toBeNull();
    expect(defaultHugePageSize(null, MEMINFO)).toBeNull();
    expect(defaultHugePageSize(FILESYSTEMS, 'MemTotal: 1 kB\n')).toBeNull();
  });
});
