// Which edges a real-geometry scenario hits, read from the scenario alone (not
// from the choices that generated it), so a test can count that the
// arbitraries really reach each edge.

import { GEOMETRIES } from '../../model/geometry.js';
import { driverFacts } from '../../model/invariants/driver-facts.js';
import { freeRanges } from '../../model/invariants/free-ranges.js';
import type { Scenario } from '../../model/types.js';
import { leafSizes, maxLeafOrder, pageAlignLen } from './edge-values.js';

export const EDGES = [
  'order < 0',
  'order 0',
  'order = largest leaf',
  'order > largest leaf',
  'order 63 - PAGE_SHIFT (S = 2^63)',
  'order >= 64 - PAGE_SHIFT (shift overflows)',
  'len = S - PAGE_SIZE',
  'len = S',
  'len = S + PAGE_SIZE',
  'len not page-aligned',
  'pgoff unaligned to S <= len',
  'free gap = len',
  'free gap = len + S - PAGE_SIZE',
  'free gap = len + S',
  'near TASK_SIZE',
  'near mmap_min_addr',
  'guard gap above a tight gap',
  'hint',
  'MAP_FIXED',
] as const;

export type Edge = (typeof EDGES)[number];

export function classifyEdges(s: Scenario): Set<Edge> {
  const g = GEOMETRIES[s.arch];
  const ps = g.pageSize;
  const out = new Set<Edge>();
  const r = s.request;
  const L = pageAlignLen(g, r.len);
  const sizes = leafSizes(g);
  const d = driverFacts(s);
  if (d !== null) {
    const o = d.order;
    const shift = Number(g.pageShift);
    if (o < 0) out.add('order < 0');
    if (o === 0) out.add('order 0');
    if (o === maxLeafOrder(g)) out.add('order = largest leaf');
    if (o > maxLeafOrder(g)) out.add('order > largest leaf');
    if (o === 63 - shift) out.add('order 63 - PAGE_SHIFT (S = 2^63)');
    if (o >= 64 - shift) out.add('order >= 64 - PAGE_SHIFT (shift overflows)');
  }
  for (const S of sizes) {
    if (r.len === S - ps) out.add('len = S - PAGE_SIZE');
    if (r.len === S) out.add('len = S');
    if (r.len === S + ps) out.add('len = S + PAGE_SIZE');
  }
  if (r.len % ps !== 0n) out.add('len not page-aligned');
  const off = BigInt.asUintN(64, r.pgoff << g.pageShift);
  if (sizes.some((S) => S <= L && off % S !== 0n)) out.add('pgoff unaligned to S <= len');
  const ranges = freeRanges(s);
  const minAddr = (s.mm.mmapMinAddr + ps - 1n) & ~(ps - 1n);
  for (const f of ranges) {
    const size = f.hi - f.lo;
    if (size === L) out.add('free gap = len');
    for (const S of sizes) {
      if (size === L + S - ps) out.add('free gap = len + S - PAGE_SIZE');
      if (size === L + S) out.add('free gap = len + S');
    }
    // A gap the request can nearly fill: at most twice len plus two PMDs.
    const tight = size <= 2n * L + 2n * (ps << BigInt(g.pmdOrder));
    if (tight && f.hi === s.mm.taskSize) out.add('near TASK_SIZE');
    if (tight && f.lo === minAddr) out.add('near mmap_min_addr');
    if (
      tight &&
      s.vmas.some(
        (v) =>
          (v.growsDown === true || v.shadowStack === true) && f.hi < v.start && f.hi >= v.start - s.mm.stackGuardGap,
      )
    )
      out.add('guard gap above a tight gap');
  }
  if (r.addr !== 0n && !r.fixed) {
    out.add('hint');
    if (r.addr + L + ps >= s.mm.taskSize) out.add('near TASK_SIZE');
    if (r.addr < minAddr + ps) out.add('near mmap_min_addr');
  }
  if (r.fixed) out.add('MAP_FIXED');
  return out;
}
