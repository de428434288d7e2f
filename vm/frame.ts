// The frames of the guest data channel (vm/guest/init.c describes the protocol): "TAG LEN CRC\n" then LEN
// bytes, CRC the crc32 of those bytes in 8 lowercase hex digits. Every answer of the guest arrives in a
// frame, so a truncated, garbled or unexpected answer is an error here, never a result.

import { ToolError } from '../io/errors.js';

/** A header is at most this long, newline included (vm/guest/init.c HEADER_MAX). */
export const HEADER_MAX = 64;
/** The largest payload accepted from the guest: a `read` answer holds a whole file (vm/guest/init.c FILE_MAX). */
export const PAYLOAD_MAX = 16 << 20;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, reflected 0xEDB88320, as zlib's crc32 and vm/guest/init.c's). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface Frame {
  tag: string;
  payload: Buffer;
}

const TAG = /^[A-Za-z]{1,16}$/;
const HEADER = /^([A-Za-z]{1,16}) (0|[1-9][0-9]{0,8}) ([0-9a-f]{8})$/;

/** One frame's bytes. */
export function encodeFrame(tag: string, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  if (!TAG.test(tag)) throw new RangeError(`frame tag '${tag}': 1 to 16 letters`);
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const head = `${tag} ${body.length} ${crc32(body).toString(16).padStart(8, '0')}\n`;
  return Buffer.concat([Buffer.from(head, 'ascii'), body]);
}

/** A frame that cannot be read: the channel is unusable from there on. */
export class FrameError extends ToolError {
  override name = 'FrameError';
}

/** Cuts a byte stream into frames; after the first error every call throws it again. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);
  private broken: FrameError | null = null;

  constructor(private readonly what: string) {}

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): Frame[] {
    if (this.broken) throw this.broken;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Frame[] = [];
    for (;;) {
      const nl = this.buf.subarray(0, HEADER_MAX).indexOf(10);
      if (nl < 0) {
        if (this.buf.length >= HEADER_MAX) this.fail(`no frame header in ${HEADER_MAX} bytes: ${this.show()}`);
        return out;
      }
      const head = this.buf.subarray(0, nl).toString('latin1');
      const m = HEADER.exec(head);
      const [tag, lenText, crcText] = [m?.[1], m?.[2], m?.[3]];
      if (tag === undefined || lenText === undefined || crcText === undefined) {
        this.fail(`garbled frame header '${printable(head)}'`);
      }
      const len = Number(lenText);
      if (len > PAYLOAD_MAX) this.fail(`frame ${tag} of ${len} bytes, more than ${PAYLOAD_MAX}`);
      if (this.buf.length < nl + 1 + len) return out;
      const payload = Buffer.from(this.buf.subarray(nl + 1, nl + 1 + len));
      const crc = crc32(payload).toString(16).padStart(8, '0');
      if (crc !== crcText) this.fail(`frame ${tag} ${len}: crc32 ${crc}, the header says ${crcText}`);
      this.buf = this.buf.subarray(nl + 1 + len);
      out.push({ tag, payload });
    }
  }

  /** The stream ended: throws when it ended inside a frame. */
  end(): void {
    if (this.broken) throw this.broken;
    if (this.buf.length > 0) this.fail(`truncated frame: the stream ended after ${this.buf.length} bytes of one`);
  }

  /** Bytes received that are not yet a whole frame. */
  get pending(): number {
    return this.buf.length;
  }

  private fail(why: string): never {
    this.broken = new FrameError(`${this.what}: ${why}`);
    throw this.broken;
  }

  private show(): string {
    return `'${printable(this.buf.subarray(0, HEADER_MAX).toString('latin1'))}'`;
  }
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
