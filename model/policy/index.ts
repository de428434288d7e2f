// Policy name -> the hook __getUnmappedArea consults (model/context.ts:
// MappingOrderHook). 'baseline' is upstream v6.18 without the hook.

import type { MappingOrderHook } from '../context.js';
import type { PolicyName } from '../types.js';

export function policyHook(name: PolicyName): MappingOrderHook | null {
  switch (name) {
    case 'baseline':
      return null;
    default:
      throw new Error(`policy ${name} is not modelled yet`);
  }
}
