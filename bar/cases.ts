// The placements the oracle asks of the patched kernel, per BAR: offsets and lengths from 4K to the whole BAR
// (around DPDK's MSI-X hole at 2M), address hints, MAP_FIXED, and a top-down hole that fits the length but not
// the padded search. Each case is one mmap of BAR2 through the VFIO device file, at region offset + `off`.
// And which real-scale cases of docs/FINDINGS.md the guest can realise (the findings group), or why not.

import type { InvariantName } from '../model/invariants/index.js';
import type { PolicyName, Scenario } from '../model/types.js';

const K = 1n << 10n;
const M = 1n << 20n;

export interface PlainCase {
  readonly what: string;
  readonly off: bigint;
  readonly len: bigint;
  /** The address hint (0: none), or the MAP_FIXED address. */
  readonly addr: bigint;
  readonly fixed: boolean;
}

function sized(x: bigint): string {
  if (x === 0n) return '0';
  if (x % (1n << 30n) === 0n) return `${x >> 30n}G`;
  if (x % M === 0n) return `${x >> 20n}M`;
  if (x % K === 0n) return `${x >> 10n}K`;
  return `0x${x.toString(16)}`;
}

/** Offset and length pairs inside a BAR of `barSize`: aligned and unaligned, sub-ranges and the rest. */
export function offsetsAndLengths(barSize: bigint): Array<{ off: bigint; len: bigint }> {
  const offs = [0n, 4n * K, M, 2n * M, 2n * M + 4n * K, barSize / 2n, barSize - 2n * M];
  const lens = [4n * K, 64n * K, M, 2n * M, 2n * M + 4n * K, 4n * M, barSize / 2n];
  const out: Array<{ off: bigint; len: bigint }> = [];
  const seen = new Set<string>();
  const add = (off: bigint, len: bigint): void => {
    const key = `${off}/${len}`;
    if (len <= 0n || off + len > barSize || seen.has(key)) return;
    seen.add(key);
    out.push({ off, len });
  };
  for (const off of offs) {
    for (const len of lens) add(off, len);
    add(off, barSize - off);
  }
  return out;
}

/** No hint, no MAP_FIXED: where the kernel puts each piece of the BAR. */
export function plainCases(barSize: bigint): PlainCase[] {
  return offsetsAndLengths(barSize).map(({ off, len }) => ({
    what: `off ${sized(off)} len ${sized(len)}`,
    off,
    len,
    addr: 0n,
    fixed: false,
  }));
}

/**
 * Hints and MAP_FIXED at `base` (a free, 1G-aligned address below mmap_base): aligned, page-unaligned to 2M,
 * and congruent with the offset; a hint below mmap_min_addr is rounded by the kernel and placed as no hint.
 */
export function addressCases(barSize: bigint, base: bigint): PlainCase[] {
  const out: PlainCase[] = [];
  const pieces = [
    { off: 0n, len: 2n * M },
    { off: 2n * M + 4n * K, len: 4n * M },
    { off: 4n * K, len: barSize - 4n * K },
  ];
  for (const fixed of [false, true]) {
    for (const p of pieces) {
      for (const delta of [0n, 4n * K, M + 4n * K, p.off % (2n * M)]) {
        const addr = base + delta;
        const what = `${fixed ? 'MAP_FIXED' : 'hint'} base+${sized(delta)} off ${sized(p.off)} len ${sized(p.len)}`;
        if (!out.some((c) => c.addr === addr && c.off === p.off && c.fixed === fixed))
          out.push({ what, off: p.off, len: p.len, addr, fixed });
      }
    }
  }
  return out;
}

export interface HoleCase {
  readonly what: string;
  readonly off: bigint;
  readonly len: bigint;
  /** The size of the free hole at the top of the search. */
  readonly hole: bigint;
}

