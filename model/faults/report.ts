// What a sequential touch of a VMA leaves behind in the page tables.

/** A run of leaves of one size: [start, end) is covered by (end - start) / size leaves. */
export interface LeafRun {
  readonly start: bigint;
  readonly end: bigint;
  /** Leaf size in bytes (PAGE_SIZE, PMD_SIZE, PUD_SIZE, a hugetlb page). */
  readonly size: bigint;
}

export interface FaultReport {
  /**
   * Leaf size in bytes -> number of leaves of that size. Every size the path can install is present, zeros included.
   */
  readonly leaves: ReadonlyMap<bigint, bigint>;
  /** Page faults taken: one per leaf installed. */
  readonly faults: bigint;
  /** huge_fault() (or the THP fault path) answering VM_FAULT_FALLBACK. */
  readonly fallbacks: bigint;
  /** The leaves in address order, adjacent runs of one size merged. */
  readonly runs: readonly LeafRun[];
}

/** Bytes covered by leaves of `size` or larger. */
export function coverageAtLeast(r: FaultReport, size: bigint): bigint {
  let bytes = 0n;
  for (const run of r.runs) if (run.size >= size) bytes += run.end - run.start;
  return bytes;
}
