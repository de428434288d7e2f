// One probe run: the machine's facts, a huge=always tmpfs, then every session of probe/cases.ts, each case
// compared with the model (probe/run-session.ts) at the version of the running kernel. The same engine runs
// on this machine (runProbe: a local helper, a tmpfs mounted for the run) and in a guest (runVmProbe: the
// unpatched 6.12 kernel of kernel/build.ts under QEMU, the helper run through the guest's data channel, the
// tmpfs /init mounted, an ivshmem BAR for the files without get_unmapped_area). The command (cli/probe.ts)
// prints; this file decides nothing about output.

import { readFileSync, realpathSync } from 'node:fs';
import { MissingToolError, ToolError } from '../io/errors.js';
import { buildKernel } from '../kernel/build.js';
import { GuestError } from '../vm/channel.js';
import { buildInitramfs } from '../vm/initramfs.js';
import { harnessUnavailable } from '../vm/prerequisites.js';
import { bootGuest, type Guest } from '../vm/qemu.js';
import { compileStatic } from '../vm/static-cc.js';
import { SESSIONS, type Backing, type SessionSpec } from './cases.js';
import { buildHelper, findCompiler, HELPER_SOURCE, localLauncher, ProbeHelper, type HelperLauncher } from './helper.js';
import { detectMachine, machineFiles, snapshotReader, type Machine } from './machine.js';
import { runSession, type CaseOutcome, type MachineFacts, type SessionReport } from './run-session.js';
import { mountHugeTmpfs, mountOptions, type HugeTmpfs } from './tmpfs.js';

/** What a VM run adds: the guest, its kernel build, and the times. */
export interface VmInfo {
  /** The guest's uname -r. */
  readonly release: string;
  readonly kernelKey: string;
  readonly kernelCached: boolean;
  readonly kernelSeconds: number;
  /** QEMU start to /init's ready marker. */
  readonly bootMs: number;
  /** The sessions, first exec to last answer. */
  readonly sessionsMs: number;
  readonly poweroffMs: number | null;
  readonly bar: { readonly path: string; readonly size: bigint } | { readonly skipped: string };
}

export interface ProbeRun {
  readonly machine: Machine;
  readonly tmpfs: HugeTmpfs | { skipped: string };
  readonly reports: readonly SessionReport[];
  readonly outcomes: readonly CaseOutcome[];
  /** Sessions whose computed mmap_base is not where exec put its first allocator-placed mapping. */
  readonly interpreterFailures: number;
  /** Present for `probe --vm`. */
  readonly vm?: VmInfo;
}

export interface ProbeOptions {
  /** Only the sessions or case groups whose name contains this text. */
  readonly only?: string;
  /** Called once the machine is known, before the first session. */
  readonly onMachine?: (m: Machine, tmpfs: HugeTmpfs | { skipped: string }) => void;
  readonly onSessionStart?: (s: SessionSpec) => void;
  readonly onOutcome?: (o: CaseOutcome) => void;
  readonly onSession?: (r: SessionReport) => void;
}

export interface VmProbeOptions extends ProbeOptions {
  /** Progress lines of the kernel build and the boot. */
  readonly log?: (line: string) => void;
  /** Called once the guest is up, before onMachine. */
  readonly onGuest?: (g: { release: string; bootMs: number; kernelKey: string; kernelCached: boolean }) => void;
}

/** The model's version for the running kernel, or a MissingToolError: no model to compare with. */
function modelKernel(m: Machine): NonNullable<Machine['modelKernel']> {
  if (m.modelKernel === null) {
    throw new MissingToolError(
      `skipped: the model mirrors Linux 6.12 and 6.18, this kernel is ${m.kernel} (docs/KERNELS.md)`,
    );
  }
  return m.modelKernel;
}

interface Engine {
  readonly machine: Machine;
  readonly tmpfs: HugeTmpfs | { skipped: string };
  readonly barFile: MachineFacts['barFile'];
  readonly extraUnavailable: ReadonlyMap<Backing, string>;
  readonly launcher: HelperLauncher;
  readonly exePath: string;
}

