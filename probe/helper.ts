// Building and driving the C helper (probe/mmap-probe.c): compile it with the
// system C compiler into .cache/probe/, start it, send one command a line and
// read its answers (a line protocol with length-prefixed blocks for the
// snapshots; every answer ends with "END"). The helper is any process-like
// thing with a stdin, a stdout and an end: a child spawned here, or a program
// run in the guest (vm/qemu.ts Guest.exec), whose stderr goes to the console.

import { spawn, spawnSync } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingToolError, ToolError } from '../io/errors.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const HELPER_SOURCE = join(REPO, 'probe', 'mmap-probe.c');
const CACHE_DIR = join(REPO, '.cache', 'probe');

/** The C compiler to use: $CC or cc; null when none runs. */
export function findCompiler(): string | null {
  const cc = process.env.CC && process.env.CC.trim() !== '' ? process.env.CC.trim() : 'cc';
  const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
  return r.error || r.status !== 0 ? null : cc;
}

/**
 * Compiles the helper unless an up-to-date binary is cached. Throws
 * MissingToolError without a compiler, ToolError when compilation fails.
 */
export function buildHelper(outDir: string = CACHE_DIR): string {
  const cc = findCompiler();
  if (!cc) throw new MissingToolError('no C compiler: install gcc or clang (or set CC) to build probe/mmap-probe.c');
  const bin = join(outDir, 'mmap-probe');
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(HELPER_SOURCE).mtimeMs) return bin;
  mkdirSync(outDir, { recursive: true });
  // Compile under a private name and rename: two runs building at once never see half a binary.
  const tmp = `${bin}.${process.pid}.tmp`;
  const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', tmp, HELPER_SOURCE], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error
      ? r.error.message
      : ((r.stderr || '').split('\n').find((l) => l.includes('error')) ?? `exit ${r.status}`);
    throw new ToolError(`probe helper: ${cc} failed: ${why}`);
  }
  renameSync(tmp, bin);
  return bin;
}

/** What one command produced. */
export interface Reply {
  /** /proc/self/maps text of the snapshot. */
  maps?: string;
  /** "start-end flags" lines from smaps. */
  vmFlags?: string;
  /** `read PATH`: the file's text. */
  file?: string;
  /** probe: the VA mmap returned, or its errno name. */
  result?: { tag: string; va: bigint | null; errno: string | null };
  /** OK <value> */
  ok?: bigint;
  /** ERR <name> */
  err?: string;
  info?: Record<string, string>;
}

type Waiter = { resolve: (r: Reply) => void; reject: (e: Error) => void };

/** How a helper process ended, as child_process reports it. */
export interface HelperExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running helper: a local child or a guest program. `exit` rejects when the transport itself broke. */
export interface HelperProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Only a local child has one; a guest program's stderr is on the guest console. */
  readonly stderr?: Readable;
  readonly exit: Promise<HelperExit>;
}

/** Starts the helper with its own arguments (--legacy, --stack N|unlimited, --aslr). */
export type HelperLauncher = (args: readonly string[]) => HelperProcess;

/** A launcher spawning `binary` on this machine. */
export function localLauncher(binary: string): HelperLauncher {
  return (args) => {
    const child = spawn(binary, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exit = new Promise<HelperExit>((resolve, reject) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', reject);
    });
    exit.catch(() => {});
    return { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exit };
  };
}

export class ProbeHelper {
  private buf = Buffer.alloc(0);
  private block: { kind: 'maps' | 'vmFlags' | 'file'; size: number } | null = null;
  private current: Reply = {};
  private waiters: Waiter[] = [];
  private ready: Waiter | null = null;
  private dead: Error | null = null;
  private stderr = '';
  private exited = false;

