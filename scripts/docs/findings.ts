// The generated parts of docs/FINDINGS.md: the list of departures from the
// contract (every violated cell of spec/verdicts.json, and the kernel facts
// shown by a TLC configuration alone), and for each one its smallest
// counterexample in the tiny-16 universe (scripts/docs/minimal-search.ts), the
// same departure at real scale (scripts/docs/findings-cases.ts), both placed by
// the model and written in kernel terms by model/invariants/counterexample.ts,
// and the TLC configuration that exhibits it; and whether the patched Linux 6.12 shows the real-scale case too
// (bar/findings-kernel.json, recorded by `mapping-order oracle --only findings --record`), or why the oracle's
// guest cannot realise it (bar/cases.ts realise).

import { realise } from '../../bar/cases.js';
import { readFindingsRecord, type FindingResult } from '../../bar/oracle.js';
import { driverModel } from '../../model/drivers/index.js';
import { faultsFor } from '../../model/faults/index.js';
import { GEOMETRIES } from '../../model/geometry.js';
import { formatCounterexample, INVARIANTS, INVARIANT_NAMES, type InvariantName } from '../../model/invariants/index.js';
import { mappedLen } from '../../model/invariants/request-facts.js';
import { place } from '../../model/place.js';
import { POLICY_NAMES } from '../../model/policy/index.js';
import type { Placement, PolicyName, Scenario } from '../../model/types.js';
import { leavesText } from '../../render/units.js';
import { scaleCases, type ScaleCase } from './findings-cases.js';
import { minimalCounterexamples, type MinimalCounterexample, type Target, type TinyCase } from './minimal-search.js';
import type { Manifest } from '../../check/manifest.js';
import { departures, type Departure } from './verdicts.js';
import { hex } from '../../model/u64.js';

const KERNEL_LABEL = '**Linux 6.12 (kernel/patches/test):**';
const AS_MODEL = ", as the model on the guest's layout";

/** Whether the patched kernel shows a real-scale case, from the recorded guest run; or why it cannot run. */
export function kernelLine(c: ScaleCase, recorded: readonly FindingResult[]): string {
  const r = realise(c);
  if (!r.ok) return `${KERNEL_LABEL} not realisable here: ${r.why}.`;
  const k = recorded.find((x) => x.title === c.title && x.policy === c.policy && x.invariant === c.invariant);
  if (k === undefined)
    throw new Error(
      `bar/findings-kernel.json has no result for '${c.title}' under ${c.policy}; ` +
        'run `npx mapping-order oracle --only findings --record`',
    );
  const bar = BigInt(k.bar) >= 1n << 30n ? `${BigInt(k.bar) >> 30n}G` : `${BigInt(k.bar) >> 20n}M`;
  const where =
    `${k.policy} placed it at ${k.kernel}${k.agreed ? AS_MODEL : `; the model says ${k.model}`} ` +
    `(the guest's ${bar} ivshmem BAR, driver ${k.driver}${k.leaves !== null ? `; leaves ${k.leaves}` : ''})`;
  return k.shows
    ? `${KERNEL_LABEL} shows it: ${where}. ${k.why}.`
    : `${KERNEL_LABEL} does not show it: ${where}; ${k.invariant} holds on the kernel's answer.`;
}

/** Second searches: a cell that breaks in more than one way shows the smallest case of each. */
const VIEWS: Readonly<Record<string, readonly { label: string; filter: (c: TinyCase) => boolean }[]>> = {
  'MaxLeafCoverage/jason': [
    { label: 'Smallest case without an address hint', filter: (c) => c.addr === 0 && !c.fixed },
  ],
  'MaxLeafCoverage/v2': [{ label: 'Smallest case with an address hint', filter: (c) => c.addr !== 0 && !c.fixed }],
};

