// place(scenario): where the mmap of a scenario lands, or its errno, with the
// path taken and the alignment aimed for. The whole upstream placement
// (ksys_mmap_pgoff -> do_mmap -> __get_unmapped_area) for the scenario's
// policy, under the scenario's kernel (default 6.18); baseline is that kernel
// without a hook.
//
// Backing per file kind (model/file-ops.ts): anon -> no file (MAP_SHARED goes
// through shmem with file NULL, MAP_PRIVATE through the anonymous-THP rule);
// plain and driver -> a file without get_unmapped_area; thp -> thp_get_unmapped_area;
// shmem / shmem-huge -> shmem_get_unmapped_area (huge=never / huge=always);
// hugetlb -> hugetlb_get_unmapped_area.

import type { KFile, MmapFlags, MmCtx, VmFlags } from './context.js';
import { isErr } from './context.js';
import { ksysMmapPgoff } from './do-mmap.js';
import { GEOMETRIES } from './geometry.js';
import { DEFAULT_KERNEL } from './kernel-version.js';
import { normaliseVmas } from './mm-defaults.js';
import { policyHook } from './policy/index.js';
import type { Placement, Scenario } from './types.js';

/** The context a scenario describes (current, its mm, the sysctls, the kernel, the policy's hook). */
export function scenarioCtx(s: Scenario): MmCtx {
  const geometry = GEOMETRIES[s.arch];
  return {
    geometry,
    kernel: s.kernel ?? DEFAULT_KERNEL,
    mm: s.mm,
    vmas: normaliseVmas(s.vmas, geometry.pageSize),
    compat: s.request.compat === true,
    mappingOrder: policyHook(s.policy),
  };
}

/** The struct file of a scenario: null for anonymous memory. */
export function scenarioFile(s: Scenario): KFile | null {
  return s.file.kind === 'anon' ? null : s.file;
}

export function place(s: Scenario): Placement {
  const ctx = scenarioCtx(s);
  const flags: MmapFlags = { fixed: s.request.fixed, shared: s.request.shared };
  const vmFlags: VmFlags = { shadowStack: s.request.shadowStack === true };
  const r = ksysMmapPgoff(ctx, scenarioFile(s), s.request.addr, s.request.len, s.request.pgoff, flags, vmFlags);
  return isErr(r.addr)
    ? { va: null, error: r.addr, path: r.path, order: r.order, alignment: r.alignment }
    : { va: r.addr, error: null, path: r.path, order: r.order, alignment: r.alignment };
}
