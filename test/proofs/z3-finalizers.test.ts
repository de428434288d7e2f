// z3-solver frees Z3 objects from FinalizationRegistry callbacks on the main thread while
// solver.check() runs on a worker thread over the same context; CI crashed on it. These tests
// force collections during checks and require that the callbacks were held back and the
// verdicts are right (without proofs/z3-finalizers.ts the child dies with "memory access out
// of bounds" within two lemmas).

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  DeferringRegistry,
  deferredFinalizers,
  deferringCallback,
  initDeferringFinalizers,
  whileZ3Runs,
} from '../../proofs/z3-finalizers.js';

describe('finalizers wait for the running Z3 call', () => {
  it('proofs under a forced garbage collection every 5 ms keep their verdicts, with callbacks deferred', () => {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/fixtures/z3-gc-during-check.ts', '2', 'off-sub', 'thp-guards'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const m = /deferred at most (\d+); wrong verdicts (\d+)/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(0);
    // The collections did land inside checks: otherwise this test would prove nothing.
    expect(Number(m![1])).toBeGreaterThan(0);
  });

  it('init builds its registry as a DeferringRegistry and puts the global back', async () => {
    const original = globalThis.FinalizationRegistry;
    const registry = await initDeferringFinalizers(async () => new FinalizationRegistry<string>(() => {}));
    expect(registry).toBeInstanceOf(DeferringRegistry);
    expect(globalThis.FinalizationRegistry).toBe(original);
  });

  it('a callback that comes due during a call runs when the call ends, not before', async () => {
    const ran: string[] = [];
    const deliver = deferringCallback<string>((held) => ran.push(held));
    let finish!: () => void;
    const call = whileZ3Runs(() => new Promise<void>((resolve) => (finish = resolve)));
    deliver('ast#1');
    expect(ran).toEqual([]);
    expect(deferredFinalizers()).toBe(1);
    finish();
    await call;
    expect(ran).toEqual(['ast#1']);
    expect(deferredFinalizers()).toBe(0);
    deliver('ast#2');
    expect(ran).toEqual(['ast#1', 'ast#2']);
  });

  it('a call that fails still releases the callbacks held back during it', async () => {
    const ran: string[] = [];
    const deliver = deferringCallback<string>((held) => ran.push(held));
    const call = whileZ3Runs(async () => {
      deliver('ast#3');
      throw new Error('solver failed');
    });
    await expect(call).rejects.toThrow('solver failed');
    expect(ran).toEqual(['ast#3']);
  });
});
