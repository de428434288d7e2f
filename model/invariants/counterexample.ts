// A violated invariant, written out in kernel terms for a person: the mmap
// call (addr, len, pgoff and the byte offset, flags), the backing and the
// driver's order, the mm layout and its VMAs, the answer (VA or errno, path,
// order, alignment) and what broke. Pure: the caller prints it.

import { driverModel } from '../drivers/index.js';
import type { Placement, Scenario } from '../types.js';
import { fileOffset, geometryOf, mappedLen } from './request-facts.js';
import { type Verdict } from './verdict.js';
import { hex } from '../u64.js';

function fileText(s: Scenario): string {
  const f = s.file;
  if (f.kind !== 'driver') return f.kind === 'hugetlb' ? `hugetlb (${hex(f.hugePageSize ?? 0n)} pages)` : f.kind;
  const parts = [`driver ${f.driver ?? '?'}`];
  if (f.barSize !== undefined) parts.push(`BAR ${hex(f.barSize)}`);
  if (f.barIndex !== undefined) parts.push(`index ${f.barIndex}`);
  parts.push(f.barPhys !== undefined ? `barPhys ${hex(f.barPhys)}` : 'barPhys default (1T)');
  return parts.join(', ');
}

export function formatCounterexample(name: string, s: Scenario, p: Placement, v: Verdict): string {
  const g = geometryOf(s);
  const r = s.request;
  const flags = [r.shared ? 'MAP_SHARED' : 'MAP_PRIVATE', ...(r.fixed ? ['MAP_FIXED'] : [])].join('|');
  const extra = [...(r.compat === true ? ['compat'] : []), ...(r.shadowStack === true ? ['VM_SHADOW_STACK'] : [])];
  const mapped = mappedLen(s);
  const inflated = mapped !== r.len ? ` -> ${hex(mapped)}` : '';
  const extraFlags = extra.length ? ', ' + extra.join(', ') : '';
  const lines = [
    `${name} violated under ${s.policy} (${s.arch})`,
    `  mmap(addr ${hex(r.addr)}, len ${hex(r.len)}${inflated}, ` +
      `pgoff ${hex(r.pgoff)} [off ${hex(fileOffset(s))}], ${flags}${extraFlags}) on ${fileText(s)}`,
  ];
  if (s.file.kind === 'driver') {
    const d = driverModel(s.file.driver ?? '');
    if (d) {
      const order = d.getMappingOrder(g, s.file, r.pgoff, mapped);
      lines.push(`  get_mapping_order(pgoff ${hex(r.pgoff)}, len ${hex(mapped)}) = ${order}`);
    }
  }
  const vmas = s.vmas.length
    ? s.vmas
        .map((x) => {
          const tags = `${x.growsDown ? ' grows-down' : ''}${x.shadowStack ? ' shadow-stack' : ''}`;
          return `[${hex(x.start)}, ${hex(x.end)})${tags}`;
        })
        .join(' ')
    : 'none';
  const mmapBase = s.mm.topdown ? s.mm.mmapBase : s.mm.mmapLegacyBase;
  lines.push(
    `  layout: ${s.mm.topdown ? 'top-down' : 'bottom-up'}, mmap_base ${hex(mmapBase)}, ` +
      `mmap_min_addr ${hex(s.mm.mmapMinAddr)}; VMAs ${vmas}`,
  );
  const answer = p.va !== null ? `VA ${hex(p.va)}` : (p.error ?? 'no VA');
  lines.push(`  result: ${answer}, path ${p.path}, order ${p.order}, alignment ${hex(p.alignment)}`);
  lines.push(`  what broke: ${v.why}`);
  return lines.join('\n');
}
