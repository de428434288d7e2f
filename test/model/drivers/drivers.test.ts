// The get_mapping_order() implementations, with every expected order derived by
// hand from the driver code quoted in each case.

import { describe, expect, it } from 'vitest';
import { GEOMETRIES } from '../../../model/geometry.js';
import { driverModel, DEFAULT_BAR_PHYS } from '../../../model/drivers/index.js';
import { parseOrderK } from '../../../model/drivers/order-k.js';
import type { FileDesc } from '../../../model/types.js';

const x86 = GEOMETRIES.x86_64;
const a64k = GEOMETRIES['arm64-64k'];
const K = 1n << 10n;
const M = 1n << 20n;
const G = 1n << 30n;
const bar = (barSize: bigint, extra: Partial<FileDesc> = {}): FileDesc => ({
  kind: 'driver',
  driver: 'vfio-pci',
  barSize,
  ...extra,
});
const order = (name: string, g = x86, file: FileDesc, pgoff: bigint, len: bigint): number =>
  driverModel(name)!.getMappingOrder(g, file, pgoff, len);

describe('vfio-pci (v2 vfio_pci_core_get_mapping_order)', () => {
  it(
    'Jason DPDK part A: 64M BAR, pgoff 0, len 2M -> phys_len = min(64M - 0, 2M) = 2M >= PMD_SIZE, < PUD_SIZE -> ' +
      'PMD_ORDER 9',
    () => {
      expect(order('vfio-pci', x86, bar(64n * M), 0n, 2n * M)).toBe(9);
    },
  );
  it(
    'Jason DPDK part B: pgoff (2M+4K)>>12 = 0x201, len 62M-4K -> phys_len = min(64M - (2M+4K), 62M-4K) = 62M-4K >= ' +
      '2M -> 9',
    () => {
      expect(order('vfio-pci', x86, bar(64n * M), 0x201n, 62n * M - 4n * K)).toBe(9);
    },
  );
  it('len 1M < PMD_SIZE -> 0', () => {
    expect(order('vfio-pci', x86, bar(64n * M), 0n, 1n * M)).toBe(0);
  });
  it("Peter's 1G BAR at +2M, len 1G-2M: phys_len = min(1G - 2M, 1G - 2M) < 1G -> PMD 9 (the driver-side clamp)", () => {
    expect(order('vfio-pci', x86, bar(G), (2n * M) >> 12n, G - 2n * M)).toBe(9);
  });
  it('4G BAR, pgoff 0, len 1G -> phys_len = 1G >= PUD_SIZE and x86_64 has PUD PFN maps -> PUD_ORDER 18', () => {
    expect(order('vfio-pci', x86, bar(4n * G), 0n, G)).toBe(18);
  });
  it('arm64-64k has no PUD leaf: 4G BAR, len 1G -> PMD_ORDER 13 (PMD_SIZE = 64K << 13 = 512M <= 1G)', () => {
    expect(order('vfio-pci', a64k, bar(4n * G), 0n, G)).toBe(13);
  });
  it('arm64-4k has a PUD level but no PUD PFN map (no ARCH_SUPPORTS_PUD_PFNMAP): 4G BAR, len 1G -> PMD_ORDER 9', () => {
    expect(order('vfio-pci', GEOMETRIES['arm64-4k'], bar(4n * G), 0n, G)).toBe(9);
  });
  it('arm64-16k likewise: 128G BAR, len 64G (= PUD_SIZE 16K << 22) -> PMD_ORDER 11 (32M), not 22', () => {
    expect(order('vfio-pci', GEOMETRIES['arm64-16k'], bar(128n * G), 0n, 64n * G)).toBe(11);
  });
  it('region index 6 (ROM): pgoff = 6 << (40 - 12) -> 0', () => {
    expect(order('vfio-pci', x86, bar(4n * G), 6n << 28n, G)).toBe(0);
  });
  it(
    'a region with no BAR behind it (index 1, the file describes BAR 0): pci_resource_len = 0, req_start 0 >= 0 -> ' +
      '0',
    () => {
      expect(order('vfio-pci', x86, bar(4n * G), 1n << 28n, G)).toBe(0);
    },
  );
  it('BAR 2 (barIndex 2): pgoff = 2 << 28 names it, req_start = 0 -> phys_len = min(4G, 1G) = 1G -> 18', () => {
    expect(order('vfio-pci', x86, bar(4n * G, { barIndex: 2 }), 2n << 28n, G)).toBe(18);
  });
  it('req_start at or past the BAR end -> 0', () => {
    expect(order('vfio-pci', x86, bar(64n * M), (64n * M) >> 12n, 2n * M)).toBe(0);
  });
  it('mmap check: req_start + len > PAGE_ALIGN(bar_len) -> EINVAL; inside -> accepted; MAP_PRIVATE -> EINVAL', () => {
    const d = driverModel('vfio-pci')!;
    expect(d.mmapCheck(x86, bar(64n * M), 0x201n, 62n * M, true)).toBe('EINVAL'); // 2M+4K + 62M > 64M
    expect(d.mmapCheck(x86, bar(64n * M), 0x201n, 62n * M - 4n * K, true)).toBeNull(); // ends exactly at 64M
    expect(d.mmapCheck(x86, bar(64n * M), 0n, 2n * M, false)).toBe('EINVAL');
  });
  it('physical address: BAR base + the offset inside the region (vma_to_pfn)', () => {
    const d = driverModel('vfio-pci')!;
    // 0xf0_0000_0000 + (2M + 4K) = 0xf0_0020_1000
    expect(d.physAddr(x86, bar(64n * M, { barPhys: 0xf000000000n }), 2n * M + 4n * K)).toBe(0xf000201000n);
    // Region 2 starts at file offset 2 << 40; offset 4K inside it -> base + 4K.
    expect(d.physAddr(x86, bar(64n * M, { barPhys: 0xf000000000n, barIndex: 2 }), (2n << 40n) + 4n * K)).toBe(
      0xf000001000n,
    );
    // No barPhys: the default 1 TiB base.
    expect(d.physAddr(x86, bar(64n * M), 0n)).toBe(DEFAULT_BAR_PHYS);
  });
});

