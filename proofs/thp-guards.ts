// What the two tests of __thp_get_unmapped_area exclude (invariants UsefulOnly, InRange).
//
// Kernel: mm/huge_memory.c __thp_get_unmapped_area, with its C types:
//   loff_t off_end = off + len;  loff_t off_align = round_up(off, size);
//   if (off_end <= off_align || (off_end - off_align) < size) return 0;   // "chunk test"
//   len_pad = len + size;
//   if (len_pad < len || (off + len_pad) < off) return 0;                   // "overflow test"
// off_end and off_align are loff_t, so `off_end <= off_align` compares SIGNED; the difference is
// converted to unsigned for `< size`; the overflow test is all unsigned (off converts to u64).
// off = pgoff << PAGE_SHIFT can be any page-aligned 64-bit pattern here: do_mmap only checks
// pgoff + (len >> PAGE_SHIFT) for overflow in pages, and file_mmap_ok() runs after placement.
//
// Lemma: for size = PAGE_SIZE << k, off and len page-aligned, len != 0, when both tests pass and
// off_end, off_align have the same loff_t sign:
//   len + size, off + len and off + len + size do not wrap (unsigned);
//   off_align = round_up(off, size) does not wrap: off <= off_align <= off + size - PAGE_SIZE;
//   [off, off + len) holds a whole aligned size-chunk: off_align + size <= off_end, no wrap.
//
// Twin (sign-boundary), a FINDING: without the same-sign hypothesis both tests pass on a range that
// holds NO whole aligned chunk: round_up(off, size) crosses 2^63, becomes a negative loff_t, and the
// signed `off_end <= off_align` lets it through; the unsigned difference is then huge, >= size.
// The placement is still congruent and in range (off-sub.ts needs only the overflow test), but it
// pads and shifts for nothing (UsefulOnly). Reachable only with off >= 2^63 - size, i.e. a driver or
// file taking pgoff >= 2^(63 - PAGE_SHIFT) - (size >> PAGE_SHIFT); vfio-pci offsets are < 2^43.
// Twin (no-overflow-test): without the overflow test off + len + size wraps while the chunk test passes.

import {
  asLoff,
  hex,
  mask64,
  need,
  roundUp64,
  type B,
  type BV,
  type Kernel,
  type Lemma,
  type ProofFile,
} from './lib.js';

/** off, len and size as __thp_get_unmapped_area's two tests see them (thp-guard-complete.ts uses the same). */
export function thpTestVars(k: Kernel) {
  const off = k.u64('off');
  const len = k.u64('len');
  const size = k.u64('size');
  const offEnd = off.add(len);
  const offAlign = k.roundUp(off, size);
  const sameSign = k.negativeLoff(offEnd).eq(k.negativeLoff(offAlign));
  const common = [k.leafSize(size), k.pageAligned(off), k.mapLen(len)];
  return { off, len, size, offEnd, offAlign, sameSign, common };
}

function noWraps(k: Kernel, off: BV, len: BV, size: BV): B[] {
  const offAlign = k.roundUp(off, size);
  return [
    k.addNoWrap(len, size),
    k.addNoWrap(off, len),
    k.addNoWrap(off.add(len), size),
    k.ule(off, offAlign),
    k.ule(offAlign.sub(off), size.sub(k.PAGE_SIZE)),
  ];
}

function wholeChunk(k: Kernel, off: BV, len: BV, size: BV): B[] {
  const offAlign = k.roundUp(off, size);
  return [
    k.ule(off, offAlign),
    k.addNoWrap(offAlign, size),
    k.addNoWrap(off, len),
    k.ule(offAlign.add(size), off.add(len)),
  ];
}

/** The kernel's two tests evaluated with bigint in C semantics: [chunk test passes, overflow test passes]. */
export function thpTestsBigint(off: bigint, len: bigint, size: bigint): [boolean, boolean] {
  const offEnd = asLoff(off + len);
  const offAlign = asLoff(roundUp64(off, size));
  const chunk = !(offEnd <= offAlign || mask64(offEnd - offAlign) < size);
  const lenPad = mask64(len + size);
  const overflow = !(lenPad < len || mask64(off + lenPad) < off);
  return [chunk, overflow];
}

/**
 * A counterexample's off, len and size replayed in bigint:
 * the kernel's two tests, and whether a whole aligned chunk fits.
 */
