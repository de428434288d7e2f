// shmem's tighter padding len + hpage_size - PAGE_SIZE suffices (invariants Congruent, InRange).
//
// Kernel: mm/shmem.c shmem_get_unmapped_area():
//   offset = (pgoff << PAGE_SHIFT) & (hpage_size - 1);
//   inflated_len = len + hpage_size - PAGE_SIZE;  if (inflated_len < len) return addr;
//   inflated_addr = mm_get_unmapped_area(current->mm, NULL, uaddr, inflated_len, 0, flags);
//   (not an error, page-aligned: [inflated_addr, inflated_addr + inflated_len) is free)
//   inflated_offset = inflated_addr & (hpage_size - 1);
//   inflated_addr += offset - inflated_offset;
//   if (inflated_offset > offset) inflated_addr += hpage_size;
//
// Lemma: for hpage_size = PAGE_SIZE << k, len page-aligned with len >= hpage_size, off page-aligned,
// inflated_len not wrapping, inflated_addr page-aligned with inflated_addr + inflated_len not wrapping:
// the adjusted address r satisfies r ≡ off (mod hpage_size) and
// [r, r + len) ⊆ [inflated_addr, inflated_addr + inflated_len).
// This is the padding the optimal policy uses (len + S - PAGE_SIZE) and the reason THP's len + S
// wastes a page in the bottom-up case (off-sub.ts: off_sub <= size - PAGE_SIZE).
//
// Twin (two-pages-short): with len + hpage_size - 2 * PAGE_SIZE the adjusted address can end past the
// found range (inflated_offset = PAGE_SIZE, offset = 0 moves it up by hpage_size - PAGE_SIZE).

import { hex, need, type Lemma, type ProofFile } from './lib.js';

function build(twoPagesShort: boolean): Lemma['build'] {
  return (k) => {
    const hpageSize = k.u64('hpage_size');
    const len = k.u64('len');
    const off = k.u64('off');
    const inflatedAddr = k.u64('inflated_addr');
    const offset = off.and(hpageSize.sub(k.one));
    const inflatedLen = twoPagesShort
      ? k.shmemInflatedLen(len, hpageSize).sub(k.PAGE_SIZE)
      : k.shmemInflatedLen(len, hpageSize);
    const r = k.shmemAdjust(inflatedAddr, offset, hpageSize);
    return {
      hypotheses: [
        k.leafSize(hpageSize),
        k.mapLen(len),
        k.ule(hpageSize, len),
        k.pageAligned(off),
        k.ule(len, inflatedLen),
        k.pageAligned(inflatedAddr),
        k.addNoWrap(inflatedAddr, inflatedLen),
      ],
      // Both offsets are page-aligned and below hpage_size, so the adjustment moves up by at most
      // hpage_size - PAGE_SIZE: that is where the one page of the THP padding is saved.
      goal: [k.congruent(r, off, hpageSize), ...k.within(r, len, inflatedAddr, inflatedLen)],
      show: { hpage_size: hpageSize, len, off, offset, inflated_len: inflatedLen, inflated_addr: inflatedAddr, r },
      prefer: [
        [hpageSize.eq(k.orderSize(k.geo.pmdOrder)), ...k.below(32, len, off, inflatedAddr)],
        ...k.readable(hpageSize, len, off, inflatedAddr),
      ],
    };
  };
}

export const lemma: Lemma = {
  id: 'shmem-padding',
  statement:
    'a free [inflated_addr, + len + hpage_size - PAGE_SIZE) holds the adjusted address r ≡ off (mod hpage_size) with ' +
    '[r, r + len) inside it',
  invariants: ['Congruent', 'InRange'],
  expect: 'proved',
  build: build(false),
};

export const twoPagesShort: Lemma = {
  id: 'shmem-padding/two-pages-short',
  statement: 'with inflated_len = len + hpage_size - 2 * PAGE_SIZE: [r, r + len) must leave the found range',
  invariants: ['InRange'],
  expect: 'refuted',
  build: build(true),
  replay(v) {
    const hpageSize = need(v, 'hpage_size');
    const len = need(v, 'len');
    const off = need(v, 'off');
    const inflatedAddr = need(v, 'inflated_addr');
    const inflatedLen = need(v, 'inflated_len');
    const offset = off & (hpageSize - 1n);
    const inflatedOffset = inflatedAddr & (hpageSize - 1n);
    let r = inflatedAddr + offset - inflatedOffset;
    if (inflatedOffset > offset) r += hpageSize;
    return {
      confirmed: r % hpageSize === offset && r + len > inflatedAddr + inflatedLen,
      text:
        `found [${hex(inflatedAddr)}, ${hex(inflatedAddr + inflatedLen)}); ` +
        `inflated_offset=${hex(inflatedOffset)}, offset=${hex(offset)} move it to r=${hex(r)}, ` +
        `ending at ${hex(r + len)}: past the range`,
    };
  },
};

export const twin = twoPagesShort;
export const proofFile: ProofFile = { lemma, twins: [twoPagesShort] };
