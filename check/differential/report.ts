// The differential comparison's report: text, JSON and the one-line summary.

import { showVa, type SpecAnswer } from './answer.js';
import { caseText } from './case-text.js';
import { KEEP, type DifferentialReport, type Mismatch, type SpecToModelRun } from './types.js';

export function mismatchLines(m: Mismatch, indent: string): string[] {
  const label = (a: SpecAnswer): string => (a.path !== '?' ? ` (${a.path})` : '');
  return [
    `${indent}${m.policy}: model ${showVa(m.model.va)}${label(m.model)}, spec ${showVa(m.spec.va)}${label(m.spec)}`,
    `${indent}  ${caseText(m.case)}`,
  ];
}

export function differentialText(rep: DifferentialReport): string[] {
  const lines = [
    'Differential comparison (TLA+ spec <-> TypeScript model: the same VA or errno; for a placement the same path ' +
      'and order)',
  ];
  lines.push('  spec -> model: every state TLC explores in the CI configurations, replayed through the model');
  for (const r of rep.specToModel) {
    if (r.error !== null && r.states === 0) {
      lines.push(`    ${r.config}: not compared: ${r.error}`);
      continue;
    }
    lines.push(
      `    ${r.config}: ${r.states} states, ${r.transitions} mmap transitions, ${r.answers} answers compared: ` +
        `${r.vaMismatches} VA/errno mismatches, ${labelCount(r)} label differences ` +
        `(TLC ${r.tlc.seconds.toFixed(0)} s, replay ${r.replaySeconds.toFixed(0)} s)`,
    );
    if (r.error !== null) lines.push(`      error: ${r.error}`);
    if (r.universe !== null) {
      const u = r.universe;
      lines.push(
        u.missingInTs + u.missingInTlc === 0
          ? `      explores exactly the TypeScript ci universe (${u.ts} cases)`
          : `      universe ` +
              `drift: ${u.missingInTs} cases only in ` +
              `TLC, ${u.missingInTlc} only in the TypeScript ci universe; e.g. ${u.example ?? ''}`,
      );
    }
    for (const m of r.examples) lines.push(...mismatchLines(m, '      '));
    for (const l of [...r.labels.values()].sort((a, b) => b.count - a.count))
      lines.push(`      label: ${l.what}: ${l.count} answers, e.g. ${caseText(l.example.case)}`);
  }
  lines.push("  model -> spec: the model's answers on every case of a universe, checked by TLC (spec/diff/MCDiff.tla)");
  for (const r of rep.modelToSpec) {
    if (r.error !== null) {
      lines.push(`    ${r.universe}: not compared: ${r.error}`);
      continue;
    }
    const mismatches =
      r.mismatches.length === 0
        ? '0 mismatches'
        : `${r.mismatches.length} mismatches in the first failing chunk (TLC stops there)`;
    lines.push(
      `    ${r.universe}: ${r.rows} cases (${r.rawCases} raw) x ${r.answers / Math.max(r.rows, 1)} policies ` +
        `= ${r.answers} answers: ${mismatches} ` +
        `(model ${r.tableSeconds.toFixed(0)} s, TLC ${r.tlc.seconds.toFixed(0)} s)`,
    );
    for (const m of r.mismatches.slice(0, KEEP)) lines.push(...mismatchLines(m, '      '));
  }
  return lines;
}

export function mismatchJson(m: Mismatch): Record<string, unknown> {
  return { policy: m.policy, case: caseText(m.case), model: showVa(m.model.va), spec: showVa(m.spec.va) };
}

export function differentialJson(rep: DifferentialReport): Record<string, unknown> {
  return {
    name: 'differential',
    ok: rep.ok,
    exitCode: String(rep.exitCode),
    specToModel: rep.specToModel.map((r) => ({
      config: r.config,
      states: String(r.states),
      transitions: String(r.transitions),
      answers: String(r.answers),
      vaMismatches: String(r.vaMismatches),
      labelDifferences: [...r.labels.values()].map((l) => ({
        what: l.what,
        count: String(l.count),
        example: caseText(l.example.case),
      })),
      examples: r.examples.map(mismatchJson),
      universe: r.universe && {
        tlc: String(r.universe.tlc),
        ts: String(r.universe.ts),
        onlyInTlc: String(r.universe.missingInTs),
        onlyInTs: String(r.universe.missingInTlc),
      },
      tlcSeconds: r.tlc.seconds.toFixed(1),
      error: r.error,
    })),
    modelToSpec: rep.modelToSpec.map((r) => ({
      universe: r.universe,
      rows: String(r.rows),
      rawCases: String(r.rawCases),
      answers: String(r.answers),
      mismatches: r.mismatches.map(mismatchJson),
      tlcSeconds: r.tlc.seconds.toFixed(1),
      error: r.error,
    })),
  };
}

/** Answers with the same VA whose path or order differ (check/differential/answer.ts compareLabels). */
export function labelCount(r: SpecToModelRun): number {
  return [...r.labels.values()].reduce((n, l) => n + l.count, 0);
}

export function differentialSummary(rep: DifferentialReport): string {
  const s2m = rep.specToModel.reduce((n, r) => n + r.answers, 0);
  const s2mBad = rep.specToModel.reduce((n, r) => n + r.vaMismatches + labelCount(r), 0);
  const m2s = rep.modelToSpec.reduce((n, r) => n + r.answers, 0);
  const m2sBad = rep.modelToSpec.reduce((n, r) => n + r.mismatches.length, 0);
  return (
    `differential: spec -> ` +
    `model ${s2m} answers, ${s2mBad} mismatches; model -> spec ${m2s} answers, ${m2sBad} mismatches`
  );
}
