// Every file in examples/ (the README's) run through the real command line,
// with the answer derived by hand from the kernel arithmetic. A new example
// without a derivation here fails the first test.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hex } from '../../model/u64.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const M = 0x100000n;
const PMD = 2n * M;

interface Answer {
  va: string | null;
  error: string | null;
  path: string;
  order: number;
  alignment: string;
  congruent: boolean | null;
}

function aligned(va: bigint): Answer {
  return { va: hex(va), error: null, path: 'aligned', order: 9, alignment: '0x200000', congruent: true };
}
function plain(va: bigint, path = 'plain'): Answer {
  return { va: hex(va), error: null, path, order: 0, alignment: '0x1000', congruent: null };
}

/** The expected answers, derived by hand; the arithmetic is written out per example. */
function expected(): Record<string, Answer | Answer[]> {
  // anon-thp-2m.json: mmap_base 0x7f0000000000, no VMAs, anonymous len 2M. Anonymous-THP rule
  // (no file, no hint, len % PMD_SIZE == 0): __thp_get_unmapped_area(off 0, size 2M), len_pad = 4M;
  // x86 top-down: ret = mmap_base - len_pad = 0x7effffc00000; off_sub = (0 - ret) & (2M - 1) = 0;
  // MMF_TOPDOWN and off_sub == 0 -> ret + 2M.
  const anonRet = 0x7f0000000000n - 4n * M;
  const anonVa = anonRet + PMD;

  // shmem-huge-unaligned-pgoff.json: len 4M, pgoff 1 (offset 0x1000), huge=always tmpfs.
  // shmem_get_unmapped_area: plain search addr = mmap_base - 4M = 0x7effffc00000 (align_mask 0).
  // offset = 0x1000 & (2M - 1) = 0x1000; offset + len = 0x401000 >= 2 * 2M, so go on;
  // addr & (2M - 1) = 0 != offset; inflated_len = 4M + 2M - 4K = 0x5ff000;
  // inflated_addr = mmap_base - 0x5ff000 = 0x7effffa01000; inflated_offset = inflated_addr & (2M - 1)
  // = 0x1000 (0xa01000 = 5 * 2M + 0x1000); inflated_addr += offset - inflated_offset (0); not
  // inflated_offset > offset -> 0x7effffa01000, which is <= TASK_SIZE - len.
  const inflatedLen = 4n * M + PMD - 0x1000n;
  const inflatedAddr = 0x7f0000000000n - inflatedLen;
  const inflatedOffset = inflatedAddr & (PMD - 1n);
  const shmemVa = inflatedAddr + 0x1000n - inflatedOffset + (inflatedOffset > 0x1000n ? PMD : 0n);

  // map-fixed.json: MAP_FIXED at 0x7efffc100000 over the VMA [0x7efffc000000, 0x7efffc400000):
  // addr != 0, so no anonymous THP; arch_get_unmapped_area_topdown returns addr for MAP_FIXED;
  // the post-checks pass (page-aligned, addr <= TASK_SIZE - len, above mmap_min_addr).
  const fixedVa = 0x7efffc100000n;

  // backings.json: mmap_base B = 0x7ffff7fff000 (TASK_SIZE - 128M), len 4M, no VMAs.
  const B = 0x7ffff7fff000n;
  // [0] anonymous: len_pad = 6M, ret = B - 6M = 0x7ffff79ff000, ret & (2M - 1) = 0x1ff000,
  //     off_sub = (0 - ret) & (2M - 1) = 0x1000 != 0 -> ret + off_sub.
  const anonRet4 = B - 6n * M;
  const anon4 = anonRet4 + ((0n - anonRet4) & (PMD - 1n));
  // [1] plain file: no get_unmapped_area, no hook: top of the gap, B - 4M.
  const plain4 = B - 4n * M;
  // [2] thp file at pgoff 256 (off = 1M): off_align = 2M, off_end = 5M, 5M - 2M >= 2M;
  //     len_pad = 6M, ret = B - 6M (align_mask 0, so align_offset = off changes nothing);
  //     off_sub = (1M - ret) & (2M - 1) = (0x100000 - 0x1ff000) mod 2M = 0x101000 -> ret + off_sub.
  const thpOffSub = (M - anonRet4) & (PMD - 1n);
  const thp4 = anonRet4 + thpOffSub;
  // [3] hugetlb 2M: x86 top-down with align_mask = 0x1ff000 (PAGE_MASK & ~huge_page_mask), align_offset 0:
  //     length = 4M + 0x1ff000; gap = B - 4M = 0x7ffff7bff000; gap -= (gap - 0) & 0x1ff000 (= 0x1ff000).
  const hugeGap = B - 4n * M;
  const huge4 = hugeGap - (hugeGap & 0x1ff000n);
  // [4] vfio-pci BAR under baseline: a driver file without get_unmapped_area: plain, B - 4M.

  // jason-bar-64m.json: a 64M vfio-pci BAR 0, the area [2M + 4K, 64M): off = 0x201000 (pgoff 0x201),
  // len = 64M - 2M - 4K = 0x3dff000, mmap_base B.
  const off = 0x201000n;
  const barLen = 64n * M - 2n * M - 0x1000n;
  // baseline: plain, top of the gap: B - len.
  const barPlain = B - barLen;
  // v2: vfio_pci_core_get_mapping_order: index = off >> 40 = 0, req_start = off, phys_len =
  //     min(64M - off, len) = 0x3dff000 >= PMD_SIZE (and < PUD_SIZE) -> order 9, S = 2M.
  //     __thp_get_unmapped_area: off_align = round_up(off, 2M) = 4M, off_end = off + len = 64M,
  //     64M - 4M >= 2M; len_pad = len + 2M = 0x3fff000; ret = B - len_pad = 0x7ffff4000000;
  //     off_sub = (off - ret) & (2M - 1) = 0x1000 -> ret + 0x1000.
  const barRet = B - (barLen + PMD);
  const barV2 = barRet + ((off - barRet) & (PMD - 1n));
  // jason: O1 = min(9, floor_log2(0x3dff000) - 12 = 25 - 12 = 13) = 9; largest x86 leaf order <= 9
  //     is 9; then v2's mechanism with S = 2M: the same VA.
  // optimal: order 9 ([off, off + len) holds the whole chunk [4M, 6M)); one top-down search with
  //     align_mask = 0x1ff000, align_offset = off: gap = B - len = 0x7ffff4200000,
  //     gap -= (gap - off) & 0x1ff000 = 0x1ff000 -> 0x7ffff4001000: the same VA, with 4K less padding.
  const optGap = B - barLen;
  const barOptimal = optGap - ((optGap - off) & 0x1ff000n);

  return {
    'anon-thp-2m.json': aligned(anonVa),
    'shmem-huge-unaligned-pgoff.json': aligned(shmemVa),
    'map-fixed.json': plain(fixedVa, 'fixed'),
    'backings.json': [aligned(anon4), plain(plain4), aligned(thp4), aligned(huge4), plain(plain4)],
    'jason-bar-64m.json': [plain(barPlain), aligned(barV2), aligned(barV2), aligned(barOptimal)],
  };
}

