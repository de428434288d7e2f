// The host's side of the guest data channel (ttyS1, a unix socket here): one command at a time, `exec`,
// `read` or `poweroff`, each answered in frames (vm/frame.ts; the protocol is described in
// vm/guest/init.c). Anything that does not fit the command being answered ends the channel with a
// ToolError: a result is only ever taken from a complete, checksummed frame of the expected kind.

import { constants } from 'node:os';
import type { Socket } from 'node:net';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { InputError, ToolError } from '../io/errors.js';
import { encodeFrame, type Frame, FrameParser } from './frame.js';

/** A command the guest could not carry out (exec of a missing file, read of a missing path). */
export class GuestError extends ToolError {
  override name = 'GuestError';
  /** The errno name the guest gave (ENOENT, ...), when it gave one. */
  readonly errno: string | null;

  constructor(message: string) {
    super(`guest: ${message}`);
    this.errno = /: (E[A-Z0-9]+)$/.exec(message)?.[1] ?? null;
  }
}

/** How a program run in the guest ended, as child_process reports it. */
export interface GuestExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The largest stdin frame sent (vm/guest/init.c takes up to 64 KiB per frame). */
const STDIN_CHUNK = 32 << 10;

/** A program running in the guest: its stdin (writable side) and stdout (readable side), and its end. */
export interface GuestProcess {
  /** Writes go to the program's stdin, end() closes it; reads give its stdout. */
  stdio: Duplex;
  /** The same stream as stdio, under child_process's names. */
  stdin: Writable;
  stdout: Readable;
  /** Settles when the program ended: its status, or the ToolError that ended the channel. */
  exit: Promise<GuestExit>;
}

type Op =
  | { kind: 'read'; path: string; resolve: (b: Buffer) => void; reject: (e: Error) => void }
  | { kind: 'exec'; argv: string[]; stdio: Duplex; resolve: (x: GuestExit) => void; reject: (e: Error) => void }
  | { kind: 'poweroff'; resolve: () => void; reject: (e: Error) => void };

function signalName(n: number): NodeJS.Signals | null {
  const hit = Object.entries(constants.signals).find(([, v]) => v === n);
  return hit ? (hit[0] as NodeJS.Signals) : null;
}

/** `code N` or `signal N`, the payload of an EXIT frame. */
export function parseExit(payload: string): GuestExit {
  const m = /^(code|signal) (\d{1,3})$/.exec(payload);
  if (!m?.[1] || m[2] === undefined) throw new ToolError(`guest: unreadable EXIT '${payload}'`);
  const n = Number(m[2]);
  if (m[1] === 'code') return { code: n, signal: null };
  const signal = signalName(n);
  if (!signal) throw new ToolError(`guest: EXIT with unknown signal ${n}`);
  return { code: null, signal };
}

export class GuestChannel {
  private readonly parser = new FrameParser('guest data channel');
  private op: Op | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private dead: Error | null = null;
  private poweringOff = false;
  private onReady: ((release: string) => void) | null = null;
  private onReadyFail: ((e: Error) => void) | null = null;
  /** The guest's kernel release, from its READY frame. */
  readonly ready: Promise<string>;

  constructor(private readonly socket: Socket) {
    this.ready = new Promise<string>((resolve, reject) => {
      this.onReady = resolve;
      this.onReadyFail = reject;
    });
    this.ready.catch(() => {});
    socket.on('data', (d: Buffer) => {
      try {
        for (const f of this.parser.push(d)) this.dispatch(f);
      } catch (e) {
        this.fail(e instanceof Error ? e : new ToolError(String(e)));
      }
    });
    socket.on('close', () => {
      try {
        this.parser.end();
      } catch (e) {
        return this.fail(e as Error);
      }
      const op = this.op;
      if (op?.kind === 'poweroff') {
        // QEMU closes the socket as it exits: the answer to poweroff.
        this.op = null;
        op.resolve();
      }
      this.fail(new ToolError(this.poweringOff ? 'guest: powered off' : 'guest: the data channel closed'));
    });
    socket.on('error', (e) => this.fail(new ToolError(`guest data channel: ${e.message}`)));
  }

  /** The error that ended the channel, or null while it works. */
  get error(): Error | null {
    return this.dead;
  }

  /** Ends the channel: the command being answered and every later one reject with `e`. */
  fail(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    this.onReadyFail?.(e);
    const op = this.op;
    this.op = null;
    if (op?.kind === 'exec') op.stdio.push(null);
    op?.reject(e);
    this.socket.destroy();
  }

