// Policy name -> the hook __getUnmappedArea consults (model/context.ts:
// MappingOrderHook). 'baseline' is upstream v6.18 without the hook; the others
// are defined in docs/SEMANTICS.md §4 and each in its own file.

import type { MappingOrderHook } from '../context.js';
import type { PolicyName } from '../types.js';
import { jasonHook } from './jason.js';
import { optimalHook } from './optimal.js';
import { v2Hook } from './v2.js';

export const POLICY_NAMES: readonly PolicyName[] = ['baseline', 'v2', 'jason', 'optimal'];

export function policyHook(name: PolicyName): MappingOrderHook | null {
  switch (name) {
    case 'baseline':
      return null;
    case 'v2':
      return v2Hook;
    case 'jason':
      return jasonHook;
    case 'optimal':
      return optimalHook;
  }
}
