// The facts about this machine the probe's scenarios need and that no single
// mmap shows: TASK_SIZE, stack_guard_gap, the two mmap_min_addr values, the
// legacy-layout sysctl, and whether the model's assumptions about shmem huge
// pages hold here (model/shmem-get-unmapped-area.ts states them).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { GEOMETRIES } from '../model/geometry.js';
import type { Backing } from './cases.js';
import { effectiveMmapMinAddr, lsmMmapMinAddrFromConfig, stackGuardGapFromCmdline } from './mmap-base.js';

export interface Machine {
  readonly kernel: string;
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
  /** The default huge page size (Hugepagesize in /proc/meminfo), what an MFD_HUGETLB memfd uses; null without hugetlbfs. */
  readonly hugePageSize: bigint | null;
  /** Backing -> why it cannot be compared with the model here. */
  readonly unavailable: Map<Backing, string>;
  readonly anonSharedUnavailable: string | null;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** "always [madvise] never" -> "madvise". */
export function selected(sysfs: string): string | null {
  const m = /\[([a-z_]+)\]/.exec(sysfs);
  return m ? m[1]! : null;
}

function kernelConfig(): { text: string; source: string } | null {
  if (existsSync('/proc/config.gz')) {
    try {
      return { text: gunzipSync(readFileSync('/proc/config.gz')).toString('utf8'), source: '/proc/config.gz' };
    } catch {
      // unreadable: try /boot
    }
  }
  const boot = `/boot/config-${release()}`;
  const t = read(boot);
  return t === null ? null : { text: t, source: boot };
}

/**
 * Whether anonymous MAP_SHARED can be mTHP-aligned here: shmem_get_unmapped_area
 * with file NULL uses huge_shmem_orders_{always,within_size,madvise} and, when
 * shm_mnt is not huge=never, _inherit. The model takes all of them as empty.
 */
function anonSharedReason(top: string | null, thp: string): string | null {
  if (top === 'force' || top === 'always' || top === 'within_size' || top === 'advise') {
    return `anonymous shared memory can be huge here (shmem_enabled=${top}); the model takes shm_mnt as huge=never`;
  }
  let dirs: string[] = [];
  try {
    dirs = readdirSync(thp).filter((d) => d.startsWith('hugepages-'));
  } catch {
    return null;
  }
  for (const d of dirs) {
    const v = read(`${thp}/${d}/shmem_enabled`);
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

export function detectMachine(): Machine {
  const g = GEOMETRIES.x86_64;
  const cpuinfo = read('/proc/cpuinfo') ?? '';
  const la57 = /^flags\s*:.*\bla57\b/m.test(cpuinfo);
  const stackGuardGap = stackGuardGapFromCmdline(read('/proc/cmdline') ?? '', g.pageSize);
  const dacMmapMinAddr = BigInt((read('/proc/sys/vm/mmap_min_addr') ?? '0').trim() || '0');
  const cfg = kernelConfig();
  const lsmMmapMinAddr = cfg ? lsmMmapMinAddrFromConfig(cfg.text) : null;
  const legacyVaLayout = (read('/proc/sys/vm/legacy_va_layout') ?? '0').trim() !== '0';
  const thp = '/sys/kernel/mm/transparent_hugepage';
  const shmemRaw = read(`${thp}/shmem_enabled`);
  const shmemEnabled = shmemRaw === null ? null : selected(shmemRaw);
  const unavailable = new Map<Backing, string>();
  if (!existsSync(thp)) {
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
  return {
    kernel: release(),
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
    anonSharedUnavailable: existsSync(thp) ? anonSharedReason(shmemEnabled, thp) : null,
  };
}
