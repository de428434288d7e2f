// The TLC stage of `mapping-order check`: runs the CI configurations of spec/verdicts.json, compares each
// outcome with the manifest, derives the verdict matrix cells (invariant x policy) from the runs that
// decide them, and decodes every violation into kernel terms.
//
// How one invariant per verdict is checked while keeping CI short: TLC stops at the first violation, so
// each policy has ONE run listing every invariant its column says holds (the only full explorations,
// 20-45 s each on tiny-16), and each expected violation has its own run listing only that invariant
// (breadth-first search reaches the shortest counterexample in a few seconds). TLC's -continue was not
// used: it prints one trace per violating state, thousands here. If a 'holds' run is violated, the other
// invariants of that run stay undecided and are reported as such; `--only NAME` reruns one configuration.

import { EXIT } from '../io/errors.js';
import { INVARIANT_NAMES, type InvariantName } from '../model/invariants/index.js';
import { POLICY_NAMES } from '../model/policy/index.js';
import type { PolicyName } from '../model/types.js';
import { runTlc, type TlcProgressReport, type TlcResult } from '../tlc/run.js';
import { dumpStatesOf, type Dumped } from './differential/dump.js';
import { runPool } from './pool.js';
import { decodeState, describeCounterexample, traceView, type CounterexampleReport } from './counterexample.js';
import {
  decidingConfig,
  loadManifest,
  SPEC_DIR,
  SPEC_ARCHES,
  type ConfigEntry,
  type Manifest,
  type Measured,
  type SpecArch,
  type Verdict,
} from './manifest.js';

export type Observed = 'pass' | 'violation' | 'error';

export interface ConfigOutcome {
  entry: ConfigEntry;
  observed: Observed;
  /** The invariant TLC reported violated. */
  violated: string | null;
  matched: boolean;
  distinct: number;
  generated: number;
  depth: number;
  seconds: number;
  /** Why TLC's run could not be used (observed 'error'). */
  error: string | null;
  explanation: CounterexampleReport | null;
}

export type CellObserved = Verdict | 'undecided' | 'not run' | 'error';

/** One cell of the matrix on one architecture. */
export interface CellOutcome {
  invariant: InvariantName;
  policy: PolicyName;
  arch: SpecArch;
  expected: Verdict;
  observed: CellObserved;
  matched: boolean;
  /** The configuration whose run decides the cell. */
  config: string | null;
  reason: string;
  finding: string | null;
}

export interface TlcStageReport {
  name: 'tlc';
  ok: boolean;
  exitCode: number;
  configs: ConfigOutcome[];
  cells: CellOutcome[];
  seconds: number;
}

export interface TlcStageOptions {
  manifest?: Manifest;
  /** Run only this configuration (CI or manual). */
  only?: string;
  /** TLC processes run at once, one worker thread each (default 2). */
  slots?: number;
  /**
   * Configurations (expected to pass) whose states the differential replays: TLC checks each and dumps its
   * states in one run, and `onDumped` receives the dump (and owns it from then on).
   */
  dump?: ReadonlySet<string>;
  onDumped?: (d: Dumped) => void;
  /** Kill a TLC run after this long (reported as a tool error); none by default. */
  timeoutMs?: number;
  /** Explain violations with an extra TLC run each (default true). */
  counterexamples?: boolean;
  /** Called when a configuration starts (final false, repeatedly with TLC's progress) and ends (final true). */
  progress?: (line: string, final: boolean) => void;
  env?: NodeJS.ProcessEnv;
}

export function selectConfigs(m: Manifest, only?: string): ConfigEntry[] {
  if (only === undefined) return m.configs.filter((c) => c.mode === 'ci');
  return m.configs.filter((c) => c.name === only);
}

export function outcomeMatches(c: ConfigEntry, observed: Observed, violated: string | null): boolean {
  if (c.expect === 'pass') return observed === 'pass';
  return observed === 'violation' && violated === c.violates;
}

