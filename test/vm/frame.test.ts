// Frames of the guest data channel: what is read is exactly what was sent, and a truncated or damaged
// frame is an error, never a shorter or different payload.

import { describe, expect, it } from 'vitest';
import { crc32, encodeFrame, FrameError, FrameParser, HEADER_MAX } from '../../vm/frame.js';
import { ToolError } from '../../io/errors.js';

describe('crc32', () => {
  it('is the IEEE CRC-32 (the standard check value)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('FrameParser', () => {
  it('reads frames back from any split of the stream', () => {
    const payloads = [Buffer.from('Linux version 6.12.118\n'), Buffer.alloc(0), Buffer.from([0, 10, 255, 13])];
    const stream = Buffer.concat([
      encodeFrame('BLOCK', payloads[0]),
      encodeFrame('EXIT', payloads[1]),
      encodeFrame('STDOUT', payloads[2]),
    ]);
    for (const step of [1, 2, 7, stream.length]) {
      const p = new FrameParser('t');
      const got = [];
      for (let i = 0; i < stream.length; i += step) got.push(...p.push(stream.subarray(i, i + step)));
      p.end();
      expect(got.map((f) => f.tag)).toEqual(['BLOCK', 'EXIT', 'STDOUT']);
      expect(got.map((f) => f.payload)).toEqual(payloads);
    }
  });

  it('refuses a stream that ends inside a frame', () => {
    const whole = encodeFrame('BLOCK', 'MemTotal: 2000000 kB\n');
    for (const cut of [1, 10, whole.length - 1]) {
      const p = new FrameParser('t');
      expect(p.push(whole.subarray(0, cut))).toEqual([]);
      expect(() => p.end()).toThrow(/^t: truncated frame/);
    }
  });

  it('refuses a payload whose bytes do not match the crc', () => {
    const f = encodeFrame('BLOCK', 'vm.mmap_min_addr = 65536\n');
    f.writeUInt8((f.at(-3) as number) ^ 0x01, f.length - 3);
    const p = new FrameParser('t');
    let err: unknown;
    try {
      p.push(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FrameError);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toMatch(/^t: frame BLOCK 25: crc32 [0-9a-f]{8}, the header says [0-9a-f]{8}$/);
    // Once broken, always broken: nothing after a damaged frame is trusted.
    expect(() => p.push(encodeFrame('EXIT', 'code 0'))).toThrow(FrameError);
  });

  it('refuses garbled headers', () => {
    const bad = [
      'BLOCK 5\nhello',
      'BLOCK 05 00000000\n',
      'BLOCK 1 0000000G\nx',
      'BL0CK 1 00000000\nx',
      `${'A'.repeat(17)} 0 00000000\n`,
      'BLOCK -1 00000000\n',
      'BLOCK 999999999 00000000\n',
      'console noise\r\n',
    ];
    for (const text of bad) {
      expect(() => new FrameParser('t').push(Buffer.from(text)), text).toThrow(FrameError);
    }
  });

  it('refuses a header line longer than HEADER_MAX', () => {
    expect(() => new FrameParser('t').push(Buffer.alloc(HEADER_MAX, 0x41))).toThrow(/no frame header in 64 bytes/);
    expect(new FrameParser('t').push(Buffer.alloc(HEADER_MAX - 1, 0x41))).toEqual([]);
  });

  it('counts bytes of a frame not yet complete', () => {
    const p = new FrameParser('t');
    const f = encodeFrame('STDOUT', 'READY\n');
    p.push(f.subarray(0, 5));
    expect(p.pending).toBe(5);
    expect(p.push(f.subarray(5))).toHaveLength(1);
    expect(p.pending).toBe(0);
  });
});
