// The guest's kernel console (ttyS0), which QEMU writes to a file: read as it grows, to see the ready
// marker of vm/guest/init.c and the ways a boot goes wrong that the data channel cannot tell.

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** The line /init prints once the data channel is up. */
export const READY_MARKER = 'mapping-order: ready';

/**
 * The first line of `text` saying the guest failed, or null: /init's own "mapping-order: fatal:" (it then
 * exits, which panics the kernel, so it comes first), else the kernel's panic line (kernel/panic.c panic():
 * "Kernel panic - not syncing: ..."), else an oops (arch/x86/kernel/dumpstack.c __die: "Oops:" or a BUG).
 */
export function consoleTrouble(text: string): string | null {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const re of [/mapping-order: fatal: .*/, /Kernel panic - not syncing.*/, /(Oops: .*|BUG: .*)/]) {
    for (const l of lines) {
      const m = re.exec(l);
      if (m) return m[0].trim();
    }
  }
  return null;
}

/** A file read from where the previous read stopped. */
export class ConsoleTail {
  private fd: number | null = null;
  private offset = 0;
  private readonly decoder = new StringDecoder('utf8');
  private total = '';

  constructor(private readonly path: string) {}

  /** Reads what was appended since the last call; returns the whole text so far. */
  poll(): string {
    if (this.fd === null) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        // QEMU creates the file when it starts: nothing to read before that.
        return this.total;
      }
    }
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      const n = readSync(this.fd, buf, 0, buf.length, this.offset);
      if (n <= 0) break;
      this.offset += n;
      // The decoder keeps a character cut by the end of a read for the next one.
      this.total += this.decoder.write(buf.subarray(0, n));
    }
    return this.total;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
