import { describe, expect, it } from 'vitest';
import { caseText } from '../../../check/differential/case-text.js';

describe('caseText', () => {
  it('writes the mmap call in bytes and pages, the driver, the direction and the VMAs', () => {
    expect(
      caseText({
        arch: 'tiny-16',
        barPages: 4,
        layout: [{ start: 15, end: 16, kind: 'gd' }],
        request: {
          addr: 5,
          fixed: true,
          len: 2,
          pgoff: 1,
          region: 0,
          drv: { kind: 'vfio-pci', pa: 0 },
          topdown: false,
          sg: 0,
        },
      }),
    ).toBe(
      'mmap(addr 0x5000 [5 pages], len 0x2000 [2 pages], pgoff 1, MAP_SHARED|MAP_FIXED) on driver vfio-pci (4-page ' +
        'BAR at PFN 0); tiny-16, bottom-up; VMAs [15,16)gd (pages)',
    );
  });
});
