// The TLC stage's pool: at most `slots` jobs at once, the most expensive first, results in the jobs' order.

import { describe, expect, it } from 'vitest';

import { runPool } from '../../check/pool.js';

/** A job that records when it starts and ends, and finishes after `ms`. */
function recorder() {
  const log: string[] = [];
  let running = 0;
  let peak = 0;
  const job = (name: string, cost: number | null, ms: number) => ({
    cost,
    run: async () => {
      log.push(`start ${name}`);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return name;
    },
  });
  return { log, job, peak: () => peak };
}

describe('runPool', () => {
  it('starts the unmeasured and the most expensive jobs first and returns results in the jobs order', async () => {
    const r = recorder();
    const jobs = [r.job('cheap', 1, 5), r.job('dear', 30, 5), r.job('unknown', null, 5), r.job('mid', 10, 5)];
    expect(await runPool(jobs, 1)).toEqual(['cheap', 'dear', 'unknown', 'mid']);
    expect(r.log).toEqual(['start unknown', 'start dear', 'start mid', 'start cheap']);
  });

  it('never runs more than `slots` jobs at once, and keeps every slot busy', async () => {
    const r = recorder();
    const jobs = Array.from({ length: 7 }, (_, i) => r.job(`j${i}`, i, 10));
    expect(await runPool(jobs, 2)).toEqual(jobs.map((_, i) => `j${i}`));
    expect(r.peak()).toBe(2);
  });

  it('refuses a slot count that is not a positive integer', async () => {
    await expect(runPool([], 0)).rejects.toThrow(/slots must be an integer >= 1/);
  });
});
