// Lays a VMA's leaf runs out on a bar of a given width (characters or
// pixels): widths proportional to bytes, but every run at least `minWidth`
// wide so a 4K head next to 60M of PMDs still shows, the difference taken from
// the widest run. Integer widths that add up to the total.

import type { LeafRun } from '../model/faults/index.js';

export interface PlacedRun {
  readonly run: LeafRun;
  readonly x: number;
  readonly w: number;
}

export function layoutRuns(runs: readonly LeafRun[], width: number, minWidth: number): PlacedRun[] {
  if (runs.length === 0) return [];
  const total = runs.reduce((a, r) => a + (r.end - r.start), 0n);
  // Proportions with 1e6 resolution, exact in bigint then small enough for Number.
  const raw = runs.map((r) => (Number(((r.end - r.start) * 1_000_000n) / total) / 1_000_000) * width);
  const widths = raw.map((w) => Math.max(minWidth, Math.round(w)));
  let diff = widths.reduce((a, w) => a + w, 0) - width;
  // Give back (or take) the difference from the widest runs first.
  const order = widths.map((w, i) => ({ w, i })).sort((a, b) => b.w - a.w);
  for (const o of order) {
    if (diff === 0) break;
    const room = diff > 0 ? widths[o.i]! - minWidth : diff;
    const d = diff > 0 ? Math.min(diff, room) : diff;
    widths[o.i] = widths[o.i]! - d;
    diff -= d;
  }
  let x = 0;
  return runs.map((run, i) => {
    const placed = { run, x, w: widths[i]! };
    x += widths[i]!;
    return placed;
  });
}

/** The leaf sizes of a VMA in ascending order, for glyphs, colours and the legend. */
export function sizeRanks(runs: readonly LeafRun[], pageSize: bigint): bigint[] {
  const sizes = new Set<bigint>([pageSize, ...runs.map((r) => r.size)]);
  return [...sizes].sort((a, b) => (a < b ? -1 : 1));
}
