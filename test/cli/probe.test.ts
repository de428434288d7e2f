// The probe on the live kernel: every real mmap must agree with the model, and
// there must be enough of them to mean something. Needs x86_64 Linux and a C
// compiler; the tmpfs huge=always part needs root (without it those cases are
// skipped and the anonymous and memfd parts still run).

import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agree } from '../../probe/run-session.js';
import { buildHelper, findCompiler, ProbeHelper } from '../../probe/helper.js';
import { parseMaps, parseVmFlags, toVmas } from '../../probe/maps.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(REPO, 'cli', 'main.ts');

const notLinuxX64 = process.platform !== 'linux' || process.arch !== 'x64';
const noCc = notLinuxX64 ? true : findCompiler() === null;
const skipWhy = notLinuxX64 ? `not x86_64 Linux (${process.platform}/${process.arch})` : noCc ? 'no C compiler' : null;
if (skipWhy) console.log(`skipped: probe on the live kernel: ${skipWhy}`);

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'probe', ...args], {
    cwd: REPO,
    env,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type JsonCase = {
  id: string;
  verdict: 'agreed' | 'disagreed' | 'skipped';
  reason?: string;
  request?: { backing: string; shared: boolean; fixed: boolean; addr: string };
  kernel?: { va: string | null; error: string | null };
  model?: { va: string | null; error: string | null; path: string };
};

describe('agree', () => {
  const model = { va: 0x7ffff7e00000n, error: null, path: 'aligned', order: 9, alignment: 0x200000n } as const;
  it('is the same VA, or the same errno with no VA', () => {
    expect(agree({ va: 0x7ffff7e00000n, errno: null }, model)).toBe(true);
    expect(agree({ va: 0x7ffff7e01000n, errno: null }, model)).toBe(false);
    expect(agree({ va: null, errno: 'ENOMEM' }, model)).toBe(false);
    const enomem = { va: null, error: 'ENOMEM', path: 'plain', order: 0, alignment: 0x1000n } as const;
    expect(agree({ va: null, errno: 'ENOMEM' }, enomem)).toBe(true);
    expect(agree({ va: null, errno: 'EINVAL' }, enomem)).toBe(false);
    expect(agree({ va: 0x1000n, errno: null }, enomem)).toBe(false);
  });
});

describe('probe command line', () => {
  it('refuses an unknown argument with a one-line error naming it and exit 2', () => {
    const r = cli(['--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mapping-order: argument: unknown argument '--bogus'/);
  });

  it.skipIf(notLinuxX64)('without a C compiler says "skipped: no C compiler" and exits 3 (missing tool)', () => {
    const r = cli([], { ...process.env, CC: '/nonexistent/cc' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/skipped: no C compiler/);
  });
});

describe.skipIf(skipWhy !== null)('the C helper', () => {
  it('snapshots maps and VmFlags consistently, and a MAP_GROWSDOWN blocker is growsdown', async () => {
    const h = await ProbeHelper.start(buildHelper(), []);
    try {
      const info = (await h.must('info')).info!;
      // ADDR_NO_RANDOMIZE = 0x0040000 after the helper's re-exec.
      expect(BigInt(info.personality!) & 0x40000n).toBe(0x40000n);
      // A 1M growsdown blocker 1G below mmap_base (TASK_SIZE - 128M with the default 8M stack limit is
      // 0x7ffff7fff000; 0x7fffb8000000 is 1G and some below it and free in a fresh helper).
      await h.must('fixed 0x7fffb8000000 0x100000 g');
      const r = await h.must('maps');
      const vmas = toVmas(parseMaps(r.maps!), { taskSize: 0x7ffffffff000n, vmFlags: parseVmFlags(r.vmFlags!) });
      expect(vmas.find((v) => v.start === 0x7fffb8000000n)).toEqual({
        start: 0x7fffb8000000n,
        end: 0x7fffb8100000n,
        growsDown: true,
      });
      // The same range again: MAP_FIXED_NOREPLACE refuses it.
      expect((await h.command('fixed 0x7fffb8000000 0x1000')).err).toBe('EEXIST');
      // A probe that is not kept leaves no VMA behind.
      const p = await h.must('probe t anon 0 0x3000 0 -');
      expect(p.result!.errno).toBeNull();
      const after = toVmas(parseMaps((await h.must('maps')).maps!), { taskSize: 0x7ffffffff000n });
      expect(after.some((v) => v.start <= p.result!.va! && p.result!.va! < v.end)).toBe(false);
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(skipWhy !== null)('probe on the live kernel', () => {
  it('agrees with the model on every real mmap, at least 300 of them, every backing that can run here', () => {
    const r = cli(['--json']);
    const doc = JSON.parse(r.stdout) as {
      machine: { tmpfs: { dir?: string; skipped?: string }; hugetlb: { hugePageSize?: string; skipped?: string } };
      sessions: Array<{ name: string; interpreterCheck: { ok: boolean; text: string } }>;
      cases: JsonCase[];
      totals: { agreed: string; disagreed: string; skipped: string };
    };
    const disagreed = doc.cases.filter((c) => c.verdict === 'disagreed');
    expect(disagreed.map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    expect(r.status).toBe(0);
    const compared = doc.cases.filter((c) => c.verdict !== 'skipped');
    expect(compared.length).toBeGreaterThanOrEqual(300);
    expect(Number(doc.totals.agreed)).toBe(compared.length);
    // Six sessions; the computed bases are confirmed by where exec put ld.so (the aslr ones are read off it).
    expect(doc.sessions.map((s) => s.name)).toEqual([
      'topdown',
      'legacy',
      'aslr',
      'stack-1G',
      'stack-unlimited',
      'aslr-stack-unlimited',
    ]);
    for (const s of doc.sessions) expect(s.interpreterCheck.ok, s.interpreterCheck.text).toBe(true);

    const by = (f: (c: JsonCase) => boolean): number => compared.filter(f).length;
    expect(by((c) => c.request?.backing === 'anon' && !c.request.shared)).toBeGreaterThan(100);
    expect(by((c) => c.request?.backing === 'anon' && c.request.shared)).toBeGreaterThan(20);
    expect(by((c) => c.request?.backing === 'memfd')).toBeGreaterThan(20);
    expect(by((c) => c.request?.fixed === true)).toBeGreaterThan(20);
    expect(by((c) => c.kernel?.error != null)).toBeGreaterThan(20);
    // The model took each of its paths at least once against the kernel.
    for (const path of ['fixed', 'hint', 'aligned', 'fallback', 'plain'])
      expect(
        by((c) => c.model?.path === path),
        path,
      ).toBeGreaterThan(0);
    if (doc.machine.tmpfs.dir) {
      expect(by((c) => c.request?.backing === 'tmpfs')).toBeGreaterThan(100);
    } else {
      console.log(`skipped: tmpfs huge=always probes: ${doc.machine.tmpfs.skipped}`);
      expect(doc.cases.filter((c) => c.request?.backing === 'tmpfs').every((c) => c.verdict === 'skipped')).toBe(true);
    }
    const huge = doc.cases.filter((c) => c.request?.backing === 'hugetlb');
    if (huge.some((c) => c.verdict !== 'skipped')) {
      // 22 hugetlbfs cases in each of the topdown and legacy sessions, placements and refusals alike.
      expect(doc.machine.hugetlb.hugePageSize).toBeDefined();
      expect(by((c) => c.request?.backing === 'hugetlb')).toBeGreaterThanOrEqual(40);
      expect(by((c) => c.request?.backing === 'hugetlb' && c.kernel?.error === 'EINVAL')).toBeGreaterThanOrEqual(4);
    } else {
      // No hugetlbfs here, or no MFD_HUGETLB memfd: every such case says why.
      console.log(`skipped: hugetlbfs probes: ${doc.machine.hugetlb.skipped ?? huge[0]?.reason}`);
      expect(huge.every((c) => c.verdict === 'skipped' && (c.reason ?? '') !== '')).toBe(true);
    }
  }, 120_000);
});
