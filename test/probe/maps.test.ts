// The probe's pure parts: /proc/self/maps and VmFlags parsing on text captured
// from the helper on an x86_64 machine (4-level paging, ADDR_NO_RANDOMIZE), and
// the mmap_base arithmetic of arch/x86/mm/mmap.c with the numbers worked by hand.

import { describe, expect, it } from 'vitest';
import { ToolError } from '../../io/errors.js';
import { gapsWithin, parseMaps, parseVmFlags, toVmas } from '../../probe/maps.js';
import {
  effectiveMmapMinAddr,
  inferTopdownBases,
  lsmMmapMinAddrFromConfig,
  RLIM_INFINITY,
  stackGuardGapFromCmdline,
  x86Bases,
  x86MmapBase,
  x86MmapLegacyBase,
} from '../../probe/mmap-base.js';
import { mountOptions } from '../../probe/tmpfs.js';
import { selected } from '../../probe/machine.js';

// Where the probe binary was when the maps below were captured.
const PROBE = '/work/main/.cache/probe/mmap-probe';

// Captured from `mmap-probe` (its own maps: the binary, its 10M of static
// buffers as anonymous bss, libc, vvar/vdso, ld.so, the stack, vsyscall).
const MAPS = `555555554000-555555555000 r--p 00000000 fe:00 5316772                    ${PROBE}
555555555000-555555557000 r-xp 00001000 fe:00 5316772                    ${PROBE}
555555557000-555555558000 r--p 00003000 fe:00 5316772                    ${PROBE}
555555558000-555555559000 r--p 00003000 fe:00 5316772                    ${PROBE}
555555559000-55555555a000 rw-p 00004000 fe:00 5316772                    ${PROBE}
55555555a000-555555f6c000 rw-p 00000000 00:00 0 
7ffff7dd2000-7ffff7dd5000 rw-p 00000000 00:00 0 
7ffff7dd5000-7ffff7dfb000 r--p 00000000 fe:00 326269                     /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7dfb000-7ffff7f51000 r-xp 00026000 fe:00 326269                     /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7f51000-7ffff7fa4000 r--p 0017c000 fe:00 326269                     /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7fa4000-7ffff7fa8000 r--p 001cf000 fe:00 326269                     /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7fa8000-7ffff7faa000 rw-p 001d3000 fe:00 326269                     /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7faa000-7ffff7fb7000 rw-p 00000000 00:00 0 
7ffff7fc0000-7ffff7fc2000 rw-p 00000000 00:00 0 
7ffff7fc2000-7ffff7fc6000 r--p 00000000 00:00 0                          [vvar]
7ffff7fc6000-7ffff7fc8000 r--p 00000000 00:00 0                          [vvar_vclock]
7ffff7fc8000-7ffff7fca000 r-xp 00000000 00:00 0                          [vdso]
7ffff7fca000-7ffff7fcb000 r--p 00000000 fe:00 325835                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffff7fcb000-7ffff7ff1000 r-xp 00001000 fe:00 325835                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffff7ff1000-7ffff7ffb000 r--p 00027000 fe:00 325835                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffff7ffb000-7ffff7ffd000 r--p 00031000 fe:00 325835                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffff7ffd000-7ffff7fff000 rw-p 00033000 fe:00 325835                     /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
`;

const FLAGS = `555555554000-555555555000 rd mr mw me
555555555000-555555557000 rd ex mr mw me
555555557000-555555558000 rd mr mw me
555555558000-555555559000 rd mr mw me ac
555555559000-55555555a000 rd wr mr mw me ac
55555555a000-555555f6c000 rd wr mr mw me ac
7ffff7dd2000-7ffff7dd5000 rd wr mr mw me ac
7ffff7dd5000-7ffff7dfb000 rd mr mw me
7ffff7dfb000-7ffff7f51000 rd ex mr mw me
7ffff7f51000-7ffff7fa4000 rd mr mw me
7ffff7fa4000-7ffff7fa8000 rd mr mw me ac
7ffff7fa8000-7ffff7faa000 rd wr mr mw me ac
7ffff7faa000-7ffff7fb7000 rd wr mr mw me ac
7ffff7fc0000-7ffff7fc2000 rd wr mr mw me ac
7ffff7fc2000-7ffff7fc6000 rd mr pf io de dd
7ffff7fc6000-7ffff7fc8000 rd mr pf io de dd
7ffff7fc8000-7ffff7fca000 rd ex mr mw me de
7ffff7fca000-7ffff7fcb000 rd mr mw me
7ffff7fcb000-7ffff7ff1000 rd ex mr mw me
7ffff7ff1000-7ffff7ffb000 rd mr mw me
7ffff7ffb000-7ffff7ffd000 rd mr mw me ac
7ffff7ffd000-7ffff7fff000 rd wr mr mw me ac
7ffffffde000-7ffffffff000 rd wr mr mw me gd ac
ffffffffff600000-ffffffffff601000 ex
`;

