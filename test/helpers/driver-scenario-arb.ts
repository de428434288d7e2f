// fast-check arbitraries for driver-file mmaps at real geometry (x86_64,
// arm64-4k): the requests the hook sees (lengths and offsets around PMD and PUD
// multiples, a page more or less), every driver model with aligned and
// misaligned BARs, and layouts built next to the search's start (below
// mmap_base top-down, above the legacy base bottom-up) whose gaps are cut
// from len itself: exactly len, len + a page, len + S - a page, len + S, so
// the padding differences between the policies show.

import fc from 'fast-check';
import { GEOMETRIES, type ArchName } from '../../model/geometry.js';
import { defaultMm } from '../../model/mm-defaults.js';
import type { FileDesc, PolicyName, Scenario, Vma } from '../../model/types.js';

const T = 1n << 40n;
const ORDER_KS = [-5, -1, 0, 1, 3, 4, 5, 9, 10, 13, 17, 18, 19, 20, 22, 30, 35, 51, 52, 63, 64, 70, 1000];

export interface ArbOptions {
  /** Generate VM_GROWSDOWN VMAs (default true). */
  readonly growsDown?: boolean;
}

export function driverScenarioArb(arch: ArchName, policy: PolicyName, opts: ArbOptions = {}): fc.Arbitrary<Scenario> {
  const growsDownArb =
    opts.growsDown === false
      ? fc.constant(false)
      : fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 });
  const g = GEOMETRIES[arch];
  const ps = g.pageSize;
  const pmd = ps << BigInt(g.pmdOrder);
  const pud = ps << BigInt(g.pudOrder ?? g.pmdOrder + 9);
  const mm0 = defaultMm(arch);
  const d = fc.integer({ min: -1, max: 1 }).map(BigInt);

  const lenArb = fc
    .oneof(
      fc.integer({ min: 1, max: 1024 }).map((p) => BigInt(p) * ps),
      fc.tuple(fc.integer({ min: 1, max: 64 }), d).map(([k, e]) => BigInt(k) * pmd + e * ps),
      fc
        .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 3 }), d)
        .map(([k, j, e]) => BigInt(k) * pud + BigInt(j) * pmd + e * ps),
    )
    .filter((l) => l > 0n);
  const offArb = fc
    .oneof(
      fc.constant(0n),
      fc.tuple(fc.integer({ min: 0, max: 600 }), d).map(([k, e]) => BigInt(k) * pmd + e * ps),
      fc
        .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), d)
        .map(([j, k, e]) => BigInt(j) * pud + BigInt(k) * pmd + e * ps),
      fc.integer({ min: 0, max: 1 << 20 }).map((p) => BigInt(p) * ps),
    )
    .filter((o) => o >= 0n);
  const barPhysArb = fc.oneof(
    { arbitrary: fc.constant<bigint | undefined>(undefined), weight: 4 },
    { arbitrary: fc.integer({ min: 1, max: 511 }).map((k) => T + BigInt(k) * ps), weight: 1 },
    { arbitrary: fc.constant(T + pmd), weight: 1 },
  );
  const fileArb = fc.oneof(
    fc
      .record({
        driver: fc.constantFrom('vfio-pci', 'vfio-pci-jason'),
        barShift: fc.integer({ min: Number(g.pageShift), max: 36 }),
        barIndex: fc.oneof(
          { arbitrary: fc.constant(0), weight: 4 },
          { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 },
        ),
        otherRegion: fc.oneof(
          { arbitrary: fc.constant(false), weight: 9 },
          { arbitrary: fc.constant(true), weight: 1 },
        ),
        barPhys: barPhysArb,
      })
      .map((r) => ({
        file: {
          kind: 'driver',
          driver: r.driver,
          barSize: 1n << BigInt(r.barShift),
          barIndex: r.barIndex,
          ...(r.barPhys !== undefined ? { barPhys: r.barPhys } : {}),
        } as FileDesc,
        // The region index at bit 40 of the byte offset (VFIO_PCI_OFFSET_SHIFT).
        regionBase: BigInt(r.otherRegion ? (r.barIndex + 1) % 7 : r.barIndex) << 40n,
      })),
    fc.record({ k: fc.constantFrom(...ORDER_KS), barPhys: barPhysArb }).map((r) => ({
      file: {
        kind: 'driver',
        driver: `order:${r.k}`,
        ...(r.barPhys !== undefined ? { barPhys: r.barPhys } : {}),
      } as FileDesc,
      regionBase: 0n,
    })),
  );

  return fc
    .record({
      len: lenArb,
      off: offArb,
      f: fileArb,
      topdown: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
      crowded: fc.boolean(),
      request: fc.oneof(
        { arbitrary: fc.constant<'none' | 'hint' | 'fixed'>('none'), weight: 8 },
        { arbitrary: fc.constant<'none' | 'hint' | 'fixed'>('hint'), weight: 1 },
        { arbitrary: fc.constant<'none' | 'hint' | 'fixed'>('fixed'), weight: 1 },
      ),
      where: fc.integer({ min: 0, max: 4096 }),
      shared: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
      compat: fc.oneof({ arbitrary: fc.constant(false), weight: 19 }, { arbitrary: fc.constant(true), weight: 1 }),
    })
    .chain((r) => {
      const S = [pmd, pud].find((s) => s <= r.len) ?? pmd;
      const gapArb = fc.constantFrom(
        0n,
        ps,
        r.len,
        r.len + ps,
        r.len - ps,
        r.len + S - ps,
        r.len + S - 2n * ps,
        r.len + S,
        pmd - ps,
        3n * pmd,
      );
      const sizeArb = fc.oneof(
        fc.constantFrom(ps, pmd, pud),
        fc.integer({ min: 1, max: 4096 }).map((p) => BigInt(p) * ps),
      );
      const vmaArb = fc.record({ gap: gapArb, size: sizeArb, growsDown: growsDownArb });
      return fc.array(vmaArb, { maxLength: 5 }).map((items): Scenario => {
        const vmas: Vma[] = [];
        let cursor = r.topdown ? mm0.mmapBase : mm0.mmapLegacyBase;
        // No VMA inside a grow-down VMA's stack_guard_gap: the kernel keeps that gap free
        // only against the VMA right below the stack, and a layout with a VMA inside it
        // (reachable only by MAP_FIXED into the gap) makes "the guard gap" ambiguous.
        let lowestGrowsDown = false;
        for (const it of items) {
          if (r.topdown) {
            const end = cursor - it.gap - (lowestGrowsDown ? mm0.stackGuardGap : 0n);
            const start = end - it.size;
            if (start < 0x100000n) break;
            vmas.push({ start, end, ...(it.growsDown ? { growsDown: true } : {}) });
            cursor = start;
            lowestGrowsDown = it.growsDown;
          } else {
            const start = cursor + it.gap + (it.growsDown ? mm0.stackGuardGap : 0n);
            const end = start + it.size;
            if (end > mm0.taskSize) break;
            vmas.push({ start, end, ...(it.growsDown ? { growsDown: true } : {}) });
            cursor = end;
          }
        }
        // Crowded: everything else below (top-down) or above (bottom-up) the cluster is taken, and so is the
        // space between mmap_base and the window's end, so only the cut gaps remain.
        if (r.crowded) {
          const below = cursor - ps - (lowestGrowsDown ? mm0.stackGuardGap : 0n);
          if (r.topdown && below > 0x200000n) vmas.push({ start: 0x100000n, end: below });
          if (!r.topdown && cursor + ps < mm0.taskSize) vmas.push({ start: cursor + ps, end: mm0.taskSize });
          if (r.topdown) vmas.push({ start: mm0.mmapBase, end: mm0.taskSize });
        }
        vmas.sort((a, b) => (a.start < b.start ? -1 : 1));
        const near = r.topdown ? mm0.mmapBase - 64n * pmd : mm0.mmapLegacyBase;
        const addr = r.request === 'none' ? 0n : near + BigInt(r.where) * 16n * ps;
        return {
          arch,
          policy,
          mm: { ...mm0, topdown: r.topdown },
          vmas,
          file: r.f.file,
          request: {
            addr,
            len: r.len,
            pgoff: (r.f.regionBase + r.off) >> g.pageShift,
            fixed: r.request === 'fixed',
            shared: r.shared,
            compat: r.compat,
          },
        };
      });
    });
}
