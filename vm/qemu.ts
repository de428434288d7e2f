// Boots the guest kernel under QEMU and hands back a Guest to run programs and read files in it.
//
// The kernel console is the first serial port (ttyS0), written by QEMU to console.log in a temp folder;
// the data channel is the second (ttyS1), a unix socket in the same folder on which this process listens
// and QEMU connects. A boot counts only when /init's READY frame arrives on the data channel and its ready
// marker on the console; a panic, a fatal line from /init, an early QEMU exit, a timeout or an unreadable
// frame is a ToolError, never a result. QEMU is killed and the temp folder removed however the guest ends
// (io/cleanup.ts covers an exit or a signal of this process; setpriv's parent-death signal covers SIGKILL).

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, MissingToolError, ToolError } from '../io/errors.js';
import { type Accel, type AccelChoice, resolveAccel } from './accel.js';
import { GuestChannel, GuestError, type GuestProcess } from './channel.js';
import { registerCleanup, dieWithParent } from '../io/cleanup.js';
import { ConsoleTail, consoleTrouble, READY_MARKER } from './console.js';

export const QEMU = 'qemu-system-x86_64';

/**
 * The kernel command line before the caller's `append`: the console on ttyS0; panic=-1 reboots at once
 * on a panic, which -no-reboot turns into QEMU exiting; the huge page sizes for hugetlbfs, 2M the default
 * (/mnt/huge) and 1G (/mnt/huge-1G: -cpu max has pdpe1gb, and x86 registers the 1G size only when asked,
 * arch/x86/mm/hugetlbpage.c gigantic_pages_init needing CONTIG_ALLOC otherwise), with the pages to reserve.
 */
export function kernelCommandLine(hugePages2M: number, hugePages1G: number, append = ''): string {
  return [
    'console=ttyS0 panic=-1',
    `default_hugepagesz=2M hugepagesz=2M hugepages=${hugePages2M} hugepagesz=1G hugepages=${hugePages1G}`,
    append,
  ]
    .filter((p) => p !== '')
    .join(' ');
}

export interface BootOptions {
  /** The kernel image (kernel/build.ts bzImage). */
  kernel: string;
  /** The initramfs (vm/initramfs.ts). */
  initramfs: string;
  /**
   * Appended to the kernel command line (kernelCommandLine). Huge pages go through hugePages2M and
   * hugePages1G, not here: the kernel ignores a page size given twice, and the hugepages= after it
   * (mm/hugetlb.c hugepagesz_setup, hugepages_setup).
   */
  append?: string;
  /** qemu -m; 2G by default. */
  memory?: string;
  /** 2M huge pages reserved at boot; 64 by default. */
  hugePages2M?: number;
  /**
   * 1G huge pages reserved at boot; 0 by default. Each needs a free, 1G-aligned gigabyte of guest RAM at
   * boot, when memblock has already put the initrd, the page tables and the memmap at the top of memory
   * (allocated top-down): on QEMU's pc machine that takes -m 5G for one page (2G, 3G and 4G get none).
   */
  hugePages1G?: number;
  /** tcg by default; `auto` tries KVM with a short trial boot first. */
  accel?: AccelChoice;
  /** More QEMU arguments (-device, -object, -machine ...). */
  extraArgs?: readonly string[];
  /** Time to the ready marker; 180 s by default (TCG on a busy machine). */
  bootTimeoutMs?: number;
  /** The guest's whole life, boot included, after which QEMU is killed; 10 minutes by default. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** The QEMU command line (without the binary). */
export function qemuArgs(o: {
  kernel: string;
  initramfs: string;
  append: string;
  memory: string;
  accel: Accel;
  consoleLog: string;
  dataSocket: string;
  extraArgs: readonly string[];
}): string[] {
  return [
    '-nographic',
    // No default NIC, VGA, floppy, CD-ROM, parallel port or monitor: only what is listed here.
    '-nodefaults',
    '-no-reboot',
    '-accel',
    o.accel,
    '-cpu',
    'max',
    '-smp',
    '1',
    '-m',
    o.memory,
    '-kernel',
    o.kernel,
    '-initrd',
    o.initramfs,
    '-append',
    o.append,
    '-chardev',
    `file,id=console,path=${o.consoleLog}`,
    '-serial',
    'chardev:console',
    '-chardev',
    `socket,id=data,path=${o.dataSocket}`,
    '-serial',
    'chardev:data',
    ...o.extraArgs,
  ];
}

function checkQemu(): void {
  const r = spawnSync(QEMU, ['--version'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) throw new MissingToolError(`${QEMU}: not found; apt-get install qemu-system-x86`);
}

export interface PowerOff {
  /** QEMU's exit status (0 after an ACPI power-off). */
  exitCode: number;
  /** From sending `poweroff` to QEMU's exit. */
  ms: number;
}

export class Guest {
  private ended: Promise<void> | null = null;
  private cleaned = false;
  private failure: Error | null = null;
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private unregister: () => void = () => {};
  private expectExit = false;
  private stderr = '';
  /** From QEMU's start to the ready marker; set by bootGuest. */
  bootMs = 0;
  /** The guest's kernel release (uname -r), from its READY frame. */
  release = '';

  /** @internal bootGuest builds it. */
  constructor(
    readonly accel: Accel,
    readonly tempDir: string,
    private readonly qemu: ChildProcess,
    private readonly server: Server,
    private readonly console: ConsoleTail,
    private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
    private channel: GuestChannel | null,
  ) {}

  /** QEMU's process id. */
  get pid(): number {
    return this.qemu.pid ?? -1;
  }

  /** The console (ttyS0) so far. */
  consoleLog(): string {
    return this.console.poll();
  }

  /** Runs a static program of the initramfs; see GuestChannel.exec. */
  exec(argv: readonly string[]): GuestProcess {
    const p = this.live().exec(argv);
    const exit = this.explained(p.exit);
    exit.catch(() => {});
    return { ...p, exit };
  }

  /** A whole file of the guest. */
  readFile(path: string): Promise<Buffer> {
    return this.explained(this.live().readFile(path));
  }

  /** A command's failure, or QEMU's reason when QEMU died under it (it closes the channel first). */
  private async explained<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if (!(e instanceof GuestError)) await Promise.race([this.exited, sleep(2000)]);
      throw this.failure ?? e;
    }
  }

