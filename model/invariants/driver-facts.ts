// What the invariants need to know about a driver file, from the driver model
// (model/drivers) and the scenario alone: the order get_mapping_order()
// answers for the request as do_mmap passes it (PAGE_ALIGNed len), and the
// physical address behind the mapping's first page.

import { driverModel, type DriverModel } from '../drivers/index.js';
import type { Scenario } from '../types.js';
import { fileOffset, geometryOf, mappedLen } from './request-facts.js';

export interface DriverFacts {
  readonly driver: DriverModel;
  /** get_mapping_order(file, pgoff, len). */
  readonly order: number;
  /** The physical address of file offset pgoff << PAGE_SHIFT. */
  readonly phys: bigint;
  /** The driver's ->mmap refuses the range (vfio_pci_core_mmap): the mapping never exists. */
  readonly mmapRefused: boolean;
}

/** null when the file is not a driver file (or names no known driver). */
export function driverFacts(s: Scenario): DriverFacts | null {
  if (s.file.kind !== 'driver') return null;
  const driver = driverModel(s.file.driver ?? '');
  if (driver === null) return null;
  const g = geometryOf(s);
  const len = mappedLen(s);
  return {
    driver,
    order: driver.getMappingOrder(g, s.file, s.request.pgoff, len),
    phys: driver.physAddr(g, s.file, fileOffset(s)),
    mmapRefused: driver.mmapCheck(g, s.file, s.request.pgoff, len, s.request.shared) !== null,
  };
}

/** PAGE_SIZE << order in bytes for order >= 0 (any size: bigint has no overflow). */
export function orderSize(pageSize: bigint, order: number): bigint {
  return pageSize << BigInt(Math.max(order, 0));
}

/** [off, off+len) holds a whole S-aligned chunk: round_up(off, S) + S <= off + len. */
export function holdsAlignedChunk(off: bigint, len: bigint, S: bigint): boolean {
  const offAlign = (off + S - 1n) & ~(S - 1n);
  return offAlign + S <= off + len;
}
