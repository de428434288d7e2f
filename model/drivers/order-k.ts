// 'order:K': a driver that returns K whatever it is asked. K may be negative or
// >= BITS_PER_LONG (the misbehaving drivers the core must survive). Its file is
// one linear object: file offset `off` is backed by barPhys + off, so it keeps
// the obligation off ≡ PA exactly when barPhys is aligned to PAGE_SIZE << K.

import type { Geometry } from '../geometry.js';
import type { Errno, FileDesc } from '../types.js';
import { barPhys, type DriverModel } from './driver.js';

export function orderK(k: number): DriverModel {
  return {
    name: `order:${k}`,
    getMappingOrder: (_g: Geometry, _file: FileDesc, _pgoff: bigint, _len: bigint): number => k,
    physAddr: (_g: Geometry, file: FileDesc, off: bigint): bigint => barPhys(file) + off,
    // A generic device file accepts any shared or private mapping.
    mmapCheck: (): Errno | null => null,
  };
}

/** K parsed from 'order:K' (a C int), or null if the name is not of that form. */
export function parseOrderK(name: string): number | null {
  const m = /^order:(-?\d+)$/.exec(name);
  if (!m || m[1] === undefined) return null;
  const k = Number(m[1]);
  if (!Number.isSafeInteger(k) || k < -(2 ** 31) || k > 2 ** 31 - 1) return null;
  return k;
}
