// The guest's initramfs: /init (vm/guest/init.c, static), the folders it mounts on, /dev/console, and the
// static programs the caller adds (the probe helper). /dev/console must be in the archive itself: the
// kernel opens it for init's stdin, stdout and stderr (init/main.c console_on_rootfs, 6.12) before /init
// runs and mounts devtmpfs.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../io/errors.js';
import { cacheRoot } from '../kernel/cache.js';
import { type CpioEntry, writeCpio } from './cpio.js';
import { assertStaticElf } from './elf.js';
import { compileStatic } from './static-cc.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const INIT_SOURCE = join(REPO, 'vm', 'guest', 'init.c');

/** A program for the guest: where it will be there, and where it is here. */
export interface GuestBinary {
  guestPath: string;
  hostPath: string;
}

/** The archive's entries: `init` is /init's executable, `binaries` the programs with their bytes. */
export function initramfsEntries(init: Buffer, binaries: readonly { guestPath: string; data: Buffer }[]): CpioEntry[] {
  const entries: CpioEntry[] = [
    { type: 'dir', path: '/dev' },
    // major 5, minor 1: TTYAUX_MAJOR's console (drivers/tty/tty_io.c tty_init).
    { type: 'char', path: '/dev/console', major: 5, minor: 1, mode: 0o600 },
    { type: 'dir', path: '/proc' },
    { type: 'dir', path: '/sys' },
    { type: 'dir', path: '/tmp', mode: 0o1777 },
    { type: 'dir', path: '/mnt' },
    { type: 'file', path: '/init', data: init, mode: 0o755 },
  ];
  for (const b of binaries) {
    if (!b.guestPath.startsWith('/') || b.guestPath === '/init') {
      throw new InputError(b.guestPath, 'a guest path must be absolute and not /init');
    }
    assertStaticElf(b.data, b.guestPath);
    entries.push({ type: 'file', path: b.guestPath, data: b.data, mode: 0o755 });
  }
  return entries;
}

/**
 * Compiles /init if needed, writes the archive and returns its path. The archive is cached by the sha256 of
 * its bytes (it is reproducible), so the same programs give the same file.
 */
export function buildInitramfs(binaries: readonly GuestBinary[] = []): string {
  const init = readFileSync(compileStatic(INIT_SOURCE));
  const bins = binaries.map((b) => {
    if (!existsSync(b.hostPath)) throw new InputError(b.guestPath, `${b.hostPath} does not exist`);
    return { guestPath: b.guestPath, data: readFileSync(b.hostPath) };
  });
  const cpio = writeCpio(initramfsEntries(init, bins));
  const dir = join(cacheRoot(), 'vm', 'initramfs');
  const out = join(dir, `${createHash('sha256').update(cpio).digest('hex').slice(0, 16)}.cpio`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, cpio);
  renameSync(tmp, out);
  return out;
}
