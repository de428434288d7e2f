// The request domain and its count, derived by hand.

import { describe, expect, it } from 'vitest';
import { requestCount, requests, type RequestBounds } from '../../../generators/tiny/requests.js';
import { CI_REQUESTS } from '../../../generators/tiny/universe.js';

describe('requests', () => {
  it('drops a start gap with a hint or MAP_FIXED, as the spec does', () => {
    const b: RequestBounds = {
      addrs: [0, 5],
      fixed: [false, true],
      lens: [1, 2],
      pgoffs: [0],
      regions: [0],
      drivers: [{ kind: 'order', k: 2, pa: 0 }],
      topdown: [true, false],
      sgs: [0, 1],
    };
    // sg 0: 2 addrs x 2 fixed x 2 lens x 2 directions = 16; sg 1 only with addr 0 and no MAP_FIXED: 2 lens x 2 = 4.
    const rs = [...requests(b)];
    expect(rs).toHaveLength(20);
    expect(requestCount(b)).toBe(20);
    expect(rs.filter((r) => r.sg > 0).every((r) => r.addr === 0 && !r.fixed)).toBe(true);
  });

  it('the CI domain: 2 hints x 2 MAP_FIXED x 8 lens x 4 pgoffs x 10 drivers x 2 directions = 2560', () => {
    expect(requestCount(CI_REQUESTS)).toBe(2560);
    expect([...requests(CI_REQUESTS)]).toHaveLength(2560);
  });
});
