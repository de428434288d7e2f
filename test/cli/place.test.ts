// `mapping-order place`: bad input refused with one line naming the field and
// exit code 2; the input shapes (object, array, JSON Lines, stdin) and the
// answer shapes; end-to-end placements whose VA is derived by hand below from
// the kernel arithmetic (arch/x86/kernel/sys_x86_64.c, mm/vma.c,
// mm/huge_memory.c).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/place.js';
import { runCaptured } from '../helpers/run-captured.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/mapping-order.js');
const M = 0x100000n;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** run() with stdin `input` and stdout/stderr captured. */
function place(argv: string[], input = ''): Promise<Outcome> {
  return runCaptured(run, argv, input);
}

/** The real executable, for the real exit code. */
function spawnPlace(argv: string[], input = ''): Outcome {
  const r = spawnSync(process.execPath, [BIN, 'place', ...argv], { input, encoding: 'utf8', cwd: ROOT });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function scenario(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    arch: 'x86_64',
    policy: 'baseline',
    mm: { topdown: true, mmapBase: '0x7f0000000000' },
    vmas: [],
    file: { kind: 'anon' },
    request: { len: '0x200000' },
    ...over,
  };
}

const json = (v: unknown) => JSON.stringify(v);

async function refused(input: string, argv: string[] = []): Promise<string> {
  const r = await place(argv, input);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr.trimEnd();
}