export function replayThpCase(v: Readonly<Record<string, bigint>>) {
  const off = need(v, 'off');
  const len = need(v, 'len');
  const size = need(v, 'size');
  const [chunk, overflow] = thpTestsBigint(off, len, size);
  const offAlign = roundUp64(off, size);
  const whole = offAlign >= off && offAlign + size <= off + len;
  return { off, len, size, chunk, overflow, offAlign, whole };
}

export const lemma: Lemma = {
  id: 'thp-guards',
  statement:
    'both tests pass and off_end, off_align have the same loff_t sign => len + size, off + len + size, round_up(off, ' +
    'size) do not wrap and round_up(off, size) + size <= off + len',
  invariants: ['UsefulOnly', 'InRange'],
  expect: 'proved',
  build(k) {
    const { off, len, size, offEnd, offAlign, sameSign, common } = thpTestVars(k);
    return {
      hypotheses: [...common, k.thpChunkTestPasses(off, len, size), k.thpOverflowTestPasses(off, len, size), sameSign],
      goal: [...noWraps(k, off, len, size), ...wholeChunk(k, off, len, size)],
      show: { off, len, size, off_end: offEnd, off_align: offAlign },
    };
  },
};

export const signBoundary: Lemma = {
  id: 'thp-guards/sign-boundary',
  statement: 'without the same-sign hypothesis: both tests pass yet [off, off + len) holds no whole aligned size-chunk',
  invariants: ['UsefulOnly'],
  expect: 'refuted',
  finding:
    '__thp_get_unmapped_area compares off_end <= off_align as loff_t: when round_up(off, size) crosses 2^63 the ' +
    'chunk test passes on a range with no whole aligned chunk (pads and shifts for nothing; still congruent and in ' +
    'range)',
  build(k) {
    const { off, len, size, offEnd, offAlign, common } = thpTestVars(k);
    return {
      hypotheses: [...common, k.thpChunkTestPasses(off, len, size), k.thpOverflowTestPasses(off, len, size)],
      goal: wholeChunk(k, off, len, size),
      show: { off, len, size, off_end: offEnd, off_align: offAlign },
      prefer: [[size.eq(k.orderSize(k.geo.pmdOrder)), len.eq(k.PAGE_SIZE)], [size.eq(k.orderSize(k.geo.pmdOrder))]],
    };
  },
  replay(v, geo) {
    const { off, len, size, chunk, overflow, offAlign, whole } = replayThpCase(v);
    return {
      confirmed: chunk && overflow && !whole,
      text:
        `pgoff=${hex(off >> geo.pageShift)}: off_end=${hex(off + len)} (loff_t ${asLoff(off + len)}) ` +
        `vs off_align=${hex(offAlign)} (loff_t ${asLoff(offAlign)}): signed test says off_end > off_align, ` +
        `off_end - off_align = ${hex(mask64(off + len - offAlign))} >= size; ` +
        `both tests pass, yet off_align + size = ${hex(offAlign + size)} > off + len = ${hex(off + len)}`,
    };
  },
};

export const noOverflowTest: Lemma = {
  id: 'thp-guards/no-overflow-test',
  statement:
    'without the `len_pad < len || off + len_pad < off` test: some off + len + size wraps while the chunk test passes',
  invariants: ['InRange'],
  expect: 'refuted',
  build(k) {
    const { off, len, size, offEnd, offAlign, sameSign, common } = thpTestVars(k);
    return {
      hypotheses: [...common, k.thpChunkTestPasses(off, len, size), sameSign],
      goal: noWraps(k, off, len, size),
      show: { off, len, size, off_end: offEnd, off_align: offAlign, len_pad: k.lenPad(len, size) },
      prefer: [[size.eq(k.orderSize(k.geo.pmdOrder)), len.ule(k.c(1n << 32n))], [size.ule(k.c(1n << 30n))]],
    };
  },
  replay(v, geo) {
    const off = need(v, 'off');
    const len = need(v, 'len');
    const size = need(v, 'size');
    const [chunk] = thpTestsBigint(off, len, size);
    const wraps = len + size >= 1n << 64n || off + len + size >= 1n << 64n;
    return {
      confirmed: chunk && wraps,
      text:
        `chunk test passes, but off + len + size = 2^64 ` +
        `+ ${hex(off + len + size - (1n << 64n))}: wraps (len + size = ${hex(len + size)})`,
    };
  },
};

export const twin = signBoundary;
export const proofFile: ProofFile = { lemma, twins: [signBoundary, noOverflowTest] };
