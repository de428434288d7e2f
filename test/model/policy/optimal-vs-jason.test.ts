// docs/OPTIMAL.md's claims, checked: optimal keeps every invariant jason keeps
// (from the verdict matrix the property tests assert), fixes MaxLeafCoverage
// where the arch allocator's search is not in the way (x86_64, no
// VM_GROWSDOWN VMA), and the two places it still breaks it, derived by hand.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCounterexample } from '../../../model/invariants/counterexample.js';
import { MaxLeafCoverage } from '../../../model/invariants/max-leaf-coverage.js';
import { INVARIANT_NAMES } from '../../../model/invariants/registry.js';
import { defaultMm } from '../../../model/mm-defaults.js';
import { place } from '../../../model/place.js';
import type { FileDesc, PolicyName, Scenario, Vma } from '../../../model/types.js';
import { realScenarioArb } from '../../../generators/real/scenario-arb.js';
import { expectedFor } from '../../helpers/expected-verdicts.js';

const M = 1n << 20n;
const G = 1n << 30n;

describe('optimal keeps every invariant jason keeps', () => {
  for (const arch of ['x86_64', 'arm64-4k'] as const) {
    it(
      `${arch}: {invariants jason keeps} ⊆ {invariants optimal keeps} (verdicts asserted by ` +
        `test/model/invariants/verdicts.test.ts)`,
      () => {
        const jasonKeeps = INVARIANT_NAMES.filter((n) => expectedFor(arch, n, 'jason').holds);
        const optimalKeeps = INVARIANT_NAMES.filter((n) => expectedFor(arch, n, 'optimal').holds);
        expect(jasonKeeps.filter((n) => !optimalKeeps.includes(n))).toEqual([]);
      },
    );
  }
});

describe('MaxLeafCoverage on x86_64 layouts without VM_GROWSDOWN VMAs', () => {
  const arb = (policy: PolicyName) => realScenarioArb('x86_64', { policies: [policy], growsDown: false });
  const check = (s: Scenario) => MaxLeafCoverage(s, place(s)).ok;
  it('optimal keeps it (no counterexample in 5000 scenarios, seed 4242)', () => {
    const r = fc.check(fc.property(arb('optimal'), check), { seed: 4242, numRuns: 5000 });
    const c = r.counterexample?.[0];
    expect(c ? formatCounterexample('MaxLeafCoverage', c, place(c), MaxLeafCoverage(c, place(c))) : null).toBeNull();
  });
  it('jason breaks it (a counterexample is found, seed 4242)', () => {
    const r = fc.check(fc.property(arb('jason'), check), { seed: 4242, numRuns: 5000 });
    expect(r.failed).toBe(true);
    const c = r.counterexample![0];
    console.log(
      `jason, seed 4242:\n${formatCounterexample('MaxLeafCoverage', c, place(c), MaxLeafCoverage(c, place(c)))}`,
    );
  });
});

describe('a free range of exactly len + S - PAGE_SIZE', () => {
  it('x86_64 top-down: optimal finds the congruent fit, jason (len + S) does not', () => {
    // mmap_base B = 0x7ffff7fff000 (the default); the only free range is [B - 0x5ff000, B) = [0x7ffff7a00000, B):
    // 4M + 2M - 4K.
    const B = 0x7ffff7fff000n;
    const mm = defaultMm('x86_64');
    const vmas: Vma[] = [
      { start: 0x100000n, end: B - 0x5ff000n },
      { start: B, end: mm.taskSize },
    ];
    const s = (policy: PolicyName): Scenario => ({
      arch: 'x86_64',
      policy,
      mm,
      vmas,
      file: { kind: 'driver', driver: 'order:9' },
      request: { addr: 0n, len: 4n * M, pgoff: 0n, fixed: false, shared: true },
    });
    expect(mm.mmapBase).toBe(B);
    // optimal: length 4M + 0x1ff000 = 0x5ff000 fits exactly; gap = B - 4M = 0x7ffff7bff000, minus
    // (gap & 0x1ff000 = 0x1ff000) = 0x7ffff7a00000: 2 PMD leaves.
    expect(place(s('optimal'))).toMatchObject({ va: 0x7ffff7a00000n, path: 'aligned' });
    expect(MaxLeafCoverage(s('optimal'), place(s('optimal'))).ok).toBe(true);
    // jason: len_pad 6M fits nowhere (top-down nor the bottom-up retry) -> __thp returns 0 -> plain B - 4M
    // = 0x7ffff7bff000 ≡ 0x1ff000 (mod 2M): no PMD leaf.
    expect(place(s('jason'))).toMatchObject({ va: 0x7ffff7bff000n, path: 'fallback' });
    expect(MaxLeafCoverage(s('jason'), place(s('jason'))).ok).toBe(false);
  });
});