describe('place: bad input is refused with one line naming the field, exit 2', () => {
  it('a non-number: request.len "2M"', async () => {
    expect(await refused(json(scenario({ request: { len: '2M' } })))).toBe(
      'mapping-order: request.len: not a number: "2M" (expected a string "0x..." (hex) or "123" (decimal), or a JSON ' +
        'integer up to 2^53-1)',
    );
  });

  it('a negative value: request.pgoff "-1"', async () => {
    expect(await refused(json(scenario({ request: { len: '0x1000', pgoff: '-1' } })))).toBe(
      'mapping-order: request.pgoff: must not be negative: "-1"',
    );
  });

  it('a negative plain JSON number: request.addr -4096', async () => {
    expect(await refused(json(scenario({ request: { len: '0x1000', addr: -4096 } })))).toBe(
      'mapping-order: request.addr: must not be negative: -4096',
    );
  });

  it('a value of 2^64 or more: request.addr "0x10000000000000000"', async () => {
    expect(await refused(json(scenario({ request: { len: '0x1000', addr: '0x10000000000000000' } })))).toBe(
      'mapping-order: request.addr: too large: 0x10000000000000000 is not below 2^64',
    );
  });

  it('a plain JSON number above 2^53 - 1: request.len 9007199254740993', async () => {
    const text = json(scenario({ request: { len: 0 } })).replace('"len":0', '"len":9007199254740993');
    expect(await refused(text)).toBe(
      'mapping-order: request.len: JSON number above 2^53-1 loses precision: write it as a string ("0x...")',
    );
  });

  it('an unaligned VMA bound: vmas[0].start 0x7effff001001', async () => {
    expect(await refused(json(scenario({ vmas: [{ start: '0x7effff001001', end: '0x7effff200000' }] })))).toBe(
      'mapping-order: vmas[0].start: must be page-aligned (a multiple of 0x1000): 0x7effff001001',
    );
  });

  it('an empty VMA: vmas[0].end == start', async () => {
    expect(await refused(json(scenario({ vmas: [{ start: '0x200000', end: '0x200000' }] })))).toBe(
      'mapping-order: vmas[0].end: must be above start (0x200000): 0x200000',
    );
  });

  it('overlapping VMAs: vmas[1] meets vmas[0]', async () => {
    const vmas = [
      { start: '0x7effff000000', end: '0x7effff200000' },
      { start: '0x7effff1ff000', end: '0x7effff400000' },
    ];
    expect(await refused(json(scenario({ vmas })))).toBe(
      'mapping-order: vmas[1]: overlaps vmas[0] [0x7effff000000, 0x7effff200000)',
    );
  });

  it('an unaligned mm base: mm.mmapBase 0x7f0000000800', async () => {
    expect(await refused(json(scenario({ mm: { mmapBase: '0x7f0000000800' } })))).toBe(
      'mapping-order: mm.mmapBase: must be page-aligned (a multiple of 0x1000): 0x7f0000000800',
    );
  });

  it('an unknown arch', async () => {
    expect(await refused(json(scenario({ arch: 'x86' })))).toBe(
      "mapping-order: arch: unknown arch 'x86' (one of x86_64, arm64-4k, arm64-16k, arm64-64k, tiny-16, tiny-32, " +
        'tiny-64, tiny-128, tiny-arm64)',
    );
  });

  it('an unknown policy', async () => {
    expect(await refused(json(scenario({ policy: 'fast' })))).toBe(
      "mapping-order: policy: unknown policy 'fast' (one of baseline, v2, jason, optimal)",
    );
  });

  it('an unknown file kind', async () => {
    expect(await refused(json(scenario({ file: { kind: 'file' } })))).toBe(
      "mapping-order: file.kind: unknown kind 'file' (one of anon, plain, shmem, shmem-huge, thp, hugetlb, driver)",
    );
  });

  it('an unknown driver', async () => {
    expect(await refused(json(scenario({ file: { kind: 'driver', driver: 'nvme' } })))).toBe(
      "mapping-order: file.driver: unknown driver 'nvme' (one of vfio-pci, vfio-pci-jason, order:K)",
    );
  });

  it('an unknown field (a typo)', async () => {
    expect(await refused(json(scenario({ request: { lne: '0x1000' } })))).toBe(
      'mapping-order: request.lne: unknown field (known: addr, len, pgoff, fixed, shared, compat, shadowStack)',
    );
  });

  it('a missing required field', async () => {
    expect(await refused(json(scenario({ request: { addr: '0x1000' } })))).toBe(
      'mapping-order: request.len: missing (required)',
    );
  });

  it('a boolean that is not a boolean', async () => {
    expect(await refused(json(scenario({ request: { len: '0x1000', fixed: 'yes' } })))).toBe(
      'mapping-order: request.fixed: expected true or false, got a string "yes"',
    );
  });

  it('malformed JSON: line and column', async () => {
    // Line 2 is ` "arch": x86_64,`: the bare word starts at column 10.
    expect(await refused('{\n "arch": x86_64,\n}')).toBe(
      "mapping-order: input: malformed JSON at line 2, column 10: unexpected 'x': expected a JSON value",
    );
  });

  it('malformed JSON Lines: the line number; the lines before it are answered (JSON Lines streams)', async () => {
    const text = `${json(scenario())}\n${json(scenario())}\n{"arch": "x86_64",}\n`;
    const r = await place([], text);
    expect(r.code).toBe(2);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.slice(0, 8)),
    ).toEqual(['line 1: ', 'line 2: ']);
    expect(r.stderr).toBe("mapping-order: line 3: malformed JSON at column 19: trailing comma before '}'\n");
  });

  it("an array element's index in the field path: [1].request.len", async () => {
    const text = json([scenario(), scenario({ request: { len: 'big' } })]);
    expect(await refused(text)).toMatch(/^mapping-order: \[1\]\.request\.len: not a number: "big"/);
  });

  it('a JSON Lines line in the field path: line 2: file.kind', async () => {
    const text = `${json(scenario())}\n${json(scenario({ file: { kind: 'nfs' } }))}\n`;
    const r = await place([], text);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mapping-order: line 2: file\.kind: unknown kind 'nfs'/);
  });

  it('--keep-going answers every good line and reports every bad one by its number, exit 2', async () => {
    const bad = json(scenario({ file: { kind: 'nfs' } }));
    const text = [json(scenario()), bad, '{oops', json(scenario()), bad].join('\n');
    const r = await place(['--json', '--keep-going'], text);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    const errs = r.stderr.trimEnd().split('\n');
    expect(errs).toHaveLength(3);
    expect(errs[0]).toMatch(/^mapping-order: line 2: file\.kind: unknown kind 'nfs'/);
    expect(errs[1]).toMatch(/^mapping-order: line 3: malformed JSON at column 2: /);
    expect(errs[2]).toMatch(/^mapping-order: line 5: file\.kind: unknown kind 'nfs'/);
  });

  it('JSON Lines streams: the first answers are out before the input ends', async () => {
    const stdin = new PassThrough();
    let out = '';
    const done = run(['--json', '-'], {
      stdin,
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: () => true },
    });
    stdin.write(`${json(scenario())}\n${json(scenario())}\n`);
    // Still open: the two answers must come without the end of the input.
    for (let i = 0; i < 100 && out.split('\n').length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(out.trimEnd().split('\n')).toHaveLength(2);
    stdin.end(`${json(scenario())}\n`);
    expect(await done).toBe(0);
    expect(out.trimEnd().split('\n')).toHaveLength(3);
  });

  it('an array element that is not an object', async () => {
    expect(await refused(json([scenario(), 7]))).toBe(
      'mapping-order: [1]: expected a scenario object, got the number 7',
    );
  });

  it('an unknown option, and two inputs', async () => {
    expect(await refused('', ['--jsn'])).toBe(
      'mapping-order: --jsn: unknown option (place takes --json, --keep-going and one FILE or -)',
    );
    expect(await refused('', ['a.json', 'b.json'])).toBe(
      "mapping-order: b.json: one input only (already reading 'a.json')",
    );
  });

  it('no FILE while stdin is a terminal (it would wait forever)', async () => {
    let stderr = '';
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    const code = await run([], {
      stdin: tty,
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      "mapping-order: input: no FILE given and stdin is a terminal (give a FILE, pipe JSON in, or '-')\n",
    );
  });

  it('an input file that does not exist', async () => {
    const missing = join(tmpdir(), 'mapping-order-no-such-file.json');
    expect(await refused('', [missing])).toBe(`mapping-order: ${missing}: cannot read input: no such file`);
  });

  it('the real executable exits 2 with the one line (spawned)', () => {
    const r = spawnPlace([], json(scenario({ request: { len: '-0x1000' } })));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('mapping-order: request.len: must not be negative: "-0x1000"\n');
    const bad = spawnPlace(['--json'], '[{"arch": "x86_64"},]');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("mapping-order: input: malformed JSON at line 1, column 21: trailing comma before ']'\n");
  });
});