// x86_64, 4-level paging: TASK_SIZE = DEFAULT_MAP_WINDOW = (1 << 47) - 4096.
const TASK_SIZE = 0x7ffffffff000n;
const PS = 4096n;
const MiB = 1n << 20n;

describe('parseMaps', () => {
  const e = parseMaps(MAPS);

  it('reads every line, with ranges, permissions, offsets and names', () => {
    // 24 lines in the capture.
    expect(e).toHaveLength(24);
    expect(e[0]).toEqual({
      start: 0x555555554000n,
      end: 0x555555555000n,
      perms: 'r--p',
      offset: 0n,
      dev: 'fe:00',
      inode: 5316772n,
      path: '/work/main/.cache/probe/mmap-probe',
    });
    // The libc text segment: file offset 0x26000.
    expect(e[8]!.offset).toBe(0x26000n);
    // An anonymous VMA has no name (the trailing blank is not a name).
    expect(e[5]!.path).toBe('');
    expect(e[14]!.path).toBe('[vvar]');
    expect(e[22]!.path).toBe('[stack]');
    expect(e[23]!.start).toBe(0xffffffffff600000n);
  });

  it('refuses a line that is not a maps line, naming it', () => {
    expect(() => parseMaps('555555554000-555555555000 r--p zz fe:00 1 /x\n')).toThrow(ToolError);
    expect(() => parseMaps('hello\n')).toThrow(/maps line 1/);
  });

  it('refuses an empty or inverted range and overlapping lines', () => {
    expect(() => parseMaps('2000-1000 r--p 00000000 00:00 0\n')).toThrow(/end 1000 <= start 2000/);
    expect(() => parseMaps('1000-3000 r--p 00000000 00:00 0\n2000-4000 r--p 00000000 00:00 0\n')).toThrow(/line 2/);
  });
});

describe('toVmas', () => {
  it('drops the vsyscall page (above TASK_SIZE) and marks [stack] as growsdown without VmFlags', () => {
    const v = toVmas(parseMaps(MAPS), { taskSize: TASK_SIZE });
    // 24 lines, minus [vsyscall] at 0xffffffffff600000 >= TASK_SIZE.
    expect(v).toHaveLength(23);
    expect(v[22]).toEqual({ start: 0x7ffffffde000n, end: 0x7ffffffff000n, growsDown: true });
    expect(v.filter((x) => x.growsDown)).toHaveLength(1);
    expect(v[0]).toEqual({ start: 0x555555554000n, end: 0x555555555000n });
  });

  it('takes growsdown and shadow stack from VmFlags when given', () => {
    const flags = parseVmFlags(FLAGS);
    expect(flags).toHaveLength(24);
    expect([...flags[22]!.flags].sort()).toEqual(['ac', 'gd', 'me', 'mr', 'mw', 'rd', 'wr']);
    const v = toVmas(parseMaps(MAPS), { taskSize: TASK_SIZE, vmFlags: flags });
    expect(v.filter((x) => x.growsDown).map((x) => x.start)).toEqual([0x7ffffffde000n]);

    // A VMA flagged gd in smaps that maps calls plain anonymous, and one flagged ss.
    const edited = FLAGS.replace(
      '7ffff7faa000-7ffff7fb7000 rd wr mr mw me ac',
      '7ffff7faa000-7ffff7fb7000 rd wr mr mw me gd ac',
    ).replace('7ffff7fc0000-7ffff7fc2000 rd wr mr mw me ac', '7ffff7fc0000-7ffff7fc2000 rd wr mr mw me ac ss');
    const w = toVmas(parseMaps(MAPS), { taskSize: TASK_SIZE, vmFlags: parseVmFlags(edited) });
    expect(w[12]).toEqual({ start: 0x7ffff7faa000n, end: 0x7ffff7fb7000n, growsDown: true });
    expect(w[13]).toEqual({ start: 0x7ffff7fc0000n, end: 0x7ffff7fc2000n, shadowStack: true });
  });

  it('refuses a snapshot whose maps and smaps do not describe the same VMAs', () => {
    const fewer = FLAGS.split('\n').slice(1).join('\n');
    expect(() => toVmas(parseMaps(MAPS), { taskSize: TASK_SIZE, vmFlags: parseVmFlags(fewer) })).toThrow(
      /23 user VMAs but smaps has 22/,
    );
    const moved = FLAGS.replace('7ffff7fc0000-7ffff7fc2000', '7ffff7fc0000-7ffff7fc3000');
    expect(() => toVmas(parseMaps(MAPS), { taskSize: TASK_SIZE, vmFlags: parseVmFlags(moved) })).toThrow(
      /differs from smaps/,
    );
  });
});

