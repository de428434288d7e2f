// Spec -> model, first half: TLC model-checks a configuration with `-dump` in a copy of spec/, and the dump
// is streamed back one state at a time (a dump of 220k states is far larger than it is worth holding).

import { copyFileSync, createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { ownedTempDir, type OwnedDir } from '../../io/cleanup.js';
import { runTlc, type RunTlcOptions, type TlcResult } from '../../tlc/run.js';
import { parseTlaValue } from '../../tlc/value-parse.js';
import { type TlaValue } from '../../tlc/value.js';
import { SPEC_DIR, type ConfigEntry } from '../manifest.js';
import { dumpConfig, dumpModule, dumpModuleName } from './dump-module.js';
import type { SpecToModelRun } from './types.js';

/**
 * A folder holding a copy of spec/*.tla, for TLC to run generated modules beside the spec's; removed on every
 * way out (io/cleanup.ts), so an interrupted check leaves no folder behind.
 */
export function specCopy(): OwnedDir {
  const dir = ownedTempDir('mapping-order-diff-');
  for (const f of readdirSync(SPEC_DIR)) if (f.endsWith('.tla')) copyFileSync(join(SPEC_DIR, f), join(dir.path, f));
  return dir;
}

export function tlcSummary(r: TlcResult): SpecToModelRun['tlc'] {
  return {
    outcome: r.outcome,
    exitCode: r.exitCode,
    distinctStates: r.distinctStates,
    seconds: r.seconds,
    errors: r.errors,
  };
}

/** TLC on the dump wrapper, writing every distinct state to `<dir>/states.dump`. */
export async function runTlcDump(
  dir: string,
  module: string,
  workers: number,
  progress: (line: string) => void,
  timeoutMs?: number,
  onProgress?: RunTlcOptions['onProgress'],
): Promise<{ result: TlcResult; dump: string }> {
  const dump = join(dir, 'states');
  const result = await runTlc({
    dir,
    spec: `${module}.tla`,
    workers,
    dump,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    onProgress: onProgress ?? ((p) => progress(`${p.distinct.toLocaleString('en-US')} distinct states`)),
  });
  return { result, dump: `${dump}.dump` };
}

/** Distinct value texts kept parsed: a dump repeats each layout and request thousands of times. */
export const PARSED_MAX = 200_000;

/** Each `State N:` block of a TLC dump as its variables. */
export async function* dumpStates(file: string): AsyncGenerator<Record<string, TlaValue>> {
  const rl = createInterface({
    input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  // Values are read-only here, so one parse per distinct text serves every state that prints it.
  const parsed = new Map<string, TlaValue>();
  const parseValue = (text: string): TlaValue => {
    let v = parsed.get(text);
    if (v === undefined) {
      v = parseTlaValue(text);
      if (parsed.size >= PARSED_MAX) parsed.clear();
      parsed.set(text, v);
    }
    return v;
  };
  let block: string[] = [];
  const parse = (lines: string[]): Record<string, TlaValue> => {
    if (!/^State \d+:/.test(lines[0] ?? ''))
      throw new Error(`dump: expected "State N:", read ${JSON.stringify(lines[0])}`);
    const vars: Record<string, TlaValue> = {};
    for (const part of lines
      .slice(1)
      .join('\n')
      .split(/^\/\\ /m)) {
      if (part.trim() === '') continue;
      const eq = part.indexOf(' = ');
      if (eq < 0) throw new Error(`dump: cannot read ${JSON.stringify(part.slice(0, 80))}`);
      vars[part.slice(0, eq).trim()] = parseValue(part.slice(eq + 3));
    }
    return vars;
  };
  for await (const line of rl) {
    if (line === '') {
      if (block.length > 0) yield parse(block);
      block = [];
    } else block.push(line);
  }
  if (block.length > 0) yield parse(block);
}

/** A configuration's state space dumped by TLC into a folder of its own (removed by replayDumped). */
export interface Dumped {
  readonly c: ConfigEntry;
  readonly dir: OwnedDir;
  readonly result: TlcResult;
  readonly dump: string;
}

/**
 * TLC dumps a configuration's states. `checkInvariants`: the run also checks the configuration's invariants
 * (the TLC stage's run of a configuration expected to pass, whose verdict and states come from one run).
 */
export async function dumpStatesOf(
  c: ConfigEntry,
  workers: number,
  progress: (line: string) => void,
  timeoutMs?: number,
  checkInvariants = false,
  onProgress?: RunTlcOptions['onProgress'],
): Promise<Dumped> {
  const dir = specCopy();
  try {
    const mod = dumpModuleName(c.module);
    writeFileSync(join(dir.path, `${mod}.tla`), dumpModule(c.module));
    const cfg = readFileSync(join(SPEC_DIR, `${c.name}.cfg`), 'utf8');
    writeFileSync(join(dir.path, `${mod}.cfg`), dumpConfig(cfg, checkInvariants));
    const { result, dump } = await runTlcDump(
      dir.path,
      mod,
      workers,
      (l) => progress(`${c.name}: TLC ${l}`),
      timeoutMs,
      onProgress,
    );
    return { c, dir, result, dump };
  } catch (e) {
    dir.remove();
    throw e;
  }
}
