// place(): one scenario per backing, in the kernel's terms, x86_64 defaults
// (mmap_base B = 0x7ffff7fff000, top-down).

import { describe, expect, it } from 'vitest';
import { defaultMm } from '../../model/mm-defaults.js';
import { place } from '../../model/place.js';
import type { FileDesc, Request, Scenario } from '../../model/types.js';
import { hex, M, PS } from './helpers.js';

function sc(file: FileDesc, req: Partial<Request>, extra: Partial<Scenario> = {}): Scenario {
  return {
    arch: 'x86_64',
    policy: 'baseline',
    mm: defaultMm('x86_64'),
    vmas: [],
    file,
    request: { addr: 0n, len: 4n * M, pgoff: 0n, fixed: false, shared: false, ...req },
    ...extra,
  };
}
const show = (s: Scenario) => {
  const p = place(s);
  return [p.va === null ? p.error : hex(p.va), p.path, p.order, hex(p.alignment)];
};

describe('place (baseline)', () => {
  it('anon private 4M: THP-aligned', () => {
    // len_pad 6M: ret = B - 6M = 0x7ffff79ff000 (mod 2M = 0x1ff000), off_sub 0x1000 -> 0x7ffff7a00000.
    expect(show(sc({ kind: 'anon' }, {}))).toEqual(['0x7ffff7a00000', 'aligned', 9, '0x200000']);
  });

  it('anon private from a compat task: THP bails out, plain', () => {
    // compat mmap base 0xf7ffe000 - 4M = 0xf7bfe000.
    expect(show(sc({ kind: 'anon' }, { compat: true }))).toEqual(['0xf7bfe000', 'plain', 0, '0x1000']);
  });

  it('plain and driver files: plain, pgoff ignored', () => {
    // 0x7ffff7fff000 - 4M = 0x7ffff7bff000.
    expect(show(sc({ kind: 'plain' }, { pgoff: 3n, shared: true }))).toEqual(['0x7ffff7bff000', 'plain', 0, '0x1000']);
    expect(show(sc({ kind: 'driver', driver: 'vfio-pci', barSize: 64n * M }, { shared: true }))).toEqual([
      '0x7ffff7bff000',
      'plain',
      0,
      '0x1000',
    ]);
  });

  it('thp file and shmem-huge: VA ≡ pgoff << 12 (mod 2M)', () => {
    // thp: ret = B - 6M = 0x7ffff79ff000, off_sub = (0x1000 - 0x1ff000) mod 2M = 0x2000 -> 0x7ffff7a01000.
    // shmem: plain B - 4M = 0x7ffff7bff000 (≢ 0x1000); inflated B - (6M - 4K) = 0x7ffff7a00000, + 0x1000.
    expect(show(sc({ kind: 'thp' }, { pgoff: 1n, shared: true }))).toEqual([
      '0x7ffff7a01000',
      'aligned',
      9,
      '0x200000',
    ]);
    expect(show(sc({ kind: 'shmem-huge' }, { pgoff: 1n, shared: true }))).toEqual([
      '0x7ffff7a01000',
      'aligned',
      9,
      '0x200000',
    ]);
  });

  it('shmem (never huge) and anon shared: plain', () => {
    // B - 4M = 0x7ffff7bff000.
    expect(show(sc({ kind: 'shmem' }, { pgoff: 1n, shared: true }))).toEqual(['0x7ffff7bff000', 'plain', 0, '0x1000']);
    expect(show(sc({ kind: 'anon' }, { shared: true }))).toEqual(['0x7ffff7bff000', 'plain', 0, '0x1000']);
  });

  it('hugetlb 1G', () => {
    // 0x7ffff7fff000 - 1G = 0x7fffb7fff000 -> round down to 1G = 0x7fff80000000.
    expect(show(sc({ kind: 'hugetlb', hugePageSize: 1n << 30n }, { len: 1n << 30n, shared: true }))).toEqual([
      '0x7fff80000000',
      'aligned',
      18,
      '0x40000000',
    ]);
  });

  it('MAP_FIXED over an existing VMA', () => {
    const s = sc(
      { kind: 'anon' },
      { addr: 0x500000000000n, fixed: true },
      { vmas: [{ start: 0x500000000000n, end: 0x500001000000n }] },
    );
    expect(show(s)).toEqual(['0x500000000000', 'fixed', 0, '0x1000']);
  });

  it('errors carry the errno name', () => {
    expect(show(sc({ kind: 'anon' }, { len: 0n }))).toEqual(['EINVAL', 'plain', 0, '0x1000']);
    expect(show(sc({ kind: 'anon' }, { addr: PS, fixed: true }))).toEqual(['EPERM', 'fixed', 0, '0x1000']);
  });

  it('overlapping VMAs are refused with the index', () => {
    const s = sc(
      { kind: 'anon' },
      {},
      {
        vmas: [
          { start: 0x1000n, end: 0x3000n },
          { start: 0x2000n, end: 0x4000n },
        ],
      },
    );
    expect(() => place(s)).toThrow(/vmas\[1\]/);
  });
});
