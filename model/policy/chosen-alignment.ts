// What a hook reports when thp_get_unmapped_area_vmflags() answers on the
// plain path: __thp_get_unmapped_area refused the alignment the hook chose
// (its whole-chunk test, or the compat bail-out) before any padded search.
// The placement is the plain one, but the answer still names the order the
// policy chose, as spec/Policies.tla's answers do: OrderClamped judges the
// choice (v2 passing an order-9 alignment for a one-page mapping is unclamped
// even though the chunk test then saves it), and `place` tells the reader
// which alignment was refused.

import type { AreaResult, MmCtx } from '../context.js';
import { orderOfSize } from '../thp-get-unmapped-area.js';

/** `r` as thp_get_unmapped_area_vmflags(..., size) answered, with `size` named on the plain path. */
export function withChosenAlignment(ctx: MmCtx, r: AreaResult, size: bigint): AreaResult {
  return r.path === 'plain' ? { ...r, order: orderOfSize(ctx, size), alignment: size } : r;
}
