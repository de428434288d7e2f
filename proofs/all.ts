// The proof files, in reading order, and the geometries each is checked in.
//
// A lemma that depends only on PAGE_SIZE is checked once per distinct page size of the real
// geometries (4K, 16K, 64K); a lemma that depends on the leaf orders, once per distinct
// (PAGE_SHIFT, leafOrders) pair. The constants come from model/geometry.ts.

import { GEOMETRIES, type ArchName, type Geometry } from '../model/geometry.js';
import type { ProofFile } from './lib.js';
import * as offSub from './off-sub.js';
import * as topdownPlusSize from './topdown-plus-size.js';
import * as thpGuards from './thp-guards.js';
import * as thpGuardComplete from './thp-guard-complete.js';
import * as unmappedAreaLength from './unmapped-area-length.js';
import * as alignOffsetRoundup from './align-offset-roundup.js';
import * as alignOffsetRounddown from './align-offset-rounddown.js';
import * as shmemPadding from './shmem-padding.js';
import * as jasonClamp from './jason-clamp.js';
import * as optimalClamp from './optimal-clamp.js';
import * as maxLeafCoverage from './max-leaf-coverage.js';
import * as maxLeafUpperBound from './max-leaf-upper-bound.js';

export interface ProofEntry {
  readonly file: string;
  readonly proof: ProofFile;
  readonly geometries: readonly ArchName[];
}

/** The first geometry (in GEOMETRIES order) of every class of equal keys. */
function distinct(key: (g: Geometry) => string): ArchName[] {
  const seen = new Set<string>();
  const out: ArchName[] = [];
  for (const g of Object.values(GEOMETRIES)) {
    const kk = key(g);
    if (seen.has(kk)) continue;
    seen.add(kk);
    out.push(g.name);
  }
  return out;
}

/** One geometry per page size: x86_64 (4K), arm64-16k, arm64-64k. */
export const BY_PAGE_SIZE: readonly ArchName[] = distinct((g) => String(g.pageShift));
/** One geometry per (page size, leaf orders): x86_64, arm64-4k/16k/64k and the tiny ones. */
export const BY_LEAF_ORDERS: readonly ArchName[] = distinct((g) => `${g.pageShift}:${g.leafOrders.join(',')}`);

export const PROOFS: readonly ProofEntry[] = [
  { file: 'off-sub.ts', proof: offSub.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'topdown-plus-size.ts', proof: topdownPlusSize.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'thp-guards.ts', proof: thpGuards.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'thp-guard-complete.ts', proof: thpGuardComplete.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'unmapped-area-length.ts', proof: unmappedAreaLength.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'align-offset-roundup.ts', proof: alignOffsetRoundup.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'align-offset-rounddown.ts', proof: alignOffsetRounddown.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'shmem-padding.ts', proof: shmemPadding.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'jason-clamp.ts', proof: jasonClamp.proofFile, geometries: BY_LEAF_ORDERS },
  { file: 'optimal-clamp.ts', proof: optimalClamp.proofFile, geometries: BY_LEAF_ORDERS },
  { file: 'max-leaf-coverage.ts', proof: maxLeafCoverage.proofFile, geometries: BY_PAGE_SIZE },
  { file: 'max-leaf-upper-bound.ts', proof: maxLeafUpperBound.proofFile, geometries: BY_PAGE_SIZE },
];
