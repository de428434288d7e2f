// The identity of a kernel build: the same source package version, configuration fragment and patches give
// the same bzImage, so a build is cached under the sha256 of exactly those and of nothing else (not the
// names or paths of the files, not the time).

import { createHash } from 'node:crypto';

export interface BuildInputs {
  /** The source package version (kernel/source.ts). */
  version: string;
  /** The text of the configuration fragment. */
  fragment: string;
  /** The text of each patch, in the order they are applied. */
  patches: readonly string[];
}

/** sha256 (hex) of the inputs; every field is length-prefixed so no two different inputs share a key. */
export function buildKey(inputs: BuildInputs): string {
  const h = createHash('sha256');
  const field = (tag: string, text: string): void => {
    const bytes = Buffer.from(text, 'utf8');
    h.update(`${tag} ${bytes.length}\n`);
    h.update(bytes);
    h.update('\n');
  };
  field('version', inputs.version);
  field('fragment', inputs.fragment);
  h.update(`patches ${inputs.patches.length}\n`);
  for (const p of inputs.patches) field('patch', p);
  return h.digest('hex');
}
