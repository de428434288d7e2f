// No manual alignment: each area is mmap()ed with addr 0 and no MAP_FIXED,
// and the kernel's policy (jason, optimal; v2 and baseline for comparison)
// does the work through get_mapping_order(). What Jason's DPDK example asks of
// the kernel: the part after the MSI-X page at VA ≡ its offset (mod 2M).

import { qemuAreas } from './bar-areas.js';
import { SchemeRun } from './run.js';
import type { BarSpec, SchemeEnv, SchemeResult } from './types.js';

export function kernelPlacesScheme(env: SchemeEnv, bar: BarSpec): SchemeResult {
  const run = new SchemeRun('kernel', env);
  qemuAreas(bar, run.pageSize).forEach((a, i) => {
    if (!run.failed) run.mapArea(`area ${i} (addr 0, the kernel places it)`, a, 0n, false);
  });
  return run.result();
}
