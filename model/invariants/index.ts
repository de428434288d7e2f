// The invariants of design.md section 3, one named predicate each,
// (scenario, placement[, S]) -> { ok, why }.

export { Congruent } from './congruent.js';
export { FixedExact } from './fixed-exact.js';
export { InRange } from './in-range.js';
export { NoOverlap } from './no-overlap.js';
export { fail, hex, OK, type Verdict } from './verdict.js';
export { fileOffset, mappedLen, mmapEnd } from './request-facts.js';
