// file->f_op->get_mapping_order(file, pgoff, len): the hook only exists for a
// driver file; every other kind of file has no such fop.

import type { KFile, MmCtx } from '../context.js';
import { driverOf } from '../drivers/index.js';

/** Whether file->f_op->get_mapping_order is set. */
export function hasGetMappingOrder(file: KFile | null): file is KFile {
  return file !== null && file.kind === 'driver';
}

/** The driver's answer, as the int the fop returns. */
export function getMappingOrder(ctx: MmCtx, file: KFile, pgoff: bigint, len: bigint): number {
  return driverOf(file).getMappingOrder(ctx.geometry, file, pgoff, len);
}
