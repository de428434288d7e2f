// The facts about this machine the probe's scenarios need and that no single
// mmap shows: TASK_SIZE, stack_guard_gap, the two mmap_min_addr values, the
// legacy-layout sysctl, and whether the model's assumptions about shmem huge
// pages hold here (model/shmem-get-unmapped-area.ts states them). Everything is
// read through a MachineReader: this machine's files by default, or files
// fetched from a guest beforehand (probe/probe.ts runVmProbe).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { GEOMETRIES } from '../model/geometry.js';
import type { KernelVersion } from '../model/kernel-version.js';
import type { Backing } from './cases.js';
import { effectiveMmapMinAddr, lsmMmapMinAddrFromConfig, stackGuardGapFromCmdline } from './mmap-base.js';

export interface Machine {
  /** The running kernel's release (uname -r). */
  readonly kernel: string;
  /** The model's kernel version matching the release (modelKernelOf), null when the model mirrors no such kernel. */
  readonly modelKernel: KernelVersion | null;
  readonly pageSize: bigint;
  /** DEFAULT_MAP_WINDOW: task_size_64bit(0), what mmap_base is computed from. */
  readonly taskSize: bigint;
  /** TASK_SIZE_MAX: 56-bit with 5-level paging (la57), else 47-bit like the window. */
  readonly taskSizeMax: bigint;
  readonly la57: boolean;
  readonly stackGuardGap: bigint;
  readonly dacMmapMinAddr: bigint;
  readonly lsmMmapMinAddr: bigint | null;
  /** Where CONFIG_LSM_MMAP_MIN_ADDR was read from, or why it is unknown. */
  readonly configSource: string;
  readonly mmapMinAddr: bigint;
  readonly legacyVaLayout: boolean;
  /** kernel.randomize_va_space != 0. */
  readonly randomize: boolean;
  /** vm.mmap_rnd_bits (28 by default on x86_64). */
  readonly mmapRndBits: bigint;
  /** /sys/kernel/mm/transparent_hugepage/shmem_enabled, the selected value. */
  readonly shmemEnabled: string | null;
  /**
   * The default huge page size (Hugepagesize in /proc/meminfo), what an MFD_HUGETLB memfd uses; null without hugetlbfs.
   */
  readonly hugePageSize: bigint | null;
  /** Backing -> why it cannot be compared with the model here. */
  readonly unavailable: Map<Backing, string>;
  readonly anonSharedUnavailable: string | null;
}

/** Where the machine's facts are read from. */
export interface MachineReader {
  /** A whole text file, null when it cannot be read. */
  read(path: string): string | null;
  exists(path: string): boolean;
  /** The names in a folder, null when it cannot be listed. */
  readdir(path: string): string[] | null;
  /** The running kernel's configuration and where it came from, null when none is found. */
  config(): { text: string; source: string } | null;
  /** uname -r. */
  release(): string;
}

