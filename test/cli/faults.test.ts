// `mapping-order faults`: the JSON of docs/CLI.md for one object, an array and
// JSON Lines; refusals naming the field with exit 2; a mapping the driver's
// ->mmap refuses answered as an errno. Leaf counts derived by hand.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/faults.js';
import { runCaptured, type Captured } from '../helpers/run-captured.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/mapping-order.js');

function faults(argv: string[], input: string): Promise<Captured> {
  return runCaptured(run, argv, input);
}

// Jason's DPDK part B as the kernel places it under jason (test/model/policy/policies.test.ts): VA
// 0x7ffff3e01000 ≡ 4K (mod 2M), off 2M + 4K, len 62M - 4K; PA = 1T + 2M + 4K. Head [0x7ffff3e01000,
// 0x7ffff4000000) = 511 PTEs, then 30 PMDs up to 0x7ffff7c00000; 541 faults; fallbacks: the PUD block (1)
// and the head's PMD block (1).
const partB = {
  arch: 'x86_64',
  va: '0x7ffff3e01000',
  len: '0x3dff000',
  pgoff: '0x201',
  file: { kind: 'driver', driver: 'vfio-pci', barSize: '0x4000000' },
};
const partBAnswer = '{"leaves":{"4096":"511","2097152":"30","1073741824":"0"},"faults":"541","fallbacks":"2"}';
// The same part where QEMU 9.2 puts it (test/model/schemes/schemes.test.ts), 0x7ffff3c00000 ≡ 0 (mod 2M):
// 15871 PTEs; PMD blocks met [0x7ffff3c00000, round_up(0x7ffff79ff000, 2M) = 0x7ffff7a00000) = 31, + 1 PUD
// = 32 fallbacks.
const partBQemu = { ...partB, va: '0x7ffff3c00000' };
const partBQemuAnswer = '{"leaves":{"4096":"15871","2097152":"0","1073741824":"0"},"faults":"15871","fallbacks":"32"}';

describe('answers', () => {
  it('one object -> one JSON object (counts as decimal strings, leaf sizes in bytes as keys)', async () => {
    const r = await faults(['--json'], JSON.stringify(partB));
    expect(r).toEqual({ code: 0, stdout: `${partBAnswer}\n`, stderr: '' });
  });
  it('an array -> an array, in order', async () => {
    const r = await faults(['--json'], JSON.stringify([partB, partBQemu]));
    expect(r.stdout).toBe(`[\n  ${partBAnswer},\n  ${partBQemuAnswer}\n]\n`);
  });
  it('JSON Lines -> JSON Lines', async () => {
    const r = await faults(['--json'], `${JSON.stringify(partB)}\n${JSON.stringify(partBQemu)}\n`);
    expect(r.stdout).toBe(`${partBAnswer}\n${partBQemuAnswer}\n`);
  });
  it('human lines', async () => {
    const r = await faults(
      [],
      JSON.stringify([partB, { arch: 'x86_64', va: '0x7ffff3600000', len: '0x400000', file: { kind: 'anon' } }]),
    );
    // Anonymous THP, 4M at a 2M-aligned VA: 2 PMDs, no PTE, no fallback.
    expect(r.stdout).toBe(
      '[0] leaves 511 x 4K, 30 x 2M, 0 x 1G; 541 faults, 2 fallbacks\n[1] leaves 0 x 4K, 2 x 2M; 2 faults, 0 ' +
        'fallbacks\n',
    );
  });
  it("a range past the BAR is answered with vfio-pci's EINVAL, exit 0", async () => {
    // 64M BAR, off 62M, len 4M: req_start + len = 66M > 64M.
    const r = await faults(['--json'], JSON.stringify({ ...partB, pgoff: '0x3e00', len: '0x400000' }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      error: 'EINVAL',
      why: "vfio-pci's mmap refuses pgoff 0x3e00 len 0x400000 (outside the BAR, or not MAP_SHARED)",
    });
  });
  it('arm64-4k: the same VMA has the same PMD leaves (PMD 2M there too), and no PUD level is tried', async () => {
    // arm64 has PMD PFN maps only (no ARCH_SUPPORTS_PUD_PFNMAP): 511 PTEs + 30 PMDs, 541 faults; the only
    // fallback is the head's PMD block; no 1G leaf size in the answer.
    const r = await faults(['--json'], JSON.stringify({ ...partB, arch: 'arm64-4k' }));
    expect(r.stdout).toBe('{"leaves":{"4096":"511","2097152":"30"},"faults":"541","fallbacks":"1"}\n');
  });
});

