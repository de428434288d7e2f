// The initramfs archive: the "newc" cpio format the kernel unpacks at boot (init/initramfs.c, 6.12,
// do_header: magic 070701, 13 fields of 8 hex digits, the name NUL-ended, name and data each padded to a
// multiple of 4 bytes, ended by an entry named TRAILER!!!). Written here rather than by cpio(1) so that the
// archive needs no root (device nodes) and is byte-for-byte reproducible (every mtime and owner 0).

import { InputError } from '../io/errors.js';

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Uint8Array; mode?: number }
  | { type: 'char'; path: string; major: number; minor: number; mode?: number }
  | { type: 'symlink'; path: string; target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;
const S_IFLNK = 0o120000;

function hex8(n: number, field: string): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InputError(field, `${n} does not fit a cpio field`);
  return n.toString(16).padStart(8, '0');
}

function pad4(n: number): Buffer {
  return Buffer.alloc((4 - (n % 4)) % 4);
}

/** The archive path of `path`: no leading slash, no empty or dot components. */
function archivePath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..')) {
    throw new InputError(path, 'not a plain absolute path for the initramfs');
  }
  return parts.join('/');
}

/**
 * The newc archive of `entries`, in order, each missing parent folder added (mode 0755) before its first
 * child because the kernel creates each entry in a folder that must exist (init/initramfs.c do_create).
 */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  let ino = 1;
  const emit = (name: string, mode: number, nlink: number, data: Uint8Array, rdev: [number, number]): void => {
    const nameBytes = Buffer.from(`${name}\0`, 'utf8');
    const fields = [ino++, mode, 0, 0, nlink, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
    const head = Buffer.from(`070701${fields.map((f, i) => hex8(f, `${name}: cpio field ${i}`)).join('')}`, 'ascii');
    parts.push(head, nameBytes, pad4(head.length + nameBytes.length), Buffer.from(data), pad4(data.length));
  };
  const dir = (name: string, mode: number): void => {
    emit(name, S_IFDIR | mode, 2, Buffer.alloc(0), [0, 0]);
    seen.add(name);
  };
  for (const e of entries) {
    const name = archivePath(e.path);
    if (seen.has(name)) throw new InputError(e.path, 'listed twice in the initramfs');
    const comps = name.split('/');
    for (let i = 1; i < comps.length; i++) {
      const parent = comps.slice(0, i).join('/');
      if (!seen.has(parent)) dir(parent, 0o755);
    }
    switch (e.type) {
      case 'dir':
        dir(name, e.mode ?? 0o755);
        break;
      case 'file':
        emit(name, S_IFREG | (e.mode ?? 0o644), 1, e.data, [0, 0]);
        break;
      case 'char':
        emit(name, S_IFCHR | (e.mode ?? 0o600), 1, Buffer.alloc(0), [e.major, e.minor]);
        break;
      case 'symlink':
        emit(name, S_IFLNK | 0o777, 1, Buffer.from(e.target, 'utf8'), [0, 0]);
        break;
    }
    seen.add(name);
  }
  // The trailer has inode 0 and one link, as cpio(1) writes it.
  ino = 0;
  emit('TRAILER!!!', 0, 1, Buffer.alloc(0), [0, 0]);
  // cpio(1) reads whole 512-byte blocks and calls a shorter archive premature; the kernel skips the NULs
  // after a trailer (init/initramfs.c unpack_to_rootfs, where concatenated archives are padded alike).
  const size = parts.reduce((n, p) => n + p.length, 0);
  parts.push(Buffer.alloc((512 - (size % 512)) % 512));
  return Buffer.concat(parts);
}
