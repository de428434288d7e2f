// unmapped_area's align_offset round-up gives a congruent address inside the found range
// (invariants Congruent, InRange, NoOverlap's start_gap part).
//
// Kernel: mm/vma.c unmapped_area() (bottom-up):
//   length = info->length + info->align_mask + info->start_gap;   (not wrapping: unmapped-area-length.ts)
//   vma_iter_area_lowest(&vmi, low_limit, high_limit, length) found a free [start, start + length);
//   gap = start + info->start_gap;
//   gap += (info->align_offset - gap) & info->align_mask;
//
// Lemma: for S = PAGE_SIZE << k, align_mask = (S - 1) & PAGE_MASK, align_offset page-aligned (it is
// pgoff << PAGE_SHIFT, any 64-bit pattern), start_gap in {0, PAGE_SIZE}, info->length page-aligned and
// != 0, start page-aligned, start + length not wrapping:
//   gap ≡ align_offset (mod S), gap is page-aligned, start + start_gap <= gap, and
//   [gap, gap + info->length) ⊆ [start, start + length).
//
// Twin (short-range): if the free range held one page less than length (the padding trimmed to
// align_mask - PAGE_SIZE), the rounded-up gap can end past it.

import { hex, mask64, need, type Lemma, type ProofFile } from './lib.js';

function build(trimPage: boolean): Lemma['build'] {
  return (k) => {
    const S = k.u64('S');
    const alignOffset = k.u64('align_offset');
    const startGap = k.u64('start_gap');
    const infoLength = k.u64('info_length');
    const start = k.u64('start');
    const alignMask = k.alignMaskFor(S);
    const length = k.searchLength(infoLength, alignMask, startGap);
    const found = trimPage ? length.sub(k.PAGE_SIZE) : length;
    const end = start.add(found);
    const gap = k.unmappedAreaGap(start, startGap, alignOffset, alignMask);
    return {
      hypotheses: [
        k.leafSize(S),
        k.pageAligned(alignOffset),
        k.or(startGap.eq(k.zero), startGap.eq(k.PAGE_SIZE)),
        k.mapLen(infoLength),
        k.pageAligned(start),
        k.addNoWrap(infoLength, alignMask),
        k.addNoWrap(infoLength.add(alignMask), startGap),
        k.addNoWrap(start, found),
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
        [S.eq(k.orderSize(k.geo.pmdOrder)), ...k.below(32, alignOffset, infoLength, start)],
        ...k.readable(S, alignOffset, infoLength, start),
      ],
    };
  };
}

export const lemma: Lemma = {
  id: 'align-offset-roundup',
  statement:
    'unmapped_area: a free [start, start + info->length + align_mask + start_gap) gives gap ≡ align_offset (mod S), ' +
    'start + start_gap <= gap, gap + info->length <= its end',
  invariants: ['Congruent', 'InRange', 'NoOverlap'],
  expect: 'proved',
  build: build(false),
};

export const shortRange: Lemma = {
  id: 'align-offset-roundup/short-range',
  statement: 'with a free range one page shorter than length: gap + info->length must pass its end',
  invariants: ['InRange'],
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
    let gap = start + startGap;
    gap = mask64(gap + (mask64(alignOffset - gap) & alignMask));
    const inside = start + startGap <= gap && gap + infoLength <= end;
    return {
      confirmed: gap % S === alignOffset % S && !inside,
      text:
        `free [${hex(start)}, ${hex(end)}) is one page short; gap rounds up ` +
        `to ${hex(gap)} and the VMA [${hex(gap)}, ${hex(gap + infoLength)}) passes its end`,
    };
  },
};

export const twin = shortRange;
export const proofFile: ProofFile = { lemma, twins: [shortRange] };
