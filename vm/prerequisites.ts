// Whether the guest-kernel harness can run on this machine, and if not, why: tests that boot a guest print
// the reason as "skipped: ..." instead of passing silently. scripts/setup.sh installs all of it on Debian.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { SOURCE_PACKAGE, SOURCE_TARBALL, sourcePackageVersion } from '../kernel/source.js';
import { QEMU } from './qemu.js';

function runs(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** null when a kernel can be built and booted here, else the first thing missing. */
export function harnessUnavailable(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `not x86_64 Linux (${process.platform}/${process.arch})`;
  }
  try {
    sourcePackageVersion();
  } catch (e) {
    return (e as Error).message;
  }
  if (!existsSync(SOURCE_TARBALL)) return `${SOURCE_TARBALL} missing (reinstall ${SOURCE_PACKAGE})`;
  if (!runs(QEMU)) return `${QEMU} missing (apt-get install qemu-system-x86)`;
  const cc = process.env.CC && process.env.CC.trim() !== '' ? process.env.CC.trim() : 'cc';
  if (!runs(cc)) return 'no C compiler (apt-get install gcc libc6-dev)';
  const libc = spawnSync(cc, ['-print-file-name=libc.a'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!isAbsolute(libc) || !existsSync(libc)) return 'no static C library for cc -static (apt-get install libc6-dev)';
  const tools = [
    ['make', 'make'],
    ['flex', 'flex'],
    ['bison', 'bison'],
    ['flock', 'util-linux'],
  ] as const;
  for (const [tool, pkg] of tools) {
    if (!runs(tool)) return `${tool} missing (apt-get install ${pkg})`;
  }
  if (!runs('bc', ['--version'])) return 'bc missing (apt-get install bc)';
  return null;
}
