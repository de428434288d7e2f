// Z3 over 64-bit bit-vectors, in the kernel's words.
//
// Every lemma is quantifier-free: a universally quantified statement
// "for all x: H(x) => G(x)" is checked by asking Z3 for an x with H(x) and
// not G(x). unsat = proved for every 64-bit value; sat = refuted, and the model
// is the counterexample, printed in hex with the kernel's names.
//
// unsigned long is a 64-bit bit-vector with wrapping arithmetic (the kernel
// builds with -fno-strict-overflow, so loff_t wraps too); a comparison is
// unsigned unless the C types make it signed, and then the helper says so.

import { init, killThreads } from 'z3-solver';
import type { BitVec, Bool, Context, Model } from 'z3-solver';
import { GEOMETRIES, type Geometry } from '../model/geometry.js';
import { initDeferringFinalizers, whileZ3Runs } from './z3-finalizers.js';
import { hex as hexOf } from '../model/u64.js';

export type Ctx = Context<'main'>;
export type BV = BitVec<64, 'main'>;
export type B = Bool<'main'>;

/** The invariant names of docs/SEMANTICS.md §5 that a lemma supports. */
export type InvariantName =
  | 'InRange'
  | 'NoOverlap'
  | 'Congruent'
  | 'UsefulOnly'
  | 'NoNewFailure'
  | 'OrderClamped'
  | 'MaxLeafCoverage'
  | 'FaultSafe'
  | 'DriverObligation';

/**
 * A step of a proof chain: `from => goal`, checked ALONE (no other hypothesis), so the solver sees a
 * small formula. Every premise in `from` must be a hypothesis or an earlier conjunct of the goal
 * (prove() checks that by AST identity). With `generic`, the solver checks that formula instead: the
 * same implication built by the same code over fresh variables, valid for all values, hence for the
 * terms of this instance.
 */
export interface Step {
  readonly goal: B;
  readonly from: readonly B[];
  readonly generic?: B;
}

export type Conjunct = B | Step;

/** What a lemma asserts: every assignment satisfying the hypotheses satisfies every goal conjunct. */
export interface Claim {
  readonly hypotheses: readonly B[];
  /**
   * The conclusion as a list of conjuncts, checked in order. A plain conjunct is checked under the
   * hypotheses and the conjuncts before it (H => G1 and H /\ G1 => G2 is H => G1 /\ G2), which
   * keeps every query small; a Step is checked from its premises only. Proved when all are.
   */
  readonly goal: readonly Conjunct[];
  /** Named values (variables and derived kernel quantities) printed with a counterexample. */
  readonly show: Readonly<Record<string, BV>>;
  /**
   * Only for readable counterexamples: tiers of extra constraints (e.g. "addresses below 2^47"),
   * tried in order once the claim is refuted; the first tier still refuting it gives the printed
   * model. They never take part in the verdict.
   */
  readonly prefer?: readonly (readonly B[])[];
}

function isStep(c: Conjunct): c is Step {
  return 'from' in c && Array.isArray((c as Step).from);
}

function conjunctGoal(c: Conjunct): B {
  return isStep(c) ? c.goal : c;
}

export interface Lemma {
  /** Stable id: file name, then the variant ("off-sub", "off-sub/no-padding"). */
  readonly id: string;
  /** The statement in kernel terms, as in the file's comment. */
  readonly statement: string;
  readonly invariants: readonly InvariantName[];
  /** 'proved' for a lemma; 'refuted' for a twin (a weakened or negated lemma Z3 must refute). */
  readonly expect: 'proved' | 'refuted';
  readonly build: (k: Kernel) => Claim;
  /**
   * For twins: recompute the counterexample with plain bigint arithmetic (independently of the
   * Z3 encoding) and say in kernel terms what goes wrong. `confirmed` is false when the bigint
   * replay does not show the violation, which means the encoding is wrong.
   */
  readonly replay?: (v: Readonly<Record<string, bigint>>, geo: Geometry) => { confirmed: boolean; text: string };
  /** For twins that expose a kernel behaviour worth knowing (not just a dropped hypothesis). */
  readonly finding?: string;
}

/** A proof file's content: the lemma and its twins (the first one is "the twin"). */
export interface ProofFile {
  readonly lemma: Lemma;
  readonly twins: readonly [Lemma, ...Lemma[]];
}

export type Status = 'proved' | 'refuted' | 'unknown';

