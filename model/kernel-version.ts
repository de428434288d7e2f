// The kernel versions the model mirrors: 6.18 (the default, and what
// `mapping-order probe` measures on this machine) and 6.12 (the LTS). Where the
// mirrored functions differ, the model function branches on ctx.kernel, citing
// the file and function of both versions; docs/KERNELS.md lists every difference.

export const KERNEL_VERSIONS = ['6.12', '6.18'] as const;

export type KernelVersion = (typeof KERNEL_VERSIONS)[number];

/** The version a scenario without a `kernel` field runs under. */
export const DEFAULT_KERNEL: KernelVersion = '6.18';

export function isKernelVersion(x: unknown): x is KernelVersion {
  return typeof x === 'string' && (KERNEL_VERSIONS as readonly string[]).includes(x);
}
