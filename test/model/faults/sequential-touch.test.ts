// The huge-fault model: worked examples by hand, and the closed form against the
// page-by-page simulation through vfio_pci_mmap_huge_fault().

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GEOMETRIES } from '../../../model/geometry.js';
import { faultsFor } from '../../../model/faults/index.js';
import { sequentialTouch } from '../../../model/faults/sequential-touch.js';
import { sequentialTouchStepwise } from '../../../model/faults/sequential-touch-stepwise.js';
import { vfioPciMmapHugeFault } from '../../../model/faults/vfio-pci-mmap-huge-fault.js';
import { pfnmapFaultOrders } from '../../../model/faults/fault-levels.js';
import type { FaultReport } from '../../../model/faults/report.js';
import type { FileDesc } from '../../../model/types.js';

const x86 = GEOMETRIES.x86_64;
const K = 1n << 10n;
const M = 1n << 20n;
const G = 1n << 30n;
const T = 1n << 40n;
// 0x7f00_0000_0000 = 0x1fc00 * 1G: aligned to every x86 leaf size.
const BASE = 0x7f0000000000n;

function plain(r: FaultReport): { leaves: Record<string, string>; faults: string; fallbacks: string } {
  const leaves: Record<string, string> = {};
  for (const [size, n] of [...r.leaves].sort((a, b) => (a[0] < b[0] ? -1 : 1))) leaves[size.toString()] = n.toString();
  return { leaves, faults: r.faults.toString(), fallbacks: r.fallbacks.toString() };
}