function placeJson(file: string): unknown {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/mapping-order.js'), 'place', '--json', file], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe('examples/: each file through the command line, answer derived by hand', () => {
  const want = expected();
  const files = readdirSync(join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('the derivations give the addresses docs/CLI.md and the README quote', () => {
    const vas = Object.values(want)
      .flat()
      .map((a) => a.va);
    expect(vas).toEqual([
      '0x7effffe00000', // anon-thp-2m
      '0x7effffa01000', // shmem-huge-unaligned-pgoff
      '0x7efffc100000', // map-fixed
      '0x7ffff7a00000', // backings [0] anonymous
      '0x7ffff7bff000', // [1] plain file
      '0x7ffff7b00000', // [2] thp file at 1M: VA = 1M (mod 2M)
      '0x7ffff7a00000', // [3] hugetlb
      '0x7ffff7bff000', // [4] vfio-pci under baseline
      '0x7ffff4200000', // jason-bar-64m [0] baseline
      '0x7ffff4001000', // [1] v2: VA = off (mod 2M)
      '0x7ffff4001000', // [2] jason
      '0x7ffff4001000', // [3] optimal
    ]);
  });

  it('every example file has a derivation here, and every derivation a file', () => {
    expect(files).toEqual(Object.keys(want).sort());
  });

  for (const f of Object.keys(want).sort()) {
    it(f, () => {
      expect(placeJson(join('examples', f))).toEqual(want[f]);
    });
  }
});
