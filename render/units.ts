// Sizes for people: 4096 -> "4K", 2097152 -> "2M", 1073741824 -> "1G"; other
// values in hex.

const UNITS: readonly [bigint, string][] = [
  [1n << 40n, 'T'],
  [1n << 30n, 'G'],
  [1n << 20n, 'M'],
  [1n << 10n, 'K'],
];

export function sizeLabel(bytes: bigint): string {
  for (const [u, s] of UNITS) if (bytes >= u && bytes % u === 0n) return `${bytes / u}${s}`;
  return `0x${bytes.toString(16)}`;
}

/** The leaves of a report as "511 x 4K, 30 x 2M, 0 x 1G", smallest leaf first. */
export function leavesText(leaves: ReadonlyMap<bigint, bigint>): string {
  return sortedLeaves(leaves)
    .map(([size, n]) => `${n} x ${sizeLabel(size)}`)
    .join(', ');
}

export function sortedLeaves(leaves: ReadonlyMap<bigint, bigint>): [bigint, bigint][] {
  return [...leaves].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The JSON form of docs/CLI.md (faults): leaf size in bytes (decimal) -> count (decimal string). */
export function leavesJson(leaves: ReadonlyMap<bigint, bigint>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [size, n] of sortedLeaves(leaves)) out[size.toString()] = n.toString();
  return out;
}
