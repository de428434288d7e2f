// The overflow test of unmapped_area / unmapped_area_topdown is exact (invariant InRange).
//
// Kernel: mm/vma.c unmapped_area() and unmapped_area_topdown():
//   length = info->length + info->align_mask + info->start_gap;
//   if (length < info->length) return -ENOMEM;
// start_gap is stack_guard_placement(vm_flags): PAGE_SIZE for VM_SHADOW_STACK, else 0.
// align_mask, when a congruence to S = PAGE_SIZE << k is requested, is (S - 1) & PAGE_MASK.
//
// Lemma: for S = PAGE_SIZE << k, align_mask = (S - 1) & PAGE_MASK, start_gap in {0, PAGE_SIZE},
// info->length page-aligned and != 0: the test passes (length >= info->length) if and only if
// info->length + align_mask + start_gap does not wrap. So after the test, length is the true sum
// and the search asks for the full padding. (It holds because align_mask + start_gap <= 2^63.)
//
// Twin (any-mask): for an arbitrary page-aligned align_mask (not of the (S - 1) & PAGE_MASK form)
// the test passes although the sum wraps: align_mask = ~0UL & PAGE_MASK with start_gap = PAGE_SIZE
// adds exactly 2^64. No in-tree caller passes such a mask (x86 get_align_mask(), hugetlb's
// ~huge_page_mask(h) & PAGE_MASK and THP-sized masks are all far below 2^63).

import { hex, mask64, need, type Lemma, type ProofFile } from './lib.js';

function build(maskFromSize: boolean): Lemma['build'] {
  return (k) => {
    const infoLength = k.u64('info_length');
    const alignMask = k.u64('align_mask');
    const startGap = k.u64('start_gap');
    const S = k.u64('S');
    const length = k.searchLength(infoLength, alignMask, startGap);
    const noWrap = k.and(k.addNoWrap(infoLength, alignMask), k.addNoWrap(infoLength.add(alignMask), startGap));
    const testPasses = k.not(k.ult(length, infoLength));
    return {
      hypotheses: [
        k.mapLen(infoLength),
        k.or(startGap.eq(k.zero), startGap.eq(k.PAGE_SIZE)),
        maskFromSize ? k.and(k.leafSize(S), alignMask.eq(k.alignMaskFor(S))) : k.pageAligned(alignMask),
      ],
      goal: [testPasses.eq(noWrap)],
      show: { info_length: infoLength, align_mask: alignMask, start_gap: startGap, length },
      prefer: [[infoLength.ule(k.c(1n << 30n))]],
    };
  };
}

export const lemma: Lemma = {
  id: 'unmapped-area-length',
  statement:
    'align_mask = (S - 1) & PAGE_MASK, start_gap in {0, PAGE_SIZE}: `length < info->length` fails exactly when ' +
    'info->length + align_mask + start_gap does not wrap',
  invariants: ['InRange'],
  expect: 'proved',
  build: build(true),
};

export const anyMask: Lemma = {
  id: 'unmapped-area-length/any-mask',
  statement: 'with any page-aligned align_mask: the sum wraps and the test still passes',
  invariants: ['InRange'],
  expect: 'refuted',
  build: build(false),
  replay(v) {
    const infoLength = need(v, 'info_length');
    const alignMask = need(v, 'align_mask');
    const startGap = need(v, 'start_gap');
    const sum = infoLength + alignMask + startGap;
    const length = mask64(sum);
    return {
      confirmed: sum >= 1n << 64n && !(length < infoLength),
      text:
        `info->length + align_mask + start_gap = 2^64 ` +
        `+ ${hex(sum - (1n << 64n))} wraps to ` +
        `length=${hex(length)} >= info->length=${hex(infoLength)}: the search asks for less than info->length + ` +
        `padding`,
    };
  },
};

export const twin = anyMask;
export const proofFile: ProofFile = { lemma, twins: [anyMask] };
