// The scenario parser (scenario/scenario.ts), the input splitter (io/input.ts) and
// the JSON helpers (io/json.ts): defaults, number forms, field paths. The
// refusals as the command line reports them (exit code 2, one line) are in
// test/cli/place.test.ts.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../io/errors.js';
import { formatJsonAnswers, parseInput } from '../../io/input.js';
import { JsonSyntaxError, parseJson, parseU64 } from '../../io/json.js';
import { parseScenario } from '../../scenario/scenario.js';

const M = 1n << 20n;

function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { arch: 'x86_64', policy: 'baseline', file: { kind: 'anon' }, request: { len: '0x200000' }, ...extra };
}

/** The InputError a call throws, or a failure if it throws nothing or something else. */
function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('parseScenario: defaults (docs/CLI.md "Defaults")', () => {
  it(
    'fills every mm field from the x86_64 geometry ' + 'and the request from mmap(NULL, len, ..., MAP_PRIVATE, fd, 0)',
    () => {
      const s = parseScenario(minimal(), '');
      // TASK_SIZE = DEFAULT_MAP_WINDOW = (1 << 47) - 4096 = 0x7ffffffff000.
      // mmapBase = mmap_base() without randomisation: gap 8M + 1M clamped up to 128M,
      // TASK_SIZE - 128M = 0x7ffffffff000 - 0x8000000 = 0x7ffff7fff000.
      // mmapLegacyBase = PAGE_ALIGN(TASK_SIZE / 3): 0x7ffffffff000 / 3 = 0x2aaaaaaaa555 -> 0x2aaaaaaab000.
      // No taskSizeMax: the model takes the geometry's (4-level, 0x7ffffffff000).
      expect(s.mm).toEqual({
        topdown: true,
        mmapBase: 0x7ffff7fff000n,
        mmapLegacyBase: 0x2aaaaaaab000n,
        taskSize: 0x7ffffffff000n,
        mmapMinAddr: 0x10000n, // 64K
        stackGuardGap: 0x100000n, // 256 pages of 4K
      });
      expect(s.vmas).toEqual([]);
      expect(s.request).toEqual({
        addr: 0n,
        len: 2n * M,
        pgoff: 0n,
        fixed: false,
        shared: false,
        compat: false,
        shadowStack: false,
      });
      expect(s.file).toEqual({ kind: 'anon' });
    },
  );

  it('keeps the given mm fields and defaults only the missing ones', () => {
    const s = parseScenario(minimal({ mm: { topdown: false, mmapBase: '0x7f0000000000' } }), '');
    expect(s.mm.topdown).toBe(false);
    expect(s.mm.mmapBase).toBe(0x7f0000000000n);
    expect(s.mm.taskSize).toBe(0x7ffffffff000n);
  });

  it(
    'uses the tiny geometry defaults for tiny-16: ' + '16 pages, mmapBase = TASK_SIZE, min addr and guard gap one page',
    () => {
      const s = parseScenario({ ...minimal(), arch: 'tiny-16', request: { len: '4096' } }, '');
      // TASK_SIZE = 16 * 4096 = 0x10000; legacy base = PAGE_ALIGN(0x10000 / 3 = 0x5555) = 0x6000.
      expect(s.mm).toEqual({
        topdown: true,
        mmapBase: 0x10000n,
        mmapLegacyBase: 0x6000n,
        taskSize: 0x10000n,
        mmapMinAddr: 0x1000n,
        stackGuardGap: 0x1000n,
      });
    },
  );

  it('gives a vfio-pci driver barIndex 0 and a hugetlb file the PMD size (2M on x86_64)', () => {
    const d = parseScenario(minimal({ file: { kind: 'driver', driver: 'vfio-pci', barSize: '0x4000000' } }), '');
    expect(d.file).toEqual({ kind: 'driver', driver: 'vfio-pci', barSize: 0x4000000n, barIndex: 0 });
    const h = parseScenario(minimal({ file: { kind: 'hugetlb' } }), '');
    expect(h.file).toEqual({ kind: 'hugetlb', hugePageSize: 2n * M });
    const h1g = parseScenario(minimal({ file: { kind: 'hugetlb', hugePageSize: '0x40000000' } }), '');
    expect(h1g.file.hugePageSize).toBe(1n << 30n);
  });

  it('accepts order:K drivers with any int K, negative and >= 64 included', () => {
    for (const k of ['-1', '0', '9', '64', '2147483647', '-2147483648']) {
      const s = parseScenario(minimal({ file: { kind: 'driver', driver: `order:${k}` } }), '');
      expect(s.file.driver).toBe(`order:${k}`);
    }
  });

  it('returns the VMAs sorted by start, with their flags', () => {
    const s = parseScenario(
      minimal({
        vmas: [
          { start: '0x7f0000200000', end: '0x7f0000400000', growsDown: true },
          { start: '0x7f0000000000', end: '0x7f0000100000', shadowStack: true },
        ],
      }),
      '',
    );
    expect(s.vmas).toEqual([
      { start: 0x7f0000000000n, end: 0x7f0000100000n, shadowStack: true },
      { start: 0x7f0000200000n, end: 0x7f0000400000n, growsDown: true },
    ]);
  });

  it('leaves len 0 and an unaligned MAP_FIXED address to the model (the kernel answers EINVAL)', () => {
    const s = parseScenario(minimal({ request: { len: '0', addr: '0x1234', fixed: true } }), '');
    expect(s.request.len).toBe(0n);
    expect(s.request.addr).toBe(0x1234n);
  });

  it('accepts a "comment" string and nothing else unknown', () => {
    expect(parseScenario(minimal({ comment: 'why this case exists' }), '').arch).toBe('x86_64');
    expect(inputError(() => parseScenario(minimal({ comment: 3 }), '')).field).toBe('comment');
  });
});

