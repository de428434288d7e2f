// The machine facts: the default huge page size an MFD_HUGETLB memfd gets, from /proc/filesystems and
// /proc/meminfo as this kernel writes them; the model version of a release; and detectMachine through files
// fetched from a guest beforehand (the VM probe), with the 6.12 guest's 4-level kernel on a la57 CPU.

import { describe, expect, it } from 'vitest';
import { defaultHugePageSize, detectMachine, modelKernelOf, snapshotReader } from '../../probe/machine.js';

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

describe('modelKernelOf', () => {
  it("maps 6.12.x to '6.12' and 6.18.x to '6.18', and any other release to null (the probe refuses it)", () => {
    expect(modelKernelOf('6.12.118')).toBe('6.12');
    expect(modelKernelOf('6.12.0-31-amd64')).toBe('6.12');
    expect(modelKernelOf('6.18.44')).toBe('6.18');
    expect(modelKernelOf('6.18')).toBe('6.18');
    expect(modelKernelOf('6.1.120')).toBeNull();
    expect(modelKernelOf('6.120.1')).toBeNull();
    expect(modelKernelOf('6.19.1')).toBeNull();
  });
});

describe('detectMachine through a snapshot of a guest', () => {
  const files = new Map<string, string | null>([
    ['/proc/cpuinfo', 'processor\t: 0\nflags\t\t: fpu pse la57 pdpe1gb\n'],
    ['/proc/cmdline', 'console=ttyS0 stack_guard_gap=512\n'],
    ['/proc/sys/vm/mmap_min_addr', '4096\n'],
    ['/proc/sys/vm/legacy_va_layout', '0\n'],
    ['/proc/sys/kernel/randomize_va_space', '2\n'],
    ['/proc/sys/vm/mmap_rnd_bits', '28\n'],
    ['/proc/filesystems', FILESYSTEMS],
    ['/proc/meminfo', MEMINFO],
    ['/sys/kernel/mm/transparent_hugepage/enabled', '[always] madvise never\n'],
    ['/sys/kernel/mm/transparent_hugepage/shmem_enabled', 'always within_size advise [never] deny force\n'],
    ['/sys/kernel/mm/transparent_hugepage/hugepages-64kB/shmem_enabled', 'always inherit within_size advise [never]\n'],
    [
      '/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/shmem_enabled',
      'always [inherit] within_size advise never\n',
    ],
    ['/sys/kernel/mm/transparent_hugepage/hugepages-16kB/shmem_enabled', null],
  ]);
  const config = (fiveLevel: boolean): { text: string; source: string } => ({
    text: `CONFIG_MMU=y\n${fiveLevel ? 'CONFIG_X86_5LEVEL=y' : '# CONFIG_X86_5LEVEL is not set'}\n`,
    source: 'the build',
  });

  it('reads the facts from the fetched files, the given config and release', () => {
    const m = detectMachine(snapshotReader(files, config(false), '6.12.118'));
    expect(m.kernel).toBe('6.12.118');
    expect(m.modelKernel).toBe('6.12');
    expect(m.stackGuardGap).toBe(512n * 4096n);
    expect(m.dacMmapMinAddr).toBe(4096n);
    expect(m.mmapMinAddr).toBe(4096n);
    expect(m.lsmMmapMinAddr).toBeNull();
    expect(m.randomize).toBe(true);
    expect(m.shmemEnabled).toBe('never');
    expect(m.hugePageSize).toBe(0x200000n);
    expect(m.unavailable.size).toBe(0);
    expect(m.anonSharedUnavailable).toBeNull();
  });

  it('is 4-level on a la57 CPU when the 6.12 kernel is built without CONFIG_X86_5LEVEL', () => {
    expect(detectMachine(snapshotReader(files, config(false), '6.12.118')).la57).toBe(false);
    const five = detectMachine(snapshotReader(files, config(true), '6.12.118'));
    expect(five.la57).toBe(true);
    expect(five.taskSizeMax).toBe((1n << 56n) - 4096n);
  });

  it('lists only the fetched folders and sees an mTHP shmem setting that makes anonymous shared memory huge', () => {
    const r = snapshotReader(files, null, '6.12.118');
    expect(r.readdir('/sys/kernel/mm/transparent_hugepage')?.sort()).toEqual([
      'enabled',
      'hugepages-2048kB',
      'hugepages-64kB',
      'shmem_enabled',
    ]);
    const huge = new Map(files);
    huge.set('/sys/kernel/mm/transparent_hugepage/hugepages-64kB/shmem_enabled', '[always] inherit never\n');
    expect(detectMachine(snapshotReader(huge, null, '6.12.118')).anonSharedUnavailable).toMatch(
      /hugepages-64kB\/shmem_enabled=always/,
    );
  });
});
