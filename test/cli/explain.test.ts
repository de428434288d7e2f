// `mapping-order explain`: Jason's DPDK example (64M BAR, MSI-X table in the
// page at 2M) explained as text and as SVG. Under jason, with the kernel placing
// each part, the second part is a 4K head followed by 2M leaves; under QEMU
// 9.2's scheme that part has no 2M leaf. Values derived by hand (the VAs in
// test/model/schemes/schemes.test.ts).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/explain.js';
import { runCaptured, type Captured } from '../helpers/run-captured.js';

function explain(argv: string[], input: unknown): Promise<Captured> {
  return runCaptured(run, argv, typeof input === 'string' ? input : JSON.stringify(input));
}

const base = {
  arch: 'x86_64',
  file: { kind: 'driver', driver: 'vfio-pci', barSize: '0x4000000' },
  bar: { size: '0x4000000', msix: { offset: '0x200000', size: '0x1000' } },
};
const kernelJason = { scheme: 'kernel', policy: 'jason', ...base };
const qemu92 = { scheme: 'qemu-9.2', policy: 'jason', ...base };

/** The lines of one VMA's block, from its title to the next blank line. */
function block(text: string, title: string): string[] {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(title));
  const j = lines.findIndex((l, k) => k > i && l === '');
  return lines.slice(i, j < 0 ? undefined : j);
}

/** The fills of the bar rectangles (height 34) after `title` and before the next title. */
function barFills(svg: string, title: string): { fill: string; width: number }[] {
  const from = svg.indexOf(`>${title}`);
  const next = svg.indexOf('font-weight="bold">area ', from + 1);
  const section = svg.slice(from, next < 0 ? undefined : next);
  return [...section.matchAll(/<rect x="[^"]*" y="[^"]*" width="([^"]*)" height="34" fill="([^"]*)"/g)].map((m) => ({
    fill: m[2]!,
    width: Number(m[1]),
  }));
}

describe('text', () => {
  it("jason, the kernel placing each part: area 1 is 511 x 4K then 30 x 2M, drawn '..' then '='", async () => {
    const r = await explain([], kernelJason);
    expect(r.code).toBe(0);
    // Part B under jason (test/model/policy/policies.test.ts): VA 0x7ffff3e01000, end + 0x3dff000 = 0x7ffff7c00000.
    // mod 1G: 0x7ffff3e01000 - 0x7fffc0000000 = 0x33e01000; PA 1T + 0x201000 -> 0x201000.
    // Bar: 64 characters; the head is 0x1ff000 of 0x3dff000 bytes = 2.06 characters -> 2 '.', then 62 '='.
    expect(block(r.stdout, 'area 1:')).toEqual([
      'area 1: BAR [0x201000, 0x4000000) (63484K)',
      '  mmap(addr 0x0, len 0x3dff000, pgoff 0x201 [off 0x201000], MAP_SHARED) on driver vfio-pci, BAR 64M, index 0, ' +
        'barPhys default 0x10000000000',
      '  get_mapping_order(pgoff 0x201, len 0x3dff000) = 9',
      '  path aligned, order 9, alignment 2M, VA ≡ off (mod 2M): yes',
      '  VMA [0x7ffff3e01000, 0x7ffff7c00000), 63484K',
      '  PA of off 0x201000: 0x10000201000',
      '  mod 2M: VA 0x1000, off 0x1000 -> VA ≡ off yes; PA 0x1000 -> PA ≡ off yes',
      '  mod 1G: VA 0x33e01000, off 0x201000 -> VA ≡ off no; PA 0x201000 -> PA ≡ off yes',
      '  leaves: 511 x 4K, 30 x 2M, 0 x 1G; 541 faults, 2 fallbacks',
      `  0x7ffff3e01000 |..${'='.repeat(62)}| 0x7ffff7c00000`,
      '                  . [0x7ffff3e01000, 0x7ffff4000000)  511 x 4K',
      '                  = [0x7ffff4000000, 0x7ffff7c00000)  30 x 2M',
      '                  legend: . 4K   = 2M',
    ]);
  });
  it("QEMU 9.2's scheme: area 1 at 0x7ffff3c00000 ≡ 0 (mod 2M) against off ≡ 4K: only 4K leaves", async () => {
    // The 62M reservation lands at 0x7ffff3c00000 (test/model/schemes/schemes.test.ts); the area ends at
    // 0x7ffff3c00000 + 0x3dff000 = 0x7ffff79ff000.
    const r = await explain([], qemu92);
    const b = block(r.stdout, 'area 1:');
    expect(b).toContain('  leaves: 15871 x 4K, 0 x 2M, 0 x 1G; 15871 faults, 32 fallbacks');
    expect(b).toContain(`  0x7ffff3c00000 |${'.'.repeat(64)}| 0x7ffff79ff000`);
    expect(b).toContain('  mod 2M: VA 0x0, off 0x1000 -> VA ≡ off no; PA 0x1000 -> PA ≡ off yes');
    // The calls QEMU made, in order.
    expect(r.stdout).toContain(
      '    4. mmap(0x0, 0x3e00000, anonymous) = 0x7ffff3c00000  area 1: reserve size + align (align 0x1000)',
    );
  });
  it('a scenario (as for place) is explained too', async () => {
    // Part B with part A where jason put it, [0x7ffff7c00000, 0x7ffff7e00000): placed at 0x7ffff3e01000 ≡ 4K.
    const r = await explain([], {
      arch: 'x86_64',
      policy: 'jason',
      vmas: [{ start: '0x7ffff7c00000', end: '0x7ffff7e00000' }],
      file: { kind: 'driver', driver: 'vfio-pci', barSize: '0x4000000' },
      request: { len: '0x3dff000', pgoff: '0x201', shared: true },
    });
    expect(block(r.stdout, 'the mapping')).toContain('  leaves: 511 x 4K, 30 x 2M, 0 x 1G; 541 faults, 2 fallbacks');
  });
});