function readHost(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function hostConfig(): { text: string; source: string } | null {
  if (existsSync('/proc/config.gz')) {
    try {
      return { text: gunzipSync(readFileSync('/proc/config.gz')).toString('utf8'), source: '/proc/config.gz' };
    } catch {
      // unreadable: try /boot
    }
  }
  const boot = `/boot/config-${release()}`;
  const t = readHost(boot);
  return t === null ? null : { text: t, source: boot };
}

/** This machine. */
export const hostReader: MachineReader = {
  read: readHost,
  exists: existsSync,
  readdir: (path) => {
    try {
      return readdirSync(path);
    } catch {
      return null;
    }
  },
  config: hostConfig,
  release: () => release(),
};

/**
 * Files read elsewhere beforehand (a guest has no directory listing on its channel): `files` maps a path to
 * its text, or to null when it could not be read; a folder lists the fetched paths right below it.
 */
export function snapshotReader(
  files: ReadonlyMap<string, string | null>,
  config: { text: string; source: string } | null,
  kernelRelease: string,
): MachineReader {
  const read = (path: string): string | null => files.get(path) ?? null;
  const children = (dir: string): string[] => {
    const names = new Set<string>();
    for (const [p, t] of files) {
      if (t !== null && p.startsWith(dir + '/')) names.add(p.slice(dir.length + 1).split('/')[0]!);
    }
    return [...names];
  };
  return {
    read,
    exists: (path) => read(path) !== null || children(path).length > 0,
    readdir: (path) => {
      const c = children(path);
      return c.length > 0 ? c : null;
    },
    config: () => config,
    release: () => kernelRelease,
  };
}

/**
 * The model's version for a kernel release: 6.12.x and 6.18.x are the kernels the model mirrors
 * (model/kernel-version.ts, docs/KERNELS.md); any other release has no model to compare with.
 */
export function modelKernelOf(kernelRelease: string): KernelVersion | null {
  if (/^6\.12(\.|$|[^0-9])/.test(kernelRelease)) return '6.12';
  if (/^6\.18(\.|$|[^0-9])/.test(kernelRelease)) return '6.18';
  return null;
}

/** "always [madvise] never" -> "madvise". */
export function selected(sysfs: string): string | null {
  const m = /\[([a-z_]+)\]/.exec(sysfs);
  return m ? m[1]! : null;
}

/**
 * Whether anonymous MAP_SHARED can be mTHP-aligned here: shmem_get_unmapped_area
 * with file NULL uses huge_shmem_orders_{always,within_size,madvise} and, when
 * shm_mnt is not huge=never, _inherit. The model takes all of them as empty.
 */
function anonSharedReason(r: MachineReader, top: string | null, thp: string): string | null {
  if (top === 'force' || top === 'always' || top === 'within_size' || top === 'advise') {
    return `anonymous shared memory can be huge here (shmem_enabled=${top}); the model takes shm_mnt as huge=never`;
  }
  const dirs = (r.readdir(thp) ?? []).filter((d) => d.startsWith('hugepages-'));
  for (const d of dirs) {
    const v = r.read(`${thp}/${d}/shmem_enabled`);
    const s = v === null ? null : selected(v);
    if (s !== null && s !== 'never' && s !== 'inherit') {
      return (
        `anonymous shared memory can be mTHP-aligned here ` +
        `(${d}/shmem_enabled=${s}); the model takes every anon-shmem order as off`
      );
    }
  }
  return null;
}

/**
 * The huge page size an MFD_HUGETLB memfd gets (the default hstate), in bytes, or null when the kernel has
 * no hugetlbfs. No huge page need be reserved: the probes map it MAP_NORESERVE and never touch it.
 */
export function defaultHugePageSize(filesystems: string | null, meminfo: string | null): bigint | null {
  if (filesystems === null || !/\bhugetlbfs$/m.test(filesystems)) return null;
  const m = /^Hugepagesize:\s+(\d+) kB$/m.exec(meminfo ?? '');
  return m ? BigInt(m[1]!) * 1024n : null;
}

/** The files detectMachine reads below /proc and /sys, for a reader that fetches them beforehand. */
export function machineFiles(): string[] {
  const thp = '/sys/kernel/mm/transparent_hugepage';
  // mTHP sizes: order 2 (16K) up to PMD_ORDER (2M) on x86_64 (include/linux/huge_mm.h THP_ORDERS_ALL_ANON).
  const mthp = [16, 32, 64, 128, 256, 512, 1024, 2048].map((k) => `${thp}/hugepages-${k}kB/shmem_enabled`);
  return [
    '/proc/cpuinfo',
    '/proc/cmdline',
    '/proc/sys/vm/mmap_min_addr',
    '/proc/sys/vm/legacy_va_layout',
    '/proc/sys/kernel/randomize_va_space',
    '/proc/sys/vm/mmap_rnd_bits',
    '/proc/filesystems',
    '/proc/meminfo',
    '/proc/sys/kernel/osrelease',
    `${thp}/enabled`,
    `${thp}/shmem_enabled`,
    ...mthp,
  ];
}

export function detectMachine(r: MachineReader = hostReader): Machine {
  const read = (p: string): string | null => r.read(p);
  const g = GEOMETRIES.x86_64;
  const cpuinfo = read('/proc/cpuinfo') ?? '';
  const cfg = r.config();
  // A 6.12 kernel built without CONFIG_X86_5LEVEL runs 4-level on a la57 CPU (arch/x86/Kconfig, 6.12; 6.18 has
  // no such option, 5-level is always built in there).
  const no5Level = cfg !== null && /^# CONFIG_X86_5LEVEL is not set$/m.test(cfg.text);
  const la57 = /^flags\s*:.*\bla57\b/m.test(cpuinfo) && !no5Level;
  const stackGuardGap = stackGuardGapFromCmdline(read('/proc/cmdline') ?? '', g.pageSize);
  const dacMmapMinAddr = BigInt((read('/proc/sys/vm/mmap_min_addr') ?? '0').trim() || '0');
  const lsmMmapMinAddr = cfg ? lsmMmapMinAddrFromConfig(cfg.text) : null;
  const legacyVaLayout = (read('/proc/sys/vm/legacy_va_layout') ?? '0').trim() !== '0';
  const thp = '/sys/kernel/mm/transparent_hugepage';
  const shmemRaw = read(`${thp}/shmem_enabled`);
  const shmemEnabled = shmemRaw === null ? null : selected(shmemRaw);
  const unavailable = new Map<Backing, string>();
  if (!r.exists(thp)) {
    const why = 'kernel without CONFIG_TRANSPARENT_HUGEPAGE; the model assumes it';
    unavailable.set('anon', why);
    unavailable.set('memfd', why);
    unavailable.set('tmpfs', why);
  }
  if (
    shmemEnabled === 'force' ||
    shmemEnabled === 'always' ||
    shmemEnabled === 'within_size' ||
    shmemEnabled === 'advise'
  ) {
    unavailable.set(
      'memfd',
      `memfd files can be huge here (shmem_enabled=${shmemEnabled}); the model's 'shmem' kind is never huge`,
    );
  }
  if (shmemEnabled === 'deny')
    unavailable.set('tmpfs', "shmem_enabled=deny turns huge=always off; the model's 'shmem-huge' kind is huge");
  const hugePageSize = defaultHugePageSize(read('/proc/filesystems'), read('/proc/meminfo'));
  if (hugePageSize === null)
    unavailable.set('hugetlb', 'no hugetlbfs here (/proc/filesystems, Hugepagesize in /proc/meminfo)');
  else if (!g.leafOrders.some((o) => g.pageSize << BigInt(o) === hugePageSize && o > 0))
    unavailable.set('hugetlb', `the default huge page size ${hugePageSize} is no x86_64 leaf size of the model`);
  const kernelRelease = r.release();
  return {
    kernel: kernelRelease,
    modelKernel: modelKernelOf(kernelRelease),
    pageSize: g.pageSize,
    taskSize: g.taskSize,
    // The x86_64 geometry is 4-level (TASK_SIZE_MAX = the window); with la57 TASK_SIZE_MAX is (1 << 56) - PAGE_SIZE.
    taskSizeMax: la57 ? (1n << 56n) - g.pageSize : g.taskSizeMax,
    la57,
    stackGuardGap,
    dacMmapMinAddr,
    lsmMmapMinAddr,
    configSource: cfg ? cfg.source : 'no kernel config found (/proc/config.gz, /boot/config-*)',
    mmapMinAddr: effectiveMmapMinAddr(dacMmapMinAddr, lsmMmapMinAddr),
    legacyVaLayout,
    randomize: (read('/proc/sys/kernel/randomize_va_space') ?? '0').trim() !== '0',
    mmapRndBits: BigInt((read('/proc/sys/vm/mmap_rnd_bits') ?? '28').trim() || '28'),
    shmemEnabled,
    hugePageSize,
    unavailable,
    anonSharedUnavailable: r.exists(thp) ? anonSharedReason(r, shmemEnabled, thp) : null,
  };
}
