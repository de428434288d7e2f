// Soundness of the layout classes: every raw layout of a bound in which two
// VMAs of one kind touch gives, merged, the same placement and verdicts under
// every policy, for a spread of requests.

import { describe, expect, it } from 'vitest';
import { canonicalLayout, layoutKey } from '../../../generators/tiny/canonical-layout.js';
import { rawLayouts } from '../../../generators/tiny/layouts.js';
import type { TinyCase, TinyRequest } from '../../../generators/tiny/types.js';
import { POLICY_NAMES } from '../../../model/policy/index.js';
import { fingerprint } from '../../helpers/fingerprint.js';

// Requests that reach every branch a VMA boundary could matter to: searches both ways with and
// without a start gap, hints inside and next to the VMAs, MAP_FIXED over them, alignments.
const REQUESTS: TinyRequest[] = [];
for (const topdown of [true, false])
  for (const [addr, fixed, sg] of [
    [0, false, 0],
    [0, false, 1],
    [9, false, 0],
    [11, false, 0],
    [10, true, 0],
  ] as const)
    for (const len of [1, 2, 4])
      for (const drv of [
        { kind: 'order', k: 2, pa: 0 },
        { kind: 'order', k: 0, pa: 0 },
      ] as const)
        REQUESTS.push({ addr, fixed, len, pgoff: 1, region: 0, drv, topdown, sg });

describe('canonicalLayout is sound', () => {
  it(
    'merging touching VMAs of one kind changes no answer and no verdict (every raw layout of 3 VMAs of at most 2 ' +
      'pages in pages 10..15)',
    () => {
      let merged = 0;
      for (const raw of rawLayouts({
        pages: 16,
        maxVmas: 3,
        maxVmaPages: 2,
        kinds: ['vma', 'gd', 'ss'],
        firstPage: 10,
      })) {
        const canon = canonicalLayout(raw);
        if (layoutKey(canon) === layoutKey(raw)) continue;
        merged++;
        for (const request of REQUESTS)
          for (const policy of POLICY_NAMES) {
            const c: TinyCase = { arch: 'tiny-16', barPages: 4, layout: raw, request };
            const r: TinyCase = { ...c, layout: canon };
            expect(
              fingerprint(r, policy),
              `${layoutKey(raw)} vs ${layoutKey(canon)}, ${JSON.stringify(request)}, ${policy}`,
            ).toBe(fingerprint(c, policy));
          }
      }
      // A raw layout merges when two VMAs of one kind touch; there are hundreds in this bound.
      expect(merged).toBeGreaterThan(100);
    },
  );
});
