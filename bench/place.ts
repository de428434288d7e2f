// `place` on JSON Lines at 10^4 .. 10^7 scenarios: throughput and the peak resident memory of the process
// (VmHWM), to show memory bounded by the work, not by the input. The input is generated into place's stdin
// as it reads (a 10^7-line file would be 1.5 GB); the answers are counted and dropped.
//
//   node --import tsx bench/place.ts [--max 10000000]

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/mapping-order.js', import.meta.url));

/** Scenarios that vary (length and offset) so the model does real work for each. */
function line(i: number): string {
  const len = (1 + (i % 4096)) * 4096;
  const request = `{"len":"${len}","pgoff":"${i % 1024}","shared":true}`;
  return `{"arch":"x86_64","policy":"optimal","file":{"kind":"driver","driver":"order:9"},"request":${request}}\n`;
}

function peakKiB(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function one(n: number): Promise<{ n: number; seconds: number; perSecond: number; peakMiB: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'place', '--json', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let answers = 0;
  let peak = 0;
  child.stdout.on('data', (d: Buffer) => {
    for (const b of d) if (b === 10) answers++;
  });
  const poll = setInterval(() => (peak = Math.max(peak, peakKiB(child.pid!))), 100);
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  for (let i = 0; i < n; i++) {
    if (!child.stdin.write(line(i))) await new Promise((r) => child.stdin.once('drain', r));
  }
  peak = Math.max(peak, peakKiB(child.pid!));
  child.stdin.end();
  const code = await exited;
  clearInterval(poll);
  if (code !== 0 || answers !== n) throw new Error(`place exited ${code} after ${answers} of ${n} answers`);
  const seconds = (performance.now() - started) / 1000;
  return { n, seconds, perSecond: n / seconds, peakMiB: peak / 1024 };
}

const maxArg = process.argv.indexOf('--max');
const max = maxArg >= 0 ? Number(process.argv[maxArg + 1]) : 1e7;
if (!Number.isSafeInteger(max) || max < 1e4) {
  process.stderr.write('bench/place: --max: must be an integer >= 10000\n');
  process.exit(2);
}
console.log('place --json on JSON Lines: scenarios, seconds, scenarios/s, peak RSS (MiB), RSS ratio to 10^4');
let base = 0;
for (let n = 1e4; n <= max; n *= 10) {
  const r = await one(n);
  if (base === 0) base = r.peakMiB;
  const rate = Math.round(r.perSecond).toLocaleString('en-US');
  const cells = [String(r.n).padStart(9), `${r.seconds.toFixed(1).padStart(7)} s`, `${rate.padStart(9)}/s`];
  console.log(`${cells.join('  ')}  ${r.peakMiB.toFixed(0).padStart(5)} MiB  x${(r.peakMiB / base).toFixed(2)}`);
}
