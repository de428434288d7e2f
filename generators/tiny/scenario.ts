// A tiny case in kernel terms: the Scenario the TypeScript model places, in
// bytes, with the geometry's default mm (mmap_base, mmap_legacy_base,
// mmap_min_addr, stack_guard_gap: the same values spec/TinyGeometries.tla is
// generated from) and MMF_TOPDOWN from the request.
//
// Page units -> bytes: every address, length and size is multiplied by
// PAGE_SIZE; pgoff stays in pages (mmap2's unit) with the VFIO region index put
// back at bit 40 of the byte offset (pgoff += region << (40 - PAGE_SHIFT)), which
// the spec keeps in a field of its own. The mapping is MAP_SHARED, as a BAR
// mapping must be (vfio_pci_core_mmap refuses a private one).

import { GEOMETRIES } from '../../model/geometry.js';
import type { PolicyName, Scenario } from '../../model/types.js';
import { driverName, type TinyCase, type TinyLayout } from './types.js';

const VFIO_PCI_OFFSET_SHIFT = 40n;

export function layoutVmas(c: TinyCase): Scenario['vmas'] {
  const ps = GEOMETRIES[c.arch].pageSize;
  return c.layout.map((v) => ({
    start: BigInt(v.start) * ps,
    end: BigInt(v.end) * ps,
    ...(v.kind === 'gd' ? { growsDown: true } : {}),
    ...(v.kind === 'ss' ? { shadowStack: true } : {}),
  }));
}

export function toScenario(c: TinyCase, policy: PolicyName): Scenario {
  const g = GEOMETRIES[c.arch];
  const ps = g.pageSize;
  const r = c.request;
  return {
    arch: c.arch,
    policy,
    mm: {
      topdown: r.topdown,
      mmapBase: g.defaults.mmapBase,
      mmapLegacyBase: g.defaults.mmapLegacyBase,
      taskSize: g.taskSize,
      mmapMinAddr: g.defaults.mmapMinAddr,
      stackGuardGap: g.defaults.stackGuardGap,
    },
    vmas: layoutVmas(c),
    file: {
      kind: 'driver',
      driver: driverName(r.drv),
      barSize: BigInt(c.barPages) * ps,
      barPhys: BigInt(r.drv.pa) * ps,
      barIndex: 0,
    },
    request: {
      addr: BigInt(r.addr) * ps,
      len: BigInt(r.len) * ps,
      pgoff: BigInt(r.pgoff) + (BigInt(r.region) << (VFIO_PCI_OFFSET_SHIFT - g.pageShift)),
      fixed: r.fixed,
      shared: true,
      ...(r.sg > 0 ? { shadowStack: true } : {}),
    },
  };
}

/** The layout as a person reads it: [start, end) in pages, with the kind. */
export function layoutText(l: TinyLayout): string {
  return l.length === 0 ? 'empty' : l.map((v) => `[${v.start},${v.end})${v.kind === 'vma' ? '' : v.kind}`).join(' ');
}