export interface ProofResult {
  readonly id: string;
  readonly status: Status;
  /** The values of `show` in Z3's model, when refuted. */
  readonly counterexample: Readonly<Record<string, bigint>> | null;
  readonly ms: number;
  /** Time of each query (one per goal conjunct, up to the refuted one), in ms. */
  readonly queryMs: readonly number[];
  /** Z3's reason when unknown (timeout, ...). */
  readonly reason?: string;
}

// ---------------------------------------------------------------------------
// Z3 start-up. init() starts Emscripten worker threads; shutdownZ3() ends them
// so a Node process can exit.

type Api = Awaited<ReturnType<typeof init>>;
let api: Promise<Api> | null = null;
let ctx: Ctx | null = null;

async function z3(): Promise<Ctx> {
  if (ctx) return ctx;
  api ??= initDeferringFinalizers(init);
  const { Context: MakeContext } = await api;
  ctx = MakeContext('main');
  return ctx;
}

/** Z3's own version string ("Z3 5.1.0.0"). */
export async function z3Version(): Promise<string> {
  api ??= initDeferringFinalizers(init);
  return (await api).Z3.get_full_version();
}

export async function shutdownZ3(): Promise<void> {
  if (!api) return;
  const { em } = await api;
  await killThreads(em);
  api = null;
  ctx = null;
}

/** Time limit of one solver query; a lemma whose query needs more is reported 'unknown', never 'proved'. */
export const TIMEOUT_MS = 60_000;

export async function prove(lemma: Lemma, geo: Geometry = GEOMETRIES.x86_64): Promise<ProofResult> {
  const c = await z3();
  const k = new Kernel(c, geo);
  const t0 = performance.now();
  const claim = lemma.build(k);
  const established = new Set<number>(claim.hypotheses.map((h) => h.id()));
  const proved: B[] = [];
  const queryMs: number[] = [];
  for (const [index, conjunct] of claim.goal.entries()) {
    const q0 = performance.now();
    const solver = new c.Solver();
    try {
      solver.set('timeout', TIMEOUT_MS);
      if (isStep(conjunct)) {
        for (const p of conjunct.from) {
          if (!established.has(p.id()))
            throw new Error(
              `${lemma.id}: a step premise is neither a hypothesis nor an earlier conjunct: ${p.sexpr()}`,
            );
        }
        solver.add(c.Not(conjunct.generic ?? c.Implies(c.And(...conjunct.from), conjunct.goal)));
      } else {
        for (const h of [...claim.hypotheses, ...proved]) solver.add(h);
        solver.add(c.Not(conjunct));
      }
      const sat = await whileZ3Runs(() => solver.check());
      queryMs.push(performance.now() - q0);
      if (sat === 'unsat') {
        const g = conjunctGoal(conjunct);
        proved.push(g);
        established.add(g.id());
        continue;
      }
      if (sat === 'sat' && isStep(conjunct)) {
        // A step holds for all values or the proof script is wrong; it never refutes the lemma.
        throw new Error(`${lemma.id}: proof step ${index} does not follow from its premises: ${conjunct.goal.sexpr()}`);
      }
      if (sat === 'sat') {
        const cex = (await readableModel(c, claim)) ?? modelValues(solver.model(), claim.show);
        return { id: lemma.id, status: 'refuted', counterexample: cex, ms: performance.now() - t0, queryMs };
      }
      return {
        id: lemma.id,
        status: 'unknown',
        counterexample: null,
        ms: performance.now() - t0,
        queryMs,
        reason: solver.reasonUnknown(),
      };
    } finally {
      // Free the solver as soon as its query is answered rather than whenever a collection runs its
      // finalizer (proofs/z3-finalizers.ts): the WebAssembly heap is capped at 2 GiB.
      solver.release();
    }
  }
  return { id: lemma.id, status: 'proved', counterexample: null, ms: performance.now() - t0, queryMs };
}

/** A counterexample to the whole goal within the first `prefer` tier that has one (null if none does). */
async function readableModel(c: Ctx, claim: Claim): Promise<Record<string, bigint> | null> {
  for (const tier of claim.prefer ?? []) {
    const solver = new c.Solver();
    try {
      solver.set('timeout', TIMEOUT_MS);
      for (const h of claim.hypotheses) solver.add(h);
      solver.add(c.Not(c.And(...claim.goal.map(conjunctGoal))));
      for (const t of tier) solver.add(t);
      if ((await whileZ3Runs(() => solver.check())) === 'sat') return modelValues(solver.model(), claim.show);
    } finally {
      solver.release();
    }
  }
  return null;
}

