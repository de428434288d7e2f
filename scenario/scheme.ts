// What `explain` reads: a scenario (the same JSON as `place`), or a userspace
// scheme around a BAR (docs/MODEL.md#the-userspace-schemes):
//   {"scheme": "dpdk" | "qemu-9.2" | "qemu-2026" | "kernel", "arch", "policy",
//    "mm"?, "vmas"?, "file", "bar": {"size", "msix"?: {"offset", "size"},
//    "sparse"?: [{"offset", "size"}, ...]}, "regionOffset"?, "reserveHint"?}
// The common fields are checked by the place scenario parser, so they are
// refused with the same messages.

import { SCHEME_NAMES, type BarArea, type BarSpec, type SchemeEnv, type SchemeName } from '../model/schemes/index.js';
import type { Scenario } from '../model/types.js';
import { InputError } from '../io/errors.js';
import { fieldPath } from '../io/input.js';
import { describeJson, isJsonObject, parseU64, quoted } from '../io/json.js';
import { parseScenario } from './scenario.js';
import { hex } from '../model/u64.js';

export type ExplainInput =
  | { readonly kind: 'scenario'; readonly scenario: Scenario }
  | { readonly kind: 'scheme'; readonly scheme: SchemeName; readonly env: SchemeEnv; readonly bar: BarSpec };

const SCHEME_KEYS = [
  'scheme',
  'arch',
  'policy',
  'kernel',
  'mm',
  'vmas',
  'file',
  'bar',
  'regionOffset',
  'reserveHint',
  'comment',
] as const;

export function parseExplainInput(json: unknown, where: string): ExplainInput {
  if (!isJsonObject(json) || json.scheme === undefined)
    return { kind: 'scenario', scenario: parseScenario(json, where) };
  const at = (p: string) => fieldPath(where, p);
  for (const k of Object.keys(json))
    if (!(SCHEME_KEYS as readonly string[]).includes(k))
      throw new InputError(at(k), `unknown field (known: ${SCHEME_KEYS.join(', ')})`);
  const scheme = json.scheme;
  if (typeof scheme !== 'string' || !(SCHEME_NAMES as readonly string[]).includes(scheme)) {
    throw new InputError(at('scheme'), `unknown scheme ${quoted(String(scheme))} (one of ${SCHEME_NAMES.join(', ')})`);
  }
  // The shared fields through the scenario parser, with a placeholder request it never complains about.
  const { comment: _c, scheme: _s, bar: _b, regionOffset: _r, reserveHint: _h, ...common } = json;
  const s = parseScenario({ ...common, request: { len: '0x1' } }, where);
  if (s.file.kind !== 'driver')
    throw new InputError(at('file.kind'), `a scheme maps a device file: kind must be 'driver', got '${s.file.kind}'`);
  const bar = parseBar(json.bar, at);
  // One BAR, one size: vfio-pci's drivers read the BAR's size from file.barSize, the scheme lays its areas
  // out in bar.size; two different sizes would describe two BARs.
  if (s.file.barSize !== undefined && s.file.barSize !== bar.size) {
    throw new InputError(
      at('bar.size'),
      `${hex(bar.size)} differs from file.barSize ${hex(s.file.barSize)}: one BAR, one size`,
    );
  }
  const env: SchemeEnv = {
    arch: s.arch,
    policy: s.policy,
    ...(s.kernel !== undefined ? { kernel: s.kernel } : {}),
    mm: s.mm,
    vmas: s.vmas,
    file: s.file,
    ...(json.regionOffset !== undefined ? { regionOffset: parseU64(json.regionOffset, at('regionOffset')) } : {}),
    ...(json.reserveHint !== undefined ? { reserveHint: parseU64(json.reserveHint, at('reserveHint')) } : {}),
  };
  return { kind: 'scheme', scheme: scheme as SchemeName, env, bar };
}

function parseArea(v: unknown, field: string, barSize: bigint): BarArea {
  if (!isJsonObject(v)) throw new InputError(field, `expected an object {"offset", "size"}, got ${describeJson(v)}`);
  for (const k of Object.keys(v))
    if (k !== 'offset' && k !== 'size') throw new InputError(`${field}.${k}`, 'unknown field (known: offset, size)');
  if (v.offset === undefined) throw new InputError(`${field}.offset`, 'missing (required)');
  if (v.size === undefined) throw new InputError(`${field}.size`, 'missing (required)');
  const offset = parseU64(v.offset, `${field}.offset`);
  const size = parseU64(v.size, `${field}.size`);
  if (size === 0n) throw new InputError(`${field}.size`, 'must be > 0');
  if (offset + size > barSize)
    throw new InputError(`${field}.size`, `offset + size = ${hex(offset + size)} is past the BAR end ${hex(barSize)}`);
  return { offset, size };
}

function parseBar(v: unknown, at: (p: string) => string): BarSpec {
  if (v === undefined) throw new InputError(at('bar'), 'missing (required for a scheme)');
  if (!isJsonObject(v))
    throw new InputError(at('bar'), `expected an object {"size", "msix"?, "sparse"?}, got ${describeJson(v)}`);
  for (const k of Object.keys(v))
    if (!['size', 'msix', 'sparse'].includes(k))
      throw new InputError(at(`bar.${k}`), 'unknown field (known: size, msix, sparse)');
  if (v.size === undefined) throw new InputError(at('bar.size'), 'missing (required)');
  const size = parseU64(v.size, at('bar.size'));
  if (size === 0n) throw new InputError(at('bar.size'), 'must be > 0');
  // PCI BARs are naturally sized, as file.barSize requires (scenario/scenario.ts).
  if ((size & (size - 1n)) !== 0n)
    throw new InputError(at('bar.size'), `must be a power of two (a PCI BAR size): ${hex(size)}`);
  if (v.msix !== undefined && v.sparse !== undefined)
    throw new InputError(at('bar.sparse'), 'give either msix or sparse, not both');
  if (v.msix !== undefined) return { size, msix: parseArea(v.msix, at('bar.msix'), size) };
  if (v.sparse !== undefined) {
    if (!Array.isArray(v.sparse))
      throw new InputError(at('bar.sparse'), `expected an array of {"offset", "size"}, got ${describeJson(v.sparse)}`);
    const sparse = v.sparse.map((a, i) => parseArea(a, at(`bar.sparse[${i}]`), size));
    const sorted = [...sparse].sort((a, b) => (a.offset < b.offset ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      // QEMU refuses overlapping sparse areas (da02b21cc70e); so does this.
      if (sorted[i - 1]!.offset + sorted[i - 1]!.size > sorted[i]!.offset)
        throw new InputError(at('bar.sparse'), `areas overlap at ${hex(sorted[i]!.offset)}`);
    }
    return { size, sparse };
  }
  return { size };
}