  private dispatch(f: Frame): void {
    const text = (): string => f.payload.toString('utf8');
    if (f.tag === 'READY' && this.onReady) {
      this.onReady(text());
      this.onReady = null;
      return;
    }
    const op = this.op;
    if (f.tag === 'ERROR' && op) {
      // A damaged host frame leaves the guest with no way to find the next one: the channel is over.
      if (text().startsWith('garbled')) return this.fail(new GuestError(text()));
      this.op = null;
      if (op.kind === 'exec') op.stdio.push(null);
      return op.reject(new GuestError(text()));
    }
    if (f.tag === 'STDOUT' && op?.kind === 'exec') {
      op.stdio.push(f.payload);
      return;
    }
    if (f.tag === 'EXIT' && op?.kind === 'exec') {
      const exit = parseExit(text());
      this.op = null;
      op.stdio.push(null);
      return op.resolve(exit);
    }
    if (f.tag === 'BLOCK' && op?.kind === 'read') {
      this.op = null;
      return op.resolve(f.payload);
    }
    this.fail(new ToolError(`guest: unexpected ${f.tag} frame${op ? ` while answering ${op.kind}` : ''}`));
  }

  private send(tag: string, payload?: Buffer | string): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const done = (e?: Error | null): void => (e ? reject(new ToolError(`guest: ${e.message}`)) : resolve());
      this.socket.write(encodeFrame(tag, payload), done);
    });
  }

  /** Runs `start` once every earlier command has been answered. */
  private enqueue<T>(start: () => Promise<T>): Promise<T> {
    const run = this.queue.then(start, start);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Reads a whole file of the guest (/proc, /sys and debugfs files included). */
  readFile(path: string): Promise<Buffer> {
    if (!path.startsWith('/') || path.includes('\0')) {
      return Promise.reject(new InputError('path', `'${path}' is not an absolute guest path`));
    }
    return this.enqueue(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.dead) return reject(this.dead);
          this.op = { kind: 'read', path, resolve, reject };
          this.send('read', path).catch((e: Error) => this.fail(e));
        }),
    );
  }

  /**
   * Starts `argv` (argv[0] an absolute path of a static program in the initramfs) with stdin and stdout on
   * the returned stream; stderr goes to the guest's console. Commands queue behind a running program.
   */
  exec(argv: readonly string[]): GuestProcess {
    argv.forEach((a, i) => {
      if (a.includes('\0')) throw new InputError(`argv[${i}]`, 'contains a NUL byte');
    });
    if (!argv[0]?.startsWith('/')) throw new InputError('argv[0]', `'${argv[0] ?? ''}' is not an absolute path`);
    let markStarted!: () => void;
    let ended = false;
    const started = new Promise<void>((r) => (markStarted = r));
    // The stream itself never errors (an 'error' nobody listens to would throw): a broken channel shows
    // in `exit`, and what is written after the program ended goes nowhere, as vm/guest/init.c drops it too.
    const stdio = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, cb) => {
        void (async () => {
          await started;
          for (let i = 0; i < chunk.length && !ended; i += STDIN_CHUNK) {
            await this.send('stdin', chunk.subarray(i, i + STDIN_CHUNK));
          }
        })().then(
          () => cb(),
          () => cb(),
        );
      },
      final: (cb) => {
        void started
          .then(() => (ended ? undefined : this.send('eof')))
          .then(
            () => cb(),
            () => cb(),
          );
      },
    });
    const finish = (f: () => void): void => {
      ended = true;
      markStarted();
      f();
    };
    const exit = this.enqueue(
      () =>
        new Promise<GuestExit>((resolve, reject) => {
          if (this.dead) {
            stdio.push(null);
            return finish(() => reject(this.dead));
          }
          this.op = {
            kind: 'exec',
            argv: [...argv],
            stdio,
            resolve: (x) => finish(() => resolve(x)),
            reject: (e) => finish(() => reject(e)),
          };
          const payload = Buffer.from(argv.map((a) => `${a}\0`).join(''), 'utf8');
          this.send('exec', payload).then(markStarted, (e: Error) => this.fail(e));
        }),
    );
    exit.catch(() => {});
    return { stdio, stdin: stdio, stdout: stdio, exit };
  }

  /**
   * Sends `poweroff` once earlier commands are answered. Resolves when the channel closes cleanly (QEMU
   * exiting); rejects when the guest answers with an error (reboot(2) failed) or the channel breaks.
   */
  poweroff(): Promise<void> {
    return this.enqueue(
      () =>
        new Promise<void>((resolve, reject) => {
          if (this.dead) return reject(this.dead);
          this.poweringOff = true;
          this.op = { kind: 'poweroff', resolve, reject };
          this.send('poweroff').catch((e: Error) => this.fail(e));
        }),
    );
  }
}
