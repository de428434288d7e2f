// off_sub gives a congruent VA inside the padded range (invariants Congruent, InRange).
//
// Kernel: mm/huge_memory.c __thp_get_unmapped_area(filp, addr, len, off, flags, size, vm_flags).
// The padded search mm_get_unmapped_area_vmflags(..., len_pad = len + size, ...) returned ret, so
// [ret, ret + len_pad) was free. Bottom-up the result is ret + off_sub with
// off_sub = (off - ret) & (size - 1).
//
// Lemma: for size = PAGE_SIZE << k (a power of two >= PAGE_SIZE), ret, off and len page-aligned,
// len != 0, len_pad = len + size not wrapping and ret + len_pad not wrapping:
//   (ret + off_sub) ≡ off (mod size),
//   [ret + off_sub, ret + off_sub + len) ⊆ [ret, ret + len + size),
//   and off_sub <= size - PAGE_SIZE, so the top page of the padding is never used
//   (len + size - PAGE_SIZE would have sufficed: see shmem-padding.ts).
//
// Twin (no-padding): a search for len alone (len_pad = len) does not contain ret + off_sub.
// Twin (wrong-sign): off_sub computed as (ret - off) & (size - 1) is not congruent.

import { hex, need, type Kernel, type Lemma, type ProofFile } from './lib.js';

/**
 * What __thp_get_unmapped_area works with after its padded search: ret (the search's result), the
 * file offset off, len and the alignment size, with the facts every THP lemma assumes of them
 * (topdown-plus-size.ts uses the same).
 */
export function thpSearch(k: Kernel) {
  const ret = k.u64('ret');
  const off = k.u64('off');
  const len = k.u64('len');
  const size = k.u64('size');
  const common = [k.leafSize(size), k.pageAligned(ret), k.pageAligned(off), k.mapLen(len)];
  return { ret, off, len, size, common };
}

const STATEMENT =
  'for size = PAGE_SIZE << k, ret/off/len page-aligned, len_pad = len + size and ret + len_pad not wrapping: ' +
  'ret + off_sub ≡ off (mod size), [ret + off_sub, +len) ⊆ [ret, ret + len_pad), off_sub <= size - PAGE_SIZE';

export const lemma: Lemma = {
  id: 'off-sub',
  statement: STATEMENT,
  invariants: ['Congruent', 'InRange'],
  expect: 'proved',
  build(k) {
    const { ret, off, len, size, common } = thpSearch(k);
    const lenPad = k.lenPad(len, size);
    const offSub = k.offSub(off, ret, size);
    const va = ret.add(offSub);
    return {
      hypotheses: [...common, k.addNoWrap(len, size), k.addNoWrap(ret, lenPad)],
      goal: [
        k.congruent(va, off, size),
        k.pageAligned(va),
        ...k.within(va, len, ret, lenPad),
        k.ule(offSub, size.sub(k.PAGE_SIZE)),
      ],
      show: { ret, off, len, size, len_pad: lenPad, off_sub: offSub, va },
    };
  },
};

export const noPadding: Lemma = {
  id: 'off-sub/no-padding',
  statement: 'the same with the search asked for len only (len_pad = len): the shifted VA must leave the found range',
  invariants: ['InRange'],
  expect: 'refuted',
  build(k) {
    const { ret, off, len, size, common } = thpSearch(k);
    const offSub = k.offSub(off, ret, size);
    const va = ret.add(offSub);
    return {
      hypotheses: [...common, k.addNoWrap(ret, len)],
      goal: k.within(va, len, ret, len),
      show: { ret, off, len, size, off_sub: offSub, va },
      prefer: k.readable(ret, off, len, size),
    };
  },
  replay(v) {
    const ret = need(v, 'ret');
    const off = need(v, 'off');
    const len = need(v, 'len');
    const size = need(v, 'size');
    const offSub = (off - ret) & (size - 1n);
    const va = ret + offSub;
    return {
      confirmed: offSub > 0n && va + len > ret + len,
      text:
        `search of ` +
        `len=${hex(len)} found [${hex(ret)}, ${hex(ret + len)}); off_sub=${hex(offSub)} puts the VMA at ` +
        `[${hex(va)}, ${hex(va + len)}), ${hex(offSub)} past the found range`,
    };
  },
};

export const wrongSign: Lemma = {
  id: 'off-sub/wrong-sign',
  statement: 'off_sub computed as (ret - off) & (size - 1) (sign swapped): the result must not be congruent to off',
  invariants: ['Congruent'],
  expect: 'refuted',
  build(k) {
    const { ret, off, len, size, common } = thpSearch(k);
    const lenPad = k.lenPad(len, size);
    const wrong = ret.sub(off).and(size.sub(k.one));
    const va = ret.add(wrong);
    return {
      hypotheses: [...common, k.addNoWrap(len, size), k.addNoWrap(ret, lenPad)],
      goal: [k.congruent(va, off, size)],
      show: { ret, off, len, size, wrong_off_sub: wrong, va },
      prefer: k.readable(ret, off, len, size),
    };
  },
  replay(v) {
    const ret = need(v, 'ret');
    const off = need(v, 'off');
    const size = need(v, 'size');
    const va = ret + ((ret - off) & (size - 1n));
    const m = size - 1n;
    return {
      confirmed: (va & m) !== (off & m),
      text: `va=${hex(va)} has va mod size=${hex(va & m)} but off mod size=${hex(off & m)}`,
    };
  },
};

export const twin = noPadding;
export const proofFile: ProofFile = { lemma, twins: [noPadding, wrongSign] };