describe('gapsWithin', () => {
  it('lists the free ranges between the VMAs inside a window', () => {
    const v = toVmas(parseMaps(MAPS), { taskSize: TASK_SIZE });
    // Between the libc bss (ends 0x7ffff7fb7000) and the next anonymous VMA (0x7ffff7fc0000): 36K.
    // Below 0x7ffff7dd2000 the window starts at 0x7ffff7d00000; above ld.so (0x7ffff7fff000) up to 0x7ffff8000000.
    expect(gapsWithin(v, 0x7ffff7d00000n, 0x7ffff8000000n)).toEqual([
      { start: 0x7ffff7d00000n, end: 0x7ffff7dd2000n },
      { start: 0x7ffff7fb7000n, end: 0x7ffff7fc0000n },
      { start: 0x7ffff7fff000n, end: 0x7ffff8000000n },
    ]);
    // A window inside one VMA has no gap; a window with no VMA is one gap.
    expect(gapsWithin(v, 0x7ffff7dfc000n, 0x7ffff7dfd000n)).toEqual([]);
    expect(gapsWithin(v, 0x1000n, 0x2000n)).toEqual([{ start: 0x1000n, end: 0x2000n }]);
  });
});

describe('x86 mmap bases without randomisation (arch/x86/mm/mmap.c)', () => {
  const gg = 256n * PS; // stack_guard_gap default: 256 pages = 1M

  it('RLIMIT_STACK 8M: gap = 8M + 1M = 9M, below the 128M floor, so mmap_base = TASK_SIZE - 128M', () => {
    // 0x7ffffffff000 - 0x8000000 = 0x7ffff7fff000 (where the captured ld.so ends).
    expect(x86MmapBase(TASK_SIZE, PS, 8n * MiB, gg)).toBe(0x7ffff7fff000n);
    expect(parseMaps(MAPS).some((x) => x.end === 0x7ffff7fff000n && x.path.endsWith('ld-linux-x86-64.so.2'))).toBe(
      true,
    );
  });

  it('RLIMIT_STACK 1G: gap = 1G + 1M, so mmap_base = TASK_SIZE - 0x40100000', () => {
    // 0x7ffffffff000 - 0x40100000 = 0x7fffbfeff000.
    expect(x86MmapBase(TASK_SIZE, PS, 1n << 30n, gg)).toBe(0x7fffbfeff000n);
  });

  it('RLIMIT_STACK unlimited: gap + pad wraps so pad is not added; the gap is clamped to TASK_SIZE / 6 * 5', () => {
    // TASK_SIZE = 140737488351232; / 6 = 23456248058538 (integer); * 5 = 117281240292690.
    // TASK_SIZE - that = 23456248058542 = 0x1555555552ae; PAGE_ALIGN -> 0x155555556000.
    expect(x86MmapBase(TASK_SIZE, PS, RLIM_INFINITY, gg)).toBe(0x155555556000n);
  });

  it('a stack limit near the 5/6 cap: the pad is added, then the sum is capped', () => {
    const cap = 117281240292690n; // TASK_SIZE / 6 * 5, as above
    // rlim = cap - 1M - 4K: gap = rlim + 1M = cap - 4K, under the cap.
    // TASK_SIZE - gap = 0x1555555552ae + 0x1000 = 0x1555555562ae; PAGE_ALIGN -> 0x155555557000.
    expect(x86MmapBase(TASK_SIZE, PS, cap - gg - PS, gg)).toBe(0x155555557000n);
    // rlim = cap - 1M + 4K: gap = cap + 4K, over the cap, so gap = cap -> 0x155555556000.
    expect(x86MmapBase(TASK_SIZE, PS, cap - gg + PS, gg)).toBe(0x155555556000n);
  });

  it('mmap_legacy_base = PAGE_ALIGN(TASK_SIZE / 3)', () => {
    // 140737488351232 / 3 = 46912496117077 = 0x2aaaaaaaa555; PAGE_ALIGN -> 0x2aaaaaaab000.
    expect(x86MmapLegacyBase(TASK_SIZE, PS)).toBe(0x2aaaaaaab000n);
  });

  it('the legacy layout uses the legacy base for both and clears MMF_TOPDOWN', () => {
    expect(
      x86Bases({ taskSize: TASK_SIZE, pageSize: PS, rlimStack: 8n * MiB, stackGuardGap: gg, legacy: true }),
    ).toEqual({
      topdown: false,
      mmapBase: 0x2aaaaaaab000n,
      mmapLegacyBase: 0x2aaaaaaab000n,
    });
    expect(
      x86Bases({ taskSize: TASK_SIZE, pageSize: PS, rlimStack: 8n * MiB, stackGuardGap: gg, legacy: false }),
    ).toEqual({
      topdown: true,
      mmapBase: 0x7ffff7fff000n,
      mmapLegacyBase: 0x2aaaaaaab000n,
    });
  });
});