describe('bad input: one line naming the field, exit 2, nothing on stdout', () => {
  const cases: [string, unknown, string][] = [
    [
      'missing va',
      { arch: 'x86_64', len: '0x1000', file: { kind: 'anon' } },
      'mapping-order: va: missing (required)\n',
    ],
    [
      'unaligned va',
      { ...partB, va: '0x7ffff3e01001' },
      'mapping-order: va: must be page-aligned (a multiple of 0x1000): 0x7ffff3e01001\n',
    ],
    ['len 0', { ...partB, len: '0' }, 'mapping-order: len: must be > 0\n'],
    [
      'a number that is not one',
      { ...partB, len: '62M' },
      'mapping-order: len: not a number: "62M" (expected a string "0x..." (hex) or "123" (decimal), or a JSON ' +
        'integer up to 2^53-1)\n',
    ],
    [
      'unknown arch',
      { ...partB, arch: 'riscv' },
      'mapping-order: arch: unknown arch "riscv" (one of x86_64, arm64-4k, arm64-16k, arm64-64k, tiny-16, tiny-32, ' +
        'tiny-64, tiny-128, tiny-arm64)\n',
    ],
    [
      'unknown field',
      { ...partB, size: '0x1000' },
      'mapping-order: size: unknown field (known: arch, va, len, pgoff, file, comment)\n',
    ],
    [
      'unknown driver',
      { ...partB, file: { kind: 'driver', driver: 'nvgrace' } },
      "mapping-order: file.driver: unknown driver 'nvgrace' (one of vfio-pci, vfio-pci-jason, order:K)\n",
    ],
    // x86_64 TASK_SIZE_MAX with 4-level paging: 2^47 - 4K = 0x7ffffffff000.
    // 0xfffffffffffff000 + 0x3dff000 = 2^64 - 0x1000 + 0x3dff000 = 2^64 + 0x3dfe000.
    [
      'past TASK_SIZE_MAX',
      { ...partB, va: '0xfffffffffffff000' },
      'mapping-order: len: va + len = 0x10000000003dfe000 is above TASK_SIZE_MAX (0x7ffffffff000) for x86_64\n',
    ],
    // One page past: TASK_SIZE_MAX - len = 0x7ffffffff000 - 0x3dff000 = 0x7ffffc200000; va 0x7ffffc201000 ends at 2^47.
    [
      'one page past TASK_SIZE_MAX',
      { ...partB, va: '0x7ffffc201000' },
      'mapping-order: len: va + len = 0x800000000000 is above TASK_SIZE_MAX (0x7ffffffff000) for x86_64\n',
    ],
  ];
  for (const [what, input, err] of cases) {
    it(what, async () => {
      expect(await faults(['--json'], JSON.stringify(input))).toEqual({ code: 2, stdout: '', stderr: err });
    });
  }
  it('in an array, the element is named', async () => {
    const r = await faults([], JSON.stringify([partB, { ...partB, va: '0x1' }]));
    expect(r.stderr).toBe('mapping-order: [1].va: must be page-aligned (a multiple of 0x1000): 0x1\n');
  });
});

describe('the executable', () => {
  it('mapping-order faults answers through bin/mapping-order.js', () => {
    const r = spawnSync(process.execPath, [BIN, 'faults', '--json'], {
      input: JSON.stringify(partB),
      encoding: 'utf8',
      cwd: ROOT,
    });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: `${partBAnswer}\n` });
  });
});
