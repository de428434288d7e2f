// Runs jobs on a fixed number of slots (TLC processes here), the longest first, so that a 2-core machine
// keeps both cores busy and the last job to start is a short one. Results come back in the jobs' order.

export interface PoolJob<R> {
  /** Expected cost (seconds, from the manifest's measured figures); larger runs first, unknown ones first of all. */
  readonly cost: number | null;
  readonly run: () => Promise<R>;
}

export async function runPool<R>(jobs: readonly PoolJob<R>[], slots: number): Promise<R[]> {
  if (!Number.isSafeInteger(slots) || slots < 1) throw new RangeError(`pool: slots must be an integer >= 1`);
  const order = jobs
    .map((j, i) => ({ i, cost: j.cost ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i)
    .map((x) => x.i);
  const results = new Array<R>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const i = order[next++] as number;
      results[i] = await (jobs[i] as PoolJob<R>).run();
    }
  };
  await Promise.all(Array.from({ length: Math.min(slots, jobs.length) }, worker));
  return results;
}