describe('parseScenario: the kernel', () => {
  it('keeps "6.12" and "6.18", and leaves the field out when it is not given (the model then uses 6.18)', () => {
    expect(parseScenario(minimal({ kernel: '6.12' }), '').kernel).toBe('6.12');
    expect(parseScenario(minimal({ kernel: '6.18' }), '').kernel).toBe('6.18');
    expect('kernel' in parseScenario(minimal(), '')).toBe(false);
  });

  it('refuses any other value, a number included, in one line naming the field', () => {
    for (const kernel of ['6.6', '6.12.118', 6.12, '', null]) {
      const e = inputError(() => parseScenario(minimal({ kernel }), '[2]'));
      expect(e.message).toBe('[2].kernel: must be one of 6.12, 6.18');
    }
  });
});

describe('parseScenario: field paths', () => {
  it('prefixes an array element index: [3].request.len', () => {
    const e = inputError(() => parseScenario(minimal({ request: { len: 'big' } }), '[3]'));
    expect(e.field).toBe('[3].request.len');
    expect(e.message).toBe(
      '[3].request.len: not a number: "big" (expected a string "0x..." (hex) or "123" (decimal), or a JSON integer ' +
        'up to 2^53-1)',
    );
  });

  it('prefixes a JSON Lines line: line 4: vmas[1].start', () => {
    const e = inputError(() =>
      parseScenario(
        minimal({
          vmas: [
            { start: '0x1000', end: '0x2000' },
            { start: '0x3001', end: '0x4000' },
          ],
        }),
        'line 4',
      ),
    );
    expect(e.field).toBe('line 4: vmas[1].start');
  });

  it('names the element itself when it is not an object', () => {
    expect(inputError(() => parseScenario(42, '[0]')).message).toBe(
      '[0]: expected a scenario object, got the number 42',
    );
    expect(inputError(() => parseScenario([], '')).field).toBe('scenario');
  });

  it('names the missing required fields', () => {
    const { arch: _a, ...noArch } = minimal();
    expect(inputError(() => parseScenario(noArch, '')).field).toBe('arch');
    const { file: _f, ...noFile } = minimal();
    expect(inputError(() => parseScenario(noFile, '')).field).toBe('file');
    expect(inputError(() => parseScenario(minimal({ request: {} }), '')).field).toBe('request.len');
    expect(inputError(() => parseScenario(minimal({ file: {} }), '')).field).toBe('file.kind');
    expect(inputError(() => parseScenario(minimal({ file: { kind: 'driver' } }), '')).field).toBe('file.driver');
    expect(inputError(() => parseScenario(minimal({ file: { kind: 'driver', driver: 'vfio-pci' } }), '')).field).toBe(
      'file.barSize',
    );
    expect(inputError(() => parseScenario(minimal({ vmas: [{ start: '0x1000' }] }), '')).field).toBe('vmas[0].end');
  });

  it('refuses fields that belong to another kind instead of ignoring them', () => {
    const e = inputError(() => parseScenario(minimal({ file: { kind: 'anon', barSize: '0x1000' } }), ''));
    expect(e.message).toBe("file.barSize: only for kind 'driver' (this file is 'anon')");
    expect(
      inputError(() => parseScenario(minimal({ file: { kind: 'thp', hugePageSize: '0x200000' } }), '')).field,
    ).toBe('file.hugePageSize');
  });

  it('names the later of two overlapping VMAs and the one it overlaps', () => {
    const e = inputError(() =>
      parseScenario(
        minimal({
          vmas: [
            { start: '0x10000', end: '0x20000' },
            { start: '0x40000', end: '0x50000' },
            { start: '0x1f000', end: '0x30000' },
          ],
        }),
        '',
      ),
    );
    // [0x1f000, 0x30000) meets [0x10000, 0x20000) in the page at 0x1f000.
    expect(e.message).toBe('vmas[2]: overlaps vmas[0] [0x10000, 0x20000)');
  });

  it('accepts VMAs that touch (end == next start)', () => {
    const s = parseScenario(
      minimal({
        vmas: [
          { start: '0x10000', end: '0x20000' },
          { start: '0x20000', end: '0x30000' },
        ],
      }),
      '',
    );
    expect(s.vmas).toHaveLength(2);
  });
});

