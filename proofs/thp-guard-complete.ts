// The chunk test of __thp_get_unmapped_area rejects nothing it should accept, away from the loff_t
// sign boundary: no alignment is lost where [off, off + len) holds a whole chunk (UsefulOnly, the
// "only if" direction's converse).
//
// Kernel: mm/huge_memory.c __thp_get_unmapped_area:
//   if (off_end <= off_align || (off_end - off_align) < size) return 0;
// with off_end = off + len and off_align = round_up(off, size), both loff_t (signed compare).
//
// Lemma: for size = PAGE_SIZE << k, off and len page-aligned, len != 0, the overflow test passing
// (len + size and off + len + size do not wrap), and [off, off + len) holding a whole aligned
// size-chunk (round_up(off, size) + size <= off + len, no wrap), and off_end, off_align with the
// same loff_t sign: the chunk test passes (the helper does not return 0 there).
//
// Twin (sign-boundary), a FINDING: without the same-sign hypothesis the chunk test returns 0 for a
// range that holds whole aligned chunks: off_align below 2^63, off_end at or above it (negative as
// loff_t), so `off_end <= off_align` holds. The alignment is lost (fallback to the plain search).
// Reachable only for offsets within len of 2^63 (pgoff near 2^(63 - PAGE_SHIFT)).

import { asLoff, hex, type Lemma, type ProofFile } from './lib.js';
import { replayThpCase, thpTestVars } from './thp-guards.js';

function build(withSameSign: boolean): Lemma['build'] {
  return (k) => {
    const { off, len, size, offEnd, offAlign, sameSign, common } = thpTestVars(k);
    const hypotheses = [
      ...common,
      k.thpOverflowTestPasses(off, len, size),
      k.ule(off, offAlign),
      k.addNoWrap(offAlign, size),
      k.addNoWrap(off, len),
      k.ule(offAlign.add(size), offEnd),
    ];
    if (withSameSign) hypotheses.push(sameSign);
    return {
      hypotheses,
      goal: [k.thpChunkTestPasses(off, len, size)],
      show: { off, len, size, off_end: offEnd, off_align: offAlign },
      prefer: [[size.eq(k.orderSize(k.geo.pmdOrder)), len.eq(size.add(size))], [size.eq(k.orderSize(k.geo.pmdOrder))]],
    };
  };
}

export const lemma: Lemma = {
  id: 'thp-guard-complete',
  statement:
    'overflow test passes, round_up(off, size) + size <= off + len, off_end and off_align with the same loff_t sign ' +
    '=> the chunk test passes',
  invariants: ['UsefulOnly'],
  expect: 'proved',
  build: build(true),
};

export const signBoundary: Lemma = {
  id: 'thp-guard-complete/sign-boundary',
  statement: 'without the same-sign hypothesis: a range holding a whole aligned chunk is rejected by the chunk test',
  invariants: ['UsefulOnly'],
  expect: 'refuted',
  finding:
    '__thp_get_unmapped_area returns 0 (no alignment) for a range holding whole aligned chunks when off + len ' +
    'crosses 2^63: the signed off_end <= off_align holds',
  build: build(false),
  replay(v, geo) {
    const { off, len, size, chunk, overflow, offAlign, whole } = replayThpCase(v);
    return {
      confirmed: !chunk && overflow && whole,
      text:
        `pgoff=${hex(off >> geo.pageShift)}: [off, off + len) = ` +
        `[${hex(off)}, ${hex(off + len)}) holds [${hex(offAlign)}, ${hex(offAlign + size)}), ` +
        `but off_end as loff_t is ${asLoff(off + len)} <= off_align ${asLoff(offAlign)}: return 0, alignment lost`,
    };
  },
};

export const twin = signBoundary;
export const proofFile: ProofFile = { lemma, twins: [signBoundary] };
