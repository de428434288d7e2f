// Where the guest-kernel harness keeps what it builds: outside the clone, because the kernel source and its
// build trees are gigabytes that must never be committed and are shared by every clone on the machine.

import { homedir } from 'node:os';
import { join } from 'node:path';

/** ${MAPPING_ORDER_CACHE:-$HOME/.cache/mapping-order} */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const set = env.MAPPING_ORDER_CACHE;
  if (set !== undefined && set.trim() !== '') return set;
  return join(env.HOME && env.HOME.trim() !== '' ? env.HOME : homedir(), '.cache', 'mapping-order');
}