  /** Powers the guest off and waits for QEMU to exit; ToolError unless it exits 0 without a panic. */
  async poweroff(timeoutMs = 60_000): Promise<PowerOff> {
    const t0 = Date.now();
    this.expectExit = true;
    const late = new ToolError(`qemu: still running ${timeoutMs / 1000}s after poweroff`);
    const overdue = setTimeout(() => void this.abort(late), timeoutMs);
    try {
      await this.live().poweroff();
      const ex = await this.exited;
      if (this.failure) throw this.failure;
      const trouble = consoleTrouble(this.console.poll());
      if (trouble) throw new ToolError(`guest: ${trouble}`);
      if (ex.code !== 0) throw new ToolError(`qemu: exited with ${ex.signal ?? `code ${ex.code}`} after poweroff`);
      return { exitCode: ex.code, ms: Date.now() - t0 };
    } catch (e) {
      await this.abort(this.failure ?? (e as Error));
      throw this.failure ?? e;
    } finally {
      clearTimeout(overdue);
      await this.end();
    }
  }

  /** Kills QEMU at once (no power-off) and removes the temp folder. */
  kill(): Promise<void> {
    return this.abort(new ToolError('guest: killed'));
  }

  private live(): GuestChannel {
    if (this.failure) throw this.failure;
    if (!this.channel) throw new ToolError('guest: the data channel never connected');
    return this.channel;
  }

  /** @internal Arms the overall timeout, the console watch and the exit watch. */
  start(timeoutMs: number): void {
    this.unregister = registerCleanup(() => this.cleanupNow());
    this.timer = setTimeout(
      () => void this.abort(new ToolError(`qemu: timed out after ${timeoutMs / 1000}s`)),
      timeoutMs,
    );
    this.poller = setInterval(() => {
      const trouble = consoleTrouble(this.console.poll());
      if (trouble) void this.abort(new ToolError(`guest: ${trouble}`));
    }, 100);
    this.qemu.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    void this.exited.then((ex) => {
      if (this.expectExit && !this.failure) return;
      const trouble = consoleTrouble(this.console.poll());
      const said = this.stderr.split('\n').find((l) => l.trim() !== '');
      const how = ex.signal ?? `code ${ex.code}`;
      void this.abort(new ToolError(trouble ? `guest: ${trouble}` : `qemu: exited (${how})${said ? `: ${said}` : ''}`));
    });
  }

  /** @internal */
  attach(channel: GuestChannel): void {
    this.channel = channel;
    if (this.failure) channel.fail(this.failure);
  }

  /** The error that ended the guest, or null. */
  get error(): Error | null {
    return this.failure;
  }

  /** Ends the guest with `e` (the first error wins): QEMU killed, channel failed, temp folder removed. */
  abort(e: Error): Promise<void> {
    this.failure ??= e;
    this.channel?.fail(this.failure);
    if (this.qemu.exitCode === null && this.qemu.signalCode === null) this.qemu.kill('SIGKILL');
    return this.end();
  }

  /** Waits for QEMU's exit, then releases everything (once). */
  private end(): Promise<void> {
    this.ended ??= this.exited.then(() => this.cleanupNow());
    return this.ended;
  }

  private cleanupNow(): void {
    if (this.cleaned) return;
    if (this.qemu.exitCode === null && this.qemu.signalCode === null) this.qemu.kill('SIGKILL');
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearInterval(this.poller);
    this.console.poll();
    this.console.close();
    this.server.close();
    rmSync(this.tempDir, { recursive: true, force: true });
    // Only once QEMU has exited is everything released; until then the exit and signal handlers stay.
    if (this.qemu.exitCode !== null || this.qemu.signalCode !== null) {
      this.cleaned = true;
      this.unregister();
    }
  }
}

const TEMP_PREFIX = 'mapping-order-vm-';