describe('SVG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'explain-'));
  it(
    'jason: a grey 4K head then the blue 2M run ' + '(bar 952 px: head 0x1ff000 / 0x3dff000 x 952 = 30.7 -> 31 px)',
    async () => {
      const file = join(dir, 'jason.svg');
      expect((await explain(['--svg', file], kernelJason)).code).toBe(0);
      const svg = readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(barFills(svg, 'area 1:')).toEqual([
        { fill: '#c9c9c9', width: 31 },
        { fill: '#3b7dd8', width: 921 },
      ]);
      expect(svg).toContain('>30 x 2M<');
      expect(svg).toContain('>511 x 4K<');
    },
  );
  it('QEMU 9.2: area 1 is one grey run, no 2M rectangle', async () => {
    const file = join(dir, 'qemu.svg');
    await explain(['--svg', file], qemu92);
    expect(barFills(readFileSync(file, 'utf8'), 'area 1:')).toEqual([{ fill: '#c9c9c9', width: 952 }]);
  });
});

describe('--json', () => {
  it('the runs of each VMA', async () => {
    const r = await explain(['--json'], kernelJason);
    const doc = JSON.parse(r.stdout) as { vmas: { va: string; runs: unknown[] }[] };
    // Part B at 0x7ffff3e01000: 511 x 4K up to the 2M boundary 0x7ffff4000000, then 30 x 2M to 0x7ffff7c00000.
    expect(doc.vmas[1]!.va).toBe('0x7ffff3e01000');
    expect(doc.vmas[1]!.runs).toEqual([
      { start: '0x7ffff3e01000', end: '0x7ffff4000000', size: '4096', count: '511' },
      { start: '0x7ffff4000000', end: '0x7ffff7c00000', size: '2097152', count: '30' },
    ]);
  });
});

describe('bad input', () => {
  const cases: [string, unknown, string][] = [
    [
      'unknown scheme',
      { ...kernelJason, scheme: 'spdk' },
      'mapping-order: scheme: unknown scheme "spdk" (one of dpdk, qemu-9.2, qemu-2026, kernel)\n',
    ],
    [
      'a scheme without its BAR',
      { scheme: 'dpdk', policy: 'jason', arch: 'x86_64', file: base.file },
      'mapping-order: bar: missing (required for a scheme)\n',
    ],
    [
      'a scheme on a file that is no device',
      { ...kernelJason, file: { kind: 'anon' } },
      "mapping-order: file.kind: a scheme maps a device file: kind must be 'driver', got 'anon'\n",
    ],
    [
      'an MSI-X table past the BAR',
      { ...kernelJason, bar: { size: '0x4000000', msix: { offset: '0x3fff000', size: '0x2000' } } },
      'mapping-order: bar.msix.size: offset + size = 0x4001000 is past the BAR end 0x4000000\n',
    ],
    [
      'a BAR whose two sizes differ (issue 12: 32M in the header, 64M on every mmap line)',
      { ...kernelJason, bar: { size: '0x2000000' } },
      'mapping-order: bar.size: 0x2000000 differs from file.barSize 0x4000000: one BAR, one size\n',
    ],
    [
      'a BAR size that is no power of two',
      { ...kernelJason, bar: { size: '0x3000000' } },
      'mapping-order: bar.size: must be a power of two (a PCI BAR size): 0x3000000\n',
    ],
    [
      'the scenario parser still names its fields',
      { arch: 'x86_64', policy: 'jason', file: { kind: 'anon' }, request: {} },
      'mapping-order: request.len: missing (required)\n',
    ],
  ];
  for (const [what, input, err] of cases) {
    it(what, async () => {
      expect(await explain([], input)).toEqual({ code: 2, stdout: '', stderr: err });
    });
  }
  it('--svg needs a file name', async () => {
    expect(await explain(['--svg'], kernelJason)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mapping-order: --svg: needs a file name\n',
    });
  });
});