describe('bases of a randomised exec, read off the interpreter (inferTopdownBases)', () => {
  const gg = 256n * PS;
  const common = { taskSize: TASK_SIZE, pageSize: PS, stackGuardGap: gg, pfRandomize: true, mmapRndBits: 28n };

  it('RLIMIT_STACK 8M: gap = 8M + (0x3fffff << 12) + 1M = 0x4008ff000, rnd = TASK_SIZE - gap - interp end', () => {
    // Observed: ld.so ended at 0x7faf70b4c000 in a randomised helper.
    // TASK_SIZE - gap = 0x7ffffffff000 - 0x4008ff000 = 0x7ffbff700000; rnd = 0x7ffbff700000 - 0x7faf70b4c000 =
    // 0x4c8ebb4000
    // (0x4c8ebb4 pages < 2^28); legacy base = 0x2aaaaaaab000 + 0x4c8ebb4000 = 0x2af73965f000.
    expect(inferTopdownBases({ ...common, rlimStack: 8n * MiB, interpEnd: 0x7faf70b4c000n })).toEqual({
      topdown: true,
      mmapBase: 0x7faf70b4c000n,
      mmapLegacyBase: 0x2af73965f000n,
      rnd: 0x4c8ebb4000n,
    });
  });

  it('RLIMIT_STACK unlimited: the capped gap is not page-aligned, so rnd is rounded up to a page', () => {
    // Observed in the aslr-stack-unlimited session: ld.so ended at 0x14c045a36000, and the top-down
    // search failing everywhere, the kernel's bottom-up retry placed a 4K mapping at 0x2b3fba5cb000.
    // TASK_SIZE - cap = 0x1555555552ae; minus the interp end = 0x950fb1f2ae; round up -> rnd 0x950fb20000;
    // legacy base = 0x2aaaaaaab000 + 0x950fb20000 = 0x2b3fba5cb000, the address the kernel chose.
    const b = inferTopdownBases({ ...common, rlimStack: RLIM_INFINITY, interpEnd: 0x14c045a36000n });
    expect(b).toEqual({
      topdown: true,
      mmapBase: 0x14c045a36000n,
      mmapLegacyBase: 0x2b3fba5cb000n,
      rnd: 0x950fb20000n,
    });
  });

  it('refuses an interpreter end no rnd explains', () => {
    // Above TASK_SIZE - gap: rnd would be negative.
    expect(inferTopdownBases({ ...common, rlimStack: 8n * MiB, interpEnd: 0x7ffff7fff000n })).toHaveProperty('error');
    // rnd of 2^28 pages or more: 0x7ffbff700000 - 2^40 is 2^28 pages below.
    expect(
      inferTopdownBases({ ...common, rlimStack: 8n * MiB, interpEnd: 0x7ffbff700000n - (1n << 40n) }),
    ).toHaveProperty('error');
  });
});

describe('machine facts from text', () => {
  it('stack_guard_gap: 256 pages unless stack_guard_gap=N (pages) is on the kernel command line', () => {
    expect(stackGuardGapFromCmdline('console=ttyS0 quiet', PS)).toBe(256n * 4096n);
    expect(stackGuardGapFromCmdline('quiet stack_guard_gap=1 ro', PS)).toBe(4096n);
    // Words after "--" go to init, not to the kernel.
    expect(stackGuardGapFromCmdline('quiet -- stack_guard_gap=1', PS)).toBe(256n * 4096n);
  });

  it('mmap_min_addr: max(sysctl, CONFIG_LSM_MMAP_MIN_ADDR) when the option is built in', () => {
    expect(lsmMmapMinAddrFromConfig('CONFIG_SECURITY=y\nCONFIG_LSM_MMAP_MIN_ADDR=65536\n')).toBe(65536n);
    expect(lsmMmapMinAddrFromConfig('CONFIG_SECURITY=y\n# CONFIG_SECURITY_SELINUX is not set\n')).toBeNull();
    expect(effectiveMmapMinAddr(4096n, 65536n)).toBe(65536n);
    expect(effectiveMmapMinAddr(131072n, 65536n)).toBe(131072n);
    expect(effectiveMmapMinAddr(4096n, null)).toBe(4096n);
  });

  it('reads the selected sysfs value and a mount point options', () => {
    expect(selected('always [madvise] never')).toBe('madvise');
    expect(selected('always within_size advise [never] deny force\n')).toBe('never');
    const mounts = 'tmpfs /tmp/a\\040b tmpfs rw,relatime,huge=always 0 0\nproc /proc proc rw 0 0\n';
    expect(mountOptions(mounts, '/tmp/a b')).toBe('rw,relatime,huge=always');
    expect(mountOptions(mounts, '/tmp/c')).toBeNull();
  });
});
