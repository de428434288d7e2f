// An explanation for the terminal: the call, the order, the path, the
// congruence, the leaves, and a bar of the VMA in which each character is a
// stretch of leaves of one size ('.' PTEs, then '=', '#', '@', '%' for the
// larger sizes in ascending order), proportional to bytes, with every run at
// least one character wide.

import type { LeafRun } from '../model/faults/index.js';
import { geometry } from '../model/geometry.js';
import { layoutRuns, sizeRanks } from './bar.js';
import { congruenceLines } from './congruence.js';
import type { ExplainDoc, VmaExplain } from './doc.js';
import { leavesText, sizeLabel } from './units.js';
import { hex } from '../model/u64.js';

const GLYPHS = ['.', '=', '#', '@', '%'];

function fileText(v: VmaExplain): string {
  const f = v.scenario.file;
  if (f.kind !== 'driver') return f.kind;
  const bits = [`driver ${f.driver ?? '?'}`];
  if (f.barSize !== undefined) bits.push(`BAR ${sizeLabel(f.barSize)}`);
  if (f.barIndex !== undefined) bits.push(`index ${f.barIndex}`);
  bits.push(`barPhys ${f.barPhys !== undefined ? hex(f.barPhys) : 'default 0x10000000000'}`);
  return bits.join(', ');
}

/** The bar line and the run list under it. */
export function barLines(runs: readonly LeafRun[], pageSize: bigint, width: number): string[] {
  const ranks = sizeRanks(runs, pageSize);
  const glyph = (size: bigint) => GLYPHS[Math.min(ranks.indexOf(size), GLYPHS.length - 1)]!;
  const placed = layoutRuns(runs, width, 1);
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (!first || !last) return [];
  const bar = placed.map((p) => glyph(p.run.size).repeat(p.w)).join('');
  const lines = [`${hex(first.start)} |${bar}| ${hex(last.end)}`];
  const pad = ' '.repeat(hex(first.start).length + 2);
  for (const r of runs)
    lines.push(
      `${pad}${glyph(r.size)} [${hex(r.start)}, ${hex(r.end)})  ${(r.end - r.start) / r.size} x ${sizeLabel(r.size)}`,
    );
  lines.push(`${pad}legend: ${ranks.map((s) => `${glyph(s)} ${sizeLabel(s)}`).join('   ')}`);
  return lines;
}

export function vmaText(v: VmaExplain, width: number): string[] {
  const s = v.scenario;
  const r = s.request;
  const g = geometry(s.arch);
  const p = v.placement;
  const flags = [r.shared ? 'MAP_SHARED' : 'MAP_PRIVATE', ...(r.fixed ? ['MAP_FIXED'] : [])].join('|');
  const out = [`${v.title}`];
  out.push(
    `  mmap(addr ${hex(r.addr)}, len ${hex(r.len)}, pgoff ${hex(r.pgoff)} [off ${hex(v.off)}], ` +
      `${flags}) on ${fileText(v)}`,
  );
  if (v.driverOrder !== null)
    out.push(`  get_mapping_order(pgoff ${hex(r.pgoff)}, len ${hex(v.len)}) = ${v.driverOrder}`);
  const congruence =
    v.congruent === null ? '' : `, VA ≡ off (mod ${sizeLabel(p.alignment)}): ${v.congruent ? 'yes' : 'no'}`;
  out.push(`  path ${p.path}, order ${p.order}, alignment ${sizeLabel(p.alignment)}${congruence}`);
  if (p.va === null) {
    out.push(`  no VMA: ${p.error ?? 'error'}`);
    return out;
  }
  out.push(`  VMA [${hex(p.va)}, ${hex(p.va + v.len)}), ${sizeLabel(v.len)}`);
  for (const l of congruenceLines(v)) out.push(`  ${l}`);
  const f = v.faults;
  if (f === null) return out;
  if (!f.ok) {
    out.push(`  no faults: ${f.error}: ${f.why}`);
    return out;
  }
  out.push(`  leaves: ${leavesText(f.report.leaves)}; ${f.report.faults} faults, ${f.report.fallbacks} fallbacks`);
  for (const l of barLines(f.report.runs, g.pageSize, width)) out.push(`  ${l}`);
  return out;
}

export function renderText(doc: ExplainDoc, width = 64): string {
  const out = [doc.title];
  if (doc.steps.length > 0) {
    out.push('  calls:');
    doc.steps.forEach((st, i) => out.push(`    ${i + 1}. ${st}`));
  }
  if (doc.error !== null) out.push(`  stopped: ${doc.error}`);
  for (const v of doc.vmas) {
    out.push('');
    out.push(...vmaText(v, width));
  }
  return out.join('\n') + '\n';
}
