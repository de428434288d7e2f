// The host side of the data channel, against a scripted guest on a unix socket: answers are taken only
// from whole frames of the expected kind; anything else ends the channel with a ToolError.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../../io/errors.js';
import { GuestChannel, GuestError, parseExit } from '../../vm/channel.js';
import { encodeFrame, type Frame, FrameParser } from '../../vm/frame.js';

interface FakeGuest {
  channel: GuestChannel;
  guest: Socket;
  /** The frames the host sent, in order, as they arrive. */
  next(): Promise<Frame>;
  send(tag: string, payload?: string | Buffer): void;
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function fakeGuest(): Promise<FakeGuest> {
  const dir = mkdtempSync(join(tmpdir(), 'mapping-order-channel-'));
  const path = join(dir, 'data.sock');
  const server = createServer();
  await new Promise<void>((r) => server.listen(path, r));
  const hostSide = new Promise<Socket>((r) => server.once('connection', r));
  const guest = connect(path);
  const channel = new GuestChannel(await hostSide);
  cleanups.push(() => {
    guest.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const parser = new FrameParser('fake guest');
  const frames: Frame[] = [];
  const waiters: ((f: Frame) => void)[] = [];
  guest.on('data', (d: Buffer) => {
    for (const f of parser.push(d)) {
      const w = waiters.shift();
      if (w) w(f);
      else frames.push(f);
    }
  });
  return {
    channel,
    guest,
    next: () => {
      const f = frames.shift();
      return f ? Promise.resolve(f) : new Promise((r) => waiters.push(r));
    },
    send: (tag, payload) => guest.write(encodeFrame(tag, payload)),
  };
}

describe('GuestChannel', () => {
  it('reads files and reports a guest error with its errno, then goes on', async () => {
    const g = await fakeGuest();
    g.send('READY', '6.12.118');
    expect(await g.channel.ready).toBe('6.12.118');

    const version = g.channel.readFile('/proc/version');
    const asked = await g.next();
    expect([asked.tag, asked.payload.toString()]).toEqual(['read', '/proc/version']);
    g.send('BLOCK', 'Linux version 6.12.118 (mapping-order@mapping-order)\n');
    expect((await version).toString()).toMatch(/^Linux version 6\.12/);

    const missing = g.channel.readFile('/nope');
    await g.next();
    g.send('ERROR', 'read /nope: ENOENT');
    const err = await missing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GuestError);
    expect((err as GuestError).errno).toBe('ENOENT');
    expect((err as Error).message).toBe('guest: read /nope: ENOENT');

    const again = g.channel.readFile('/proc/meminfo');
    await g.next();
    g.send('BLOCK', 'MemTotal: 1 kB\n');
    expect((await again).toString()).toBe('MemTotal: 1 kB\n');
  });

  it('runs a program: argv, stdin to the guest, stdout back, then its exit', async () => {
    const g = await fakeGuest();
    const p = g.channel.exec(['/bin/mmap-probe', '--stack', '8M']);
    const exec = await g.next();
    expect(exec.tag).toBe('exec');
    expect(exec.payload.toString()).toBe('/bin/mmap-probe\x00--stack\x008M\x00');
    g.send('STDOUT', 'READY\n');
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stdin.write('info\n');
    const stdin = await g.next();
    expect([stdin.tag, stdin.payload.toString()]).toEqual(['stdin', 'info\n']);
    g.send('STDOUT', 'INFO pid=1\nEND\n');
    p.stdin.end();
    expect((await g.next()).tag).toBe('eof');
    g.send('EXIT', 'code 3');
    expect(await p.exit).toEqual({ code: 3, signal: null });
    await new Promise<void>((r) => (p.stdout.readableEnded ? r() : p.stdout.once('end', () => r())));
    expect(out).toBe('READY\nINFO pid=1\nEND\n');
  });

  it('queues a command behind a running program', async () => {
    const g = await fakeGuest();
    const p = g.channel.exec(['/bin/true']);
    const read = g.channel.readFile('/proc/version');
    expect((await g.next()).tag).toBe('exec');
    g.send('EXIT', 'signal 9');
    expect(await p.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await g.next()).tag).toBe('read');
    g.send('BLOCK', 'x');
    expect((await read).toString()).toBe('x');
  });

  it('ends on a damaged answer: that command and every later one fail', async () => {
    const g = await fakeGuest();
    const r = g.channel.readFile('/proc/version');
    await g.next();
    const f = encodeFrame('BLOCK', 'Linux version 6.12.118\n');
    f.writeUInt8((f.at(-2) as number) ^ 0x20, f.length - 2);
    g.guest.write(f);
    await expect(r).rejects.toThrow(/crc32 .* the header says/);
    await expect(g.channel.readFile('/proc/version')).rejects.toBeInstanceOf(ToolError);
    expect(() => g.channel.exec(['/bin/true'])).not.toThrow();
  });

  it('ends on a truncated answer when the guest goes away', async () => {
    const g = await fakeGuest();
    const r = g.channel.readFile('/proc/meminfo');
    await g.next();
    g.guest.end(encodeFrame('BLOCK', 'MemTotal: 2000000 kB\n').subarray(0, 20));
    await expect(r).rejects.toThrow(/truncated frame/);
  });

  it('ends on an answer of the wrong kind', async () => {
    const g = await fakeGuest();
    const p = g.channel.exec(['/bin/true']);
    await g.next();
    g.send('BLOCK', 'x');
    await expect(p.exit).rejects.toThrow(/^guest: unexpected BLOCK frame while answering exec$/);
  });

  it('refuses a relative program path and a NUL in an argument', () => {
    const ch = new GuestChannel(connect('/nonexistent-socket').on('error', () => {}));
    expect(() => ch.exec(['true'])).toThrow(/^argv\[0\]: 'true' is not an absolute path$/);
    expect(() => ch.exec(['/bin/x', 'a\0b'])).toThrow(/^argv\[1\]: contains a NUL byte$/);
  });

  it('powers off: the close of the channel is the answer, an ERROR a refusal', async () => {
    const g = await fakeGuest();
    const off = g.channel.poweroff();
    expect((await g.next()).tag).toBe('poweroff');
    g.guest.end();
    await expect(off).resolves.toBeUndefined();

    const h = await fakeGuest();
    const refused = h.channel.poweroff();
    await h.next();
    h.send('ERROR', 'poweroff: EPERM');
    await expect(refused).rejects.toThrow('guest: poweroff: EPERM');
  });
});

describe('parseExit', () => {
  it('reads code N and signal N and nothing else', () => {
    expect(parseExit('code 0')).toEqual({ code: 0, signal: null });
    expect(parseExit('signal 11')).toEqual({ code: null, signal: 'SIGSEGV' });
    expect(() => parseExit('code')).toThrow(ToolError);
    expect(() => parseExit('exited 0')).toThrow(/unreadable EXIT/);
  });
});