  private constructor(private readonly proc: HelperProcess) {
    proc.stdout.on('data', (d: Buffer) => this.onData(d));
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString('utf8');
    });
    // A write after the end must not throw from an unhandled 'error'; the exit says what happened.
    proc.stdin.on('error', () => undefined);
    proc.exit.then(
      (x) => {
        this.exited = true;
        const why = `${x.signal ?? x.code}${this.stderr ? ': ' + this.stderr.trim() : ''}`;
        this.fail(new ToolError(`probe helper exited (${why})`));
      },
      (e: Error) => {
        this.exited = true;
        this.fail(e instanceof ToolError ? e : new ToolError(`probe helper: ${e.message}`));
      },
    );
  }

  /** Starts the helper on this machine; `args` are its own (--legacy, --stack N|unlimited). */
  static start(binary: string, args: string[]): Promise<ProbeHelper> {
    return ProbeHelper.launch(localLauncher(binary), args);
  }

  /** Starts the helper through `launcher` (a local child, a guest program) and waits for its READY. */
  static launch(launcher: HelperLauncher, args: readonly string[]): Promise<ProbeHelper> {
    const h = new ProbeHelper(launcher(args));
    return new Promise((resolvePromise, reject) => {
      if (h.dead) return reject(h.dead);
      h.ready = { resolve: () => resolvePromise(h), reject };
    });
  }

  private fail(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    this.ready?.reject(e);
    this.ready = null;
    for (const w of this.waiters.splice(0)) w.reject(e);
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.block) {
        if (this.buf.length < this.block.size) return;
        const text = this.buf.subarray(0, this.block.size).toString('utf8');
        this.buf = this.buf.subarray(this.block.size);
        this.current[this.block.kind] = text;
        this.block = null;
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const line = this.buf.subarray(0, nl).toString('utf8');
      this.buf = this.buf.subarray(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    const [word, ...rest] = line.split(' ');
    switch (word) {
      case 'READY':
        this.ready?.resolve({});
        this.ready = null;
        return;
      case 'FATAL':
        this.fail(new ToolError(`probe helper: ${line}`));
        return;
      case 'MAPS':
      case 'VMFLAGS':
      case 'FILE': {
        const size = Number(rest[0]);
        if (!Number.isSafeInteger(size) || size < 0)
          return this.fail(new ToolError(`probe helper: bad block header '${line}'`));
        this.block = { kind: word === 'MAPS' ? 'maps' : word === 'VMFLAGS' ? 'vmFlags' : 'file', size };
        return;
      }
      case 'RESULT': {
        const [tag, status, value] = rest;
        if (tag === undefined || value === undefined || (status !== 'ok' && status !== 'err')) {
          return this.fail(new ToolError(`probe helper: bad result '${line}'`));
        }
        this.current.result =
          status === 'ok' ? { tag, va: BigInt(value), errno: null } : { tag, va: null, errno: value };
        return;
      }
      case 'OK':
        this.current.ok = BigInt(rest[0] ?? 'x');
        return;
      case 'ERR':
        this.current.err = rest[0] ?? 'EUNKNOWN';
        return;
      case 'INFO': {
        const info: Record<string, string> = {};
        for (const kv of rest) {
          const i = kv.indexOf('=');
          if (i > 0) info[kv.slice(0, i)] = kv.slice(i + 1);
        }
        this.current.info = info;
        return;
      }
      case 'END': {
        const reply = this.current;
        this.current = {};
        const w = this.waiters.shift();
        if (!w) return this.fail(new ToolError('probe helper: an answer nobody asked for'));
        w.resolve(reply);
        return;
      }
      default:
        this.fail(new ToolError(`probe helper: cannot parse '${line}'`));
    }
  }

  /** Sends one command line and waits for its answer. */
  command(line: string): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolvePromise, reject) => {
      this.waiters.push({ resolve: resolvePromise, reject });
      this.proc.stdin.write(line + '\n');
    });
  }

  /** Like command(), but an ERR answer becomes a ToolError naming the command. */
  async must(line: string): Promise<Reply> {
    const r = await this.command(line);
    if (r.err) throw new ToolError(`probe helper: '${line}' failed: ${r.err}`);
    return r;
  }

  async close(): Promise<void> {
    if (this.dead || this.exited) return;
    const ended = this.proc.exit.then(
      () => undefined,
      () => undefined,
    );
    await this.command('quit');
    this.proc.stdin.end();
    await ended;
  }
}
