// End to end: build the kernel (cached after the first time), boot it under QEMU, talk to /init over the
// data channel (a file read, and the probe helper run with its own line protocol unchanged), power off,
// and leave nothing behind: no QEMU process, no temp folder. Skipped, saying why, where the kernel
// package, QEMU or a compiler is missing.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { buildKernel } from '../../kernel/build.js';
import { buildInitramfs } from '../../vm/initramfs.js';
import { harnessUnavailable } from '../../vm/prerequisites.js';
import { bootGuest, QEMU } from '../../vm/qemu.js';
import { compileStatic } from '../../vm/static-cc.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const why = harnessUnavailable();
if (why) console.log(`skipped: guest kernel end to end: ${why}`);

/** A process that runs: not gone, and not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** QEMU processes whose command line mentions `text` (the guest's temp folder). */
function qemusMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(QEMU) && cmdline.includes(text)) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Reads `stream` until `text` appears in what it gave so far. */
function until(stream: NodeJS.ReadableStream, text: string, seen: { out: string }): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const check = (): void => {
      if (!seen.out.includes(text)) return;
      stream.off('data', onData);
      resolvePromise();
    };
    const onData = (d: Buffer): void => {
      seen.out += d.toString('utf8');
      check();
    };
    stream.on('data', onData);
    stream.once('end', () => {
      if (!seen.out.includes(text)) reject(new Error(`no '${text}' in '${seen.out}'`));
    });
    check();
  });
}

const title = 'builds Linux 6.12, boots it, reads /proc/version, runs the probe helper, powers off';
it.skipIf(why !== null)(
  `${title}${why ? ` (skipped: ${why})` : ''}`,
  async () => {
    const log = (l: string): void => console.log(l);
    const kernel = await buildKernel({ log });
    const probe = compileStatic(join(REPO, 'probe', 'mmap-probe.c'));
    const initramfs = buildInitramfs([{ guestPath: '/bin/mmap-probe', hostPath: probe }]);
    const guest = await bootGuest({ kernel: kernel.bzImage, initramfs, log });
    try {
      const version = (await guest.readFile('/proc/version')).toString('utf8');
      // A sysctl file: 6.12's proc_sys_call_handler() refuses one read of KMALLOC_MAX_SIZE or more (ENOMEM),
      // so /init reads in chunks; the value is CONFIG_DEFAULT_MMAP_MIN_ADDR's, 4096 on x86 by default.
      expect((await guest.readFile('/proc/sys/vm/mmap_min_addr')).toString('utf8')).toMatch(/^\d+\n$/);
      expect(version).toMatch(/^Linux version 6\.12\.\d+/);
      expect(guest.release).toMatch(/^6\.12\./);

      const mounts = (await guest.readFile('/proc/mounts')).toString('utf8');
      expect(mounts).toMatch(/^tmpfs \/mnt\/thp tmpfs .*huge=always/m);
      expect(mounts).toMatch(/^hugetlbfs \/mnt\/huge hugetlbfs /m);
      expect(mounts).toMatch(/^debugfs \/sys\/kernel\/debug debugfs /m);

      // The helper's own protocol, as cli/probe speaks it to a local child, through the guest's channel.
      const helper = guest.exec(['/bin/mmap-probe']);
      const seen = { out: '' };
      await until(helper.stdout, 'READY\n', seen);
      helper.stdin.write('info\n');
      await until(helper.stdout, 'END\n', seen);
      expect(seen.out).toMatch(/^READY\nINFO .*\nEND\n$/);
      helper.stdin.write('quit\n');
      helper.stdin.end();
      expect(await helper.exit).toEqual({ code: 0, signal: null });
    } finally {
      const off = await guest.poweroff();
      console.log(`qemu: exited ${off.exitCode} ${off.ms}ms after poweroff; boot to ready ${guest.bootMs}ms`);
      expect(off.exitCode).toBe(0);
    }
    expect(alive(guest.pid)).toBe(false);
    expect(existsSync(guest.tempDir)).toBe(false);
    expect(qemusMentioning(guest.tempDir)).toEqual([]);
  },
  30 * 60_000,
);