describe('vfio-pci-jason (ilog2(bar size) - PAGE_SHIFT)', () => {
  it('64M BAR on x86_64: ilog2(2^26) - 12 = 14, whatever the sub-range', () => {
    expect(order('vfio-pci-jason', x86, bar(64n * M), 0x201n, 62n * M - 4n * K)).toBe(14);
    expect(order('vfio-pci-jason', x86, bar(64n * M), 0n, 4n * K)).toBe(14);
  });
  it('64M BAR on arm64-64k: 26 - 16 = 10', () => {
    expect(order('vfio-pci-jason', a64k, bar(64n * M), 0n, 64n * K)).toBe(10);
  });
  it('32G BAR: 35 - 12 = 23 (above PUD: the core must clamp)', () => {
    expect(order('vfio-pci-jason', x86, bar(32n * G), 0n, 32n * G)).toBe(23);
  });
  it('a 256-byte BAR: ilog2(256) - 12 = 8 - 12 = -4 (negative: the core must cope)', () => {
    expect(order('vfio-pci-jason', x86, bar(256n), 0n, 4n * K)).toBe(-4);
  });
  it('ROM region, or an offset past the BAR -> 0', () => {
    expect(order('vfio-pci-jason', x86, bar(64n * M), 6n << 28n, 4n * K)).toBe(0);
    expect(order('vfio-pci-jason', x86, bar(64n * M), (64n * M) >> 12n, 4n * K)).toBe(0);
  });
});

describe('order:K', () => {
  it('returns K whatever it is asked, negative and >= 64 included', () => {
    expect(order('order:9', x86, { kind: 'driver', driver: 'order:9' }, 123n, 4n * K)).toBe(9);
    expect(order('order:-1', x86, { kind: 'driver', driver: 'order:-1' }, 0n, 4n * K)).toBe(-1);
    expect(order('order:70', x86, { kind: 'driver', driver: 'order:70' }, 0n, 4n * K)).toBe(70);
  });
  it('parses a C int and nothing else', () => {
    expect(parseOrderK('order:0')).toBe(0);
    expect(parseOrderK('order:-2147483648')).toBe(-2147483648);
    expect(parseOrderK('order:2147483648')).toBeNull();
    expect(parseOrderK('order:1.5')).toBeNull();
    expect(parseOrderK('order:')).toBeNull();
    expect(driverModel('nvgrace')).toBeNull();
  });
  it('physical address = barPhys + off: barPhys 1T + 4K breaks off ≡ PA for every order >= 1', () => {
    const d = driverModel('order:9')!;
    expect(d.physAddr(x86, { kind: 'driver', driver: 'order:9', barPhys: (1n << 40n) + 4n * K }, 2n * M)).toBe(
      (1n << 40n) + 2n * M + 4n * K,
    );
  });
});
