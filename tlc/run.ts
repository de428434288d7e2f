// Runs TLC on one model and turns its `-tool` output and exit code into a TlcResult.
//
// API (used by cli/check.ts):
//
//   const r = await runTlc({ dir: 'spec', spec: 'MappingOrder', config: 'MCOptimal.cfg', workers: 1,
//                            timeoutMs: 600_000, onProgress: (p) => ... });
//
//   - dir:       folder holding the .tla (TLC runs with this as its working directory, so EXTENDS of sibling
//                modules resolve).
//   - spec:      the module, `<Name>` or `<Name>.tla`, relative to dir.
//   - config:    the .cfg relative to dir; default `<Name>.cfg`.
//   - workers:   TLC worker threads, default 1 (the state counts do not depend on it).
//   - timeoutMs: kill TLC after this long; the result is then outcome 'error'. Default: no limit.
//   - onProgress: called for each of TLC's progress lines (about once a minute, and at the end) with the
//                counts and the seconds since the JVM started.
//   - env:       environment for finding java / the jar and for the JVM (default process.env).
//   - dump:      write every distinct state to `${dump}.dump` (TLC's -dump); the caller owns that file.
//   - short:     the run is expected to take a second or two: the JVM compiles with C1 only
//                (-XX:TieredStopAtLevel=1), which halves the start-up cost; a long run wants C2.
//
// Throws MissingToolError (io/errors.ts, exit code missingTool) when java or the jar cannot be found, with
// a message saying how to get them, and InputError('spec' | 'config') when those files do not exist.
// Everything else is reported in the result, never thrown:
//
//   outcome 'pass'      exit 0 and TLC said "No error has been found" with its statistics and depth.
//   outcome 'violation' exit 12 (invariant: `invariant` names it; `trace` leads to the bad state),
//                       13 (temporal property: `trace` plus `lasso`), 10 (ASSUME false), 14 (Assert failed);
//                       `violation` says which.
//   outcome 'deadlock'  exit 11; `trace` leads to the deadlocked state.
//   outcome 'error'     anything else: spec or config errors (150, 151), evaluation failures (75, 76, 77),
//                       system errors (152, 153, 255), a timeout or signal (exitCode -1), or output that
//                       could not be read, including a trace value outside the grammar of value-parse.ts.
//                       `errors` says why.
//
// TLC writes its states/ folder (and would write trace files) into a temporary folder that is removed
// afterwards; nothing is left in `dir`.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import { dieWithParent, registerCleanup } from '../io/cleanup.js';
import { InputError } from '../io/errors.js';
import { findJava, findTlaJar } from './jar.js';
import { parseProgress, parseTlcOutput, type TlcLasso, type TlcTraceState } from './parse.js';

export type { TlcLasso, TlcTraceState } from './parse.js';
export type { TlaValue } from './value.js';

export interface TlcProgressReport {
  distinct: number;
  generated: number;
  left: number;
  seconds: number;
}

export interface RunTlcOptions {
  dir: string;
  spec: string;
  config?: string;
  workers?: number;
  timeoutMs?: number;
  onProgress?: (p: TlcProgressReport) => void;
  env?: NodeJS.ProcessEnv;
  dump?: string;
  short?: boolean;
  /** Called once the JVM has been started (a caller may then do work of its own while TLC runs). */
  onStart?: () => void;
}

export type TlcOutcome = 'pass' | 'violation' | 'deadlock' | 'error';

export interface TlcResult {
  outcome: TlcOutcome;
  /** TLC's exit code (tlc2.output.EC.ExitStatus), or -1 when TLC was killed (timeout, signal). */
  exitCode: number;
  /** For outcome 'violation': which kind of property failed. */
  violation: 'invariant' | 'temporal' | 'assumption' | 'assert' | null;
  /** The invariant that was violated (or whose evaluation failed), as named in the .cfg. */
  invariant: string | null;
  /** The behaviour TLC printed, first state first (empty when there is none). */
  trace: TlcTraceState[];
  /** For a temporal violation, how the counter-example loops. */
  lasso: TlcLasso | null;
  distinctStates: number;
  statesGenerated: number;
  /** Depth of the state graph search, 0 when TLC did not report it (a violation in the initial state). */
  depth: number;
  /** Wall-clock seconds of the whole run, JVM start-up included. */
  seconds: number;
  /** Why the run failed (outcome 'error') first, then TLC's error messages (and, for an error, its other
   *  messages that may explain it); empty for a clean verdict. */
  errors: string[];
  warnings: string[];
  /** TLC's version string, e.g. "2.18". */
  version: string | null;
  /** Everything TLC printed: stdout, then stderr (if any) after a "--- stderr ---" line. */
  raw: string;
}

