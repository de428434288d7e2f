// Every lemma of proofs/ is proved and every twin refuted (x86_64 geometry here; `npm run prove`
// also runs the 16K and 64K page sizes and every leaf-order set), and the checker itself is checked:
// deliberately wrong lemmas must not be proved, replays must reject non-violations, and the kernel
// builders must compute the kernel's values on hand-worked numbers.

import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { GEOMETRIES } from '../../model/geometry.js';
import { PROOFS } from '../../proofs/all.js';
import { asLoff, mask64, prove, roundUp64, shutdownZ3, type Lemma } from '../../proofs/lib.js';
import { judge } from '../../proofs/suite.js';
import { wrongSign } from '../../proofs/off-sub.js';
import { thpTestsBigint } from '../../proofs/thp-guards.js';

const X86 = GEOMETRIES.x86_64;

afterAll(async () => {
  await shutdownZ3();
});

describe('every lemma is proved and every twin refuted (x86_64)', () => {
  for (const entry of PROOFS) {
    it(`${entry.proof.lemma.id} is proved`, async () => {
      const r = await prove(entry.proof.lemma, X86);
      expect(r.status).toBe('proved');
      expect(r.counterexample).toBeNull();
    });
    for (const twin of entry.proof.twins) {
      it(`${twin.id} is refuted with a counterexample the bigint replay confirms`, async () => {
        const r = await prove(twin, X86);
        expect(r.status).toBe('refuted');
        expect(r.counterexample).not.toBeNull();
        const o = judge(twin, 'x86_64', r);
        expect(o.replay?.confirmed).toBe(true);
        expect(o.ok).toBe(true);
      });
    }
  }
});

describe('deliberately wrong lemmas are not proved', () => {
  it('off_sub computed as (ret - off) & (size - 1), claimed congruent, is refuted', async () => {
    const claimed: Lemma = { ...wrongSign, id: 'wrong/off-sub-sign', expect: 'proved' };
    const r = await prove(claimed, X86);
    expect(r.status).toBe('refuted');
    expect(judge(claimed, 'x86_64', r).ok).toBe(false);
    // The model really breaks congruence: recompute with bigint.
    const cex = r.counterexample!;
    const size = cex.size!;
    const va = cex.ret! + ((cex.ret! - cex.off!) & (size - 1n));
    expect(va & (size - 1n)).not.toBe(cex.off! & (size - 1n));
  });

  it('aligning the VA to 0 instead of to off (the QEMU bug: round_up(ret, size)) is not congruent', async () => {
    const qemu: Lemma = {
      id: 'wrong/round-up-to-zero',
      statement: 'round_up(ret, size) ≡ off (mod size)',
      invariants: ['Congruent'],
      expect: 'proved',
      build(k) {
        const ret = k.u64('ret');
        const off = k.u64('off');
        const size = k.u64('size');
        const va = k.roundUp(ret, size);
        return {
          hypotheses: [k.leafSize(size), k.pageAligned(ret), k.pageAligned(off), k.addNoWrap(ret, size)],
          goal: [k.congruent(va, off, size)],
          show: { ret, off, size, va },
        };
      },
    };
    const r = await prove(qemu, X86);
    expect(r.status).toBe('refuted');
    const cex = r.counterexample!;
    // A counterexample needs an off that is not size-aligned (otherwise round_up(ret) ≡ 0 ≡ off).
    expect(cex.off! % cex.size!).not.toBe(0n);
  });

  it('"both THP tests pass => a whole aligned chunk", without the same-sign hypothesis, is refuted', async () => {
    // The sign-boundary twin claimed as a lemma: the kernel's signed loff_t compare lets a range
    // with no whole chunk through at 2^63, so this must not be proved.
    const twin = PROOFS.find((e) => e.proof.lemma.id === 'thp-guards')!.proof.twins[0];
    const claimed: Lemma = { ...twin, id: 'wrong/thp-chunk-test-sound', expect: 'proved' };
    const r = await prove(claimed, X86);
    expect(r.status).toBe('refuted');
  });
});

describe('proof chains cannot cheat', () => {
  it('a step whose premise is neither a hypothesis nor an earlier conjunct is rejected', async () => {
    const cheat: Lemma = {
      id: 'wrong/unestablished-premise',
      statement: 'x <= y from an assumed x <= 0',
      invariants: ['InRange'],
      expect: 'proved',
      build(k) {
        const x = k.u64('x');
        const y = k.u64('y');
        return { hypotheses: [], goal: [{ goal: k.ule(x, y), from: [k.ule(x, k.zero)] }], show: { x, y } };
      },
    };
    await expect(prove(cheat, X86)).rejects.toThrow(/neither a hypothesis nor an earlier conjunct/);
  });

  it('a step that does not follow from its premises is an error, not a proof', async () => {
    const bad: Lemma = {
      id: 'wrong/invalid-step',
      statement: 'x + 1 > x from nothing (false at x = 2^64 - 1)',
      invariants: ['InRange'],
      expect: 'proved',
      build(k) {
        const x = k.u64('x');
        return { hypotheses: [], goal: [{ goal: x.add(k.one).ugt(x), from: [] }], show: { x } };
      },
    };
    await expect(prove(bad, X86)).rejects.toThrow(/does not follow from its premises/);
  });
});

