// The bounded domain of mmap requests: the product of the values given for
// each field, as spec/MappingOrder.tla RequestsFrom builds it, with the same
// restriction: a VM_SHADOW_STACK request (sg > 0) has no hint and no MAP_FIXED
// (map_shadow_stack maps with MAP_FIXED_NOREPLACE when given an address).

import type { TinyDriver, TinyRequest } from './types.js';

export interface RequestBounds {
  /** Address arguments in pages (0 = no hint). */
  readonly addrs: readonly number[];
  readonly fixed: readonly boolean[];
  readonly lens: readonly number[];
  readonly pgoffs: readonly number[];
  readonly regions: readonly number[];
  readonly drivers: readonly TinyDriver[];
  readonly topdown: readonly boolean[];
  readonly sgs: readonly number[];
}

export function* requests(b: RequestBounds): Generator<TinyRequest> {
  for (const addr of b.addrs)
    for (const fixed of b.fixed)
      for (const len of b.lens)
        for (const pgoff of b.pgoffs)
          for (const region of b.regions)
            for (const drv of b.drivers)
              for (const topdown of b.topdown)
                for (const sg of b.sgs) {
                  if (sg > 0 && (addr !== 0 || fixed)) continue;
                  yield { addr, fixed, len, pgoff, region, drv, topdown, sg };
                }
}

/** How many requests `requests(b)` yields, counted without enumerating them. */
export function requestCount(b: RequestBounds): number {
  const rest = b.lens.length * b.pgoffs.length * b.regions.length * b.drivers.length * b.topdown.length;
  const plain = b.addrs.length * b.fixed.length * rest * b.sgs.filter((s) => s === 0).length;
  const withSg =
    b.addrs.filter((a) => a === 0).length * b.fixed.filter((f) => !f).length * rest * b.sgs.filter((s) => s > 0).length;
  return plain + withSg;
}
