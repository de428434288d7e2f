// The host side of bar/bar-probe.c: one command a line to the guest program over the VM's data channel, each
// reply read up to its END line. Every reply the program could not give (ERROR) or that cannot be read is a
// ToolError: guest trouble, never taken as an answer.

import type { Readable, Writable } from 'node:stream';
import { ToolError } from '../io/errors.js';
import { hex } from '../model/u64.js';

export interface BarDevice {
  /** PCI address (domain:bus:dev.fn). */
  readonly bdf: string;
  /** BAR2's guest-physical address and size (sysfs resource, line 3). */
  readonly barPhys: bigint;
  readonly barSize: bigint;
}

export interface OpenDevice extends BarDevice {
  /** The id the program gave the device file. */
  readonly id: number;
  /** VFIO_DEVICE_GET_REGION_INFO(BAR2): the region's offset in the device file and its size. */
  readonly regionOffset: bigint;
  readonly regionSize: bigint;
}

export interface MmapReply {
  /** /proc/self/maps as read just before the mmap. */
  readonly maps: string;
  readonly va: bigint | null;
  readonly errno: string | null;
}

export class BarProbe {
  private buf = '';
  private waiting: ((lines: string[] | Error) => void) | null = null;
  private ended: Error | null = null;

  constructor(
    private readonly stdin: Writable,
    stdout: Readable,
  ) {
    stdout.on('data', (d: Buffer) => {
      this.buf += d.toString('utf8');
      this.deliver();
    });
    stdout.on('end', () => this.fail(new ToolError('bar-probe: its output ended')));
    stdout.on('error', (e: Error) => this.fail(e));
  }

  private fail(e: Error): void {
    this.ended ??= e;
    const w = this.waiting;
    this.waiting = null;
    w?.(e);
  }

  private deliver(): void {
    if (!this.waiting) return;
    const at = this.buf.search(/(^|\n)(END|READY)\n/);
    if (at < 0) return;
    const stop = this.buf.indexOf('\n', at + (this.buf[at] === '\n' ? 1 : 0)) + 1;
    const lines = this.buf.slice(0, stop).split('\n').slice(0, -2);
    this.buf = this.buf.slice(stop);
    const w = this.waiting;
    this.waiting = null;
    w(lines);
  }

  /** Waits for READY, the program's first line. */
  ready(): Promise<void> {
    return this.next().then(() => undefined);
  }

  private next(): Promise<string[]> {
    return new Promise((resolve, reject) => {
      if (this.ended) return reject(this.ended);
      this.waiting = (x) => (x instanceof Error ? reject(x) : resolve(x));
      this.deliver();
    });
  }

  /** Sends one command; its reply lines without END; ToolError on ERROR. */
  async ask(command: string): Promise<string[]> {
    if (this.ended) throw this.ended;
    this.stdin.write(`${command}\n`);
    const lines = await this.next();
    const err = lines.find((l) => l.startsWith('ERROR '));
    if (err) throw new ToolError(`bar-probe: ${command}: ${err.slice(6)}`);
    return lines;
  }

  async info(): Promise<{ pageSize: bigint; rlimStack: bigint | 'unlimited'; mmapMinAddr: bigint }> {
    const line = (await this.ask('info')).find((l) => l.startsWith('INFO '));
    const m = /page_size=(\d+) rlim_stack_cur=(\d+|unlimited) personality=0x([0-9a-f]+) mmap_min_addr=(\d+)/.exec(
      line ?? '',
    );
    if (!m) throw new ToolError(`bar-probe: info: unreadable '${line ?? ''}'`);
    // ADDR_NO_RANDOMIZE (0x0040000, include/uapi/linux/personality.h): the bases can be computed.
    if ((parseInt(m[3]!, 16) & 0x40000) === 0) throw new ToolError('bar-probe: runs without ADDR_NO_RANDOMIZE');
    const rlimStack = m[2] === 'unlimited' ? 'unlimited' : BigInt(m[2]!);
    return { pageSize: BigInt(m[1]!), rlimStack, mmapMinAddr: BigInt(m[4]!) };
  }

  async list(): Promise<BarDevice[]> {
    return (await this.ask('list'))
      .filter((l) => l.startsWith('DEV '))
      .map((l) => {
        const [, bdf, phys, size] = l.split(' ');
        if (!bdf || !phys || !size) throw new ToolError(`bar-probe: list: unreadable '${l}'`);
        return { bdf, barPhys: BigInt(phys), barSize: BigInt(size) };
      });
  }

