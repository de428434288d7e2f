// A tiny case in kernel terms, for a person reading a mismatch: the mmap call
// in bytes (and pages), the driver and its BAR, the direction and the VMAs.

import { GEOMETRIES } from '../../model/geometry.js';
import { layoutText } from '../../generators/tiny/scenario.js';
import { driverName, type TinyCase } from '../../generators/tiny/types.js';
import { hex } from '../../model/u64.js';

export function caseText(c: TinyCase): string {
  const g = GEOMETRIES[c.arch];
  const ps = g.pageSize;
  const r = c.request;
  const flags = ['MAP_SHARED', ...(r.fixed ? ['MAP_FIXED'] : [])].join('|');
  const pg = (n: number): string => `${hex(BigInt(n) * ps)} [${n} page${n === 1 ? '' : 's'}]`;
  const region = r.region !== 0 ? `, VFIO region ${r.region}` : '';
  const shadowStack = r.sg > 0 ? ', VM_SHADOW_STACK' : '';
  const bar = r.drv.kind === 'order' ? `BAR at PFN ${r.drv.pa}` : `${c.barPages}-page BAR at PFN ${r.drv.pa}`;
  const direction = r.topdown ? 'top-down' : 'bottom-up';
  return (
    `mmap(addr ${pg(r.addr)}, len ${pg(r.len)}, pgoff ${r.pgoff}${region}, ${flags}${shadowStack}) ` +
    `on driver ${driverName(r.drv)} (${bar}); ${c.arch}, ${direction}; VMAs ${layoutText(c.layout)} (pages)`
  );
}
