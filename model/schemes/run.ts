// The machinery the schemes share: each mmap is one scenario placed by
// place() in the mm as the scheme has left it so far, each munmap edits the
// VMA list, and every mapped BAR area is touched by the fault model.

import { GEOMETRIES } from '../geometry.js';
import { faultsFor } from '../faults/index.js';
import { place } from '../place.js';
import type { FileDesc, Placement, Request, Scenario, Vma } from '../types.js';
import { insertVma, sortVmas, unmapRange } from './layout.js';
import type { BarArea, SchemeEnv, SchemeName, SchemePart, SchemeResult, SchemeStep } from './types.js';

const ANON: FileDesc = { kind: 'anon' };

export class SchemeRun {
  private vmas: Vma[];
  private readonly steps: SchemeStep[] = [];
  private readonly parts: SchemePart[] = [];
  private error: string | null = null;

  constructor(
    readonly scheme: SchemeName,
    readonly env: SchemeEnv,
  ) {
    this.vmas = sortVmas(env.vmas);
  }

  get pageSize(): bigint {
    return GEOMETRIES[this.env.arch].pageSize;
  }

  /** The region's offset in the device file. */
  get regionOffset(): bigint {
    if (this.env.regionOffset !== undefined) return this.env.regionOffset;
    const f = this.env.file;
    return f.driver === 'vfio-pci' || f.driver === 'vfio-pci-jason' ? BigInt(f.barIndex ?? 0) << 40n : 0n;
  }

  get failed(): boolean {
    return this.error !== null;
  }

  /** mmap(addr, len, ...) of `file`; the VA or null (the error is recorded and the scheme stops). */
  mmap(label: string, file: FileDesc, request: Omit<Request, 'compat' | 'shadowStack'>): bigint | null {
    if (this.error !== null) return null;
    const scenario: Scenario = {
      arch: this.env.arch,
      policy: this.env.policy,
      ...(this.env.kernel !== undefined ? { kernel: this.env.kernel } : {}),
      mm: this.env.mm,
      vmas: this.vmas,
      file,
      request,
    };
    const placement: Placement = place(scenario);
    this.steps.push({ kind: 'mmap', label, scenario, placement });
    if (placement.va === null) {
      this.error = `${label}: mmap failed with ${placement.error ?? '?'}`;
      return null;
    }
    const len = (request.len + this.pageSize - 1n) & ~(this.pageSize - 1n);
    this.vmas = insertVma(this.vmas, placement.va, len);
    return placement.va;
  }

  /** An anonymous PROT_NONE reservation, MAP_PRIVATE | MAP_ANONYMOUS. */
  reserve(label: string, addr: bigint, len: bigint, fixed = false): bigint | null {
    return this.mmap(label, ANON, { addr, len, pgoff: 0n, fixed, shared: false });
  }

  /** munmap(start, len); a zero length is the no-op (EINVAL) the programs ignore. */
  munmap(label: string, start: bigint, len: bigint): void {
    if (this.error !== null || len <= 0n) return;
    this.steps.push({ kind: 'munmap', label, start, len });
    this.vmas = unmapRange(this.vmas, start, len);
  }

  /** mmap of a BAR area from the device file at `addr` (MAP_FIXED when `fixed`), then the fault model on it. */
  mapArea(label: string, area: BarArea, addr: bigint, fixed: boolean): bigint | null {
    const pgoff = (this.regionOffset + area.offset) >> GEOMETRIES[this.env.arch].pageShift;
    const len = (area.size + this.pageSize - 1n) & ~(this.pageSize - 1n);
    const va = this.mmap(label, this.env.file, { addr, len: area.size, pgoff, fixed, shared: true });
    this.parts.push({
      area,
      va,
      len,
      pgoff,
      faults:
        va === null ? null : faultsFor(GEOMETRIES[this.env.arch], { va, len, pgoff, shared: true }, this.env.file),
    });
    return va;
  }

  result(): SchemeResult {
    return { scheme: this.scheme, steps: this.steps, parts: this.parts, vmas: this.vmas, error: this.error };
  }
}
