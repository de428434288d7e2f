// countLeaves reads arch/x86/mm/dump_pagetables.c's lines (6.12): present runs only, clipped to the range, a
// run cut inside a leaf refused.

import { describe, expect, it } from 'vitest';
import { countLeaves } from '../../bar/client.js';
import { ToolError } from '../../io/errors.js';

const M = 1n << 20n;
// As note_page prints them: "0x%016lx-0x%016lx   %9lu%c " then printk_prot's flags and the level.
const DUMP = [
  '0x00007ffbf0000000-0x00007ffbf0001000           4K                               pte',
  '0x00007ffbf0001000-0x00007ffbf0200000        2044K USR RW     PCD         NX pte',
  '0x00007ffbf0200000-0x00007ffbf3e00000          60M USR RW     PCD PSE     NX pmd',
  '0x00007ffbf3e00000-0x00007ffc00000000         194M                               pmd',
  '0x00007ffc00000000-0x00007ffc40000000           1G USR RW     PCD PSE     NX pud',
];

describe('countLeaves', () => {
  it('counts present PTE, PMD and PUD runs within the range, not the blank (not present) ones', () => {
    expect(countLeaves(DUMP, 0x7ffbf0000000n, 0x7ffc40000000n)).toEqual({ k4: 511n, m2: 30n, g1: 1n });
  });

  it('clips runs to the range', () => {
    expect(countLeaves(DUMP, 0x7ffbf0100000n, 0x7ffbf0200000n + 4n * M)).toEqual({ k4: 256n, m2: 2n, g1: 0n });
  });

  it('refuses a range that cuts a leaf, and a line it cannot read', () => {
    expect(() => countLeaves(DUMP, 0x7ffbf0300000n, 0x7ffbf0400000n)).toThrow(ToolError);
    expect(() => countLeaves(['---[ User Space ]---'], 0n, 1n)).toThrow(ToolError);
  });
});