function fromResult(c: ConfigEntry, r: TlcResult): Omit<ConfigOutcome, 'explanation'> {
  let observed: Observed;
  let error: string | null = null;
  if (r.outcome === 'pass') observed = 'pass';
  else if (r.outcome === 'violation' && r.violation === 'invariant') observed = 'violation';
  else {
    observed = 'error';
    error =
      r.outcome === 'deadlock'
        ? 'TLC reported a deadlock (the configurations disable deadlock checking: the .cfg is wrong)'
        : r.errors.join('; ') || `TLC outcome ${r.outcome}`;
  }
  return {
    entry: c,
    observed,
    violated: observed === 'violation' ? r.invariant : null,
    matched: observed !== 'error' && outcomeMatches(c, observed, r.invariant),
    distinct: r.distinctStates,
    generated: r.statesGenerated,
    depth: r.depth,
    seconds: r.seconds,
    error,
  };
}

/** The cells of the matrix, one per architecture, as the runs decided them. */
export function decideCells(m: Manifest, runs: readonly ConfigOutcome[]): CellOutcome[] {
  const cells: CellOutcome[] = [];
  for (const inv of INVARIANT_NAMES) {
    for (const p of POLICY_NAMES)
      for (const arch of SPEC_ARCHES) {
        const cell = m.matrix[inv][p];
        const expected = cell.arches[arch];
        const c = decidingConfig(m, inv, p, arch);
        const run = c === undefined ? undefined : runs.find((x) => x.entry.name === c.name);
        let observed: CellObserved;
        if (run === undefined) observed = 'not run';
        else if (run.observed === 'error') observed = 'error';
        else if (run.observed === 'pass') observed = 'holds';
        else if (run.violated === inv) observed = 'violated';
        else observed = 'undecided'; // TLC stopped at another invariant of the same run first
        cells.push({
          invariant: inv,
          policy: p,
          arch,
          expected,
          observed,
          matched: observed === expected,
          config: c?.name ?? null,
          reason: cell.reason,
          finding: cell.finding ?? null,
        });
      }
  }
  return cells;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export function outcomeText(o: ConfigOutcome): string {
  const what =
    o.observed === 'pass'
      ? 'no violation'
      : o.observed === 'violation'
        ? `${o.violated} violated`
        : `error: ${o.error ?? 'unknown'}`;
  const verdict = o.matched
    ? 'as expected'
    : `MISMATCH (expected ${o.entry.expect === 'pass' ? 'no violation' : `${o.entry.violates} violated`})`;
  return (
    `${what}, ${verdict}; ${fmt(o.distinct)} distinct ` +
    `/ ${fmt(o.generated)} generated, depth ${o.depth}, ${o.seconds.toFixed(1)}s`
  );
}

/**
 * A run expected to take a second or two (under SHORT_RUN_STATES states when last measured): its JVM compiles
 * with C1 only, which halves the start-up cost; a long or unmeasured run keeps C2.
 */
export const SHORT_RUN_STATES = 50_000;
export function isShortRun(c: ConfigEntry): boolean {
  return c.measured !== null && c.measured.distinct < SHORT_RUN_STATES;
}

export async function runTlcStage(opts: TlcStageOptions = {}): Promise<TlcStageReport> {
  const m = opts.manifest ?? loadManifest();
  const selected = selectConfigs(m, opts.only);
  const slots = opts.slots ?? 2;
  const decode = opts.counterexamples ?? true;
  const say = opts.progress ?? (() => undefined);
  const started = Date.now();
  let done = 0;
  const runOne = async (c: ConfigEntry): Promise<ConfigOutcome> => {
    const tag = `${c.name}`;
    say(`${tag}: running TLC...`, false);
    const onProgress = (p: TlcProgressReport): void =>
      say(`${tag}: ${fmt(p.distinct)} distinct states, ${fmt(p.left)} left, ${p.seconds.toFixed(0)}s`, false);
    let r: TlcResult;
    if (opts.dump?.has(c.name) === true) {
      const d = await dumpStatesOf(c, 1, () => undefined, opts.timeoutMs, true, onProgress);
      r = d.result;
      opts.onDumped?.(d);
    } else {
      r = await runTlc({
        dir: SPEC_DIR,
        spec: c.module,
        config: `${c.name}.cfg`,
        workers: 1,
        short: isShortRun(c),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        onProgress,
        ...(opts.env ? { env: opts.env } : {}),
      });
    }
    const base = fromResult(c, r);
    let explanation: CounterexampleReport | null = null;
    if (base.observed === 'violation' && decode && r.trace.length > 0) {
      const last = r.trace[r.trace.length - 1];
      if (last !== undefined && base.violated !== null) {
        // A dump run's states carry the wrapper's `consts` as well: the decoder reads the spec's variables.
        const { consts: _consts, ...vars } = last.vars;
        const view = await traceView(m, c, vars, opts.timeoutMs);
        explanation = describeCounterexample(c, base.violated, decodeState(vars), view, base.matched);
      }
    }
    const o: ConfigOutcome = { ...base, explanation };
    say(`[${++done}/${selected.length}] ${tag}: ${outcomeText(o)}`, true);
    return o;
  };
  const runs = await runPool(
    selected.map((c) => ({ cost: c.measured?.seconds ?? null, run: () => runOne(c) })),
    slots,
  );
  const cells = decideCells(m, runs);
  const toolError = runs.some((r) => r.observed === 'error');
  const ok = !toolError && runs.every((r) => r.matched) && cells.every((c) => c.observed === 'not run' || c.matched);
  return {
    name: 'tlc',
    ok,
    exitCode: ok ? EXIT.ok : toolError ? EXIT.toolError : EXIT.failed,
    configs: runs,
    cells,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The measured figures of a run, for `check --record`. */
export function measuredOf(o: ConfigOutcome, workers: number, date: string): Measured {
  return {
    distinct: o.distinct,
    generated: o.generated,
    depth: o.depth,
    seconds: Math.round(o.seconds * 10) / 10,
    workers,
    date,
  };
}

// ---- text ---------------------------------------------------------------------------------------

/**
 * Where a cell was decided: for a cell that holds, the architectures whose runs showed it holds; for a
 * violated one, those whose runs found the violation ("both" when x86 and arm64 agree).
 */
export function decidedOn(cells: readonly CellOutcome[]): string {
  const verdict: Verdict = cells.some((c) => c.expected === 'violated') ? 'violated' : 'holds';
  const on = cells.filter((c) => c.observed === verdict).map((c) => c.arch);
  return on.length === SPEC_ARCHES.length ? 'both' : on.length === 0 ? 'none' : on.join('+');
}

/** One matrix cell in text: the verdict, where it was decided, and whether TLC agrees on every architecture. */
export function cellText(cells: readonly CellOutcome[]): string {
  const expected: Verdict = cells.some((c) => c.expected === 'violated') ? 'violated' : 'holds';
  const run = cells.filter((c) => c.observed !== 'not run');
  if (run.length === 0) return `${expected} (not run)`;
  const bad = run.filter((c) => !c.matched);
  if (bad.length === 0) return `${expected} ${decidedOn(run)} ✓`;
  return `✗ ${bad.map((c) => `${c.arch} ${c.observed} (exp. ${c.expected})`).join(', ')}`;
}

export function matrixText(cells: readonly CellOutcome[]): string[] {
  const w0 = Math.max(...INVARIANT_NAMES.map((i) => i.length)) + 2;
  const w = 22;
  const head = 'invariant'.padEnd(w0) + POLICY_NAMES.map((p) => p.padEnd(w)).join('');
  const lines = [
    'verdict matrix (rows: invariants, columns: policies; x86 / arm64 / both = the architectures whose runs',
    'decided the cell: where it holds, or where it is violated; ✓ = TLC agrees with spec/verdicts.json)',
    head,
  ];
  for (const inv of INVARIANT_NAMES) {
    let row = inv.padEnd(w0);
    for (const p of POLICY_NAMES) row += cellText(cells.filter((x) => x.invariant === inv && x.policy === p)).padEnd(w);
    lines.push(row.trimEnd());
  }
  return lines;
}

export function configTableText(runs: readonly ConfigOutcome[]): string[] {
  const w = Math.max(12, ...runs.map((r) => r.entry.name.length)) + 2;
  const rows = runs.map((r) => {
    const exp = r.entry.expect === 'pass' ? 'no violation' : `${r.entry.violates} violated`;
    const got =
      r.observed === 'pass' ? 'no violation' : r.observed === 'violation' ? `${r.violated} violated` : 'ERROR';
    return { r, exp, got: got + (r.matched ? ' ✓' : ' ✗') };
  });
  // The longest verdict ("OrderZeroIsBaseline violated") sets the column width, so columns never run together.
  const we = Math.max(10, ...rows.map((x) => x.exp.length)) + 2;
  const wg = Math.max(10, ...rows.map((x) => x.got.length)) + 2;
  // The three text columns are padded on the right, the four numbers on the left.
  const row = (
    name: string,
    exp: string,
    got: string,
    distinct: string,
    generated: string,
    depth: string,
    time: string,
  ) =>
    name.padEnd(w) +
    exp.padEnd(we) +
    got.padEnd(wg) +
    distinct.padStart(10) +
    generated.padStart(11) +
    depth.padStart(6) +
    time.padStart(8);
  const lines = [row('configuration', 'expected', 'TLC', 'distinct', 'generated', 'depth', 'time')];
  for (const { r, exp, got } of rows) {
    lines.push(
      row(r.entry.name, exp, got, fmt(r.distinct), fmt(r.generated), String(r.depth), `${r.seconds.toFixed(1)}s`),
    );
  }
  return lines;
}

export function stageText(rep: TlcStageReport): string[] {
  const out: string[] = [];
  out.push(...matrixText(rep.cells), '');
  out.push(...configTableText(rep.configs), '');
  const expl = rep.configs.filter((r) => r.explanation !== null);
  if (expl.length > 0) {
    out.push('counterexamples (last state, in kernel terms):');
    for (const r of expl) out.push(...(r.explanation?.lines ?? []));
    out.push('');
  }
  for (const r of rep.configs.filter((x) => x.observed === 'error'))
    out.push(`${r.entry.name}: TLC error: ${r.error ?? ''}`);
  for (const c of rep.cells.filter((x) => x.finding !== null && x.matched && x.arch === 'x86')) {
    out.push(`finding (${c.invariant} under ${c.policy}): ${c.finding}`);
  }
  return out;
}

export function stageJson(rep: TlcStageReport): Record<string, unknown> {
  return {
    name: rep.name,
    ok: rep.ok,
    seconds: rep.seconds.toFixed(1),
    matrix: Object.fromEntries(
      INVARIANT_NAMES.map((inv) => [
        inv,
        Object.fromEntries(
          POLICY_NAMES.map((p) => {
            const cs = rep.cells.filter((c) => c.invariant === inv && c.policy === p);
            const run = cs.filter((c) => c.observed !== 'not run');
            return [
              p,
              {
                expected: cs.some((c) => c.expected === 'violated') ? 'violated' : 'holds',
                decidedOn: run.length === 0 ? null : decidedOn(run),
                matched: run.length === 0 ? null : run.every((c) => c.matched),
                arches: Object.fromEntries(
                  cs.map((c) => [
                    c.arch,
                    {
                      expected: c.expected,
                      observed: c.observed,
                      matched: c.observed === 'not run' ? null : c.matched,
                      config: c.config,
                    },
                  ]),
                ),
                reason: cs[0]?.reason ?? '',
                finding: cs[0]?.finding ?? null,
              },
            ];
          }),
        ),
      ]),
    ),
    configs: rep.configs.map((r) => ({
      name: r.entry.name,
      module: r.entry.module,
      mode: r.entry.mode,
      policy: r.entry.policy,
      bugs: r.entry.bugs,
      expected: r.entry.expect === 'pass' ? { result: 'pass' } : { result: 'violation', invariant: r.entry.violates },
      observed: r.observed === 'violation' ? { result: 'violation', invariant: r.violated } : { result: r.observed },
      matched: r.matched,
      distinctStates: String(r.distinct),
      statesGenerated: String(r.generated),
      depth: String(r.depth),
      seconds: r.seconds.toFixed(1),
      error: r.error,
      counterexample: r.explanation?.json ?? null,
    })),
  };
}