/** Exit codes of tlc2.output.EC.ExitStatus (TLC 2.18). */
export const TLC_EXIT = {
  success: 0,
  violationAssumption: 10,
  violationDeadlock: 11,
  violationSafety: 12,
  violationLiveness: 13,
  violationAssert: 14,
  failureSpecEval: 75,
  failureSafetyEval: 76,
  failureLivenessEval: 77,
  errorSpecParse: 150,
  errorConfigParse: 151,
  errorStatespaceTooLarge: 152,
  errorSystem: 153,
  error: 255,
} as const;

/**
 * Turns TLC's output and exit code into a result. Pure, so the reading of odd output can be tested without
 * a JVM. `exitCode` null means TLC was killed; `killedWhy` then says why.
 */
export function interpretTlcRun(
  stdout: string,
  stderr: string,
  exitCode: number | null,
  seconds: number,
  killedWhy: string | null = null,
): TlcResult {
  const p = parseTlcOutput(stdout);
  const raw = stderr === '' ? stdout : `${stdout}\n--- stderr ---\n${stderr}`;
  const errors = [...p.errors];
  if (stderr.trim() !== '') errors.push(stderr.trim());
  const base: TlcResult = {
    outcome: 'error',
    exitCode: exitCode ?? -1,
    violation: null,
    invariant: p.invariant,
    trace: p.trace,
    lasso: p.lasso,
    distinctStates: p.stats?.distinct ?? 0,
    statesGenerated: p.stats?.generated ?? 0,
    depth: p.depth ?? 0,
    seconds,
    errors,
    warnings: p.warnings,
    version: p.version,
    raw,
  };
  const fail = (why: string): TlcResult => ({
    ...base,
    outcome: 'error',
    violation: null,
    errors: [why, ...(p.otherOutput === null ? [] : [p.otherOutput]), ...errors, ...p.notes],
  });

  if (exitCode === null) return fail(killedWhy ?? 'TLC was killed');
  // The JVM ends with 128 + the signal when SIGINT or SIGTERM reaches it: an interrupted run, not bad output.
  if (exitCode === 130 || exitCode === 143) {
    return fail(`TLC was interrupted (exit ${exitCode}: ${exitCode === 130 ? 'SIGINT' : 'SIGTERM'})`);
  }
  // java's own refusals, before TLC prints anything: a damaged jar, or a jar that is not TLC.
  const jarTrouble = /Invalid or corrupt jarfile|Could not find or load main class|java\.util\.zip\.\w+Exception/.exec(
    stderr,
  );
  if (jarTrouble !== null && p.version === null) {
    const java = stderr.trim().split('\n')[0];
    return fail(`the TLC jar is corrupt or is not TLC (java: ${java}); reinstall it: bash scripts/setup.sh`);
  }
  if (p.problems.length > 0) return fail(`TLC output not understood: ${p.problems.join('; ')}`);
  if (p.version === null) return fail(`TLC output not understood: no version banner (exit code ${exitCode})`);

  switch (exitCode) {
    case TLC_EXIT.success:
      if (!p.success || !p.finished || p.stats === null || p.depth === null) {
        return fail('TLC exited 0 without reporting success, statistics and depth');
      }
      if (p.trace.length > 0 || p.invariant !== null || p.deadlock || p.temporalViolated) {
        return fail('TLC exited 0 but reported a violation');
      }
      return { ...base, outcome: 'pass' };
    case TLC_EXIT.violationSafety:
      if (p.invariant === null || p.trace.length === 0) {
        return fail('TLC reported a safety violation (exit 12) without naming the invariant and its trace');
      }
      return { ...base, outcome: 'violation', violation: 'invariant' };
    case TLC_EXIT.violationDeadlock:
      if (!p.deadlock || p.trace.length === 0) return fail('TLC exited 11 (deadlock) without the deadlock trace');
      return { ...base, outcome: 'deadlock' };
    case TLC_EXIT.violationLiveness:
      if (!p.temporalViolated && !p.messages.some((m) => m.code === 2108)) {
        return fail('TLC exited 13 (liveness) without reporting a violated temporal property');
      }
      return { ...base, outcome: 'violation', violation: 'temporal' };
    case TLC_EXIT.violationAssumption:
      return { ...base, outcome: 'violation', violation: 'assumption' };
    case TLC_EXIT.violationAssert:
      return { ...base, outcome: 'violation', violation: 'assert' };
    default: {
      const what: Record<number, string> = {
        [TLC_EXIT.failureSpecEval]: 'evaluating the spec failed',
        [TLC_EXIT.failureSafetyEval]: 'evaluating an invariant failed',
        [TLC_EXIT.failureLivenessEval]: 'evaluating a temporal property failed',
        [TLC_EXIT.errorSpecParse]: 'the spec does not parse',
        [TLC_EXIT.errorConfigParse]: 'the configuration is wrong',
        [TLC_EXIT.errorStatespaceTooLarge]: 'the state space is too large',
        [TLC_EXIT.errorSystem]: 'system error',
        [TLC_EXIT.error]: 'error',
      };
      return fail(`TLC exit ${exitCode}: ${what[exitCode] ?? 'unknown exit code'}`);
    }
  }
}

