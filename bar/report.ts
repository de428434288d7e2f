// The oracle's table: per policy, placements and leaves agreed out of total, and the kernel's leaves for
// [2M+4K, 64M) of the 64M BAR (DPDK's second part) as DPDK and as the kernel scheme map it, per BAR driver.

import { hex } from '../model/u64.js';
import type { Leaves } from './client.js';
import { DRIVERS, EXAMPLE_SCHEMES, tally, type OracleReport, type Outcome } from './oracle.js';

/** Leaves as "4K/2M/1G" counts. */
function short(l: Leaves | undefined): string {
  return l ? `${l.k4}/${l.m2}/${l.g1}` : '-';
}

export function oracleTable(r: OracleReport): string[] {
  const cols = EXAMPLE_SCHEMES.flatMap((s) => DRIVERS.map((d) => ({ s, d: d.param })));
  const lines = [
    `${'policy'.padEnd(10)}${'placements'.padEnd(12)}${'leaves'.padEnd(12)}` +
      cols.map((c) => `${c.s}/${c.d}`.padEnd(14)).join(''),
  ];
  for (const p of r.policies) {
    const pl = tally(p.outcomes, 'place');
    const lv = tally(p.outcomes, 'leaves');
    lines.push(
      p.policy.padEnd(10) +
        `${pl.agreed}/${pl.total}`.padEnd(12) +
        `${lv.agreed}/${lv.total}`.padEnd(12) +
        cols.map((c) => short(p.example[c.s][c.d]).padEnd(14)).join(''),
    );
  }
  lines.push(
    "placements, leaves: agreed/total; the last columns: the kernel's leaves (4K/2M/1G) for [2M+4K, 64M) of the",
    '64M BAR as DPDK maps it (MAP_FIXED) and as the kernel places it (no hint), per BAR driver (v2, bar)',
  );
  return lines.map((l) => l.trimEnd());
}

export function outcomeLine(o: Outcome): string {
  return (
    `${o.agreed ? 'agreed' : 'DISAGREED'} ${o.policy} driver ${o.driver} BAR ${hex(o.bar)} ${o.group}: ${o.what} ` +
    `[${o.kind}] kernel ${o.kernel}, model ${o.model}`
  );
}

export function disagreements(r: OracleReport): Outcome[] {
  return r.policies.flatMap((p) => p.outcomes.filter((o) => !o.agreed));
}
