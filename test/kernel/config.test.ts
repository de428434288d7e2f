// The configuration check: every option of the fragment must be in the final .config as requested.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configMismatches, parseConfig, verifyConfig } from '../../kernel/config.js';
import { InputError } from '../../io/errors.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const fragment = `# a comment
CONFIG_64BIT=y
CONFIG_VFIO_NOIOMMU=y
# CONFIG_SMP is not set
CONFIG_LOG_BUF_SHIFT=14
`;

const finalOk = `#
# Automatically generated file; DO NOT EDIT.
#
CONFIG_64BIT=y
CONFIG_VFIO=y
CONFIG_VFIO_NOIOMMU=y
# CONFIG_SMP is not set
CONFIG_LOG_BUF_SHIFT=14
`;

describe('parseConfig', () => {
  it('reads =value and "is not set" lines and skips comments', () => {
    expect(parseConfig(fragment, 'f').map((o) => `${o.name}=${o.value}`)).toEqual([
      'CONFIG_64BIT=y',
      'CONFIG_VFIO_NOIOMMU=y',
      'CONFIG_SMP=n',
      'CONFIG_LOG_BUF_SHIFT=14',
    ]);
  });

  it('refuses a stray line, a duplicate, and a comment merge_config.sh would read as an option', () => {
    expect(() => parseConfig('VFIO=y\n', 'f')).toThrow(/f:1: not a Kconfig line/);
    expect(() => parseConfig('CONFIG_A=y\nCONFIG_A=n\n', 'f')).toThrow(/f:2: CONFIG_A is already set on line 1/);
    expect(() => parseConfig('# CONFIG_A needs B\n', 'f')).toThrow(/merge_config.sh reads as an option/);
  });

  it('accepts the repository fragment', () => {
    const path = join(REPO, 'kernel', 'config', 'mapping-order.config');
    const opts = parseConfig(readFileSync(path, 'utf8'), path);
    expect(opts.map((o) => o.name)).toContain('CONFIG_PTDUMP_DEBUGFS');
    expect(opts.every((o) => o.value === 'y')).toBe(true);
  });
});

describe('verifyConfig', () => {
  it('passes when every option survived', () => {
    expect(configMismatches(parseConfig(fragment, 'f'), parseConfig(finalOk, '.config'))).toEqual([]);
    expect(() => verifyConfig(fragment, 'f', finalOk)).not.toThrow();
  });

  it('names the first dropped option in one line', () => {
    const dropped = finalOk.replace('CONFIG_VFIO_NOIOMMU=y', '# CONFIG_VFIO_NOIOMMU is not set');
    let err: unknown;
    try {
      verifyConfig(fragment, 'f', dropped);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('CONFIG_VFIO_NOIOMMU');
    expect((err as Error).message).toBe(
      'CONFIG_VFIO_NOIOMMU: f asks for y, olddefconfig gave n (an unmet Kconfig dependency)',
    );
  });

  it('flags an option that is absent, changed, or set when asked off', () => {
    const bad = finalOk
      .replace('CONFIG_64BIT=y\n', '')
      .replace('CONFIG_LOG_BUF_SHIFT=14', 'CONFIG_LOG_BUF_SHIFT=17')
      .replace('# CONFIG_SMP is not set', 'CONFIG_SMP=y');
    expect(configMismatches(parseConfig(fragment, 'f'), parseConfig(bad, '.config'))).toEqual([
      { name: 'CONFIG_64BIT', wanted: 'y', got: 'n' },
      { name: 'CONFIG_SMP', wanted: 'n', got: 'y' },
      { name: 'CONFIG_LOG_BUF_SHIFT', wanted: '14', got: '17' },
    ]);
    expect(() => verifyConfig(fragment, 'f', bad)).toThrow(
      /^CONFIG_64BIT: .* \(and 2 more: CONFIG_SMP, CONFIG_LOG_BUF_SHIFT\)$/,
    );
  });

  it('takes a module (=m) as not what =y asked for', () => {
    expect(() => verifyConfig('CONFIG_VFIO=y\n', 'f', 'CONFIG_VFIO=m\n')).toThrow(
      /CONFIG_VFIO: f asks for y, olddefconfig gave m/,
    );
  });
});
