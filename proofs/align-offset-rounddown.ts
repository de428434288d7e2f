// unmapped_area_topdown's align_offset round-down gives a congruent address inside the found range
// (invariants Congruent, InRange, NoOverlap's start_gap part).
//
// Kernel: mm/vma.c unmapped_area_topdown():
//   length = info->length + info->align_mask + info->start_gap;   (not wrapping: unmapped-area-length.ts)
//   vma_iter_area_highest(&vmi, low_limit, high_limit, length) found a free [end - length, end),
//   end = vma_iter_end(&vmi);
//   gap = end - info->length;
//   gap -= (gap - info->align_offset) & info->align_mask;
//
// Lemma: for S = PAGE_SIZE << k, align_mask = (S - 1) & PAGE_MASK, align_offset page-aligned,
// start_gap in {0, PAGE_SIZE}, info->length page-aligned and != 0, end page-aligned, end >= length:
//   gap ≡ align_offset (mod S), gap is page-aligned, (end - length) + start_gap <= gap, and
//   gap + info->length <= end. The round-down never eats into start_gap: the top-down search honours
//   start_gap only through the padding, and the padding is enough.
//
// Twin (short-range): if the free range held one page less than length, the rounded-down gap can
// start below it (or inside its start_gap).

import { hex, mask64, need, type Lemma, type ProofFile } from './lib.js';

function build(trimPage: boolean): Lemma['build'] {
  return (k) => {
    const S = k.u64('S');
    const alignOffset = k.u64('align_offset');
    const startGap = k.u64('start_gap');
    const infoLength = k.u64('info_length');
    const end = k.u64('end');
    const alignMask = k.alignMaskFor(S);
    const length = k.searchLength(infoLength, alignMask, startGap);
    const found = trimPage ? length.sub(k.PAGE_SIZE) : length;
    const start = end.sub(found);
    const gap = k.unmappedAreaTopdownGap(end, infoLength, alignOffset, alignMask);
    return {
      hypotheses: [
        k.leafSize(S),
        k.pageAligned(alignOffset),
        k.or(startGap.eq(k.zero), startGap.eq(k.PAGE_SIZE)),
        k.mapLen(infoLength),
        k.pageAligned(end),
        k.addNoWrap(infoLength, alignMask),
        k.addNoWrap(infoLength.add(alignMask), startGap),
        k.ule(found, end),
      ],
      goal: [
        k.congruent(gap, alignOffset, S),
        k.pageAligned(gap),
        ...k.within(gap, infoLength, start, found),
        k.ule(startGap, gap.sub(start)),
      ],
      show: {
        S,
        align_mask: alignMask,
        align_offset: alignOffset,
        start_gap: startGap,
        info_length: infoLength,
        start,
        end,
        gap,
      },
      prefer: [
        [S.eq(k.orderSize(k.geo.pmdOrder)), ...k.below(32, alignOffset, infoLength, end)],
        ...k.readable(S, alignOffset, infoLength, end),
      ],
    };
  };
}

export const lemma: Lemma = {
  id: 'align-offset-rounddown',
  statement:
    'unmapped_area_topdown: a free [end - length, end) gives gap ≡ align_offset (mod S), end - length + start_gap <= ' +
    'gap, gap + info->length <= end',
  invariants: ['Congruent', 'InRange', 'NoOverlap'],
  expect: 'proved',
  build: build(false),
};

export const shortRange: Lemma = {
  id: 'align-offset-rounddown/short-range',
  statement:
    'with a free range one page shorter than length: the rounded-down gap must start below it or in its start_gap',
  invariants: ['InRange', 'NoOverlap'],
  expect: 'refuted',
  build: build(true),
  replay(v) {
    const S = need(v, 'S');
    const alignOffset = need(v, 'align_offset');
    const startGap = need(v, 'start_gap');
    const infoLength = need(v, 'info_length');
    const start = need(v, 'start');
    const end = need(v, 'end');
    const alignMask = need(v, 'align_mask');
    let gap = mask64(end - infoLength);
    gap = mask64(gap - (mask64(gap - alignOffset) & alignMask));
    const inside = start + startGap <= gap && gap + infoLength <= end;
    return {
      confirmed: gap % S === alignOffset % S && !inside,
      text:
        gap + infoLength > end
          ? `free [${hex(start)}, ${hex(end)}) is one page short; gap = end - info->length rounds down and wraps ` +
            `to ${hex(gap)}`
          : `free [${hex(start)}, ${hex(end)}) is one page short; gap rounds down ` +
            `to ${hex(gap)}, below start + start_gap = ${hex(start + startGap)}`,
    };
  },
};

export const twin = shortRange;
export const proofFile: ProofFile = { lemma, twins: [shortRange] };