describe('worked examples (x86_64: PFN-map levels PUD 1G and PMD 2M)', () => {
  it('PFN-map levels: x86_64 tries PUD (18) then PMD (9)', () => {
    expect(pfnmapFaultOrders(x86)).toEqual([18, 9]);
  });

  it(
    'arm64 tries PMD only: ' + 'ARCH_SUPPORTS_PUD_PFNMAP needs HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD, which arm64 lacks',
    () => {
      // PMD_ORDER: 4K pages 21 - 12 = 9; 16K pages 25 - 14 = 11; 64K pages 29 - 16 = 13.
      expect(pfnmapFaultOrders(GEOMETRIES['arm64-4k'])).toEqual([9]);
      expect(pfnmapFaultOrders(GEOMETRIES['arm64-16k'])).toEqual([11]);
      expect(pfnmapFaultOrders(GEOMETRIES['arm64-64k'])).toEqual([13]);
    },
  );

  it('arm64-4k: 2G at a 1G-aligned VA with PA ≡ VA: no PUD leaf, 2G / 2M = 1024 PMD leaves, no fallback', () => {
    // The x86_64 case below gives 2 PUD leaves; arm64 never asks for PUD_ORDER, so every 2M block is a PMD leaf.
    const file: FileDesc = { kind: 'driver', driver: 'order:18' };
    const a = faultsFor(GEOMETRIES['arm64-4k'], { va: BASE + G, len: 2n * G, pgoff: 0n }, file);
    if (!a.ok) throw new Error(a.why);
    expect(plain(a.report)).toEqual({ leaves: { '4096': '0', '2097152': '1024' }, faults: '1024', fallbacks: '0' });
  });

  it("Jason's DPDK part B: 64M BAR, off 2M+4K, len 62M-4K at a VA ≡ 4K (mod 2M)", () => {
    const file: FileDesc = { kind: 'driver', driver: 'vfio-pci', barSize: 64n * M }; // barPhys defaults to 1T
    const va = BASE + 4n * K;
    const a = faultsFor(x86, { va, len: 62n * M - 4n * K, pgoff: (2n * M + 4n * K) >> 12n }, file);
    if (!a.ok) throw new Error(a.why);
    // PA at va = 1T + 2M + 4K; PA - va = 1T + 2M - BASE ≡ 0 (mod 2M), ≡ 2M (mod 1G): PMD leaves possible, PUD not.
    // end = BASE + 4K + 62M - 4K = BASE + 62M.
    // PMD blocks inside [BASE+4K, BASE+62M): [BASE+2M, BASE+62M) = 30 leaves.
    // Head [BASE+4K, BASE+2M) = 2M - 4K = 511 PTEs.
    // Fallbacks: the first fault asks PUD (block BASE < vm_start) and PMD (block BASE < vm_start): 2.
    expect(plain(a.report)).toEqual({
      leaves: { '4096': '511', '2097152': '30', '1073741824': '0' },
      faults: '541',
      fallbacks: '2',
    });
    expect(a.report.runs).toEqual([
      { start: va, end: BASE + 2n * M, size: 4n * K },
      { start: BASE + 2n * M, end: BASE + 62n * M, size: 2n * M },
    ]);
  });

  it('2G at a 1G-aligned VA with PA ≡ VA (mod 1G): 2 PUD leaves, 2 faults, no fallback', () => {
    const file: FileDesc = { kind: 'driver', driver: 'order:18' };
    const a = faultsFor(x86, { va: BASE + G, len: 2n * G, pgoff: 0n }, file);
    if (!a.ok) throw new Error(a.why);
    expect(plain(a.report)).toEqual({
      leaves: { '4096': '0', '2097152': '0', '1073741824': '2' },
      faults: '2',
      fallbacks: '0',
    });
  });

  it(
    'the same VMA with barPhys = 1T + 4K (off ≢ PA): ' + 'only PTEs; every PUD and PMD block asked once and refused',
    () => {
      const file: FileDesc = { kind: 'driver', driver: 'order:18', barPhys: T + 4n * K };
      const a = faultsFor(x86, { va: BASE + G, len: 2n * G, pgoff: 0n }, file);
      if (!a.ok) throw new Error(a.why);
      // 2G / 4K = 524288 PTEs; fallbacks = 2 PUD blocks + 2G / 2M = 1024 PMD blocks = 1026.
      expect(plain(a.report)).toEqual({
        leaves: { '4096': '524288', '2097152': '0', '1073741824': '0' },
        faults: '524288',
        fallbacks: '1026',
      });
    },
  );

  it('VMA [BASE + 1G - 2M, BASE + 2G + 2M), PA ≡ VA: 2M, then 1G, then 2M', () => {
    const va = BASE + G - 2n * M;
    const a = faultsFor(
      x86,
      { va, len: G + 4n * M, pgoff: 0n },
      { kind: 'driver', driver: 'order:18', barPhys: T + G - 2n * M },
    );
    if (!a.ok) throw new Error(a.why);
    // PUD blocks inside: [BASE+1G, BASE+2G) = 1. PMD blocks inside: (1G + 4M) / 2M = 514, 512 under the PUD leaf -> 2
    // PMD leaves.
    // PUD blocks met: BASE, BASE+1G, BASE+2G = 3, one leaf -> 2 fallbacks; PMD: 514 met, 512 covered, 2 leaves -> 0.
    expect(plain(a.report)).toEqual({
      leaves: { '4096': '0', '2097152': '2', '1073741824': '1' },
      faults: '3',
      fallbacks: '2',
    });
    expect(a.report.runs).toEqual([
      { start: va, end: BASE + G, size: 2n * M },
      { start: BASE + G, end: BASE + 2n * G, size: G },
      { start: BASE + 2n * G, end: BASE + 2n * G + 2n * M, size: 2n * M },
    ]);
  });

  it('anonymous THP: 4M + 4K at a 2M-aligned VA -> 2 PMD + 1 PTE; the third PMD block is asked and refused', () => {
    const a = faultsFor(x86, { va: BASE, len: 4n * M + 4n * K, pgoff: 0n }, { kind: 'anon' });
    if (!a.ok) throw new Error(a.why);
    expect(plain(a.report)).toEqual({ leaves: { '4096': '1', '2097152': '2' }, faults: '3', fallbacks: '1' });
  });

  it('shmem-huge at off 4K, VA 2M-aligned: VA ≢ off (mod 2M) -> no PMD; 2 PMD blocks met, 2 fallbacks', () => {
    const a = faultsFor(x86, { va: BASE, len: 4n * M, pgoff: 1n }, { kind: 'shmem-huge' });
    if (!a.ok) throw new Error(a.why);
    expect(plain(a.report)).toEqual({ leaves: { '4096': '1024', '2097152': '0' }, faults: '1024', fallbacks: '2' });
  });

  it('hugetlb 2M: 4M at a 2M-aligned VA -> 2 leaves; an unaligned VA is EINVAL', () => {
    const a = faultsFor(x86, { va: BASE, len: 4n * M, pgoff: 0n }, { kind: 'hugetlb' });
    if (!a.ok) throw new Error(a.why);
    expect(plain(a.report)).toEqual({ leaves: { '4096': '0', '2097152': '2' }, faults: '2', fallbacks: '0' });
    const b = faultsFor(x86, { va: BASE + 4n * K, len: 4n * M, pgoff: 0n }, { kind: 'hugetlb' });
    expect(b.ok ? 'ok' : b.error).toBe('EINVAL');
  });

  it('a plain file gets PTEs only and no huge attempt', () => {
    const a = faultsFor(x86, { va: BASE, len: 4n * M, pgoff: 0n }, { kind: 'plain' });
    if (!a.ok) throw new Error(a.why);
    expect(plain(a.report)).toEqual({ leaves: { '4096': '1024' }, faults: '1024', fallbacks: '0' });
  });

  it("vfio-pci's mmap refuses a range past the BAR: EINVAL, no faults", () => {
    const a = faultsFor(
      x86,
      { va: BASE, len: 4n * M, pgoff: (62n * M) >> 12n },
      { kind: 'driver', driver: 'vfio-pci', barSize: 64n * M },
    );
    expect(a.ok ? 'ok' : a.error).toBe('EINVAL');
  });
});