describe('where optimal still breaks MaxLeafCoverage', () => {
  it('x86_64 bottom-up, a grow-down VMA above the only free range of len + 2M: jason fits, optimal does not', () => {
    // mmap_legacy_base L = PAGE_ALIGN(TASK_SIZE / 3) = 0x2aaaaaaab000, L mod 2M = 0xab000.
    // A grow-down VMA at X = L + 7M (stack_guard_gap 1M: vm_start_gap = L + 6M), everything above it taken.
    const L = 0x2aaaaaaab000n;
    const X = L + 7n * M;
    const mm = { ...defaultMm('x86_64'), topdown: false };
    const vmas: Vma[] = [
      { start: X, end: X + 4096n, growsDown: true },
      { start: X + 4096n, end: mm.taskSize },
    ];
    const file: FileDesc = { kind: 'driver', driver: 'order:9' };
    const s = (policy: PolicyName): Scenario => ({
      arch: 'x86_64',
      policy,
      mm,
      vmas,
      file,
      request: { addr: 0n, len: 4n * M, pgoff: 0n, fixed: false, shared: true },
    });
    // jason: S = 2M, len_pad 6M; unmapped_area: gap = L, vm_start_gap L + 6M < L + 6M - 1 is false -> ret = L,
    // off_sub = (0 - L) & 0x1fffff = 0x155000 -> VA = 0x2aaaaac00000 (2 PMD leaves).
    expect(place(s('jason'))).toMatchObject({ va: 0x2aaaaac00000n, path: 'aligned' });
    expect(MaxLeafCoverage(s('jason'), place(s('jason'))).ok).toBe(true);
    // optimal: length 4M + 0x1ff000, gap = L + 0x155000 (congruent); vm_start_gap L + 0x600000 <
    // L + 0x155000 + 0x5ff000 - 1 = L + 0x753fff -> refused; nothing above -> the plain VA L.
    const p = place(s('optimal'));
    expect(p).toMatchObject({ va: L, path: 'fallback', order: 9 });
    const v = MaxLeafCoverage(s('optimal'), p);
    expect(v.ok).toBe(false);
    console.log(formatCounterexample('MaxLeafCoverage', s('optimal'), p, v));
  });

  it('arm64-4k: optimal aims for cont-PMD 32M, only len + 2M - 4K is free, the PMD alignment is lost', () => {
    // mmap_base = 2^48 - 128M = 0xfffff8000000; the only free range under it is
    // [0xfffff8000000 - 0x401ff000, 0xfffff8000000) = [0xffffb7e01000, 0xfffff8000000): 1G + 2M - 4K.
    const mm = defaultMm('arm64-4k');
    expect(mm.mmapBase).toBe(0xfffff8000000n);
    const vmas: Vma[] = [
      { start: 0x100000n, end: 0xffffb7e01000n },
      { start: 0xfffff8000000n, end: 1n << 48n },
    ];
    const s = (policy: PolicyName): Scenario => ({
      arch: 'arm64-4k',
      policy,
      mm,
      vmas,
      file: { kind: 'driver', driver: 'order:22' },
      request: { addr: 0n, len: G, pgoff: 0x1ffn, fixed: false, shared: true },
    });
    // off = 0x1ff000: 1G chunk: round_up(off, 1G) + 1G > off + 1G -> no; 32M chunk: 32M + 32M <= off + 1G -> o = 13.
    // Search for 1G + 32M - 4K fails (top-down, and the bottom-up retry from TASK_UNMAPPED_BASE 0x400000000000
    // meets the same range); plain: 0xfffff8000000 - 1G = 0xffffb8000000, ≡ 0 (mod 2M) while off ≡ 0x1ff000:
    // no PMD leaf. A 2M alignment (len + 2M - 4K) would have fit exactly.
    const p = place(s('optimal'));
    expect(p).toMatchObject({ va: 0xffffb8000000n, path: 'fallback', order: 13 });
    expect(MaxLeafCoverage(s('optimal'), p).ok).toBe(false);
    // jason does no better: O2 = 18 (1G), no 1G chunk fits -> plain, the same VA.
    expect(place(s('jason'))).toMatchObject({ va: 0xffffb8000000n, path: 'plain' });
  });
});
