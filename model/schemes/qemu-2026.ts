// QEMU since Feb 2026 (3863e47828d5 "hw/vfio: align mmap to power-of-2 of
// region size for hugepfnmap", hw/vfio/region.c vfio_region_mmap): one
// alignment for the whole region, align = MIN(pow2ceil(region size), 1 GiB);
// reserve size + align once, round the base up, trim, then for each area in
// offset order unmap the hole before it and map it MAP_FIXED at
// base + area offset; unmap the tail. So VA_i ≡ offset_i (mod align): Jason's
// congruence, done by hand.

import { qemuAreas } from './bar-areas.js';
import { SchemeRun } from './run.js';
import type { BarSpec, SchemeEnv, SchemeResult } from './types.js';

const GiB = 1n << 30n;

/** pow2ceil(x): the smallest power of two >= x (x > 0). */
function pow2ceil(x: bigint): bigint {
  let p = 1n;
  while (p < x) p <<= 1n;
  return p;
}

export function qemu2026Scheme(env: SchemeEnv, bar: BarSpec): SchemeResult {
  const run = new SchemeRun('qemu-2026', env);
  const areas = qemuAreas(bar, run.pageSize);
  if (areas.length === 0) return run.result();
  const p2 = pow2ceil(bar.size);
  const align = p2 < GiB ? p2 : GiB;
  const mapBase = run.reserve(`reserve region size + align (align 0x${align.toString(16)})`, 0n, bar.size + align);
  if (mapBase === null) return run.result();
  const mapAlign = (mapBase + align - 1n) & ~(align - 1n);
  run.munmap('trim below the aligned base', mapBase, mapAlign - mapBase);
  run.munmap('trim above the region', mapAlign + bar.size, align - (mapAlign - mapBase));
  let mapOffset = 0n;
  areas.forEach((a, i) => {
    if (run.failed) return;
    run.munmap(`hole before area ${i}`, mapAlign + mapOffset, a.offset - mapOffset);
    run.mapArea(`area ${i} (MAP_FIXED at base + 0x${a.offset.toString(16)})`, a, mapAlign + a.offset, true);
    mapOffset = a.offset + a.size;
  });
  if (!run.failed && mapOffset < bar.size)
    run.munmap('the rest of the region', mapAlign + mapOffset, bar.size - mapOffset);
  return run.result();
}
