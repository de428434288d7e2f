// The newc writer, read back by cpio(1), and the initramfs it is used for.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCpio } from '../../vm/cpio.js';
import { assertStaticElf } from '../../vm/elf.js';
import { initramfsEntries } from '../../vm/initramfs.js';

const noCpio = spawnSync('cpio', ['--version'], { stdio: 'ignore' }).error !== undefined;
if (noCpio) console.log('skipped: reading the archive back: cpio is missing (apt-get install cpio)');

const dir = mkdtempSync(join(tmpdir(), 'mapping-order-cpio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cpio(archive: Buffer, args: string[]): string {
  const file = join(dir, `a${Math.random().toString(16).slice(2)}.cpio`);
  writeFileSync(file, archive);
  const r = spawnSync('cpio', ['--quiet', '-F', file, ...args], { encoding: 'utf8', cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('writeCpio', () => {
  const archive = writeCpio([
    { type: 'char', path: '/dev/console', major: 5, minor: 1 },
    { type: 'file', path: '/init', data: Buffer.from('#!hello\n'), mode: 0o755 },
    { type: 'file', path: '/bin/empty', data: Buffer.alloc(0) },
    { type: 'file', path: '/bin/odd', data: Buffer.from('abcde') },
    { type: 'symlink', path: '/sbin/init', target: '/init' },
    { type: 'dir', path: '/mnt/thp', mode: 0o1777 },
  ]);

  it('ends with the trailer, padded to cpio blocks of 512 bytes', () => {
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(0, 6).toString()).toBe('070701');
    expect(archive.includes(Buffer.from('TRAILER!!!\0'))).toBe(true);
  });

  it.skipIf(noCpio)('is read back by cpio -t, parents first, with types, modes and device numbers', () => {
    expect(cpio(archive, ['-t']).trim().split('\n')).toEqual([
      'dev',
      'dev/console',
      'init',
      'bin',
      'bin/empty',
      'bin/odd',
      'sbin',
      'sbin/init',
      'mnt',
      'mnt/thp',
    ]);
    const long = cpio(archive, ['-tv']);
    expect(long).toMatch(/^crw------- +1 root +root +5, +1 .* dev\/console$/m);
    expect(long).toMatch(/^-rwxr-xr-x +1 root +root +8 .* init$/m);
    expect(long).toMatch(/^lrwxrwxrwx .* sbin\/init -> \/init$/m);
    expect(long).toMatch(/^drwxrwxrwt .* mnt\/thp$/m);
  });

  it.skipIf(noCpio)('gives the same bytes back', () => {
    expect(cpio(archive, ['-i', '--to-stdout', 'init'])).toBe('#!hello\n');
    expect(cpio(archive, ['-i', '--to-stdout', 'bin/odd'])).toBe('abcde');
  });

  it('is reproducible and refuses bad paths and duplicates', () => {
    expect(writeCpio([{ type: 'dir', path: '/a' }])).toEqual(writeCpio([{ type: 'dir', path: '/a' }]));
    expect(() => writeCpio([{ type: 'dir', path: '/a/../b' }])).toThrow(/not a plain absolute path/);
    expect(() =>
      writeCpio([
        { type: 'dir', path: '/a' },
        { type: 'dir', path: 'a' },
      ]),
    ).toThrow(/listed twice/);
  });
});

describe('the initramfs', () => {
  // The smallest static x86_64 ELF header: class 64, little-endian, EM_X86_64, no program headers.
  const elf = (machine: number, interp: boolean): Buffer => {
    const b = Buffer.alloc(64 + 56);
    b.writeUInt32BE(0x7f454c46, 0);
    b[4] = 2;
    b[5] = 1;
    b.writeUInt16LE(machine, 18);
    b.writeBigUInt64LE(64n, 32);
    b.writeUInt16LE(56, 54);
    b.writeUInt16LE(1, 56);
    b.writeUInt32LE(interp ? 3 : 1, 64);
    return b;
  };

  it('refuses a dynamically linked program, another architecture, or not an ELF file', () => {
    expect(() => assertStaticElf(elf(62, false), '/bin/p')).not.toThrow();
    expect(() => assertStaticElf(elf(62, true), '/bin/p')).toThrow(/^\/bin\/p: dynamically linked/);
    expect(() => assertStaticElf(elf(183, false), '/bin/p')).toThrow(/ELF machine 183 is not x86_64 or i386/);
    expect(() => assertStaticElf(Buffer.from('#!/bin/sh\n'.repeat(10)), '/bin/p')).toThrow(/not an ELF file/);
  });

  it.skipIf(noCpio)('holds /init, /dev/console and the programs given', () => {
    const entries = initramfsEntries(elf(62, false), [{ guestPath: '/bin/mmap-probe', data: elf(62, false) }]);
    const listing = cpio(writeCpio(entries), ['-tv']);
    expect(listing).toMatch(/^crw------- .* 5, +1 .* dev\/console$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* init$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* bin\/mmap-probe$/m);
    const clash = [{ guestPath: '/init', data: elf(62, false) }];
    expect(() => initramfsEntries(elf(62, false), clash)).toThrow(/not \/init/);
  });
});