export const departureKey = (d: { invariant: string; policy: string }): string => `${d.invariant}/${d.policy}`;
export const regionName = (d: { invariant: string; policy: string }): string => `cex ${departureKey(d)}`;
export const headingOf = (d: { invariant: string; policy: string }): string => `${d.invariant} under ${d.policy}`;
/** The anchor GitHub gives the heading `### <Invariant> under <policy>`. */
export const anchorOf = (d: { invariant: string; policy: string }): string =>
  `#${headingOf(d).toLowerCase().replace(/ /g, '-')}`;

function isInvariant(n: string): n is InvariantName {
  return (INVARIANT_NAMES as readonly string[]).includes(n);
}

function isPolicy(n: string): n is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(n);
}

/** The lines formatCounterexample gives, plus baseline's answer and the leaves each VA gets. */
export function counterexampleText(invariant: InvariantName, s: Scenario, p: Placement, why: string): string {
  const lines = [formatCounterexample(invariant, s, p, { ok: false, why })];
  const base = s.policy === 'baseline' ? null : place({ ...s, policy: 'baseline' });
  if (base !== null)
    lines.push(`  baseline: ${base.va !== null ? `VA ${hex(base.va)}` : (base.error ?? 'no VA')}, path ${base.path}`);
  const g = GEOMETRIES[s.arch];
  const leaves = (pl: Placement): string | null => {
    if (pl.va === null) return null;
    const a = faultsFor(
      g,
      { va: pl.va, len: mappedLen(s), pgoff: s.file.kind === 'anon' ? 0n : s.request.pgoff, shared: s.request.shared },
      s.file,
    );
    return a.ok
      ? `${leavesText(a.report.leaves)} (${a.report.faults} fault${a.report.faults === 1n ? '' : 's'})`
      : null;
  };
  const mine = leaves(p);
  if (mine !== null && (s.file.kind === 'driver' || s.file.kind === 'anon')) {
    const theirs = base !== null ? leaves(base) : null;
    lines.push(`  leaves: ${mine}${theirs !== null ? `; baseline's VA: ${theirs}` : ''}`);
  }
  return lines.join('\n');
}

function tinyNote(m: MinimalCounterexample, universe: number): string {
  const c = m.case;
  const layout =
    c.layout.length === 0
      ? 'none'
      : c.layout.map((v) => `[${v.start}, ${v.end})${v.growsDown ? ' grows-down' : ''}`).join(', ');
  const driver = driverModel(c.driver.name);
  const order = driver
    ? driver.getMappingOrder(GEOMETRIES['tiny-16'], m.scenario.file, m.scenario.request.pgoff, m.scenario.request.len)
    : null;
  const hint = c.addr !== 0 ? `, ${c.fixed ? 'MAP_FIXED at' : 'hint'} page ${c.addr}` : '';
  const shadowStack = c.shadowStack ? ', VM_SHADOW_STACK' : '';
  const returns = order !== null && !c.driver.name.startsWith('order:') ? ` (returns ${order})` : '';
  return (
    `In pages: len ${c.len}, pgoff ${c.pgoff}, ${c.topdown ? 'top-down' : 'bottom-up'}, VMAs ${layout}` +
    `${hint}${shadowStack}, ${c.driver.name}${returns}, BAR at PFN ${c.driver.pa}; ` +
    `case ${m.rank + 1} of the ${universe} in size order.`
  );
}

/** The bodies of every generated region of docs/FINDINGS.md, by region name. */
export function findingsRegions(v: Manifest): Map<string, string> {
  const ds = departures(v);
  for (const d of ds) {
    if (!isInvariant(d.invariant))
      throw new Error(`spec/verdicts.json names the invariant '${d.invariant}', which model/invariants does not have`);
    if (!isPolicy(d.policy))
      throw new Error(`spec/verdicts.json names the policy '${d.policy}', which model/policy does not have`);
  }
  const targets: Target[] = [];
  for (const d of ds) {
    const cell = { invariant: d.invariant as InvariantName, policy: d.policy as PolicyName };
    targets.push({ ...cell, key: departureKey(d) });
    for (const view of VIEWS[departureKey(d)] ?? [])
      targets.push({ ...cell, key: `${departureKey(d)}|${view.label}`, filter: view.filter });
  }
  const search = minimalCounterexamples(targets);
  const scale = scaleCases();
  for (const c of scale) {
    const p = place(c.scenario);
    if (INVARIANTS[c.invariant](c.scenario, p).ok)
      throw new Error(
        `scripts/docs/findings-cases.ts: ` +
          `'${c.title}' does not ` +
          `violate ${c.invariant} under ${c.policy}: the model changed; fix the case or the finding`,
      );
  }
  const out = new Map<string, string>();
  out.set('departures', departuresTable(ds));
  const recorded = readFindingsRecord();
  for (const d of ds) out.set(regionName(d), departureBody(d, search.found, search.universe, scale, recorded));
  return out;
}

function departuresTable(ds: readonly Departure[]): string {
  const rows = ds.map((d) => {
    const tlc = d.configs.length > 0 ? d.configs.map((c) => `\`${c.name}\``).join(', ') : 'none';
    const source =
      d.cell !== null
        ? 'matrix: violated'
        : `matrix says holds; ${d.configs.map((c) => c.name).join(', ')} shows the exception`;
    const invariant = `[${d.invariant}](SEMANTICS.md#${d.invariant.toLowerCase()})`;
    const section = `[${headingOf(d)}](${anchorOf(d)})`;
    return `| ${invariant} | ${d.policy} | ${source} | ${tlc} | ${section} |`;
  });
  return ['| invariant | policy | verdict | TLC configuration | section |', '|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

function departureBody(
  d: Departure,
  found: ReadonlyMap<string, MinimalCounterexample>,
  universe: number,
  scale: readonly ScaleCase[],
  recorded: readonly FindingResult[],
): string {
  const inv = d.invariant as InvariantName;
  const parts: string[] = [];
  const show = (label: string, key: string) => {
    const m = found.get(key);
    if (m === undefined) {
      parts.push(`**${label}**: none in the ${universe} cases of the tiny-16 universe.`);
      return;
    }
    parts.push(`**${label}** (tiny-16: 16 pages of 4K, PMD = 2 pages, PUD = 4 pages). ${tinyNote(m, universe)}`);
    parts.push('```text\n' + counterexampleText(inv, m.scenario, m.placement, m.why) + '\n```');
  };
  show('Smallest case', departureKey(d));
  // A second search that lands on the same case adds nothing.
  for (const view of VIEWS[departureKey(d)] ?? []) {
    const key = `${departureKey(d)}|${view.label}`;
    if (found.get(key)?.rank !== found.get(departureKey(d))?.rank) show(view.label, key);
  }
  for (const c of scale.filter((x) => x.invariant === d.invariant && x.policy === d.policy)) {
    const p = place(c.scenario);
    const v = INVARIANTS[inv](c.scenario, p);
    parts.push(`**At ${c.scenario.arch} scale**: ${c.title}.`);
    parts.push('```text\n' + counterexampleText(inv, c.scenario, p, v.why) + '\n```');
    parts.push(kernelLine(c, recorded));
  }
  const tlc = d.configs.map(
    (c) =>
      // The measured state counts are left out: \`check --record\` rewrites them on every run.
      `[\`${c.name}\`](../spec/${c.name}.cfg) (${c.geometry}): ` +
      `\`npx mapping-order check --only ${c.name}\` runs it and prints TLC's counterexample in the same terms.`,
  );
  parts.push(`**TLC**: ${tlc.length > 0 ? tlc.join(' ') : 'no configuration of spec/verdicts.json exhibits it.'}`);
  if (d.cell !== null) {
    const finding = d.cell.finding !== undefined ? ` Finding recorded there: ${d.cell.finding}.` : '';
    parts.push(`**Matrix** (spec/verdicts.json): ${d.cell.verdict}: ${d.cell.reason}.${finding}`);
  } else {
    parts.push(
      `**Matrix** (spec/verdicts.json): the cell says holds, on the CI ` +
        `universe; ${d.configs.map((c) => `${c.name}: ${c.reason}`).join('; ')}.`,
    );
  }
  return parts.join('\n\n');
}