function modelValues(model: Model<'main'>, show: Readonly<Record<string, BV>>): Record<string, bigint> {
  const cex: Record<string, bigint> = {};
  for (const [name, e] of Object.entries(show)) cex[name] = model.eval(e, true).value();
  model.release();
  return cex;
}

// ---------------------------------------------------------------------------
// Builders with kernel names, bound to one context and one geometry.

export class Kernel {
  readonly PAGE_SHIFT: BV;
  readonly PAGE_SIZE: BV;
  /** PAGE_MASK = ~(PAGE_SIZE - 1). */
  readonly PAGE_MASK: BV;
  readonly zero: BV;
  readonly one: BV;

  constructor(
    readonly z: Ctx,
    readonly geo: Geometry,
  ) {
    this.PAGE_SHIFT = this.c(geo.pageShift);
    this.PAGE_SIZE = this.c(geo.pageSize);
    this.PAGE_MASK = this.c(mask64(~(geo.pageSize - 1n)));
    this.zero = this.c(0n);
    this.one = this.c(1n);
  }

  /** An unsigned long (or loff_t: same bits) variable. */
  u64(name: string): BV {
    return this.z.BitVec.const(name, 64);
  }

  /** A 64-bit constant; negative values are taken modulo 2^64. */
  c(v: bigint): BV {
    return this.z.BitVec.val(mask64(v), 64);
  }

  and(...xs: B[]): B {
    return this.z.And(...xs);
  }
  or(...xs: B[]): B {
    return this.z.Or(...xs);
  }
  not(x: B): B {
    return this.z.Not(x);
  }
  implies(a: B, b: B): B {
    return this.z.Implies(a, b);
  }
  ite(cond: B, a: BV, b: BV): BV {
    return this.z.If(cond, a, b) as BV;
  }

  /** is_power_of_2(x). */
  isPowerOf2(x: BV): B {
    return this.and(x.neq(this.zero), x.and(x.sub(this.one)).eq(this.zero));
  }

  /** IS_ALIGNED(x, a) for a power of two a. */
  isAligned(x: BV, a: BV): B {
    return x.and(a.sub(this.one)).eq(this.zero);
  }

  /** PAGE_ALIGNED(x). */
  pageAligned(x: BV): B {
    return this.isAligned(x, this.PAGE_SIZE);
  }

  /** x ≡ y (mod m) for a power of two m: the low log2(m) bits agree. */
  congruent(x: BV, y: BV, m: BV): B {
    return x.sub(y).and(m.sub(this.one)).eq(this.zero);
  }

  /** round_up(x, y) of include/linux/math.h: ((x - 1) | (y - 1)) + 1, wrapping. */
  roundUp(x: BV, y: BV): BV {
    return x.sub(this.one).or(y.sub(this.one)).add(this.one);
  }

  /** a + b fits in 64 bits (no unsigned wrap; a sum equal to 2^64 wraps too). */
  addNoWrap(a: BV, b: BV): B {
    return a.addNoOverflow(b, false);
  }

  /**
   * [x, x + xlen) ⊆ [base, base + baseLen) in unsigned long arithmetic, where base + baseLen does not
   * wrap (the free ranges the allocator finds lie below TASK_SIZE):
   * base <= x, x + xlen does not wrap, x + xlen <= base + baseLen.
   *
   * Comparing two 64-bit sums directly is slow for the solver, so the conjuncts come as a chain:
   * first the same inclusion with offsets from base (base <= x, xlen <= baseLen,
   * x - base <= baseLen - xlen), checked under the lemma's hypotheses, then generic steps of
   * monotonicity of addition, each checked alone over fresh variables, down to the sum form.
   */
  within(x: BV, xlen: BV, base: BV, baseLen: BV): Conjunct[] {
    const r = this.withinChain(x, xlen, base, baseLen);
    const n = this.freshCount++;
    const g = this.withinChain(
      this.u64(`x!${n}`),
      this.u64(`xlen!${n}`),
      this.u64(`base!${n}`),
      this.u64(`base_len!${n}`),
    );
    const step = (
      goal: 's0' | 's1' | 's2' | 's3' | 's4' | 's5' | 'g1' | 'g2',
      from: ('noWrap' | 'o1' | 'o2' | 'o3' | 's0' | 's1' | 's2' | 's3' | 's4' | 's5')[],
    ): Step => ({
      goal: r[goal],
      from: from.map((f) => r[f]),
      generic: this.implies(this.and(...from.map((f) => g[f])), g[goal]),
    });
    return [
      r.noWrap,
      r.o1,
      r.o2,
      r.o3,
      step('s1', ['o2', 'o3']),
      step('s2', ['s1', 'noWrap']),
      step('s3', ['s1', 's2', 'noWrap']),
      step('s4', []),
      step('s5', ['o1']),
      step('s0', ['o2', 'o3']),
      step('g1', ['s0', 's2', 's5']),
      step('g2', ['s3', 's4']),
    ];
  }

