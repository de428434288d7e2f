// Every layout of a tiny address space up to a bound: at most `maxVmas` VMAs,
// each at most `maxVmaPages` pages long, page-aligned and non-overlapping,
// starting at page `firstPage` or above, of the kinds given (ordinary,
// VM_GROWSDOWN, VM_SHADOW_STACK).
//
// Two enumerations of the same bounded set:
// - rawLayouts: every sorted VMA list, touching VMAs of one kind included, as
//   userspace can create them (two mmaps side by side);
// - canonicalLayouts: the quotient under canonical-layout.ts, produced directly
//   (a VMA never touches a VMA of its own kind), each class once. A merged VMA
//   may be longer than maxVmaPages: the bound applies to the raw VMAs, and the
//   classes are exactly the images of the raw layouts (test/generators checks it).

import { canonicalLayout } from './canonical-layout.js';
import type { TinyKind, TinyLayout, TinyVma } from './types.js';

export interface LayoutBounds {
  /** TASK_SIZE in pages: VMAs lie in [firstPage, pages). */
  readonly pages: number;
  readonly maxVmas: number;
  /** Longest raw VMA, in pages (default: pages). */
  readonly maxVmaPages?: number;
  readonly kinds: readonly TinyKind[];
  /** Lowest page a VMA may start at (default 0). */
  readonly firstPage?: number;
}

/** Every sorted list of at most maxVmas non-overlapping VMAs within the bounds. */
export function* rawLayouts(b: LayoutBounds): Generator<TinyLayout> {
  const maxLen = b.maxVmaPages ?? b.pages;
  const prefix: TinyVma[] = [];
  function* from(pos: number): Generator<TinyLayout> {
    yield [...prefix];
    if (prefix.length === b.maxVmas) return;
    for (let s = pos; s < b.pages; s++)
      for (let e = s + 1; e <= b.pages && e - s <= maxLen; e++)
        for (const kind of b.kinds) {
          prefix.push({ start: s, end: e, kind });
          yield* from(e);
          prefix.pop();
        }
  }
  yield* from(b.firstPage ?? 0);
}

/**
 * Every canonical layout whose class meets the bounds: runs of one kind of at
 * most maxVmas raw VMAs each no longer than maxVmaPages, i.e. a merged VMA of n
 * pages stands for ceil(n / maxVmaPages) raw VMAs at least.
 */
export function* canonicalLayouts(b: LayoutBounds): Generator<TinyLayout> {
  const maxLen = b.maxVmaPages ?? b.pages;
  const prefix: TinyVma[] = [];
  function* from(pos: number, used: number): Generator<TinyLayout> {
    yield [...prefix];
    for (let s = pos; s < b.pages; s++)
      for (let e = s + 1; e <= b.pages; e++) {
        const cost = Math.ceil((e - s) / maxLen);
        if (used + cost > b.maxVmas) break;
        for (const kind of b.kinds) {
          const last = prefix[prefix.length - 1];
          if (last !== undefined && last.end === s && last.kind === kind) continue;
          prefix.push({ start: s, end: e, kind });
          yield* from(e, used + cost);
          prefix.pop();
        }
      }
  }
  yield* from(b.firstPage ?? 0, 0);
}

/** The raw layouts grouped by canonical class: how many raw layouts each class stands for. */
export function canonicalClassSizes(b: LayoutBounds, key: (l: TinyLayout) => string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const l of rawLayouts(b)) {
    const k = key(canonicalLayout(l));
    sizes.set(k, (sizes.get(k) ?? 0) + 1);
  }
  return sizes;
}
