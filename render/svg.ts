// An explanation as SVG: per VMA a title, the path and congruence, and a bar
// in which each leaf run is a rectangle coloured by leaf size (PTEs grey, the
// next sizes blue, green, orange, purple), proportional to bytes with a
// minimum width, the single leaves of a run marked when there are few of
// them, the run's count and size written on it, the VMA's ends under it.

import { geometry } from '../model/geometry.js';
import { layoutRuns, sizeRanks } from './bar.js';
import { congruenceLines } from './congruence.js';
import type { ExplainDoc, VmaExplain } from './doc.js';
import { leavesText, sizeLabel } from './units.js';
import { hex } from '../model/u64.js';

const COLOURS = ['#c9c9c9', '#3b7dd8', '#1f8a4c', '#e08a1e', '#9b59b6'];
const WIDTH = 1000;
const MARGIN = 24;
const BAR_W = WIDTH - 2 * MARGIN;
const BAR_H = 34;
const LINE = 16;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;
}

/** The SVG elements of one VMA, starting at y; returns them and the height used. */
function vmaSvg(v: VmaExplain, y0: number): { parts: string[]; height: number } {
  const g = geometry(v.scenario.arch);
  const p = v.placement;
  const parts: string[] = [];
  let y = y0 + LINE;
  parts.push(text(MARGIN, y, v.title, 'font-weight="bold"'));
  y += LINE;
  const order = v.driverOrder !== null ? `get_mapping_order = ${v.driverOrder}; ` : '';
  const cong = v.congruent === null ? '' : `; VA ≡ off (mod ${sizeLabel(p.alignment)}): ${v.congruent ? 'yes' : 'no'}`;
  parts.push(text(MARGIN, y, `${order}path ${p.path}, order ${p.order}, alignment ${sizeLabel(p.alignment)}${cong}`));
  if (p.va === null || v.faults === null || !v.faults.ok) {
    y += LINE;
    parts.push(
      text(
        MARGIN,
        y,
        p.va === null ? `no VMA: ${p.error ?? 'error'}` : `no faults: ${v.faults && !v.faults.ok ? v.faults.why : ''}`,
      ),
    );
    return { parts, height: y - y0 + LINE };
  }
  for (const l of congruenceLines(v)) {
    y += LINE;
    parts.push(text(MARGIN, y, l, 'fill="#444"'));
  }
  y += LINE;
  const report = v.faults.report;
  parts.push(
    text(MARGIN, y, `leaves: ${leavesText(report.leaves)}; ${report.faults} faults, ${report.fallbacks} fallbacks`),
  );
  y += 10;
  const ranks = sizeRanks(report.runs, g.pageSize);
  const colour = (size: bigint) => COLOURS[Math.min(ranks.indexOf(size), COLOURS.length - 1)]!;
  const placed = layoutRuns(report.runs, BAR_W, 6);
  const barY = y + LINE;
  for (const pr of placed) {
    const x = MARGIN + pr.x;
    const n = (pr.run.end - pr.run.start) / pr.run.size;
    parts.push(
      `<rect x="${x}" y="${barY}" width="${pr.w}" height="${BAR_H}" fill="${colour(pr.run.size)}" stroke="#333" ` +
        `stroke-width="0.5"><title>${esc(
          `[${hex(pr.run.start)}, ${hex(pr.run.end)}): ${n} x ${sizeLabel(pr.run.size)}`,
        )}</title></rect>`,
    );
    // Single leaves, when a run holds few enough of them to tell apart.
    if (n > 1n && n <= 128n && pr.w / Number(n) >= 3) {
      for (let k = 1; k < Number(n); k++) {
        const lx = x + (pr.w * k) / Number(n);
        parts.push(
          `<line x1="${lx.toFixed(1)}" y1="${barY}" x2="${lx.toFixed(1)}" y2="${barY + BAR_H}" stroke="#ffffff" ` +
            `stroke-width="0.6"/>`,
        );
      }
    }
    const label = `${n} x ${sizeLabel(pr.run.size)}`;
    if (pr.w >= label.length * 7 + 6) {
      parts.push(
        text(
          x + pr.w / 2,
          barY + BAR_H / 2 + 4,
          label,
          `text-anchor="middle" fill="${ranks.indexOf(pr.run.size) === 0 ? '#000' : '#fff'}" font-weight="bold"`,
        ),
      );
    } else {
      parts.push(text(x + 1, barY - 4, label, 'font-size="11"'));
    }
  }
  const first = report.runs[0]!;
  const last = report.runs[report.runs.length - 1]!;
  y = barY + BAR_H + LINE;
  parts.push(text(MARGIN, y, hex(first.start), 'font-size="11"'));
  parts.push(text(MARGIN + BAR_W, y, hex(last.end), 'font-size="11" text-anchor="end"'));
  // Run boundaries inside the bar, for the runs wide enough to carry them.
  for (const pr of placed.slice(1)) {
    if (pr.x > 110 && pr.x < BAR_W - 110)
      parts.push(text(MARGIN + pr.x, y, hex(pr.run.start), 'font-size="11" text-anchor="middle" fill="#555"'));
  }
  y += LINE;
  let lx = MARGIN;
  for (const size of ranks) {
    parts.push(
      `<rect x="${lx}" y="${y - 10}" width="12" height="12" fill="${colour(size)}" stroke="#333" stroke-width="0.5"/>`,
    );
    parts.push(text(lx + 16, y, sizeLabel(size), 'font-size="11"'));
    lx += 70;
  }
  return { parts, height: y - y0 + LINE / 2 };
}

export function renderSvg(docs: readonly ExplainDoc[]): string {
  const body: string[] = [];
  let y = 0;
  for (const doc of docs) {
    y += LINE + 4;
    body.push(text(MARGIN, y, doc.title, 'font-size="15" font-weight="bold"'));
    if (doc.steps.length > 0) {
      for (const [i, st] of doc.steps.entries()) {
        y += LINE - 2;
        body.push(text(MARGIN + 8, y, `${i + 1}. ${st}`, 'font-size="11" fill="#333"'));
      }
    }
    if (doc.error !== null) {
      y += LINE;
      body.push(text(MARGIN, y, `stopped: ${doc.error}`, 'fill="#b00"'));
    }
    for (const v of doc.vmas) {
      const r = vmaSvg(v, y + 6);
      body.push(...r.parts);
      y += r.height + 12;
    }
    y += 8;
  }
  const height = Math.ceil(y + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" ` +
      `width="${WIDTH}" height="${height}" viewBox="0 ` +
      `0 ${WIDTH} ${height}" font-family="DejaVu Sans Mono, monospace" font-size="12">`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