  private freshCount = 0;

  /** The formulas of the `within` chain for given terms (d = x - base). */
  private withinChain(x: BV, xlen: BV, base: BV, baseLen: BV) {
    const d = x.sub(base);
    return {
      noWrap: this.addNoWrap(base, baseLen),
      o1: this.ule(base, x),
      o2: this.ule(xlen, baseLen),
      o3: this.ule(d, baseLen.sub(xlen)),
      s0: this.addNoWrap(d, xlen),
      s1: this.ule(d.add(xlen), baseLen),
      s2: this.addNoWrap(base, d.add(xlen)),
      s3: this.ule(base.add(d.add(xlen)), base.add(baseLen)),
      s4: x.add(xlen).eq(base.add(d.add(xlen))),
      s5: this.addNoWrap(base, d),
      g1: this.addNoWrap(x, xlen),
      g2: this.ule(x.add(xlen), base.add(baseLen)),
    };
  }

  /** The sum form of `within` as plain formulas (no chain), for use under an implication. */
  withinSum(x: BV, xlen: BV, base: BV, baseLen: BV): B[] {
    return [this.ule(base, x), this.addNoWrap(x, xlen), this.ule(x.add(xlen), base.add(baseLen))];
  }

  /** a <= b as unsigned long. */
  ule(a: BV, b: BV): B {
    return a.ule(b);
  }
  ult(a: BV, b: BV): B {
    return a.ult(b);
  }

  /** The sign bit of a loff_t: x < 0 as a signed 64-bit value. */
  negativeLoff(x: BV): B {
    return x.slt(this.zero);
  }

  /** Signed minimum (int orders may be negative). */
  minSigned(a: BV, b: BV): BV {
    return this.ite(a.sle(b), a, b);
  }

  /**
   * floor(log2(x)) for x != 0, i.e. fls64(x) - 1 = ilog2(x): the index of the highest set bit.
   * A chain of 64 bit tests, quantifier-free.
   */
  floorLog2(x: BV): BV {
    let r: BV = this.zero;
    for (let i = 1; i < 64; i++) {
      r = this.ite(x.lshr(this.c(BigInt(i))).neq(this.zero), this.c(BigInt(i)), r);
    }
    return r;
  }

  /** PAGE_SIZE << order for a constant page order. */
  orderSize(order: number): BV {
    return this.c(this.geo.pageSize << BigInt(order));
  }

  // --- mm/huge_memory.c __thp_get_unmapped_area -----------------------------

  /** len_pad = len + size. */
  lenPad(len: BV, size: BV): BV {
    return len.add(size);
  }

  /** off_sub = (off - ret) & (size - 1): the distance from ret up to the next address ≡ off (mod size). */
  offSub(off: BV, ret: BV, size: BV): BV {
    return off.sub(ret).and(size.sub(this.one));
  }

  /**
   * The usefulness test passes, i.e. NOT (off_end <= off_align || (off_end - off_align) < size),
   * with C's types: off_end and off_align are loff_t, so `<=` is a SIGNED comparison; the
   * difference is loff_t converted to unsigned for `< size` (usual arithmetic conversions).
   */
  thpChunkTestPasses(off: BV, len: BV, size: BV): B {
    const offEnd = off.add(len);
    const offAlign = this.roundUp(off, size);
    return this.and(offEnd.sgt(offAlign), offEnd.sub(offAlign).uge(size));
  }

  /** The overflow test passes: NOT (len_pad < len || (off + len_pad) < off), all unsigned. */
  thpOverflowTestPasses(off: BV, len: BV, size: BV): B {
    const lenPad = this.lenPad(len, size);
    return this.and(lenPad.uge(len), off.add(lenPad).uge(off));
  }