function resolveSpec(opts: RunTlcOptions): { dir: string; tla: string; cfg: string } {
  const dir = resolve(opts.dir);
  const module = basename(opts.spec).replace(/\.tla$/, '');
  const tla = opts.spec.endsWith('.tla') ? opts.spec : `${opts.spec}.tla`;
  const cfg = opts.config ?? join(opts.spec.replace(/\.tla$/, '').replace(/[^/]*$/, ''), `${module}.cfg`);
  if (!existsSync(join(dir, tla))) throw new InputError('spec', `${join(dir, tla)}: no such file`);
  if (!existsSync(join(dir, cfg))) throw new InputError('config', `${join(dir, cfg)}: no such file`);
  return { dir, tla, cfg };
}

/** Model-checks one spec with TLC; see the comment at the top of this file for the contract. */
export async function runTlc(opts: RunTlcOptions): Promise<TlcResult> {
  const env = opts.env ?? process.env;
  const java = findJava(env);
  const jar = findTlaJar(env);
  const { dir, tla, cfg } = resolveSpec(opts);
  const workers = opts.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new InputError('workers', 'must be an integer >= 1');

  const tmp = await mkdtemp(join(tmpdir(), 'mapping-order-tlc-'));
  // On SIGINT, SIGTERM, SIGHUP or an exit with TLC still running: kill the JVM and remove its folder.
  let running: ChildProcess | null = null;
  const unregister = registerCleanup(() => {
    running?.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });
  try {
    const args = [
      '-XX:+UseParallelGC',
      ...(opts.short === true ? ['-XX:TieredStopAtLevel=1'] : []),
      // TLC and the JVM put scratch files under java.io.tmpdir: keep them in our folder too.
      `-Djava.io.tmpdir=${tmp}`,
      '-cp',
      jar,
      'tlc2.TLC',
      '-tool',
      '-workers',
      String(workers),
      '-config',
      cfg,
      '-metadir',
      join(tmp, 'states'),
      ...(opts.dump !== undefined ? ['-dump', opts.dump] : []),
      tla,
    ];
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    // The JVM dies with this process even when it is SIGKILLed (io/cleanup.ts dieWithParent).
    const [cmd, ...pre] = [...dieWithParent(), java];
    const child = spawn(cmd!, [...pre, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    opts.onStart?.();
    running = child;

    let stdout = '';
    let stderr = '';
    // Progress messages are read as they arrive: a line-level state machine over the frames.
    let pending = '';
    let inProgress = false;
    let progressBody: string[] = [];
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (!opts.onProgress) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '@!@!@STARTMSG 2200:0 @!@!@') {
          inProgress = true;
          progressBody = [];
        } else if (inProgress && line === '@!@!@ENDMSG 2200 @!@!@') {
          inProgress = false;
          const pr = parseProgress(progressBody.join('\n'));
          if (pr) opts.onProgress({ ...pr, seconds: seconds() });
        } else if (inProgress) {
          progressBody.push(line);
        }
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });

    let killedWhy: string | null = null;
    const timer =
      opts.timeoutMs === undefined
        ? null
        : setTimeout(() => {
            killedWhy = `TLC timed out after ${opts.timeoutMs} ms`;
            child.kill('SIGKILL');
          }, opts.timeoutMs);

    const { code, signal, spawnError } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      spawnError: Error | null;
    }>((done) => {
      child.on('error', (err) => done({ code: null, signal: null, spawnError: err }));
      child.on('close', (c, s) => done({ code: c, signal: s, spawnError: null }));
    });
    if (timer) clearTimeout(timer);
    if (spawnError) killedWhy = `could not start ${java}: ${spawnError.message}`;
    else if (code === null) killedWhy ??= `TLC was killed by ${signal ?? 'a signal'}`;
    return interpretTlcRun(stdout, stderr, spawnError ? null : code, seconds(), killedWhy);
  } finally {
    unregister();
    await rm(tmp, { recursive: true, force: true });
  }
}
