// The drivers a scenario can name in file.driver (docs/MODEL.md#the-drivers).

import type { FileDesc } from '../types.js';
import type { DriverModel } from './driver.js';
import { orderK, parseOrderK } from './order-k.js';
import { vfioPci } from './vfio-pci.js';
import { vfioPciJason } from './vfio-pci-jason.js';

export type { DriverModel } from './driver.js';
export { barPhys, DEFAULT_BAR_PHYS } from './driver.js';

/** How the names are spelled, for error messages. */
export const DRIVER_NAMES_HELP = "'vfio-pci', 'vfio-pci-jason' or 'order:K' (K a C int)";

// Driver models are pure and immutable: one per name is built once. Building an
// order:K model on every call was 30% of the exhaustive checker's time (profile
// in bench/PROFILE.md: each build re-runs the regex and, under tsx, names three closures).
const models = new Map<string, DriverModel | null>();

/** The driver model named `name`, or null if there is none by that name. */
export function driverModel(name: string): DriverModel | null {
  let d = models.get(name);
  if (d !== undefined) return d;
  if (name === 'vfio-pci') d = vfioPci;
  else if (name === 'vfio-pci-jason') d = vfioPciJason;
  else {
    const k = parseOrderK(name);
    d = k === null ? null : orderK(k);
  }
  // Bounded: a fuzzer asking for millions of distinct K must not grow it without end.
  if (models.size < 4096) models.set(name, d);
  return d;
}

/**
 * The driver behind a file of kind 'driver'. A driver file without a name is a
 * programming error in the caller (the CLI refuses it as bad input).
 */
export function driverOf(file: FileDesc): DriverModel {
  if (file.kind !== 'driver') throw new Error(`file.kind is '${file.kind}', not 'driver'`);
  const d = driverModel(file.driver ?? '');
  if (!d) throw new Error(`file.driver: unknown driver '${file.driver ?? ''}' (one of ${DRIVER_NAMES_HELP})`);
  return d;
}
