// npm run bench (first part): the wall-clock time of each stage of `mapping-order check` and of the whole run,
// for this tree and for the pipeline before issue 13 (commit BASELINE, checked out in a temporary git
// worktree), measured in one run on this machine, one side after the other, and the ratio old / new. (A stage
// that runs alongside the others counts its own wall time, so the stages may add up to more than the run.) Each side's
// summary line is printed too: the counts (states, cases, answers, lemmas) show what each side covered.
//
//   node --import tsx bench/stages.ts                 both sides (about 20 minutes on 2 cores)
//   node --import tsx bench/stages.ts --against REV   another baseline commit
//   node --import tsx bench/stages.ts --new-only      this tree only
//
// Speed is printed, never asserted; bench/PROFILE.md records the figures and what was cut.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { registerCleanup } from '../io/cleanup.js';

/** The last commit before issue 13 (the speed work and arm64 in the spec). */
export const BASELINE = '24e3230';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface StageTime {
  name: string;
  seconds: number;
  ok: boolean;
  summary: string;
}

function die(field: string, why: string): never {
  process.stderr.write(`bench: ${field}: ${why}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { against: string | null } {
  let against: string | null = BASELINE;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--new-only') against = null;
    else if (a === '--against') {
      against = argv[++i] ?? '';
      if (!/^[0-9a-f]{7,40}$|^[\w./-]+$/.test(against)) die('--against', `'${against}' is not a commit`);
    } else die(a ?? '', 'unknown option (--against REV, --new-only)');
  }
  return { against };
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${(r.stderr ?? '').trim()}`);
  return r.stdout.trim();
}

/** A worktree of `rev` sharing this tree's node_modules and TLC jar; removed on every way out. */
function worktree(rev: string): { path: string; remove: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'mapping-order-bench-'));
  const path = join(base, 'tree');
  const remove = (): void => {
    spawnSync('git', ['worktree', 'remove', '--force', path], { cwd: ROOT });
    rmSync(base, { recursive: true, force: true });
  };
  const unregister = registerCleanup(remove);
  try {
    git(['worktree', 'add', '--detach', path, rev]);
    for (const shared of ['node_modules', '.cache'])
      if (existsSync(join(ROOT, shared))) symlinkSync(join(ROOT, shared), join(path, shared));
  } catch (e) {
    remove();
    unregister();
    throw e;
  }
  return {
    path,
    remove: () => {
      remove();
      unregister();
    },
  };
}

interface SideTimes {
  stages: StageTime[];
  /** The whole run, wall clock. */
  seconds: number;
}

function timeStages(root: string): SideTimes {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'stage-times.ts'), root], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`stage-times ${root}: exit ${r.status}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as SideTimes;
}

function table(oldT: SideTimes | null, newT: SideTimes): string[] {
  const names = [...new Set([...(oldT?.stages ?? []).map((s) => s.name), ...newT.stages.map((s) => s.name)])];
  const sec = (t: SideTimes | null, n: string): number | null => t?.stages.find((s) => s.name === n)?.seconds ?? null;
  const f = (x: number | null): string => (x === null ? '-' : `${x.toFixed(1)} s`);
  const ratio = (o: number | null, n: number | null): string =>
    o === null || n === null || n === 0 ? '-' : `${(o / n).toFixed(2)}x`;
  const rows = names.map((n) => [n, f(sec(oldT, n)), f(sec(newT, n)), ratio(sec(oldT, n), sec(newT, n))]);
  const whole = (t: SideTimes | null): number | null => t?.seconds ?? null;
  rows.push(['the whole run', f(whole(oldT)), f(whole(newT)), ratio(whole(oldT), whole(newT))]);
  const head = ['stage', 'old', 'new', 'old / new'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)) + 2);
  const line = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(w[i] ?? 0) : c.padStart(w[i] ?? 0))).join('');
  return [line(head), ...rows.map(line)];
}

const { against } = parseArgs(process.argv.slice(2));
const head = git(['rev-parse', '--short', 'HEAD']);
let oldT: SideTimes | null = null;
if (against !== null) {
  const wt = worktree(against);
  try {
    oldT = timeStages(wt.path);
  } finally {
    wt.remove();
  }
}
const newT = timeStages(ROOT);
const lines = [
  `Stage times of mapping-order check, one run on this machine: old = ${against ?? '(not run)'}, new = ${head}` +
    ` (with uncommitted changes, if any)`,
  ...table(oldT, newT),
  '',
  ...(oldT?.stages ?? []).map((s) => `old ${s.name}: ${s.ok ? 'ok' : 'FAILED'}; ${s.summary}`),
  ...newT.stages.map((s) => `new ${s.name}: ${s.ok ? 'ok' : 'FAILED'}; ${s.summary}`),
];
process.stdout.write(lines.join('\n') + '\n');
if ([...(oldT?.stages ?? []), ...newT.stages].some((s) => !s.ok)) process.exitCode = 1;
