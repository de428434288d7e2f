// Which of two counterexamples is the smaller, for a person to read first:
// the smallest len, then the fewest VMAs, the fewest mapped pages, no
// MAP_FIXED before MAP_FIXED, no hint before a low hint, the smallest pgoff, no
// start gap, top-down before bottom-up (the default layout), the simplest driver
// (order:K by |K|, then vfio-pci, vfio-pci-jason) and an aligned BAR first.

import type { TinyCase, TinyDriver } from '../../generators/tiny/types.js';

function driverRank(d: TinyDriver): number {
  if (d.kind === 'order') return Math.min(Math.abs(d.k), 999);
  return d.kind === 'vfio-pci' ? 1000 : 1001;
}

/** The lexicographic size of a case; smaller reads first. */
export function caseSize(c: TinyCase): number[] {
  const r = c.request;
  return [
    r.len,
    c.layout.length,
    c.layout.reduce((n, v) => n + (v.end - v.start), 0),
    r.fixed ? 1 : 0,
    r.addr,
    r.pgoff + r.region * 1e6,
    r.sg,
    r.topdown ? 0 : 1,
    driverRank(r.drv),
    r.drv.pa,
  ];
}

export function compareSize(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
