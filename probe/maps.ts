// /proc/<pid>/maps and the VmFlags of /proc/<pid>/smaps -> the VMAs the
// allocator searches (model/types.ts Vma). Pure text processing; the probe's
// C helper (probe/mmap-probe.c) captures both just before each mmap.

import { ToolError } from '../io/errors.js';
import type { Vma } from '../model/types.js';

/** One line of /proc/<pid>/maps (fs/proc/task_mmu.c show_map_vma). */
export interface MapsEntry {
  readonly start: bigint;
  readonly end: bigint;
  /** "rwxp" / "r--s": the last letter is p (private) or s (shared). */
  readonly perms: string;
  /** vm_pgoff << PAGE_SHIFT for file mappings, 0 for anonymous ones. */
  readonly offset: bigint;
  readonly dev: string;
  readonly inode: bigint;
  /** The file path or a pseudo name ([heap], [stack], [vvar], [vdso], [vsyscall], [anon:...]); '' when none. */
  readonly path: string;
}

/** One VMA's VmFlags from /proc/<pid>/smaps ("gd" = VM_GROWSDOWN, "ss" = VM_SHADOW_STACK). */
export interface VmFlagsEntry {
  readonly start: bigint;
  readonly end: bigint;
  readonly flags: ReadonlySet<string>;
}

const MAPS_LINE = /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+)(?: +(.*))?$/;

/** Parses /proc/<pid>/maps text; a line that is not a maps line is a ToolError naming it. */
export function parseMaps(text: string): MapsEntry[] {
  const out: MapsEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line === '') return;
    const m = MAPS_LINE.exec(line);
    if (!m) throw new ToolError(`maps line ${i + 1}: cannot parse '${line}'`);
    const start = BigInt('0x' + m[1]!);
    const end = BigInt('0x' + m[2]!);
    if (end <= start) throw new ToolError(`maps line ${i + 1}: end ${m[2]} <= start ${m[1]}`);
    out.push({
      start,
      end,
      perms: m[3]!,
      offset: BigInt('0x' + m[4]!),
      dev: m[5]!,
      inode: BigInt(m[6]!),
      path: (m[7] ?? '').trimEnd(),
    });
  });
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.start < out[i - 1]!.end) {
      throw new ToolError(`maps line ${i + 1}: VMA starts before the previous one ends`);
    }
  }
  return out;
}

const FLAGS_LINE = /^([0-9a-f]+)-([0-9a-f]+)((?: [a-z0-9]{2})*) ?$/;

/** Parses the helper's "start-end fl fl ..." lines (the VmFlags of smaps, one VMA a line). */
export function parseVmFlags(text: string): VmFlagsEntry[] {
  const out: VmFlagsEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const m = FLAGS_LINE.exec(line);
    if (!m) throw new ToolError(`VmFlags line ${i + 1}: cannot parse '${line}'`);
    const flags = new Set((m[3] ?? '').split(' ').filter((f) => f !== ''));
    out.push({ start: BigInt('0x' + m[1]!), end: BigInt('0x' + m[2]!), flags });
  });
  return out;
}

export interface ToVmasOptions {
  /**
   * TASK_SIZE of the task: entries at or above it are not in the mm's user
   * range the allocator searches (x86_64's [vsyscall] page at
   * 0xffffffffff600000 is the gate area, not a VMA of the mm).
   */
  readonly taskSize: bigint;
  /** smaps VmFlags taken at the same moment; when given, they decide growsDown/shadowStack. */
  readonly vmFlags?: readonly VmFlagsEntry[];
}

/**
 * The VMAs as the allocator sees them. Without VmFlags, [stack] is the one
 * VM_GROWSDOWN VMA (the main thread's stack: setup_arg_pages marks it so);
 * with VmFlags, "gd" and "ss" decide, and the two lists must describe the
 * same VMAs (they were read with nothing in between; a difference means the
 * snapshot is not consistent and nothing can be concluded from it).
 */
export function toVmas(entries: readonly MapsEntry[], opts: ToVmasOptions): Vma[] {
  const user = entries.filter((e) => e.start < opts.taskSize);
  let flagsByRange: Map<string, ReadonlySet<string>> | null = null;
  if (opts.vmFlags) {
    const userFlags = opts.vmFlags.filter((f) => f.start < opts.taskSize);
    if (userFlags.length !== user.length) {
      throw new ToolError(`snapshot: maps has ${user.length} user VMAs but smaps has ${userFlags.length}`);
    }
    flagsByRange = new Map();
    user.forEach((e, i) => {
      const f = userFlags[i]!;
      if (f.start !== e.start || f.end !== e.end) {
        throw new ToolError(
          `snapshot: maps VMA ` +
            `0x${e.start.toString(16)}-0x${e.end.toString(16)} differs from smaps ` +
            `0x${f.start.toString(16)}-0x${f.end.toString(16)}`,
        );
      }
      flagsByRange!.set(`${e.start}-${e.end}`, f.flags);
    });
  }
  return user.map((e) => {
    const flags = flagsByRange?.get(`${e.start}-${e.end}`);
    const growsDown = flags ? flags.has('gd') : e.path === '[stack]';
    const shadowStack = flags ? flags.has('ss') : false;
    const vma: Vma = { start: e.start, end: e.end };
    if (growsDown && shadowStack) return { ...vma, growsDown, shadowStack };
    if (growsDown) return { ...vma, growsDown };
    if (shadowStack) return { ...vma, shadowStack };
    return vma;
  });
}

/** The free ranges [start, end) between VMAs inside [lo, hi). */
export function gapsWithin(vmas: readonly Vma[], lo: bigint, hi: bigint): Array<{ start: bigint; end: bigint }> {
  const out: Array<{ start: bigint; end: bigint }> = [];
  let cursor = lo;
  for (const v of vmas) {
    if (v.end <= cursor) continue;
    if (v.start >= hi) break;
    if (v.start > cursor) out.push({ start: cursor, end: v.start });
    cursor = v.end > cursor ? v.end : cursor;
    if (cursor >= hi) break;
  }
  if (cursor < hi) out.push({ start: cursor, end: hi });
  return out;
}
