// Every invariant of docs/SEMANTICS.md §5 by name, in the table's order: the one
// list the property tests, the verdict matrix and the CLI iterate over.

import type { Placement, Scenario } from '../types.js';
import { Congruent } from './congruent.js';
import { DriverObligation } from './driver-obligation.js';
import { FaultSafe } from './fault-safe.js';
import { FixedExact } from './fixed-exact.js';
import { HintKept } from './hint-kept.js';
import { InRange } from './in-range.js';
import { MaxLeafCoverage } from './max-leaf-coverage.js';
import { NoNewFailure } from './no-new-failure.js';
import { NoOverlap } from './no-overlap.js';
import { OrderClamped } from './order-clamped.js';
import { OrderZeroIsBaseline } from './order-zero-is-baseline.js';
import { UsefulOnly } from './useful-only.js';
import type { Verdict } from './verdict.js';

export type InvariantName =
  | 'InRange'
  | 'NoOverlap'
  | 'FixedExact'
  | 'HintKept'
  | 'Congruent'
  | 'UsefulOnly'
  | 'NoNewFailure'
  | 'OrderZeroIsBaseline'
  | 'OrderClamped'
  | 'MaxLeafCoverage'
  | 'FaultSafe'
  | 'DriverObligation';

export const INVARIANTS: Readonly<Record<InvariantName, (s: Scenario, p: Placement) => Verdict>> = {
  InRange,
  NoOverlap,
  FixedExact,
  HintKept,
  Congruent: (s, p) => Congruent(s, p),
  UsefulOnly,
  NoNewFailure,
  OrderZeroIsBaseline,
  OrderClamped,
  MaxLeafCoverage,
  FaultSafe,
  DriverObligation,
};

export const INVARIANT_NAMES = Object.keys(INVARIANTS) as InvariantName[];