describe('parseU64: the number forms', () => {
  it('reads hex, decimal and safe JSON integers to the same value', () => {
    for (const v of ['0x200000', '0X200000', '2097152', 2097152]) {
      expect(parseU64(v, 'f')).toBe(0x200000n);
    }
    expect(parseU64('0xAbCdEf', 'f')).toBe(0xabcdefn);
  });

  it('reads 2^64 - 1 from a string and refuses 2^64', () => {
    expect(parseU64('18446744073709551615', 'f')).toBe((1n << 64n) - 1n);
    expect(parseU64('0xffffffffffffffff', 'f')).toBe((1n << 64n) - 1n);
    expect(inputError(() => parseU64('0x10000000000000000', 'f')).message).toBe(
      'f: too large: 0x10000000000000000 is not below 2^64',
    );
    expect(inputError(() => parseU64('18446744073709551616', 'f')).message).toBe(
      'f: too large: 18446744073709551616 is not below 2^64',
    );
  });

  it('refuses a JSON number above 2^53 - 1 (it already lost precision) and fractions', () => {
    // 2^53 + 1 = 9007199254740993 parses to the double 2^53, which is not a safe integer.
    const big = parseJson('9007199254740993');
    expect(inputError(() => parseU64(big, 'f')).message).toBe(
      'f: JSON number above 2^53-1 loses precision: write it as a string ("0x...")',
    );
    expect(parseU64(parseJson('9007199254740991'), 'f')).toBe(9007199254740991n);
    expect(inputError(() => parseU64(1.5, 'f')).message).toBe('f: not an integer: 1.5');
  });

  it('refuses negative values, ambiguous leading zeros, suffixes and other types', () => {
    expect(inputError(() => parseU64('-4096', 'f')).message).toBe('f: must not be negative: "-4096"');
    expect(inputError(() => parseU64(-4096, 'f')).message).toBe('f: must not be negative: -4096');
    expect(inputError(() => parseU64('0755', 'f')).message).toMatch(/^f: ambiguous leading zero/);
    expect(inputError(() => parseU64('2M', 'f')).message).toMatch(/^f: not a number: "2M"/);
    expect(inputError(() => parseU64(true, 'f')).message).toMatch(/^f: expected a number, got true/);
    expect(inputError(() => parseU64(null, 'f')).message).toMatch(/^f: expected a number, got null/);
  });
});