describe('vfio_pci_mmap_huge_fault() preconditions', () => {
  const vma = { start: BASE + 4n * K, end: BASE + 8n * M, physStart: T + 4n * K };
  it('a PMD fault whose 2M block starts below vm_start falls back', () => {
    expect(vfioPciMmapHugeFault(x86, vma, BASE + 8n * K, 9).ret).toBe('VM_FAULT_FALLBACK');
  });
  it(
    'a PMD fault at BASE + 2M + 12K rounds down to BASE + 2M, inside the VMA, PA 1T + 2M aligned: installs the 2M ' +
      'leaf at BASE + 2M',
    () => {
      expect(vfioPciMmapHugeFault(x86, vma, BASE + 2n * M + 12n * K, 9)).toEqual({
        ret: 'VM_FAULT_NOPAGE',
        addr: BASE + 2n * M,
        size: 2n * M,
      });
    },
  );
  it('a PMD block reaching past vm_end falls back', () => {
    const short = { ...vma, end: BASE + 3n * M };
    expect(vfioPciMmapHugeFault(x86, short, BASE + 2n * M, 9).ret).toBe('VM_FAULT_FALLBACK');
  });
  it('a misaligned PFN falls back (the bugzilla 219619 check)', () => {
    const skew = { ...vma, physStart: T + 8n * K };
    expect(vfioPciMmapHugeFault(x86, skew, BASE + 2n * M, 9).ret).toBe('VM_FAULT_FALLBACK');
  });
});

describe('closed form = page-by-page simulation (tiny geometries, fast-check)', () => {
  for (const arch of ['tiny-16', 'tiny-64', 'x86_64'] as const) {
    it(`${arch}: every VMA of up to 96 pages, every PA phase`, () => {
      const g = GEOMETRIES[arch];
      const ps = g.pageSize;
      const orders = pfnmapFaultOrders(g);
      // At x86_64 the interesting cases need VMAs near 2M blocks; stay within 1536 pages.
      const maxPages = arch === 'x86_64' ? 1536 : 96;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 4096 }),
          fc.integer({ min: 1, max: maxPages }),
          // PA - VA in pages: congruent (0), congruent modulo 2M at x86_64 (512), or anything.
          fc.oneof(fc.constant(0), fc.constant(512), fc.integer({ min: 0, max: 1024 })),
          (startPage, pages, deltaPages) => {
            const start = BigInt(startPage) * ps;
            const end = start + BigInt(pages) * ps;
            const physStart = T + start + BigInt(deltaPages) * ps;
            const vma = { start, end, physStart };
            const closed = sequentialTouch(g, start, end, physStart, orders);
            const step = sequentialTouchStepwise(g, start, end, orders, (a, o) => vfioPciMmapHugeFault(g, vma, a, o));
            expect(plain(closed)).toEqual(plain(step));
            expect(closed.runs).toEqual(step.runs);
          },
        ),
        { numRuns: arch === 'x86_64' ? 200 : 1000 },
      );
    });
  }
});
