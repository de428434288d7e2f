// The congruence lines of an explanation: for each huge PFN-map leaf size of
// the geometry, whether VA ≡ off and (for a driver) PA ≡ off, modulo that
// size. That is what decides the leaves: vfio_pci_mmap_huge_fault needs the
// block aligned in VA and in PFN.

import { driverModel } from '../model/drivers/index.js';
import { pfnmapFaultOrders, thpFaultOrders } from '../model/faults/fault-levels.js';
import { geometry } from '../model/geometry.js';
import type { VmaExplain } from './doc.js';
import { sizeLabel } from './units.js';
import { hex } from '../model/u64.js';

const mod = (x: bigint, m: bigint): bigint => ((x % m) + m) % m;

export function congruenceLines(v: VmaExplain): string[] {
  const s = v.scenario;
  const g = geometry(s.arch);
  if (v.placement.va === null) return [];
  const va = v.placement.va;
  const orders =
    s.file.kind === 'driver'
      ? pfnmapFaultOrders(g)
      : s.file.kind === 'plain' || s.file.kind === 'shmem'
        ? []
        : thpFaultOrders(g);
  const d = s.file.kind === 'driver' ? driverModel(s.file.driver ?? '') : null;
  const pa = d ? d.physAddr(g, s.file, v.off) : null;
  const lines: string[] = [];
  if (pa !== null) lines.push(`PA of off ${hex(v.off)}: ${hex(pa)}`);
  for (const o of [...orders].sort((a, b) => a - b)) {
    const S = g.pageSize << BigInt(o);
    const vaOk = mod(va - v.off, S) === 0n;
    const offMod = hex(mod(v.off, S));
    let line = `mod ${sizeLabel(S)}: VA ${hex(mod(va, S))}, off ${offMod} -> VA ≡ off ${vaOk ? 'yes' : 'no'}`;
    if (pa !== null) line += `; PA ${hex(mod(pa, S))} -> PA ≡ off ${mod(pa - v.off, S) === 0n ? 'yes' : 'no'}`;
    lines.push(line);
  }
  return lines;
}
