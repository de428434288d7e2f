// DPDK (drivers/bus/pci/linux/pci_vfio.c, pci_vfio_mmap_bar() and
// pci_vfio_sparse_mmap_bar()): reserve the whole BAR with one PROT_NONE
// anonymous mapping at pci_map_addr (a hint: the kernel applies no THP
// alignment to a hinted anonymous mapping), then map each part with
// RTE_MAP_FORCE_ADDRESS (MAP_FIXED) at reservation + part offset. The parts
// are congruent with each other; the reservation's base is only page-aligned,
// unless the hint is 0 and the kernel aligns it for THP.

import { dpdkAreas } from './bar-areas.js';
import { SchemeRun } from './run.js';
import type { BarSpec, SchemeEnv, SchemeResult } from './types.js';

export function dpdkScheme(env: SchemeEnv, bar: BarSpec): SchemeResult {
  const run = new SchemeRun('dpdk', env);
  const areas = dpdkAreas(bar, run.pageSize);
  if (areas.length === 0) return run.result(); // "Skipping BAR": the table covers it all
  const base = run.reserve('reserve the BAR (PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS)', env.reserveHint ?? 0n, bar.size);
  if (base === null) return run.result();
  areas.forEach((a, i) => {
    if (!run.failed)
      run.mapArea(
        `part ${i} (MAP_FIXED at base + ${a.offset === 0n ? '0' : '0x' + a.offset.toString(16)})`,
        a,
        base + a.offset,
        true,
      );
  });
  return run.result();
}
