// Congruence modulo S gives every aligned leaf the file range allows (invariants MaxLeafCoverage,
// FaultSafe, with DriverObligation as a hypothesis).
//
// Kernel: a huge fault (vfio_pci_mmap_huge_fault, docs/KERNEL.md#the-vfio-huge-fault) installs a leaf of size s at VA v
// only if [v, v + s) lies inside the VMA, v is s-aligned and the PFN's address p is s-aligned.
// The VMA [va, va + len) maps file range [off, off + len) and the BAR maps that to [pa, pa + len):
// the byte at offset d of the mapping (d < len) has file offset off + d, VA va + d, physical
// address pa + d.
//
// Lemma (achievability): when va ≡ off (mod S) (Congruent) and pa ≡ off (mod S) (DriverObligation),
// va + len, off + len, pa + len not wrapping, for every s = PAGE_SIZE << j with s <= S and every chunk
// at offset d with d + s <= len whose file offset c = off + d is s-aligned: [c, c + s) ⊆ [off, off + len),
// its VA v = va + d is s-aligned with [v, v + s) ⊆ [va, va + len), and its physical address p = pa + d
// is s-aligned. Every aligned file chunk becomes a leaf.
// max-leaf-upper-bound.ts proves the converse for ANY va: every leaf comes from an aligned file
// chunk. v -> c is injective, so the number of s-leaves is at most the number of aligned s-chunks of
// [off, off + len), which congruence reaches: congruence is optimal for every leaf size up to S.
//
// Twin (not-congruent): with va ≢ off (mod s) for some leaf size s <= S, an aligned file chunk maps to
// an unaligned VA (no leaf of that size there).

import { hex, need, type Kernel, type Lemma, type ProofFile } from './lib.js';

/**
 * An s-sized piece of a mapping of len bytes at va, file offset off and physical address pa: d is where
 * it starts inside the mapping, c = off + d its file offset, v = va + d its VA and p = pa + d its
 * physical address; s <= S are leaf sizes, and nothing wraps. max-leaf-upper-bound.ts uses the same.
 */
export function leafWindow(k: Kernel) {
  const va = k.u64('va');
  const off = k.u64('off');
  const pa = k.u64('pa');
  const len = k.u64('len');
  const S = k.u64('S');
  const s = k.u64('s');
  const d = k.u64('d');
  const c = off.add(d);
  const v = va.add(d);
  const p = pa.add(d);
  const hypotheses = [
    k.pageAligned(va),
    k.pageAligned(off),
    k.pageAligned(pa),
    k.mapLen(len),
    k.leafSize(S),
    k.leafSize(s),
    k.ule(s, S),
    k.addNoWrap(va, len),
    k.addNoWrap(off, len),
    k.addNoWrap(pa, len),
    k.addNoWrap(d, s),
    k.ule(d.add(s), len),
  ];
  return { va, off, pa, len, S, s, d, c, v, p, hypotheses, prefer: k.readable(va, off, pa, len, S) };
}

function build(congruent: boolean): Lemma['build'] {
  return (k) => {
    const { va, off, pa, len, S, s, d, c, v, p, hypotheses, prefer } = leafWindow(k);
    return {
      hypotheses: [
        ...hypotheses,
        congruent ? k.congruent(va, off, S) : k.not(k.congruent(va, off, s)),
        k.congruent(pa, off, S),
        k.isAligned(c, s),
      ],
      goal: [k.isAligned(v, s), k.isAligned(p, s), ...k.within(c, s, off, len), ...k.within(v, s, va, len)],
      show: { va, off, pa, len, S, s, d, c, v, p },
      prefer,
    };
  };
}

export const lemma: Lemma = {
  id: 'max-leaf-coverage',
  statement:
    'va ≡ off ≡ pa (mod S): every s-aligned file chunk [c, c + s) of the mapping, s <= S, maps to an s-aligned VA ' +
    'inside the VMA with an s-aligned PFN',
  invariants: ['MaxLeafCoverage', 'FaultSafe'],
  expect: 'proved',
  build: build(true),
};

export const notCongruent: Lemma = {
  id: 'max-leaf-coverage/not-congruent',
  statement: 'va ≢ off (mod s): some s-aligned file chunk maps to a VA that is not s-aligned',
  invariants: ['MaxLeafCoverage'],
  expect: 'refuted',
  build: build(false),
  replay(v) {
    const va = need(v, 'va');
    const off = need(v, 'off');
    const s = need(v, 's');
    const c = need(v, 'c');
    const vaddr = va + (c - off);
    return {
      confirmed: c % s === 0n && vaddr % s !== 0n,
      text:
        `file chunk ` +
        `[${hex(c)}, ${hex(c + s)}) is ${hex(s)}-aligned but maps to ` +
        `VA ${hex(vaddr)} (≡ ${hex(vaddr % s)} mod s): no ${hex(s)} leaf there`,
    };
  },
};

export const twin = notCongruent;
export const proofFile: ProofFile = { lemma, twins: [notCongruent] };
