// The programs put in the initramfs must run there: the guest has no dynamic loader and no libraries, so a
// binary with a PT_INTERP program header (dynamically linked, fs/binfmt_elf.c load_elf_binary) would fail
// to exec with ENOENT, far from the cause. This reads the ELF header and program headers to say so early.

import { InputError } from '../io/errors.js';

const PT_INTERP = 3;
/** e_machine values the guest runs: x86_64, and i386 through IA32_EMULATION. */
const MACHINES: Record<number, string> = { 62: 'x86_64', 3: 'i386' };

/** Throws InputError (field `name`) unless `bytes` is a statically linked x86_64 or i386 ELF executable. */
export function assertStaticElf(bytes: Buffer, name: string): void {
  if (bytes.length < 52 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new InputError(name, 'not an ELF file');
  const cls = bytes[4];
  if (bytes[5] !== 1) throw new InputError(name, 'not a little-endian ELF file');
  const is64 = cls === 2;
  if (!is64 && cls !== 1) throw new InputError(name, `unknown ELF class ${cls}`);
  const machine = bytes.readUInt16LE(18);
  if (MACHINES[machine] === undefined) throw new InputError(name, `ELF machine ${machine} is not x86_64 or i386`);
  const phoff = is64 ? Number(bytes.readBigUInt64LE(32)) : bytes.readUInt32LE(28);
  const phentsize = bytes.readUInt16LE(is64 ? 54 : 42);
  const phnum = bytes.readUInt16LE(is64 ? 56 : 44);
  if (phoff + phnum * phentsize > bytes.length) throw new InputError(name, 'ELF program headers past the end');
  for (let i = 0; i < phnum; i++) {
    if (bytes.readUInt32LE(phoff + i * phentsize) === PT_INTERP) {
      throw new InputError(name, 'dynamically linked (PT_INTERP): the guest has no loader; build it with cc -static');
    }
  }
}