describe('place: what is not an input error', () => {
  it('len 0 is answered by the model: EINVAL (do_mmap: !len)', async () => {
    const r = await place(['--json'], json(scenario({ request: { len: '0' } })));
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    expect([a.va, a.error, a.congruent]).toEqual([null, 'EINVAL', null]);
  });

  it('an unaligned MAP_FIXED address is answered: EINVAL (__get_unmapped_area: offset_in_page)', async () => {
    const r = await place(
      ['--json'],
      json(scenario({ request: { len: '0x1000', addr: '0x7f0000000800', fixed: true } })),
    );
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    expect([a.va, a.error]).toEqual([null, 'EINVAL']);
  });
});

describe('place: input and output shapes', () => {
  it('--json on one object prints one JSON object on one line, every 64-bit value a string', async () => {
    const r = await place(['--json'], JSON.stringify(scenario(), null, 2));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(2); // one line and the final newline
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(a)).toEqual(['va', 'error', 'path', 'order', 'alignment', 'congruent']);
    expect(typeof a.va).toBe('string');
    expect(a.va).toMatch(/^0x[0-9a-f]+$/);
    expect(a.alignment).toMatch(/^0x[0-9a-f]+$/);
    expect(typeof a.order).toBe('number');
  });

  it('--json on an array prints an array of answers in order', async () => {
    const r = await place(['--json'], json([scenario(), scenario({ request: { len: '0' } }), scenario()]));
    const a = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(a).toHaveLength(3);
    expect(a.map((x) => x.error)).toEqual([null, 'EINVAL', null]);
  });

  it('--json on JSON Lines prints JSON Lines, one answer per line', async () => {
    const r = await place(['--json'], `${json(scenario())}\n\n${json(scenario({ request: { len: '0' } }))}\n`);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => (JSON.parse(l) as Record<string, unknown>).error)).toEqual([null, 'EINVAL']);
  });

  it('human lines: one per scenario, prefixed by [i] for arrays and line N for JSON Lines', async () => {
    const arr = await place([], json([scenario(), scenario({ request: { len: '0' } })]));
    expect(
      arr.stdout
        .split('\n')
        .slice(0, 2)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['[0]', '[1]']);
    expect(arr.stdout).toContain('[1] error EINVAL  path ');
    const jl = await place([], `${json(scenario())}\n\n${json(scenario())}\n`);
    expect(
      jl.stdout
        .split('\n')
        .slice(0, 2)
        .map((l) => l.split(':')[0]),
    ).toEqual(['line 1', 'line 3']);
  });

  it('reads stdin for "-" and for no argument, and a file argument', async () => {
    const text = json(scenario());
    const fromDash = await place(['-'], text);
    const fromNone = await place([], text);
    const dir = mkdtempSync(join(tmpdir(), 'mapping-order-place-'));
    const file = join(dir, 's.json');
    writeFileSync(file, text);
    const fromFile = await place([file]);
    expect(fromDash.stdout).toBe(fromNone.stdout);
    expect(fromFile.stdout).toBe(fromNone.stdout);
    expect(fromNone.stdout).toMatch(/^va 0x/);
  });

  it('reads stdin through the real executable (spawned)', () => {
    const r = spawnPlace(['--json'], `${json(scenario())}\n${json(scenario())}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('place: end-to-end placements derived from the kernel arithmetic', () => {
  async function answer(s: Record<string, unknown>): Promise<Record<string, unknown>> {
    const r = await place(['--json'], json(s));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it('anonymous 2M, empty x86_64 layout, top-down, mmapBase 0x7f0000000000', async () => {
    // __get_unmapped_area: no file, no hint, len % PMD_SIZE == 0 -> thp_get_unmapped_area_vmflags,
    // __thp_get_unmapped_area(off = 0, size = 2M): off_align = 0, off_end - off_align = 2M >= size;
    // len_pad = 2M + 2M = 4M. arch_get_unmapped_area_topdown(len 4M): high_limit = mmap_base,
    // align_mask 0 (no file), so unmapped_area_topdown returns the top of the empty range:
    // ret = 0x7f0000000000 - 0x400000 = 0x7effffc00000.
    // off_sub = (0 - ret) & (2M - 1) = 0 (ret is 2M-aligned); MMF_TOPDOWN and off_sub == 0 -> ret + size.
    const va = 0x7f0000000000n - 4n * M + 2n * M;
    expect(va).toBe(0x7effffe00000n);
    expect(await answer(scenario())).toEqual({
      va: '0x7effffe00000',
      error: null,
      path: 'aligned',
      order: 9,
      alignment: '0x200000',
      congruent: true,
    });
  });

  it('anonymous 2M stacked below an existing 2M VMA at the top: adjacent, mergeable', async () => {
    // The VMA [0x7effffe00000, 0x7f0000000000) takes the top 2M below mmap_base. The padded 4M search
    // ends at its start: ret = 0x7effffe00000 - 0x400000 = 0x7effffa00000; off_sub = 0 -> ret + 2M.
    const va = 0x7effffe00000n - 4n * M + 2n * M;
    expect(va).toBe(0x7effffc00000n);
    const a = await answer(scenario({ vmas: [{ start: '0x7effffe00000', end: '0x7f0000000000' }] }));
    expect([a.va, a.path, a.congruent]).toEqual(['0x7effffc00000', 'aligned', true]);
  });

  it('anonymous 2M, legacy bottom-up layout from the default mmapLegacyBase', async () => {
    // arch_get_unmapped_area: begin = get_mmap_base(1) = mmap_legacy_base = 0x2aaaaaaab000 (default:
    // PAGE_ALIGN(0x7ffffffff000 / 3)), end = DEFAULT_MAP_WINDOW. unmapped_area(len 4M) returns the
    // lowest address of the empty range: ret = 0x2aaaaaaab000. ret & (2M - 1) = 0xab000, so
    // off_sub = (0 - ret) & (2M - 1) = 0x200000 - 0xab000 = 0x155000; not top-down -> ret + off_sub.
    const ret = 0x2aaaaaaab000n;
    const offSub = (0n - ret) & (2n * M - 1n);
    expect(offSub).toBe(0x155000n);
    expect(ret + offSub).toBe(0x2aaaaac00000n);
    const a = await answer(scenario({ mm: { topdown: false } }));
    expect([a.va, a.path, a.order, a.congruent]).toEqual(['0x2aaaaac00000', 'aligned', 9, true]);
  });

  it('a free hint is kept: path hint, no alignment', async () => {
    // len 4K is not a PMD multiple (and addr != 0), so no THP; x86 top-down: mmap_address_hint_valid
    // (TASK_SIZE - len >= addr, both ends below DEFAULT_MAP_WINDOW) and no VMA at the hint -> addr.
    const a = await answer(scenario({ request: { addr: '0x7e0000000000', len: '0x1000' } }));
    expect([a.va, a.path, a.order, a.alignment, a.congruent]).toEqual(['0x7e0000000000', 'hint', 0, '0x1000', null]);
  });

  it(
    'a hint above the 47-bit window: ' + 'ignored with 4-level paging (default), kept with mm.taskSizeMax 5-level',
    async () => {
      // 4-level: TASK_SIZE = TASK_SIZE_MAX = 0x7ffffffff000; mmap_address_hint_valid: TASK_SIZE - len =
      // 0x7fffffffe000 < 0x800000000000 -> ignored; high_limit += TASK_SIZE_MAX - DEFAULT_MAP_WINDOW = 0, so
      // the plain search: 0x7f0000000000 - 0x1000 = 0x7efffffff000.
      const req = { addr: '0x800000000000', len: '0x1000' };
      const four = await answer(scenario({ request: req }));
      expect([four.va, four.path]).toEqual(['0x7efffffff000', 'plain']);
      // 5-level: TASK_SIZE = (1 << 56) - 4096 = 0xfffffffffff000; TASK_SIZE - len >= addr, and addr and
      // addr + len are both above DEFAULT_MAP_WINDOW -> valid; no VMA there -> kept.
      const five = await answer(
        scenario({ mm: { topdown: true, mmapBase: '0x7f0000000000', taskSizeMax: '0xfffffffffff000' }, request: req }),
      );
      expect([five.va, five.path]).toEqual(['0x800000000000', 'hint']);
    },
  );

  it('THP gives up when only the unpadded length fits: fallback, not congruent', async () => {
    // Free space: only the hole [0x7effffdff000, 0x7efffffff000) (2M, one page below 2M alignment);
    // VMA A covers [0x10000 = mmap_min_addr, hole) and VMA B covers [hole end, TASK_SIZE).
    // len_pad = 4M fits nowhere, top-down nor the bottom-up retry -> __thp_get_unmapped_area returns 0
    // and thp_get_unmapped_area_vmflags falls back to the plain 2M search: top of the only gap,
    // 0x7efffffff000 - 0x200000 = 0x7effffdff000, and 0x7effffdff000 & (2M - 1) = 0x1ff000 != 0.
    const a = await answer(
      scenario({
        vmas: [
          { start: '0x10000', end: '0x7effffdff000' },
          { start: '0x7efffffff000', end: '0x7ffffffff000' },
        ],
      }),
    );
    expect(a).toEqual({
      va: '0x7effffdff000',
      error: null,
      path: 'fallback',
      order: 9,
      alignment: '0x200000',
      congruent: false,
    });
  });

  it('no room at all: ENOMEM after the bottom-up retry (tiny-16)', async () => {
    // tiny-16: TASK_SIZE = 16 pages = 0x10000, mmap_min_addr one page. The VMA [0x1000, 0x10000) fills
    // everything above mmap_min_addr: the top-down search in [0x1000, mmap_base = 0x10000) fails, the
    // bottom-up retry in [mmap_legacy_base = 0x6000, 0x10000) fails: -ENOMEM.
    const a = await answer({
      arch: 'tiny-16',
      policy: 'baseline',
      vmas: [{ start: '0x1000', end: '0x10000' }],
      file: { kind: 'anon' },
      request: { len: '0x1000' },
    });
    expect([a.va, a.error, a.congruent]).toEqual([null, 'ENOMEM', null]);
  });
});
