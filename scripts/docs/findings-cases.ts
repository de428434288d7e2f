// For each finding of docs/FINDINGS.md, the same departure at real scale
// (x86_64, or arm64-4k where only arm64 shows it), as a person would meet it:
// a realistic BAR, offset and layout. The scenarios are built from the
// geometry's defaults (mmap_base, mmap_legacy_base), so they follow any change
// to them; scripts/gen.ts places each one with the model and refuses to
// print a case that does not violate its invariant.

import { GEOMETRIES, GiB, MiB } from '../../model/geometry.js';
import { defaultMm } from '../../model/mm-defaults.js';
import type { FileDesc, Mm, PolicyName, Request, Scenario, Vma } from '../../model/types.js';
import type { InvariantName } from '../../model/invariants/index.js';

export interface ScaleCase {
  readonly title: string;
  readonly invariant: InvariantName;
  readonly policy: PolicyName;
  readonly scenario: Scenario;
}

const X86 = 'x86_64' as const;
const K4 = 4096n;

function scenario(
  arch: Scenario['arch'],
  policy: PolicyName,
  mm: Mm,
  vmas: Vma[],
  file: FileDesc,
  request: Partial<Request> & { len: bigint },
): Scenario {
  return { arch, policy, mm, vmas, file, request: { addr: 0n, pgoff: 0n, fixed: false, shared: true, ...request } };
}

const vfio = (barSize: bigint, extra: Partial<FileDesc> = {}): FileDesc => ({
  kind: 'driver',
  driver: 'vfio-pci',
  barSize,
  ...extra,
});
const vfioJason = (barSize: bigint): FileDesc => ({ kind: 'driver', driver: 'vfio-pci-jason', barSize });

/** The real-scale cases, in the order FINDINGS.md shows them under each cell. */
export function scaleCases(): ScaleCase[] {
  const mm = defaultMm(X86);
  const B = mm.mmapBase;
  const L = mm.mmapLegacyBase;
  const cases: ScaleCase[] = [];
  const add = (title: string, invariant: InvariantName, s: Scenario) =>
    cases.push({ title, invariant, policy: s.policy, scenario: s });

  add(
    'a 1M BAR (vfio-pci returns 0: less than a PMD) and a gap of exactly 1M right under mmap_base',
    'OrderZeroIsBaseline',
    scenario(X86, 'v2', mm, [{ start: B - 2n * MiB, end: B - MiB }], vfio(MiB), { len: MiB }),
  );
  add(
    "the hook Jason asked for (vfio-pci-jason returns the BAR's order, 14 for 64M) under v2's core: S = 64M, no leaf " +
      'of that size exists',
    'OrderClamped',
    scenario(X86, 'v2', mm, [], vfioJason(64n * MiB), { len: 64n * MiB }),
  );
  add(
    "Jason's example, the part after the MSI-X page: a 64M BAR from 2M + 4K to its end, upstream today",
    'MaxLeafCoverage',
    scenario(X86, 'baseline', mm, [], vfio(64n * MiB), { len: 64n * MiB - 2n * MiB - K4, pgoff: 0x201n }),
  );
  add(
    'v2 with its own vfio-pci driver: a 4G BAR mapped from 2M, 1G + 2M long; the driver returns PUD_ORDER (MIN(4G - ' +
      '2M, len) >= 1G), the range holds no whole 1G chunk, __thp_get_unmapped_area gives up and the PMD alignment ' +
      'goes with it',
    'MaxLeafCoverage',
    scenario(X86, 'v2', mm, [], vfio(4n * GiB), { len: GiB + 2n * MiB, pgoff: 0x200n }),
  );
  add(
    'the same 4G BAR range with the BAR order from the driver: min(20, floor_log2(1G + 2M) - 12 = 18) = 18 is a leaf ' +
      'order (PUD), but no whole 1G chunk lies in [2M, 1G + 4M)',
    'MaxLeafCoverage',
    scenario(X86, 'jason', mm, [], vfioJason(4n * GiB), { len: GiB + 2n * MiB, pgoff: 0x200n }),
  );
  add(
    'an address hint that is taken (a VMA sits there): jason, like v2, skips the hook for any hint, and the plain ' +
      'placement lands wherever the search ends',
    'MaxLeafCoverage',
    scenario(X86, 'jason', mm, [{ start: 0x7f0000000000n, end: 0x7f0000001000n }], vfio(64n * MiB), {
      len: 64n * MiB,
      addr: 0x7f0000000000n,
    }),
  );
  add(
    'bottom-up, a grow-down VMA 7M above mmap_legacy_base and everything above it taken: 4M of an order-9 file',
    'MaxLeafCoverage',
    scenario(
      X86,
      'optimal',
      { ...mm, topdown: false },
      [
        { start: L + 7n * MiB, end: L + 7n * MiB + K4, growsDown: true },
        { start: L + 7n * MiB + K4, end: mm.taskSize },
      ],
      { kind: 'driver', driver: 'order:9' },
      { len: 4n * MiB },
    ),
  );
  const arm = defaultMm('arm64-4k');
  add(
    'arm64-4k: optimal aims for cont-PMD (32M), which no PFN map installs; only 1G + 2M is free under mmap_base, so ' +
      'the one search for 1G + 32M - 4K fails and the 2M alignment that would have fitted is lost too',
    'MaxLeafCoverage',
    scenario(
      'arm64-4k',
      'optimal',
      arm,
      [
        { start: 0x100000n, end: arm.mmapBase - GiB - 2n * MiB },
        { start: arm.mmapBase, end: GEOMETRIES['arm64-4k'].taskSize },
      ],
      { kind: 'driver', driver: 'order:22' },
      { len: GiB, pgoff: 0x1ffn },
    ),
  );
  for (const policy of ['v2', 'jason', 'optimal'] as const) {
    add(
      'a 64M BAR whose physical base is 4K past a 2M boundary (no PCI BAR is, but any driver whose pgoff space is ' +
        'not laid out like its PA is)',
      'DriverObligation',
      scenario(X86, policy, mm, [], vfio(64n * MiB, { barPhys: (1n << 40n) + K4 }), { len: 64n * MiB }),
    );
  }
  add(
    'a shadow stack (VM_SHADOW_STACK, start_gap one page) when the top-down window is full: the bottom-up retry ' +
      'drops start_gap',
    'NoOverlap',
    scenario(
      X86,
      'baseline',
      mm,
      [
        { start: mm.mmapMinAddr, end: B },
        { start: mm.taskSize - 8n * MiB, end: mm.taskSize, growsDown: true },
      ],
      { kind: 'anon' },
      { len: 64n * 1024n, shared: false, shadowStack: true },
    ),
  );
  return cases;
}
