// The build cache key changes exactly when an input of the build changes.

import { describe, expect, it } from 'vitest';
import { buildKey } from '../../kernel/build-key.js';

const base = { version: '6.12.118-1~deb12u1', fragment: 'CONFIG_64BIT=y\n', patches: ['--- a/x\n+++ b/x\n'] };

describe('buildKey', () => {
  it('is a sha256 and the same for the same inputs', () => {
    expect(buildKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(buildKey({ ...base, patches: [...base.patches] })).toBe(buildKey(base));
  });

  it('changes with the source version, the fragment and each patch', () => {
    const k = buildKey(base);
    expect(buildKey({ ...base, version: '6.12.119-1~deb12u1' })).not.toBe(k);
    expect(buildKey({ ...base, fragment: 'CONFIG_64BIT=y\nCONFIG_PCI=y\n' })).not.toBe(k);
    expect(buildKey({ ...base, fragment: 'CONFIG_64BIT=y' })).not.toBe(k);
    expect(buildKey({ ...base, patches: ['--- a/x\n+++ b/y\n'] })).not.toBe(k);
    expect(buildKey({ ...base, patches: [] })).not.toBe(k);
    expect(buildKey({ ...base, patches: [...base.patches, ...base.patches] })).not.toBe(k);
  });

  it('depends on the order of the patches and on where one ends and the next begins', () => {
    expect(buildKey({ ...base, patches: ['A', 'B'] })).not.toBe(buildKey({ ...base, patches: ['B', 'A'] }));
    expect(buildKey({ ...base, patches: ['AB', ''] })).not.toBe(buildKey({ ...base, patches: ['A', 'B'] }));
    const shifted = buildKey({ ...base, fragment: 'xy', patches: [''] });
    expect(buildKey({ ...base, fragment: 'x', patches: ['y'] })).not.toBe(shifted);
  });
});
