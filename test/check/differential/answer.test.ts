// Answers in the spec's encoding and how two are compared.

import { describe, expect, it } from 'vitest';
import {
  compareLabels,
  compareVa,
  ERRNO_VALUE,
  modelAnswer,
  placementAnswer,
} from '../../../check/differential/answer.js';
import type { TinyCase } from '../../../generators/tiny/types.js';

const c: TinyCase = {
  arch: 'tiny-16',
  barPages: 4,
  layout: [],
  request: {
    addr: 0,
    fixed: false,
    len: 1,
    pgoff: 0,
    region: 0,
    drv: { kind: 'order', k: 0, pa: 0 },
    topdown: true,
    sg: 0,
  },
};

describe('placementAnswer / modelAnswer', () => {
  it('a VA in pages, an error as the negative errno', () => {
    expect(placementAnswer(c, { va: 0xf000n, error: null, path: 'plain', order: 0, alignment: 0x1000n })).toEqual({
      va: 15,
      path: 'plain',
      order: 0,
    });
    expect(placementAnswer(c, { va: null, error: 'ENOMEM', path: 'plain', order: 0, alignment: 0x1000n }).va).toBe(-12);
    expect([ERRNO_VALUE.EPERM, ERRNO_VALUE.EINVAL, ERRNO_VALUE.EOVERFLOW]).toEqual([-1, -22, -75]);
  });

  it(
    'one page, empty tiny-16, top-down: baseline takes the top page 15; v2 order 0 searches 2 pages, gets 14, and ' +
      'returns ret + PAGE_SIZE = 15',
    () => {
      expect(modelAnswer(c, 'baseline')).toEqual({ va: 15, path: 'plain', order: 0 });
      expect(modelAnswer(c, 'v2')).toEqual({ va: 15, path: 'aligned', order: 0 });
    },
  );
});

describe('compareVa / compareLabels', () => {
  it('a different VA or errno is a mismatch; equal errnos agree whatever the path', () => {
    expect(compareVa({ va: 15, path: 'plain', order: 0 }, { va: 14, path: 'plain', order: -1 })).toEqual({
      field: 'va',
      model: 'page 15',
      spec: 'page 14',
    });
    expect(compareVa({ va: -12, path: 'plain', order: 0 }, { va: -12, path: 'error', order: -1 })).toBeNull();
    expect(compareVa({ va: -12, path: 'plain', order: 0 }, { va: -1, path: 'plain', order: -1 })).toEqual({
      field: 'va',
      model: 'ENOMEM',
      spec: 'EPERM',
    });
  });

  it('labels: the path of a placement, and the order on aligned and fallback paths only', () => {
    expect(compareLabels({ va: 15, path: 'plain', order: 0 }, { va: 15, path: 'fallback', order: 1 })).toEqual({
      field: 'path',
      model: 'plain',
      spec: 'fallback',
    });
    expect(compareLabels({ va: 15, path: 'aligned', order: 1 }, { va: 15, path: 'aligned', order: 2 })).toEqual({
      field: 'order',
      model: '1',
      spec: '2',
    });
    expect(compareLabels({ va: 15, path: 'plain', order: 0 }, { va: 15, path: 'plain', order: -1 })).toBeNull();
    expect(compareLabels({ va: -12, path: 'plain', order: 0 }, { va: -12, path: 'error', order: -1 })).toBeNull();
  });
});
