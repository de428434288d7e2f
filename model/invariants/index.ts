// The invariants of docs/SEMANTICS.md §5, one named predicate each,
// (scenario, placement[, S]) -> { ok, why }.

export { Congruent } from './congruent.js';
export { FixedExact } from './fixed-exact.js';
export { InRange } from './in-range.js';
export { NoOverlap } from './no-overlap.js';
export { fail, OK, type Verdict } from './verdict.js';
export { fileOffset, mappedLen, mmapEnd } from './request-facts.js';
export { HintKept } from './hint-kept.js';
export { UsefulOnly } from './useful-only.js';
export { NoNewFailure } from './no-new-failure.js';
export { OrderZeroIsBaseline } from './order-zero-is-baseline.js';
export { OrderClamped } from './order-clamped.js';
export { MaxLeafCoverage } from './max-leaf-coverage.js';
export { FaultSafe } from './fault-safe.js';
export { DriverObligation } from './driver-obligation.js';
export { INVARIANTS, INVARIANT_NAMES, type InvariantName } from './registry.js';
export { formatCounterexample } from './counterexample.js';
