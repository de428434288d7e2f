// The top-down `ret + size` case stays inside the padded range (invariants Congruent, InRange).
//
// Kernel: mm/huge_memory.c __thp_get_unmapped_area: `if (test_bit(MMF_TOPDOWN, ...) && !off_sub)
// return ret + size;` (Ryan Roberts, 96204e15310c): when ret is already congruent, the VMA is
// put at the TOP of the padded range so it stays adjacent to the VMA above.
//
// Lemma: for size = PAGE_SIZE << k, ret/off/len page-aligned, len != 0, len_pad = len + size and
// ret + len_pad not wrapping, and off_sub = (off - ret) & (size - 1) == 0:
//   ret + size ≡ off (mod size), [ret + size, ret + size + len) ⊆ [ret, ret + len_pad), and its end
//   is exactly ret + len_pad (no hole above, the adjacency the fix wants).
//
// Twin (shmem-padding): with shmem's tighter padding len_pad = len + size - PAGE_SIZE the same
// `ret + size` leaves the found range: the `+ size` case needs THP's full page of extra padding.
// Twin (nonzero-off-sub): returning ret + size without the off_sub == 0 test is not congruent.

import { hex, need, type Lemma, type ProofFile } from './lib.js';
import { thpSearch } from './off-sub.js';

export const lemma: Lemma = {
  id: 'topdown-plus-size',
  statement:
    'MMF_TOPDOWN and off_sub == 0: ret + size ≡ off (mod size) and [ret + size, ret + size + len) ends exactly at ' +
    'ret + len_pad',
  invariants: ['Congruent', 'InRange'],
  expect: 'proved',
  build(k) {
    const { ret, off, len, size, common } = thpSearch(k);
    const lenPad = k.lenPad(len, size);
    const offSub = k.offSub(off, ret, size);
    const va = ret.add(size);
    return {
      hypotheses: [...common, k.addNoWrap(len, size), k.addNoWrap(ret, lenPad), offSub.eq(k.zero)],
      goal: [k.congruent(va, off, size), ...k.within(va, len, ret, lenPad), va.sub(ret).add(len).eq(lenPad)],
      show: { ret, off, len, size, len_pad: lenPad, va },
    };
  },
};

export const shmemPadding: Lemma = {
  id: 'topdown-plus-size/shmem-padding',
  statement: 'the same with len_pad = len + size - PAGE_SIZE: ret + size + len must pass the end of the found range',
  invariants: ['InRange'],
  expect: 'refuted',
  build(k) {
    const { ret, off, len, size, common } = thpSearch(k);
    const lenPad = k.shmemInflatedLen(len, size);
    const offSub = k.offSub(off, ret, size);
    const va = ret.add(size);
    return {
      hypotheses: [...common, k.addNoWrap(len, size), k.addNoWrap(ret, lenPad), offSub.eq(k.zero)],
      goal: k.within(va, len, ret, lenPad),
      show: { ret, off, len, size, len_pad: lenPad, va, PAGE_SIZE: k.PAGE_SIZE },
      prefer: k.readable(ret, off, len, size),
    };
  },
  replay(v) {
    const ret = need(v, 'ret');
    const len = need(v, 'len');
    const size = need(v, 'size');
    const lenPad = len + size - need(v, 'PAGE_SIZE');
    const end = ret + lenPad;
    return {
      confirmed: ret + size + len > end,
      text:
        `found [${hex(ret)}, ${hex(end)}) (len + size - PAGE_SIZE); ret + size puts the VMA at ` +
        `[${hex(ret + size)}, ${hex(ret + size + len)}), one page past the end`,
    };
  },
};

export const nonzeroOffSub: Lemma = {
  id: 'topdown-plus-size/nonzero-off-sub',
  statement: 'returning ret + size without testing off_sub == 0: the VA must not be congruent to off',
  invariants: ['Congruent'],
  expect: 'refuted',
  build(k) {
    const { ret, off, len, size, common } = thpSearch(k);
    const lenPad = k.lenPad(len, size);
    const va = ret.add(size);
    return {
      hypotheses: [...common, k.addNoWrap(len, size), k.addNoWrap(ret, lenPad)],
      goal: [k.congruent(va, off, size)],
      show: { ret, off, len, size, off_sub: k.offSub(off, ret, size), va },
      prefer: k.readable(ret, off, len, size),
    };
  },
  replay(v) {
    const ret = need(v, 'ret');
    const off = need(v, 'off');
    const size = need(v, 'size');
    const m = size - 1n;
    const va = ret + size;
    return {
      confirmed: (va & m) !== (off & m),
      text:
        `off_sub=${hex((off - ret) & m)} != 0, yet ` +
        `va=ret+size=${hex(va)} ≡ ${hex(va & m)} while off ≡ ${hex(off & m)} (mod size)`,
    };
  },
};

export const twin = shmemPadding;
export const proofFile: ProofFile = { lemma, twins: [shmemPadding, nonzeroOffSub] };
