// The userspace schemes of docs/MODEL.md#the-userspace-schemes by name.

import { dpdkScheme } from './dpdk.js';
import { kernelPlacesScheme } from './kernel-places.js';
import { qemu2026Scheme } from './qemu-2026.js';
import { qemu92Scheme } from './qemu-9-2.js';
import type { BarSpec, SchemeEnv, SchemeName, SchemeResult } from './types.js';

export type { BarArea, BarSpec, SchemeEnv, SchemeName, SchemePart, SchemeResult, SchemeStep } from './types.js';
export { dpdkAreas, qemuAreas } from './bar-areas.js';

export const SCHEMES: Readonly<Record<SchemeName, (env: SchemeEnv, bar: BarSpec) => SchemeResult>> = {
  dpdk: dpdkScheme,
  'qemu-9.2': qemu92Scheme,
  'qemu-2026': qemu2026Scheme,
  kernel: kernelPlacesScheme,
};

export const SCHEME_NAMES = Object.keys(SCHEMES) as SchemeName[];

export function runScheme(name: SchemeName, env: SchemeEnv, bar: BarSpec): SchemeResult {
  return SCHEMES[name](env, bar);
}
