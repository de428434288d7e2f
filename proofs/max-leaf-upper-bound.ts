// Every leaf any placement gets comes from an aligned file chunk (invariant MaxLeafCoverage, the
// upper bound; DriverObligation as a hypothesis).
//
// Kernel: as in max-leaf-coverage.ts: the byte at offset d of the mapping has VA va + d, file offset
// off + d, physical address pa + d; a leaf of size s at offset d needs d + s <= len (inside the VMA),
// VA va + d s-aligned and physical address pa + d s-aligned (huge_fault's PFN test).
//
// Lemma: for ANY page-aligned va (congruent or not), with pa ≡ off (mod S) and s = PAGE_SIZE << j <= S:
// if a leaf of size s can be installed at offset d, then its file offset c = off + d is s-aligned
// and [c, c + s) ⊆ [off, off + len). The map (leaf at offset d) -> (file chunk at off + d) is
// injective, so no va gets more s-leaves than [off, off + len) has aligned s-chunks;
// max-leaf-coverage.ts shows va ≡ off (mod S) gets all of them.
//
// Twin (no-driver-obligation): without pa ≡ off (mod S) a leaf can sit on a file chunk that is not
// aligned, so the count of aligned file chunks no longer bounds (or predicts) the leaves: the bound,
// and Jason's scheme, rely on the driver's obligation off ≡ PA.

import { hex, need, type Lemma, type ProofFile } from './lib.js';
import { leafWindow } from './max-leaf-coverage.js';

function build(obligation: boolean): Lemma['build'] {
  return (k) => {
    const { va, off, pa, len, S, s, d, c, v, p, hypotheses, prefer } = leafWindow(k);
    return {
      hypotheses: [
        ...hypotheses,
        ...(obligation ? [k.congruent(pa, off, S)] : []),
        k.isAligned(v, s),
        k.isAligned(p, s),
      ],
      goal: [k.isAligned(c, s), ...k.within(v, s, va, len), ...k.within(c, s, off, len)],
      show: { va, off, pa, len, S, s, d, v, c, p },
      prefer,
    };
  };
}

export const lemma: Lemma = {
  id: 'max-leaf-upper-bound',
  statement:
    'any va, pa ≡ off (mod S), s <= S: a leaf of size s at offset d (inside the VMA, VA and PFN s-aligned) has an ' +
    's-aligned file chunk c = off + d inside [off, off + len)',
  invariants: ['MaxLeafCoverage'],
  expect: 'proved',
  build: build(true),
};

export const noDriverObligation: Lemma = {
  id: 'max-leaf-upper-bound/no-driver-obligation',
  statement: 'without pa ≡ off (mod S): a leaf whose file chunk is not aligned',
  invariants: ['DriverObligation'],
  expect: 'refuted',
  build: build(false),
  replay(v) {
    const va = need(v, 'va');
    const off = need(v, 'off');
    const pa = need(v, 'pa');
    const s = need(v, 's');
    const d = need(v, 'd');
    const vaddr = va + d;
    const c = off + d;
    const p = pa + d;
    return {
      confirmed: vaddr % s === 0n && p % s === 0n && c % s !== 0n,
      text:
        `leaf at VA ${hex(vaddr)} -> PA ${hex(p)}, both ${hex(s)}-aligned, but its file ` +
        `offset ${hex(c)} is not (off=${hex(off)}, pa=${hex(pa)}: off ≢ PA)`,
    };
  },
};

export const twin = noDriverObligation;
export const proofFile: ProofFile = { lemma, twins: [noDriverObligation] };
