// The witness of the bases (execWitness): the first mapping the allocator placed at exec. A dynamic helper's
// is the ELF interpreter; the VM probe's static helper has none, and its first is the vDSO block
// ([vvar] + [vdso], one get_unmapped_area in arch/x86/entry/vdso/vma.c map_vdso, 6.12). Layouts as
// /proc/self/maps printed them: the host's 6.18 (dynamic) and the 6.12 guest's (static, non-PIE).

import { describe, expect, it } from 'vitest';
import { ToolError } from '../../io/errors.js';
import { parseMaps } from '../../probe/maps.js';
import { execWitness } from '../../probe/run-session.js';

const EXE = '/work/main/.cache/probe/mmap-probe';

const DYNAMIC_TOPDOWN = `555555554000-555555555000 r--p 00000000 fe:00 5316772 ${EXE}
555555555000-555555556000 r-xp 00001000 fe:00 5316772 ${EXE}
7ffff7d8a000-7ffff7db2000 r--p 00000000 fe:00 1 /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7db2000-7ffff7f3a000 r-xp 00028000 fe:00 1 /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0 [vvar]
7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0 [vdso]
7ffff7fc7000-7ffff7fc8000 r--p 00000000 fe:00 2 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffff7fc8000-7ffff7ff3000 r-xp 00001000 fe:00 2 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffff7ffd000-7ffff7fff000 rw-p 00035000 fe:00 2 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]
`;

const STATIC_TOPDOWN = `00400000-00401000 r--p 00000000 00:02 12 /bin/mmap-probe
00401000-00498000 r-xp 00001000 00:02 12 /bin/mmap-probe
004c5000-00ed2000 rw-p 00000000 00:00 0 [heap]
7ffff7ff9000-7ffff7ffd000 r--p 00000000 00:00 0 [vvar]
7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0 [vdso]
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]
`;

const STATIC_BOTTOMUP = `00400000-00401000 r--p 00000000 00:02 12 /bin/mmap-probe
2aaaaaaab000-2aaaaaaaf000 r--p 00000000 00:00 0 [vvar]
2aaaaaaaf000-2aaaaaab1000 r-xp 00000000 00:00 0 [vdso]
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]
`;

describe('execWitness', () => {
  it('is the ELF interpreter for a dynamic executable: all its VMAs, above libc and the vDSO', () => {
    expect(execWitness(parseMaps(DYNAMIC_TOPDOWN), EXE, true)).toEqual({
      what: 'the ELF interpreter',
      start: 0x7ffff7fc7000n,
      end: 0x7ffff7fff000n,
    });
  });
  it('is the vDSO block for a static executable, top-down (its end) and bottom-up (its start)', () => {
    expect(execWitness(parseMaps(STATIC_TOPDOWN), '/bin/mmap-probe', true)).toEqual({
      what: 'the vDSO ([vvar] and [vdso])',
      start: 0x7ffff7ff9000n,
      end: 0x7ffff7fff000n,
    });
    expect(execWitness(parseMaps(STATIC_BOTTOMUP), '/bin/mmap-probe', false).start).toBe(0x2aaaaaaab000n);
  });
  it('refuses a layout with neither, or without a stack', () => {
    const bare = STATIC_TOPDOWN.split('\n')
      .filter((l) => !/\[v(dso|var)\]/.test(l))
      .join('\n');
    expect(() => execWitness(parseMaps(bare), '/bin/mmap-probe', true)).toThrow(ToolError);
    const noStack = STATIC_TOPDOWN.split('\n')
      .filter((l) => !l.includes('[stack]'))
      .join('\n');
    expect(() => execWitness(parseMaps(noStack), '/bin/mmap-probe', true)).toThrow(/no \[stack\]/);
  });
});
