// QEMU 9.2 (00b519c0bca0 "vfio/helpers: Align mmaps", hw/vfio vfio_region_mmap):
// for each area separately, align = MIN(1 << ctz64(area size), 1 GiB); reserve
// size + align (PROT_NONE, anonymous, no hint), round the base up to align,
// trim both ends, map the area MAP_FIXED at the aligned base. The VA is ≡ 0
// (mod align), whatever the area's offset: after the MSI-X page an area at
// offset 2M + 4K of size 62M - 4K gets align 4K, and a VA no better than luck.

import { qemuAreas } from './bar-areas.js';
import { SchemeRun } from './run.js';
import type { BarSpec, SchemeEnv, SchemeResult } from './types.js';

const GiB = 1n << 30n;

/** 1 << ctz64(x), for x > 0. */
function lowestSetBit(x: bigint): bigint {
  return x & -x;
}

export function qemu92Scheme(env: SchemeEnv, bar: BarSpec): SchemeResult {
  const run = new SchemeRun('qemu-9.2', env);
  qemuAreas(bar, run.pageSize).forEach((a, i) => {
    if (run.failed) return;
    const low = lowestSetBit(a.size);
    const align = low < GiB ? low : GiB;
    const mapBase = run.reserve(`area ${i}: reserve size + align (align 0x${align.toString(16)})`, 0n, a.size + align);
    if (mapBase === null) return;
    const mapAlign = (mapBase + align - 1n) & ~(align - 1n);
    run.munmap(`area ${i}: trim below the aligned base`, mapBase, mapAlign - mapBase);
    run.munmap(`area ${i}: trim above the area`, mapAlign + a.size, align - (mapAlign - mapBase));
    run.mapArea(`area ${i} (MAP_FIXED at the aligned base)`, a, mapAlign, true);
  });
  return run.result();
}