describe('parseJson: strict, with positions', () => {
  function syntax(text: string): JsonSyntaxError {
    try {
      parseJson(text);
    } catch (e) {
      if (e instanceof JsonSyntaxError) return e;
      throw e;
    }
    throw new Error('expected a JsonSyntaxError');
  }

  it('reports line and column of the first bad character', () => {
    // Line 3 is `  "len": }`: the '}' is the 10th character.
    const e = syntax('{\n "request": {\n  "len": }\n}');
    expect([e.line, e.column]).toEqual([3, 10]);
    expect(e.reason).toBe("unexpected '}': expected a JSON value");
  });

  it('refuses duplicate keys, trailing commas and single quotes', () => {
    expect(syntax('{"len": 1, "len": 2}').reason).toBe('duplicate key "len"');
    expect(syntax('{"a": 1,}').reason).toBe("trailing comma before '}'");
    expect(syntax("{'a': 1}").reason).toBe("unexpected ''': expected a double-quoted key");
    expect(syntax('{"a": 01}').reason).toMatch(/^malformed number \(leading zero/);
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const v = parseJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});

describe('parseInput: object, array, JSON Lines', () => {
  it('reads one object, pretty-printed over several lines, as one item', () => {
    const p = parseInput('{\n  "a": 1\n}\n');
    expect(p.format).toBe('object');
    expect(p.items).toEqual([{ value: { a: 1 }, where: '' }]);
  });

  it('reads an array as one item per element, indexed', () => {
    const p = parseInput('[{"a": 1}, {"a": 2}]');
    expect(p.format).toBe('array');
    expect(p.items.map((i) => i.where)).toEqual(['[0]', '[1]']);
  });

  it('reads JSON Lines, skipping blank lines, with CRLF, and names items by their line', () => {
    const p = parseInput('{"a": 1}\r\n\r\n{"a": 2}\r\n{"a": 3}');
    expect(p.format).toBe('jsonl');
    expect(p.items).toEqual([
      { value: { a: 1 }, where: 'line 1' },
      { value: { a: 2 }, where: 'line 3' },
      { value: { a: 3 }, where: 'line 4' },
    ]);
  });

  it('names the bad line of JSON Lines and its column', () => {
    const e = inputError(() => parseInput('{"a": 1}\n{"a": 2}\n{"a": }\n'));
    expect(e.message).toBe("line 3: malformed JSON at column 7: unexpected '}': expected a JSON value");
  });

  it('says line and column for a malformed document, and the file name when there is one', () => {
    const e = inputError(() => parseInput('[\n {"a": 1},\n {"a" 2}\n]', 'x.json'));
    expect(e.message).toBe("x.json: malformed JSON at line 3, column 7: unexpected '2': expected ':' after key \"a\"");
  });

  it('refuses two pretty-printed objects in a row, pointing to arrays and JSON Lines', () => {
    const e = inputError(() => parseInput('{\n "a": 1\n}\n{\n "a": 2\n}\n'));
    expect(e.message).toBe(
      'input: malformed JSON at line 4, column 1: unexpected text after the JSON value ' +
        '(several scenarios: use a JSON array, or JSON Lines with one object per line)',
    );
  });

  it('refuses empty input', () => {
    expect(inputError(() => parseInput(' \n')).message).toBe(
      'input: malformed JSON at line 2, column 1: empty input: expected a JSON value',
    );
  });

  it('prints answers in the input shape: one line, an array one answer per line, JSON Lines', () => {
    expect(formatJsonAnswers('object', [{ va: 1n }])).toBe('{"va":"0x1"}\n');
    expect(formatJsonAnswers('array', [{ a: 1 }, { a: 2 }])).toBe('[\n  {"a":1},\n  {"a":2}\n]\n');
    expect(formatJsonAnswers('array', [])).toBe('[]\n');
    expect(formatJsonAnswers('jsonl', [{ a: 1 }, { a: 2 }])).toBe('{"a":1}\n{"a":2}\n');
  });
});

describe('parseScenario: the optional mm fields without a fixed default', () => {
  const withMm = (mm: Record<string, unknown>) => ({ ...minimal(), mm });

  it('keeps the compat bases and dac_mmap_min_addr when given, and leaves them out otherwise', () => {
    const s = parseScenario(
      withMm({ mmapCompatBase: '0xf7ffe000', mmapCompatLegacyBase: '0x55555000', dacMmapMinAddr: '0' }),
      '',
    );
    expect([s.mm.mmapCompatBase, s.mm.mmapCompatLegacyBase, s.mm.dacMmapMinAddr]).toEqual([
      0xf7ffe000n,
      0x55555000n,
      0n,
    ]);
    const d = parseScenario(minimal(), '');
    expect(['mmapCompatBase', 'mmapCompatLegacyBase', 'dacMmapMinAddr'].filter((k) => k in d.mm)).toEqual([]);
  });

  it('refuses a compat base that is unaligned or above the compat TASK_SIZE (x86_64: 0xffffe000)', () => {
    expect(inputError(() => parseScenario(withMm({ mmapCompatBase: '0xf7ffe800' }), '')).message).toBe(
      'mm.mmapCompatBase: must be page-aligned (a multiple of 0x1000): 0xf7ffe800',
    );
    expect(inputError(() => parseScenario(withMm({ mmapCompatLegacyBase: '0x100000000' }), '')).message).toBe(
      'mm.mmapCompatLegacyBase: must be <= the compat TASK_SIZE (0xffffe000) for x86_64: 0x100000000',
    );
  });

  it('refuses a taskSize above TASK_SIZE_MAX and bases above taskSize', () => {
    // x86_64 TASK_SIZE_MAX of the geometry (4-level paging): (1 << 47) - 4096 = 0x7ffffffff000; 1 << 47 is a page
    // above.
    expect(inputError(() => parseScenario(withMm({ taskSize: '0x800000000000' }), '')).message).toBe(
      'mm.taskSize: must be in (0, TASK_SIZE_MAX = 0x7ffffffff000] for x86_64 (a larger machine: set ' +
        'mm.taskSizeMax): 0x800000000000',
    );
    expect(inputError(() => parseScenario(withMm({ taskSize: '0' }), '')).message).toBe('mm.taskSize: must be > 0');
    expect(
      inputError(() => parseScenario(withMm({ taskSize: '0x40000000', mmapBase: '0x40001000' }), '')).message,
    ).toBe('mm.mmapBase: must be <= mm.taskSize (0x40000000): 0x40001000');
  });

  it(
    'keeps taskSizeMax (TASK_SIZE_MAX: 5-level x86_64 is (1 << 56) - 4096) when given, and leaves it out ' +
      'otherwise',
    () => {
      const s = parseScenario(withMm({ taskSizeMax: '0xfffffffffff000' }), '');
      expect(s.mm.taskSizeMax).toBe((1n << 56n) - 4096n);
      expect('taskSizeMax' in parseScenario(minimal(), '').mm).toBe(false);
      // It may equal taskSize (4-level: TASK_SIZE_MAX = DEFAULT_MAP_WINDOW) and may reach 2^64 - PAGE_SIZE.
      expect(parseScenario(withMm({ taskSizeMax: '0x7ffffffff000' }), '').mm.taskSizeMax).toBe(0x7ffffffff000n);
      expect(parseScenario(withMm({ taskSizeMax: '0xfffffffffffff000' }), '').mm.taskSizeMax).toBe((1n << 64n) - 4096n);
    },
  );

  it('refuses a taskSizeMax that is unaligned, below taskSize, or 2^64', () => {
    expect(inputError(() => parseScenario(withMm({ taskSizeMax: '0xfffffffffff800' }), '')).message).toBe(
      'mm.taskSizeMax: must be page-aligned (a multiple of 0x1000): 0xfffffffffff800',
    );
    // The default taskSize is 0x7ffffffff000; one page less is below it.
    expect(inputError(() => parseScenario(withMm({ taskSizeMax: '0x7fffffffe000' }), '')).message).toBe(
      'mm.taskSizeMax: must be >= mm.taskSize (0x7ffffffff000): 0x7fffffffe000',
    );
    expect(inputError(() => parseScenario(withMm({ taskSizeMax: '0x10000000000000000' }), '')).message).toBe(
      'mm.taskSizeMax: too large: 0x10000000000000000 is not below 2^64',
    );
  });

  it('with taskSizeMax, taskSize and the VMAs may reach it; without, the geometry bounds them', () => {
    // taskSize 1 << 47 is above the geometry's 0x7ffffffff000 but below a 5-level TASK_SIZE_MAX.
    const big = parseScenario(withMm({ taskSizeMax: '0xfffffffffff000', taskSize: '0x800000000000' }), '');
    expect([big.mm.taskSize, big.mm.taskSizeMax]).toEqual([1n << 47n, (1n << 56n) - 4096n]);
    // A VMA ending at 2^56 - 4K: accepted with the 5-level taskSizeMax, refused with the geometry's.
    const high = { start: '0xffffffffe00000', end: '0xfffffffffff000' };
    expect(parseScenario({ ...withMm({ taskSizeMax: '0xfffffffffff000' }), vmas: [high] }, '').vmas).toEqual([
      { start: 0xffffffffe00000n, end: 0xfffffffffff000n },
    ]);
    expect(inputError(() => parseScenario(minimal({ vmas: [high] }), '')).message).toBe(
      'vmas[0].end: must be <= TASK_SIZE_MAX (0x7ffffffff000) for x86_64: 0xfffffffffff000',
    );
    expect(
      inputError(() => parseScenario({ ...withMm({ taskSizeMax: '0x800000000000' }), vmas: [high] }, '')).message,
    ).toBe('vmas[0].end: must be <= TASK_SIZE_MAX (0x800000000000) for x86_64: 0xfffffffffff000');
  });
});
