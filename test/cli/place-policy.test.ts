// A policy the model does not implement is refused as bad input naming
// `policy` (exit 2), not reported as a crash. Every policy is modelled now, so
// the model's policy table is replaced here by one that refuses all but
// baseline the way model/policy/index.ts did before the policies existed.

import { describe, expect, it, vi } from 'vitest';
import { runCaptured, type Captured } from '../helpers/run-captured.js';

vi.mock('../../model/policy/index.js', () => ({
  policyHook: (name: string) => {
    if (name === 'baseline') return null;
    throw new Error(`policy ${name} is not modelled yet`);
  },
}));

const { run } = await import('../../cli/place.js');

function place(input: string): Promise<Captured> {
  return runCaptured(run, ['--json'], input);
}

const scenario = (policy: string) =>
  JSON.stringify({ arch: 'x86_64', policy, file: { kind: 'anon' }, request: { len: '0x200000' } });

describe('place: a policy the model does not implement', () => {
  it('is one line naming the policy field, exit 2, nothing on stdout, even after answerable scenarios', async () => {
    const r = await place(`[${scenario('baseline')}, ${scenario('jason')}]`);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'mapping-order: [1].policy: policy jason is not modelled yet\n' });
  });

  it('is named with its JSON Lines line', async () => {
    const r = await place(`${scenario('baseline')}\n${scenario('optimal')}\n`);
    expect(r.stderr).toBe('mapping-order: line 2: policy: policy optimal is not modelled yet\n');
    expect(r.code).toBe(2);
  });

  it('leaves baseline answered as usual (the mock refuses only the others)', async () => {
    const r = await place(scenario('baseline'));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { error: unknown }).error).toBeNull();
  });
});