/** Every session, in order, on the machine `e` describes. */
async function runSessions(
  e: Engine,
  opts: ProbeOptions,
): Promise<Pick<ProbeRun, 'reports' | 'outcomes' | 'interpreterFailures'>> {
  const { machine, tmpfs } = e;
  const unavailable = new Map(machine.unavailable);
  if ('skipped' in tmpfs && !unavailable.has('tmpfs')) unavailable.set('tmpfs', tmpfs.skipped);
  for (const [b, why] of e.extraUnavailable) if (!unavailable.has(b)) unavailable.set(b, why);
  const facts: MachineFacts = {
    kernel: modelKernel(machine),
    pageSize: machine.pageSize,
    taskSize: machine.taskSize,
    taskSizeMax: machine.taskSizeMax,
    stackGuardGap: machine.stackGuardGap,
    mmapMinAddr: machine.mmapMinAddr,
    dacMmapMinAddr: machine.dacMmapMinAddr,
    legacyVaLayout: machine.legacyVaLayout,
    randomize: machine.randomize,
    mmapRndBits: machine.mmapRndBits,
    la57: machine.la57,
    unavailable,
    anonSharedUnavailable: machine.anonSharedUnavailable,
    tmpfsFile: 'skipped' in tmpfs ? null : tmpfs.file,
    hugePageSize: machine.hugePageSize,
    barFile: e.barFile,
  };
  opts.onMachine?.(machine, tmpfs);
  const outcomes: CaseOutcome[] = [];
  const reports: SessionReport[] = [];
  let interpreterFailures = 0;
  const only = opts.only;
  for (const spec of SESSIONS) {
    if (only !== undefined && !spec.name.includes(only) && !spec.groups.some((g) => g.name.includes(only))) continue;
    opts.onSessionStart?.(spec);
    const report = await runSession(spec, facts, {
      launcher: e.launcher,
      exePath: e.exePath,
      ...(only !== undefined ? { only } : {}),
      ...(opts.onOutcome ? { onOutcome: opts.onOutcome } : {}),
    });
    reports.push(report);
    outcomes.push(...report.outcomes);
    if (!report.interpreterCheck.ok) interpreterFailures++;
    opts.onSession?.(report);
  }
  return { reports, outcomes, interpreterFailures };
}

/** The probe on this machine's kernel. */
export async function runProbe(opts: ProbeOptions = {}): Promise<ProbeRun> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingToolError(
      `skipped: the probe needs an x86_64 Linux kernel (this is ${process.platform}/${process.arch})`,
    );
  }
  if (!findCompiler())
    throw new MissingToolError('skipped: no C compiler (install gcc or clang, or set CC) to build probe/mmap-probe.c');
  const binary = buildHelper();
  const machine = detectMachine();
  modelKernel(machine);
  const tmpfs = mountHugeTmpfs();
  try {
    const run = await runSessions(
      {
        machine,
        tmpfs,
        barFile: null,
        extraUnavailable: new Map(),
        launcher: localLauncher(binary),
        exePath: realpathSync(binary),
      },
      opts,
    );
    return { machine, tmpfs, ...run };
  } finally {
    if (!('skipped' in tmpfs)) tmpfs.unmount();
  }
}

/** Where the helper lies in the guest's initramfs (the name /proc/self/maps gives its VMAs). */
const GUEST_HELPER = '/bin/mmap-probe';
/** The huge=always tmpfs vm/guest/init.c mounts. */
const GUEST_THP_DIR = '/mnt/thp';
/**
 * The ivshmem-plain device's fixed slot and its shared-memory BAR (hw/misc/ivshmem.c: BAR 2, 64-bit
 * prefetchable, the size of its memory backend). 128M so that every case's [pgoff, pgoff + len) fits.
 */
const BAR_SLOT = '0000:00:05.0';
const BAR_SIZE = 128n << 20n;
const BAR_QEMU_ARGS = [
  '-object',
  `memory-backend-ram,id=probe-bar,size=${BAR_SIZE >> 20n}M,share=on`,
  '-device',
  'ivshmem-plain,memdev=probe-bar,addr=0x5',
];

/**
 * Files read by the helper itself: vm/guest/init.c's `read` asks for its whole 16 MiB buffer in one read(),
 * which every /proc/sys file refuses with ENOMEM (fs/proc/proc_sysctl.c proc_sys_call_handler, 6.12:
 * `count >= KMALLOC_MAX_SIZE`); the helper reads in 64K chunks. A file it cannot open is null.
 */
async function readThroughHelper(
  launcher: HelperLauncher,
  paths: readonly string[],
): Promise<Map<string, string | null>> {
  const h = await ProbeHelper.launch(launcher, []);
  try {
    const files = new Map<string, string | null>();
    for (const p of paths) {
      const r = await h.command(`read ${p}`);
      files.set(p, r.err !== undefined ? null : (r.file ?? null));
    }
    return files;
  } finally {
    await h.close();
  }
}

async function guestText(guest: Guest, path: string): Promise<string | null> {
  try {
    return (await guest.readFile(path)).toString('utf8');
  } catch (e) {
    // A file the guest kernel does not have is an answer; a broken channel is not.
    if (e instanceof GuestError && e.errno !== null) return null;
    throw e;
  }
}

/**
 * The BAR's sysfs resource file, checked to be the ivshmem device (vendor 0x1af4, device 0x1110) and its
 * BAR 2 a memory BAR of BAR_SIZE (the `resource` file: one "start end flags" line per resource).
 */