  // --- mm/vma.c unmapped_area / unmapped_area_topdown -----------------------

  /** align_mask the way a congruence to S is requested: (S - 1) & PAGE_MASK. */
  alignMaskFor(S: BV): BV {
    return S.sub(this.one).and(this.PAGE_MASK);
  }

  /** length = info->length + info->align_mask + info->start_gap. */
  searchLength(infoLength: BV, alignMask: BV, startGap: BV): BV {
    return infoLength.add(alignMask).add(startGap);
  }

  /** unmapped_area: gap = start + start_gap; gap += (align_offset - gap) & align_mask. */
  unmappedAreaGap(rangeStart: BV, startGap: BV, alignOffset: BV, alignMask: BV): BV {
    const gap = rangeStart.add(startGap);
    return gap.add(alignOffset.sub(gap).and(alignMask));
  }

  /** unmapped_area_topdown: gap = end - info->length; gap -= (gap - align_offset) & align_mask. */
  unmappedAreaTopdownGap(rangeEnd: BV, infoLength: BV, alignOffset: BV, alignMask: BV): BV {
    const gap = rangeEnd.sub(infoLength);
    return gap.sub(gap.sub(alignOffset).and(alignMask));
  }

  // --- mm/shmem.c shmem_get_unmapped_area ------------------------------------

  /** inflated_len = len + hpage_size - PAGE_SIZE. */
  shmemInflatedLen(len: BV, hpageSize: BV): BV {
    return len.add(hpageSize).sub(this.PAGE_SIZE);
  }

  /**
   * inflated_offset = inflated_addr & (hpage_size - 1); inflated_addr += offset - inflated_offset;
   * if (inflated_offset > offset) inflated_addr += hpage_size.
   */
  shmemAdjust(inflatedAddr: BV, offset: BV, hpageSize: BV): BV {
    const inflatedOffset = inflatedAddr.and(hpageSize.sub(this.one));
    const shifted = inflatedAddr.add(offset.sub(inflatedOffset));
    return this.ite(inflatedOffset.ugt(offset), shifted.add(hpageSize), shifted);
  }

  // --- common hypotheses ------------------------------------------------------

  /** size = PAGE_SIZE << k for some k: a power of two not below PAGE_SIZE. */
  leafSize(size: BV): B {
    return this.and(this.isPowerOf2(size), size.uge(this.PAGE_SIZE));
  }

  /** Readability tier for counterexamples: every value below 2^bits. */
  below(bits: number, ...xs: BV[]): B[] {
    const lim = this.c(1n << BigInt(bits));
    return xs.map((x) => x.ult(lim));
  }

  /** The usual tiers: everything below 1G, below 2^40, below 2^48 (a user address). */
  readable(...xs: BV[]): B[][] {
    return [30, 40, 48].map((bits) => this.below(bits, ...xs));
  }

  /** A mapping length after do_mmap's PAGE_ALIGN: page-aligned and nonzero. */
  mapLen(len: BV): B {
    return this.and(this.pageAligned(len), len.neq(this.zero));
  }
}

// ---------------------------------------------------------------------------
// bigint side, for the replays and for printing.

export const TWO64 = 1n << 64n;

export function mask64(v: bigint): bigint {
  return ((v % TWO64) + TWO64) % TWO64;
}

/** A solver value as its 64-bit pattern (the wrap a C unsigned long makes), in the project's hex. */
export function hex(v: bigint): string {
  return hexOf(mask64(v));
}

/** The value as a loff_t (signed 64-bit). */
export function asLoff(v: bigint): bigint {
  const u = mask64(v);
  return u >= 1n << 63n ? u - TWO64 : u;
}

/** round_up(x, y) with 64-bit wrap, as the C macro computes it. */
export function roundUp64(x: bigint, y: bigint): bigint {
  return mask64((mask64(x - 1n) | (y - 1n)) + 1n);
}

/** The named values, in hex, in the order the lemma lists them. */
export function formatValues(v: Readonly<Record<string, bigint>>): string {
  return Object.entries(v)
    .map(([name, x]) => `${name}=${hex(x)}`)
    .join(' ');
}

/** Read a counterexample value that the lemma's `show` must contain. */
export function need(v: Readonly<Record<string, bigint>>, name: string): bigint {
  const x = v[name];
  if (x === undefined) throw new Error(`counterexample has no value for ${name}`);
  return x;
}