/** A hole of len, len + 4K, len + 1M, len + 2M: the padded search (len + alignment) fits only in the last. */
export function holeCases(barSize: bigint): HoleCase[] {
  const out: HoleCase[] = [];
  for (const { off, len } of [
    { off: 0n, len: 2n * M },
    { off: 2n * M + 4n * K, len: 4n * M },
    { off: 0n, len: barSize },
  ]) {
    for (const extra of [0n, 4n * K, M, 2n * M]) {
      out.push({ what: `hole len+${sized(extra)} off ${sized(off)} len ${sized(len)}`, off, len, hole: len + extra });
    }
  }
  return out;
}

/** BAR2 of the guest's ivshmem devices (bar/oracle.ts), both naturally aligned by SeaBIOS. */
export const GUEST_BAR_SIZES: readonly bigint[] = [64n * M, 1n << 30n];

/** A real-scale case of docs/FINDINGS.md (scripts/docs/findings-cases.ts) as the guest runs it. */
export interface FindingCase {
  readonly title: string;
  readonly invariant: InvariantName;
  readonly policy: PolicyName;
  /** vfio_pci_core.mapping_order_driver=: v2 is the model's vfio-pci, bar its vfio-pci-jason. */
  readonly driver: 'v2' | 'bar';
  readonly barSize: bigint;
  readonly off: bigint;
  readonly len: bigint;
  readonly addr: bigint;
  readonly fixed: boolean;
  /** The case's VMAs, recreated as MAP_FIXED_NOREPLACE PROT_NONE anonymous blockers. */
  readonly blockers: ReadonlyArray<{ start: bigint; end: bigint }>;
}

export type Realisation =
  { readonly ok: true; readonly case: FindingCase } | { readonly ok: false; readonly why: string };

/** A real-scale case as scripts/docs/findings-cases.ts gives it (passed in: bar/ does not import scripts/). */
export interface ScaleCase {
  readonly title: string;
  readonly invariant: InvariantName;
  readonly policy: PolicyName;
  readonly scenario: Scenario;
}

/** Whether the guest can run a real-scale case of FINDINGS.md, and how; or why not. */
export function realise(c: ScaleCase): Realisation {
  const s = c.scenario;
  const no = (why: string): Realisation => ({ ok: false, why });
  if (s.arch !== 'x86_64') return no(`an ${s.arch} case; the guest is x86_64 with 4K pages`);
  if (s.file.kind !== 'driver') {
    const what = `${s.file.kind === 'anon' ? 'anonymous' : s.file.kind} memory`;
    const ss = s.request.shadowStack ? ' with VM_SHADOW_STACK' : '';
    return no(`${what}${ss}, not a BAR; the guest maps only the ivshmem BAR through vfio-pci`);
  }
  const driver = s.file.driver === 'vfio-pci' ? 'v2' : s.file.driver === 'vfio-pci-jason' ? 'bar' : null;
  if (driver === null)
    return no(`the ${s.file.driver} driver; the guest's only driver file is vfio-pci (mapping_order_driver v2 or bar)`);
  const barSize = s.file.barSize ?? 0n;
  if (!GUEST_BAR_SIZES.includes(barSize))
    return no(`a ${sized(barSize)} BAR; the guest's ivshmem BARs are ${GUEST_BAR_SIZES.map(sized).join(' and ')}`);
  if (s.file.barPhys !== undefined)
    return no(`a BAR at physical 0x${s.file.barPhys.toString(16)}; SeaBIOS places the guest's BARs naturally aligned`);
  if (!s.mm.topdown) return no('a bottom-up (legacy) layout; the guest runs top-down');
  if (s.vmas.some((v) => v.growsDown)) return no('a grow-down VMA; the guest recreates layouts with plain blockers');
  return {
    ok: true,
    case: {
      title: c.title,
      invariant: c.invariant,
      policy: c.policy,
      driver,
      barSize,
      off: s.request.pgoff << 12n,
      len: s.request.len,
      addr: s.request.addr,
      fixed: s.request.fixed,
      blockers: s.vmas.map((v) => ({ start: v.start, end: v.end })),
    },
  };
}