async function findBar(guest: Guest): Promise<{ path: string; size: bigint } | { skipped: string }> {
  const dir = `/sys/bus/pci/devices/${BAR_SLOT}`;
  const vendor = (await guestText(guest, `${dir}/vendor`))?.trim();
  const device = (await guestText(guest, `${dir}/device`))?.trim();
  if (vendor !== '0x1af4' || device !== '0x1110') {
    return { skipped: `no ivshmem device at ${BAR_SLOT} (vendor ${vendor ?? 'none'}, device ${device ?? 'none'})` };
  }
  const line = (await guestText(guest, `${dir}/resource`))?.split('\n')[2]?.trim().split(/\s+/);
  if (!line || line.length < 3) return { skipped: `${dir}/resource has no BAR 2 line` };
  const [start, end, flags] = line.map((x) => BigInt(x));
  // IORESOURCE_MEM = 0x200 (include/linux/ioport.h).
  if ((flags! & 0x200n) === 0n || end! <= start!) return { skipped: `BAR 2 of ${BAR_SLOT} is not a memory BAR` };
  const size = end! - start! + 1n;
  if (size !== BAR_SIZE) return { skipped: `BAR 2 of ${BAR_SLOT} has ${size} bytes, ${BAR_SIZE} expected` };
  return { path: `${dir}/resource2`, size };
}

/**
 * The probe in a guest running the unpatched Linux 6.12 of kernel/build.ts (built once, then cached), booted
 * under QEMU (TCG, -cpu max), compared with the model at `kernel: "6.12"`. QEMU is always powered off, or
 * killed when the guest is in trouble, before this returns or throws.
 */
export async function runVmProbe(opts: VmProbeOptions = {}): Promise<ProbeRun> {
  const why = harnessUnavailable();
  if (why) throw new MissingToolError(`skipped: the VM probe cannot run here: ${why}`);
  const log = opts.log ?? (() => {});
  const kernel = await buildKernel({ log });
  const helper = compileStatic(HELPER_SOURCE);
  const initramfs = buildInitramfs([{ guestPath: GUEST_HELPER, hostPath: helper }]);
  const guest = await bootGuest({
    kernel: kernel.bzImage,
    initramfs,
    log,
    extraArgs: BAR_QEMU_ARGS,
    timeoutMs: 60 * 60_000,
  });
  let poweroffMs: number | null = null;
  try {
    const launcher: HelperLauncher = (args) => {
      const p = guest.exec([GUEST_HELPER, ...args]);
      return { stdin: p.stdin, stdout: p.stdout, exit: p.exit };
    };
    const files = await readThroughHelper(launcher, machineFiles());
    const release = files.get('/proc/sys/kernel/osrelease')?.trim();
    if (!release) throw new ToolError('guest: /proc/sys/kernel/osrelease is unreadable');
    // The build's own .config: the one the guest runs (its /proc/config.gz holds the same text).
    const config = { text: readFileSync(kernel.config, 'utf8'), source: `${kernel.config} (the build's .config)` };
    const machine = detectMachine(snapshotReader(files, config, release));
    if (machine.modelKernel !== '6.12') {
      throw new ToolError(`guest: runs Linux ${release}, the unpatched 6.12 build was expected`);
    }
    opts.onGuest?.({ release, bootMs: guest.bootMs, kernelKey: kernel.key, kernelCached: kernel.cached });
    const mounts = (await guestText(guest, '/proc/mounts')) ?? '';
    const thpOpts = mountOptions(mounts, GUEST_THP_DIR);
    const tmpfs: HugeTmpfs | { skipped: string } =
      thpOpts !== null && thpOpts.split(',').includes('huge=always')
        ? { dir: GUEST_THP_DIR, file: `${GUEST_THP_DIR}/probe-file`, unmount: () => undefined }
        : { skipped: `the guest's ${GUEST_THP_DIR} is not a huge=always tmpfs (options: ${thpOpts ?? 'absent'})` };
    const bar = await findBar(guest);
    const t0 = Date.now();
    const run = await runSessions(
      {
        machine,
        tmpfs,
        barFile: 'skipped' in bar ? null : bar,
        extraUnavailable: new Map('skipped' in bar ? [['bar', bar.skipped]] : []),
        launcher,
        exePath: GUEST_HELPER,
      },
      opts,
    );
    const sessionsMs = Date.now() - t0;
    poweroffMs = (await guest.poweroff()).ms;
    const vm: VmInfo = {
      release,
      kernelKey: kernel.key,
      kernelCached: kernel.cached,
      kernelSeconds: kernel.seconds,
      bootMs: guest.bootMs,
      sessionsMs,
      poweroffMs,
      bar,
    };
    return { machine, tmpfs, ...run, vm };
  } finally {
    // Any way out before the power-off (a disagreement is no exception; a guest error or a bug is) kills QEMU.
    if (poweroffMs === null) await guest.kill();
  }
}