/**
 * Removes the temp folders of guests whose process is gone: nothing can remove its own folder after a
 * SIGKILL (its QEMU dies with it, by setpriv's parent-death signal). A folder whose pid is alive is kept.
 */
function sweepStaleTempDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') continue;
    }
    try {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    } catch {
      // Not ours to remove (another user's): leave it.
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** The kernel only warns when it cannot reserve the pages asked for (mm/hugetlb.c); here that is an error. */
async function checkHugePages(guest: Guest, size: string, wanted: number): Promise<void> {
  if (wanted === 0) return;
  const path = `/sys/kernel/mm/hugepages/hugepages-${size}/nr_hugepages`;
  const got = Number((await guest.readFile(path)).toString('utf8').trim());
  if (got !== wanted) {
    throw new ToolError(`guest: ${path} is ${got}, ${wanted} asked for (too little memory, or none of that size)`);
  }
}

/** Boots a guest and waits for it to be ready; ToolError when it does not come up. */
export async function bootGuest(opts: BootOptions): Promise<Guest> {
  checkQemu();
  for (const [field, path] of [
    ['kernel', opts.kernel],
    ['initramfs', opts.initramfs],
  ] as const) {
    if (!existsSync(path)) throw new InputError(field, `${path} does not exist`);
  }
  const log = opts.log ?? (() => {});
  const { accel, why } = await resolveAccel(opts.accel ?? 'tcg', async () => {
    const trial = await bootGuest({ ...opts, accel: 'kvm', bootTimeoutMs: 30_000, timeoutMs: 60_000 });
    await trial.poweroff(15_000);
  });
  if ((opts.accel ?? 'tcg') === 'auto') log(`qemu: accel ${accel} (${why})`);

  sweepStaleTempDirs();
  const tempDir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  const consoleLog = join(tempDir, 'console.log');
  const dataSocket = join(tempDir, 'data.sock');
  const server = createServer();
  let accepted: (s: Socket) => void = () => {};
  const connection = new Promise<Socket>((r) => (accepted = r));
  server.on('connection', (s) => {
    // Only QEMU connects; a second connection is nobody's.
    server.close();
    accepted(s);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(dataSocket, () => resolve());
    });
  } catch (e) {
    rmSync(tempDir, { recursive: true, force: true });
    throw new ToolError(`qemu: cannot listen on ${dataSocket}: ${(e as Error).message}`);
  }

  const args = qemuArgs({
    kernel: opts.kernel,
    initramfs: opts.initramfs,
    append: kernelCommandLine(opts.hugePages2M ?? 64, opts.hugePages1G ?? 0, opts.append),
    memory: opts.memory ?? '2G',
    accel,
    consoleLog,
    dataSocket,
    extraArgs: opts.extraArgs ?? [],
  });
  const [cmd, ...pre] = [...dieWithParent(), QEMU];
  const t0 = Date.now();
  const qemu = spawn(cmd as string, [...pre, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    qemu.once('exit', (code, signal) => resolve({ code, signal }));
    qemu.once('error', () => resolve({ code: null, signal: null }));
  });
  const guest = new Guest(accel, tempDir, qemu, server, new ConsoleTail(consoleLog), exited, null);
  guest.start(opts.timeoutMs ?? 600_000);
  log(`qemu: pid ${qemu.pid}, accel ${accel}, console ${consoleLog}`);

  const bootTimeoutMs = opts.bootTimeoutMs ?? 180_000;
  let bootTimer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    bootTimer = setTimeout(() => {
      // The last console line, without the terminal escapes SeaBIOS writes.
      const last =
        guest
          .consoleLog()
          .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1bc/g, '')
          .trim()
          .split('\n')
          .at(-1) ?? '';
      const tail = last.replace(/[\x00-\x1f\x7f]/g, '');
      void guest.abort(new ToolError(`qemu: no ready marker within ${bootTimeoutMs / 1000}s (console: '${tail}')`));
    }, bootTimeoutMs);
    void exited.then(() => setImmediate(() => reject(guest.error ?? new ToolError('qemu: exited during boot'))));
  });
  failed.catch(() => {});
  try {
    const socket = await Promise.race([connection, failed]);
    const channel = new GuestChannel(socket);
    guest.attach(channel);
    guest.release = await Promise.race([channel.ready, failed]);
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (guest.consoleLog().includes(READY_MARKER)) {
            clearInterval(check);
            resolve();
          }
        }, 20);
        void exited.then(() => clearInterval(check));
      }),
      failed,
    ]);
    guest.bootMs = Date.now() - t0;
    log(`qemu: ready in ${(guest.bootMs / 1000).toFixed(1)}s (Linux ${guest.release})`);
    await checkHugePages(guest, '2048kB', opts.hugePages2M ?? 64);
    await checkHugePages(guest, '1048576kB', opts.hugePages1G ?? 0);
    return guest;
  } catch (e) {
    // QEMU dying closes the channel first: its own reason (a panic, its stderr) says more than "closed".
    await Promise.race([exited, sleep(2000)]);
    await guest.abort(e as Error);
    throw guest.error ?? e;
  } finally {
    clearTimeout(bootTimer);
  }
}