describe('replays reject non-violations', () => {
  it('wrong-sign replay: a case where (ret - off) & (size - 1) happens to be congruent is not confirmed', () => {
    // ret = 0x200000, off = 0x200000, size = 0x200000: (ret - off) & (size - 1) = 0, va = 0x200000,
    // va mod size = 0 = off mod size: no violation.
    const r = wrongSign.replay!(
      { ret: 0x200000n, off: 0x200000n, len: 0x1000n, size: 0x200000n, wrong_off_sub: 0n, va: 0x200000n },
      X86,
    );
    expect(r.confirmed).toBe(false);
  });

  it('wrong-sign replay: ret = 0x1000, off = 0x2000, size = 0x4000 is a real violation', () => {
    // (ret - off) & 0x3fff = (-0x1000) & 0x3fff = 0x3000; va = 0x1000 + 0x3000 = 0x4000 ≡ 0 (mod 0x4000),
    // but off ≡ 0x2000: not congruent.
    const r = wrongSign.replay!(
      { ret: 0x1000n, off: 0x2000n, len: 0x1000n, size: 0x4000n, wrong_off_sub: 0x3000n, va: 0x4000n },
      X86,
    );
    expect(r.confirmed).toBe(true);
  });
});

describe('kernel arithmetic on hand-worked numbers', () => {
  it('round_up, loff_t and 64-bit wrap helpers', () => {
    expect(roundUp64(0x1001000n, 0x200000n)).toBe(0x1200000n); // 0x1001000 rounds up to the next 2M: 0x1200000
    expect(roundUp64(0x1200000n, 0x200000n)).toBe(0x1200000n); // already aligned
    expect(roundUp64(0xfffffffffff00000n, 0x200000n)).toBe(0n); // 2^64 - 1M rounds up to 2^64, wraps to 0
    expect(mask64(-1n)).toBe(0xffffffffffffffffn);
    expect(asLoff(0x8000000000000000n)).toBe(-(1n << 63n));
  });

  it('the THP tests at the loff_t sign boundary (the finding), by hand', () => {
    // off = 2^63 - 8K, len = 4K, size = 2M: off_end = 2^63 - 4K (positive loff_t), off_align =
    // round_up(off, 2M) = 2^63 (negative loff_t). Signed: off_end > off_align, so the first half of
    // the chunk test is false; off_end - off_align = -4K, as unsigned 2^64 - 4K >= 2M: test passes.
    // len_pad = 2M + 4K, off + len_pad = 2^63 + 2M - 4K: no wrap, overflow test passes.
    // Yet [off, off + 4K) holds no 2M chunk.
    const off = (1n << 63n) - 0x2000n;
    expect(thpTestsBigint(off, 0x1000n, 0x200000n)).toEqual([true, true]);
    // Away from the boundary the same shape is rejected: off = 2^40 - 8K.
    expect(thpTestsBigint((1n << 40n) - 0x2000n, 0x1000n, 0x200000n)).toEqual([false, true]);
  });

  it('the Kernel builders compute the kernel values (concrete claims checked by Z3)', async () => {
    const concrete: Lemma = {
      id: 'builders',
      statement: 'round_up, off_sub, shmem adjust, floor_log2 on constants',
      invariants: ['Congruent'],
      expect: 'proved',
      build(k) {
        return {
          hypotheses: [],
          goal: [
            // round_up(0x1001000, 2M) = 0x1200000
            k.roundUp(k.c(0x1001000n), k.c(0x200000n)).eq(k.c(0x1200000n)),
            // off_sub = (off - ret) & (size - 1) = (0x3000 - 0x7ff000) & 0x1fffff = 0x4000
            // (0x3000 - 0x7ff000 = -0x7fc000; its low 21 bits: 0x200000 - 0x1fc000 = 0x4000)
            k.offSub(k.c(0x3000n), k.c(0x7ff000n), k.c(0x200000n)).eq(k.c(0x4000n)),
            // shmem: inflated_addr 0x7f0000201000, offset 0: inflated_offset 0x1000 > 0, so
            // 0x7f0000201000 + (0 - 0x1000) + 0x200000 = 0x7f0000400000
            k.shmemAdjust(k.c(0x7f0000201000n), k.c(0n), k.c(0x200000n)).eq(k.c(0x7f0000400000n)),
            // floor_log2(0x2600000) = 25 (0x2000000 = 2^25 <= 0x2600000 < 2^26)
            k.floorLog2(k.c(0x2600000n)).eq(k.c(25n)),
            // the chunk test of THP with signed compare, at the boundary example above
            k.thpChunkTestPasses(k.c((1n << 63n) - 0x2000n), k.c(0x1000n), k.c(0x200000n)),
          ],
          show: {},
        };
      },
    };
    expect((await prove(concrete, X86)).status).toBe('proved');
  });
});

describe('npm run prove (proofs/run.ts)', () => {
  it('exits 0 and prints the summary for a selection', () => {
    // unmapped-area-length: 1 lemma and 1 twin, each in the 3 page-size geometries.
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'proofs/run.ts', '--only', 'unmapped-area-length'], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/summary: 3\/3 lemma runs proved, 3\/3 twin runs refuted; 1 files; .* -> OK/);
    expect(out).toMatch(/counterexample \(x86_64\): info_length=0x[0-9a-f]+ align_mask=0x[0-9a-f]+/);
  });

  it('refuses an unknown argument with exit code 2', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'proofs/run.ts', '--bogus'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
