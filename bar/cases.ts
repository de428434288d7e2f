// The placements the oracle asks of the patched kernel, per BAR: offsets and lengths from 4K to the whole BAR
// (around DPDK's MSI-X hole at 2M), address hints, MAP_FIXED, and a top-down hole that fits the length but not
// the padded search. Each case is one mmap of BAR2 through the VFIO device file, at region offset + `off`.

const K = 1n << 10n;
const M = 1n << 20n;

export interface PlainCase {
  readonly what: string;
  readonly off: bigint;
  readonly len: bigint;
  /** The address hint (0: none), or the MAP_FIXED address. */
  readonly addr: bigint;
  readonly fixed: boolean;
}

function sized(x: bigint): string {
  if (x === 0n) return '0';
  if (x % (1n << 30n) === 0n) return `${x >> 30n}G`;
  if (x % M === 0n) return `${x >> 20n}M`;
  if (x % K === 0n) return `${x >> 10n}K`;
  return `0x${x.toString(16)}`;
}

/** Offset and length pairs inside a BAR of `barSize`: aligned and unaligned, sub-ranges and the rest. */
export function offsetsAndLengths(barSize: bigint): Array<{ off: bigint; len: bigint }> {
  const offs = [0n, 4n * K, M, 2n * M, 2n * M + 4n * K, barSize / 2n, barSize - 2n * M];
  const lens = [4n * K, 64n * K, M, 2n * M, 2n * M + 4n * K, 4n * M, barSize / 2n];
  const out: Array<{ off: bigint; len: bigint }> = [];
  const seen = new Set<string>();
  const add = (off: bigint, len: bigint): void => {
    const key = `${off}/${len}`;
    if (len <= 0n || off + len > barSize || seen.has(key)) return;
    seen.add(key);
    out.push({ off, len });
  };
  for (const off of offs) {
    for (const len of lens) add(off, len);
    add(off, barSize - off);
  }
  return out;
}

/** No hint, no MAP_FIXED: where the kernel puts each piece of the BAR. */
export function plainCases(barSize: bigint): PlainCase[] {
  return offsetsAndLengths(barSize).map(({ off, len }) => ({
    what: `off ${sized(off)} len ${sized(len)}`,
    off,
    len,
    addr: 0n,
    fixed: false,
  }));
}

/**
 * Hints and MAP_FIXED at `base` (a free, 1G-aligned address below mmap_base): aligned, page-unaligned to 2M,
 * and congruent with the offset; a hint below mmap_min_addr is rounded by the kernel and placed as no hint.
 */
export function addressCases(barSize: bigint, base: bigint): PlainCase[] {
  const out: PlainCase[] = [];
  const pieces = [
    { off: 0n, len: 2n * M },
    { off: 2n * M + 4n * K, len: 4n * M },
    { off: 4n * K, len: barSize - 4n * K },
  ];
  for (const fixed of [false, true]) {
    for (const p of pieces) {
      for (const delta of [0n, 4n * K, M + 4n * K, p.off % (2n * M)]) {
        const addr = base + delta;
        const what = `${fixed ? 'MAP_FIXED' : 'hint'} base+${sized(delta)} off ${sized(p.off)} len ${sized(p.len)}`;
        if (!out.some((c) => c.addr === addr && c.off === p.off && c.fixed === fixed))
          out.push({ what, off: p.off, len: p.len, addr, fixed });
      }
    }
  }
  return out;
}

export interface HoleCase {
  readonly what: string;
  readonly off: bigint;
  readonly len: bigint;
  /** The size of the free hole at the top of the search. */
  readonly hole: bigint;
}

/** A hole of len, len + 4K, len + 1M, len + 2M: the padded search (len + alignment) fits only in the last. */
export function holeCases(barSize: bigint): HoleCase[] {
  const out: HoleCase[] = [];
  for (const { off, len } of [
    { off: 0n, len: 2n * M },
    { off: 2n * M + 4n * K, len: 4n * M },
    { off: 0n, len: barSize },
  ]) {
    for (const extra of [0n, 4n * K, M, 2n * M]) {
      out.push({ what: `hole len+${sized(extra)} off ${sized(off)} len ${sized(len)}`, off, len, hole: len + extra });
    }
  }
  return out;
}