  async open(dev: BarDevice): Promise<OpenDevice> {
    const line = (await this.ask(`open ${dev.bdf}`)).find((l) => l.startsWith('OPEN '));
    const m = /^OPEN (\d+) (0x[0-9a-f]+) (0x[0-9a-f]+)$/.exec(line ?? '');
    if (!m) throw new ToolError(`bar-probe: open ${dev.bdf}: unreadable '${line ?? ''}'`);
    return { ...dev, id: Number(m[1]), regionOffset: BigInt(m[2]!), regionSize: BigInt(m[3]!) };
  }

  /** mmap(addr, len, PROT_READ|PROT_WRITE, flags, fd, off); `fd` a device id or 'anon'. */
  async mmap(fd: number | 'anon', addr: bigint, len: bigint, off: bigint, flags: string): Promise<MmapReply> {
    const lines = await this.ask(`mmap ${fd} ${hex(addr)} ${hex(len)} ${hex(off)} ${flags || '-'}`);
    const maps = lines
      .filter((l) => l.startsWith('M '))
      .map((l) => `${l.slice(2)}\n`)
      .join('');
    const last = lines[lines.length - 1] ?? '';
    if (last.startsWith('VA ')) return { maps, va: BigInt(last.slice(3)), errno: null };
    if (last.startsWith('ERRNO ')) return { maps, va: null, errno: last.slice(6) };
    throw new ToolError(`bar-probe: mmap: unreadable '${last}'`);
  }

  async munmap(addr: bigint, len: bigint): Promise<void> {
    const lines = await this.ask(`munmap ${hex(addr)} ${hex(len)}`);
    if (lines[lines.length - 1] !== 'OK') throw new ToolError(`bar-probe: munmap ${hex(addr)}: ${lines.join(' ')}`);
  }

  async touch(addr: bigint, len: bigint): Promise<void> {
    const lines = await this.ask(`touch ${hex(addr)} ${hex(len)}`);
    if (lines[lines.length - 1] !== 'OK') throw new ToolError(`bar-probe: touch ${hex(addr)}: ${lines.join(' ')}`);
  }

  /** The page-table dump's lines overlapping [addr, addr + len). */
  async ptdump(addr: bigint, len: bigint): Promise<string[]> {
    return (await this.ask(`leaves ${hex(addr)} ${hex(len)}`)).filter((l) => l.startsWith('P ')).map((l) => l.slice(2));
  }

  async write(path: string, text: string): Promise<void> {
    await this.ask(`write ${path} ${text}`);
  }

  async quit(): Promise<void> {
    this.stdin.write('quit\n');
    this.stdin.end();
  }
}

/** Leaves per size (4K, 2M, 1G) of a page-table dump, within [start, end). */
export interface Leaves {
  readonly k4: bigint;
  readonly m2: bigint;
  readonly g1: bigint;
}

const LEVEL_SIZE: Record<string, bigint> = { pte: 1n << 12n, pmd: 1n << 21n, pud: 1n << 30n };

/**
 * Counts the present leaves of [start, end) in lines of arch/x86/mm/dump_pagetables.c (6.12): note_page prints
 * "0x<from>-0x<to>   <size> <flags> <level>" for each run of entries of one level and one set of flags; a run
 * that is not present has blank flags (printk_prot prints spaces only), a present one "ro " or "RW ". The walk
 * descends into every table, so a present pmd or pud run is a run of leaves (PSE).
 */
export function countLeaves(lines: readonly string[], start: bigint, end: bigint): Leaves {
  const n = { pte: 0n, pmd: 0n, pud: 0n } as Record<string, bigint>;
  for (const l of lines) {
    const m = /^0x([0-9a-f]+)-0x([0-9a-f]+)\s+\d+[BKMGTPE] (.*) (pgd|p4d|pud|pmd|pte)$/.exec(l.trimEnd());
    if (!m) throw new ToolError(`ptdump: unreadable line '${l}'`);
    const level = m[4]!;
    const present = /\b(RW|ro)\b/.test(m[3]!);
    if (!present) continue;
    const size = LEVEL_SIZE[level];
    if (size === undefined) throw new ToolError(`ptdump: a present ${level} leaf in user space: '${l}'`);
    const from = BigInt(`0x${m[1]}`);
    const to = BigInt(`0x${m[2]}`);
    const lo = from > start ? from : start;
    const hi = to < end ? to : end;
    if (hi <= lo) continue;
    if ((lo - from) % size !== 0n || (hi - lo) % size !== 0n)
      throw new ToolError(`ptdump: a ${level} run cut by [${hex(start)}, ${hex(end)}) inside a leaf: '${l}'`);
    n[level] = n[level]! + (hi - lo) / size;
  }
  return { k4: n.pte!, m2: n.pmd!, g1: n.pud! };
}
