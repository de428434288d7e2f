// The scenario JSON of docs/CLI.md#the-scenario -> model/types.ts Scenario. Every field is
// checked and every refusal is one InputError naming the field
// (`[3].request.len: not a number: "2M"`); nothing is guessed. Only the
// documented defaults (docs/CLI.md) fill in what is left out.
//
// What is refused here is what no kernel could be asked: a VMA that is not
// page-aligned, empty or overlapping another, an mm whose bases are not
// page-aligned. What a kernel would answer with an errno (len 0, an
// unaligned MAP_FIXED address, a pgoff that overflows) is left to the model.

import { ARCH_NAMES, geometry, isArchName, type ArchName, type Geometry } from '../model/geometry.js';
import { isKernelVersion, KERNEL_VERSIONS, type KernelVersion } from '../model/kernel-version.js';
import { defaultMm } from '../model/mm-defaults.js';
import { POLICY_NAMES } from '../model/policy/index.js';
import type { FileDesc, FileKind, Mm, PolicyName, Request, Scenario, Vma } from '../model/types.js';
import { InputError } from '../io/errors.js';
import { fieldPath } from '../io/input.js';
import { describeJson, isJsonObject, parseU64, clip } from '../io/json.js';
import { hex } from '../model/u64.js';

export const FILE_KINDS: readonly FileKind[] = ['anon', 'plain', 'shmem', 'shmem-huge', 'thp', 'hugetlb', 'driver'];
/** The driver models of docs/MODEL.md#the-drivers; 'order:K' is written out with its K. */
export const DRIVER_NAMES = ['vfio-pci', 'vfio-pci-jason', 'order:K'] as const;

const SCENARIO_KEYS = ['arch', 'policy', 'kernel', 'mm', 'vmas', 'file', 'request', 'comment'] as const;
const MM_KEYS = [
  'topdown',
  'mmapBase',
  'mmapLegacyBase',
  'taskSize',
  'mmapMinAddr',
  'stackGuardGap',
  'mmapCompatBase',
  'mmapCompatLegacyBase',
  'dacMmapMinAddr',
  'taskSizeMax',
] as const;
const VMA_KEYS = ['start', 'end', 'growsDown', 'shadowStack'] as const;
const FILE_KEYS = ['kind', 'driver', 'barSize', 'barPhys', 'barIndex', 'hugePageSize'] as const;
const REQUEST_KEYS = ['addr', 'len', 'pgoff', 'fixed', 'shared', 'compat', 'shadowStack'] as const;

/** VFIO_PCI_ROM_REGION_INDEX: regions 0..5 are the BARs. */
const VFIO_PCI_BAR_COUNT = 6;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Turns one scenario's JSON into a Scenario; `where` prefixes field paths ('' | '[3]' | 'line 4'). */
export function parseScenario(json: unknown, where: string): Scenario {
  const at = (p: string) => fieldPath(where, p);
  const o = expectObject(json, where === '' ? 'scenario' : where, 'a scenario object');
  checkKeys(o, SCENARIO_KEYS, at);

  if (o.comment !== undefined && typeof o.comment !== 'string') {
    throw new InputError(at('comment'), `expected a string, got ${describeJson(o.comment)}`);
  }
  const arch = parseArch(o.arch, at('arch'));
  const g = geometry(arch);
  const policy = parsePolicy(o.policy, at('policy'));
  const kernel = parseKernel(o.kernel, at('kernel'));
  const mm = parseMm(o.mm, g, (p) => at(p === '' ? 'mm' : `mm.${p}`));
  const vmas = parseVmas(o.vmas, g, mm.taskSizeMax ?? g.taskSizeMax, at);
  const file = parseFileDesc(o.file, g, (p) => at(p === '' ? 'file' : `file.${p}`));
  const request = parseRequest(o.request, (p) => at(p === '' ? 'request' : `request.${p}`));
  return { arch, policy, ...(kernel !== undefined ? { kernel } : {}), mm, vmas, file, request };
}

function expectObject(v: unknown, field: string, what: string): Record<string, unknown> {
  if (v === undefined) throw new InputError(field, 'missing (required)');
  if (!isJsonObject(v)) throw new InputError(field, `expected ${what}, got ${describeJson(v)}`);
  return v;
}

function checkKeys(o: Record<string, unknown>, known: readonly string[], at: (p: string) => string): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new InputError(at(k), `unknown field (known: ${known.join(', ')})`);
  }
}

function parseArch(v: unknown, field: string): ArchName {
  if (v === undefined) throw new InputError(field, `missing (required: one of ${ARCH_NAMES.join(', ')})`);
  if (typeof v !== 'string') throw new InputError(field, `expected a string, got ${describeJson(v)}`);
  if (!isArchName(v)) throw new InputError(field, `unknown arch '${clip(v)}' (one of ${ARCH_NAMES.join(', ')})`);
  return v;
}

function parsePolicy(v: unknown, field: string): PolicyName {
  if (v === undefined) throw new InputError(field, `missing (required: one of ${POLICY_NAMES.join(', ')})`);
  if (typeof v !== 'string') throw new InputError(field, `expected a string, got ${describeJson(v)}`);
  if (!(POLICY_NAMES as readonly string[]).includes(v)) {
    throw new InputError(field, `unknown policy '${clip(v)}' (one of ${POLICY_NAMES.join(', ')})`);
  }
  return v as PolicyName;
}

/** The kernel whose rules place the mmap; absent: the model's default (model/kernel-version.ts). */
function parseKernel(v: unknown, field: string): KernelVersion | undefined {
  if (v === undefined) return undefined;
  if (!isKernelVersion(v)) throw new InputError(field, `must be one of ${KERNEL_VERSIONS.join(', ')}`);
  return v;
}

function optBool(o: Record<string, unknown>, k: string, at: (p: string) => string, dflt: boolean): boolean {
  const v = o[k];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new InputError(at(k), `expected true or false, got ${describeJson(v)}`);
  return v;
}

function reqU64(o: Record<string, unknown>, k: string, at: (p: string) => string): bigint {
  if (o[k] === undefined) throw new InputError(at(k), 'missing (required)');
  return parseU64(o[k], at(k));
}

function optU64(o: Record<string, unknown>, k: string, at: (p: string) => string, dflt: bigint): bigint {
  return o[k] === undefined ? dflt : parseU64(o[k], at(k));
}

function pageAligned(x: bigint, g: Geometry, field: string): bigint {
  if ((x & (g.pageSize - 1n)) !== 0n) {
    throw new InputError(field, `must be page-aligned (a multiple of ${hex(g.pageSize)}): ${hex(x)}`);
  }
  return x;
}

// Missing mm fields take defaultMm(arch): a 64-bit task, top-down (MMF_TOPDOWN, the
// default layout), with the geometry's documented defaults (docs/CLI.md).
function parseMm(v: unknown, g: Geometry, at: (p: string) => string): Mm {
  const d = defaultMm(g.name);
  if (v === undefined) return d;
  const o = expectObject(v, at(''), 'an object');
  checkKeys(o, MM_KEYS, at);
  // TASK_SIZE_MAX of the machine (x86_64: 4- or 5-level paging; arm64: TASK_SIZE_64). Left out, the model
  // takes the geometry's. Page-aligned like every TASK_SIZE; it bounds the window, so >= taskSize.
  const taskSizeMax =
    o.taskSizeMax === undefined
      ? undefined
      : pageAligned(parseU64(o.taskSizeMax, at('taskSizeMax')), g, at('taskSizeMax'));
  const taskSize = pageAligned(optU64(o, 'taskSize', at, d.taskSize), g, at('taskSize'));
  if (taskSize === 0n) throw new InputError(at('taskSize'), 'must be > 0');
  if (taskSizeMax !== undefined && taskSizeMax < taskSize) {
    throw new InputError(at('taskSizeMax'), `must be >= mm.taskSize (${hex(taskSize)}): ${hex(taskSizeMax)}`);
  }
  if (taskSizeMax === undefined && taskSize > g.taskSizeMax) {
    throw new InputError(
      at('taskSize'),
      `must be in (0, TASK_SIZE_MAX ` +
        `= ${hex(g.taskSizeMax)}] for ${g.name} (a larger machine: set mm.taskSizeMax): ${hex(taskSize)}`,
    );
  }
  const base = (k: 'mmapBase' | 'mmapLegacyBase', dflt: bigint): bigint => {
    const x = pageAligned(optU64(o, k, at, dflt), g, at(k));
    // arch_pick_mmap_layout derives both bases from the task size; neither can lie above it.
    if (x > taskSize) throw new InputError(at(k), `must be <= mm.taskSize (${hex(taskSize)}): ${hex(x)}`);
    return x;
  };
  // The compat bases have no fixed default: left out, the model derives them
  // (model/task-size.ts) like x86 arch_pick_mmap_layout() does for task_size_32bit().
  const compatBase = (k: 'mmapCompatBase' | 'mmapCompatLegacyBase'): { [key: string]: bigint } => {
    if (o[k] === undefined) return {};
    const x = pageAligned(parseU64(o[k], at(k)), g, at(k));
    if (x > g.compatTaskSize) {
      throw new InputError(
        at(k),
        `must be <= the compat TASK_SIZE (${hex(g.compatTaskSize)}) for ${g.name}: ${hex(x)}`,
      );
    }
    return { [k]: x };
  };
  return {
    topdown: optBool(o, 'topdown', at, d.topdown),
    mmapBase: base('mmapBase', d.mmapBase),
    mmapLegacyBase: base('mmapLegacyBase', d.mmapLegacyBase),
    taskSize,
    // vm.mmap_min_addr need not be page-aligned: round_hint_to_min() and the LSM check PAGE_ALIGN it.
    mmapMinAddr: optU64(o, 'mmapMinAddr', at, d.mmapMinAddr),
    // stack_guard_gap= is given in pages, so the gap is always a page multiple.
    stackGuardGap: pageAligned(optU64(o, 'stackGuardGap', at, d.stackGuardGap), g, at('stackGuardGap')),
    ...compatBase('mmapCompatBase'),
    ...compatBase('mmapCompatLegacyBase'),
    // The sysctl's own value (cap_mmap_addr's limit); absent, the model takes mmapMinAddr.
    ...(o.dacMmapMinAddr !== undefined ? { dacMmapMinAddr: parseU64(o.dacMmapMinAddr, at('dacMmapMinAddr')) } : {}),
    ...(taskSizeMax !== undefined ? { taskSizeMax } : {}),
  };
}

/** `taskSizeMax`: the mm's TASK_SIZE_MAX (its own, or the geometry's): no VMA ends above it. */
function parseVmas(v: unknown, g: Geometry, taskSizeMax: bigint, at: (p: string) => string): Vma[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InputError(at('vmas'), `expected an array of {start, end}, got ${describeJson(v)}`);
  const vmas = v.map((e: unknown, i) => {
    const field = at(`vmas[${i}]`);
    const vat = (p: string) => (p === '' ? field : `${field}.${p}`);
    const o = expectObject(e, field, 'an object {start, end}');
    checkKeys(o, VMA_KEYS, vat);
    const start = pageAligned(reqU64(o, 'start', vat), g, vat('start'));
    const end = pageAligned(reqU64(o, 'end', vat), g, vat('end'));
    if (start >= end) throw new InputError(vat('end'), `must be above start (${hex(start)}): ${hex(end)}`);
    if (end > taskSizeMax) {
      throw new InputError(vat('end'), `must be <= TASK_SIZE_MAX (${hex(taskSizeMax)}) for ${g.name}: ${hex(end)}`);
    }
    const vma: Vma = {
      start,
      end,
      ...(o.growsDown !== undefined ? { growsDown: optBool(o, 'growsDown', vat, false) } : {}),
      ...(o.shadowStack !== undefined ? { shadowStack: optBool(o, 'shadowStack', vat, false) } : {}),
    };
    return { vma, i };
  });
  // The maple tree holds disjoint VMAs: an overlap cannot be a real mm.
  const sorted = [...vmas].sort((a, b) => (a.vma.start < b.vma.start ? -1 : a.vma.start > b.vma.start ? 1 : 0));
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (cur.vma.start < prev.vma.end) {
      const [first, second] = prev.i < cur.i ? [prev, cur] : [cur, prev];
      throw new InputError(
        at(`vmas[${second.i}]`),
        `overlaps vmas[${first.i}] [${hex(first.vma.start)}, ${hex(first.vma.end)})`,
      );
    }
  }
  return sorted.map((x) => x.vma);
}

/**
 * The `file` object: its kind and, for a driver, the driver model and its
 * BAR. Exported for the other commands that describe a backing (faults,
 * explain); `at('')` names the object itself.
 */
export function parseFileDesc(v: unknown, g: Geometry, at: (p: string) => string): FileDesc {
  const o = expectObject(v, at(''), 'an object {"kind": ...}');
  checkKeys(o, FILE_KEYS, at);
  if (o.kind === undefined) throw new InputError(at('kind'), `missing (required: one of ${FILE_KINDS.join(', ')})`);
  if (typeof o.kind !== 'string') throw new InputError(at('kind'), `expected a string, got ${describeJson(o.kind)}`);
  if (!(FILE_KINDS as readonly string[]).includes(o.kind)) {
    throw new InputError(at('kind'), `unknown kind '${clip(String(o.kind))}' (one of ${FILE_KINDS.join(', ')})`);
  }
  const kind = o.kind as FileKind;

  if (kind !== 'driver') {
    for (const k of ['driver', 'barSize', 'barPhys', 'barIndex'] as const) {
      if (o[k] !== undefined) throw new InputError(at(k), `only for kind 'driver' (this file is '${kind}')`);
    }
  }
  if (kind !== 'hugetlb' && o.hugePageSize !== undefined) {
    throw new InputError(at('hugePageSize'), `only for kind 'hugetlb' (this file is '${kind}')`);
  }
  if (kind === 'hugetlb') {
    const pmdSize = g.pageSize << BigInt(g.pmdOrder);
    const hugePageSize = optU64(o, 'hugePageSize', at, pmdSize);
    const sizes = g.leafOrders.filter((k) => k > 0).map((k) => g.pageSize << BigInt(k));
    if (!sizes.includes(hugePageSize)) {
      throw new InputError(
        at('hugePageSize'),
        `not a huge page size of ${g.name}: ${hex(hugePageSize)} (one of ${sizes.map(hex).join(', ')})`,
      );
    }
    return { kind, hugePageSize };
  }
  if (kind !== 'driver') return { kind };

  const driver = parseDriver(o.driver, at('driver'));
  const isVfio = driver === 'vfio-pci' || driver === 'vfio-pci-jason';
  let barSize: bigint | undefined;
  if (o.barSize !== undefined) {
    barSize = parseU64(o.barSize, at('barSize'));
    // PCI BARs are naturally sized: a power of two (vfio-pci-jason takes its ilog2).
    if (barSize === 0n || (barSize & (barSize - 1n)) !== 0n) {
      throw new InputError(at('barSize'), `must be a power of two (a PCI BAR size): ${hex(barSize)}`);
    }
  } else if (isVfio) {
    throw new InputError(at('barSize'), `missing (required for driver '${driver}')`);
  }
  const barPhys =
    o.barPhys === undefined ? undefined : pageAligned(parseU64(o.barPhys, at('barPhys')), g, at('barPhys'));
  let barIndex: number | undefined;
  if (o.barIndex !== undefined) {
    const x = parseU64(o.barIndex, at('barIndex'));
    if (x >= BigInt(VFIO_PCI_BAR_COUNT)) {
      throw new InputError(at('barIndex'), `must be a BAR index 0..${VFIO_PCI_BAR_COUNT - 1}: ${x}`);
    }
    barIndex = Number(x);
  } else if (isVfio) {
    barIndex = 0;
  }
  return {
    kind,
    driver,
    ...(barSize !== undefined ? { barSize } : {}),
    ...(barPhys !== undefined ? { barPhys } : {}),
    ...(barIndex !== undefined ? { barIndex } : {}),
  };
}

function parseDriver(v: unknown, field: string): string {
  const names = DRIVER_NAMES.join(', ');
  if (v === undefined) throw new InputError(field, `missing (required for kind 'driver': one of ${names})`);
  if (typeof v !== 'string') throw new InputError(field, `expected a string, got ${describeJson(v)}`);
  if (v === 'vfio-pci' || v === 'vfio-pci-jason') return v;
  const m = /^order:(-?(?:0|[1-9][0-9]*))$/.exec(v);
  if (m) {
    // get_mapping_order() returns an int: K may be negative or >= 64 (misbehaving drivers), but it is an int.
    const k = Number(m[1]);
    if (k < INT_MIN || k > INT_MAX)
      throw new InputError(field, `order:K needs K in the int range [${INT_MIN}, ${INT_MAX}]: ${v}`);
    return `order:${k}`;
  }
  if (v.startsWith('order:')) throw new InputError(field, `order:K needs K a decimal integer: '${v}'`);
  throw new InputError(field, `unknown driver '${clip(v)}' (one of ${names})`);
}

function parseRequest(v: unknown, at: (p: string) => string): Request {
  const o = expectObject(v, at(''), 'an object {"len": ...}');
  checkKeys(o, REQUEST_KEYS, at);
  const compat = optBool(o, 'compat', at, false);
  const shadowStack = optBool(o, 'shadowStack', at, false);
  return {
    addr: optU64(o, 'addr', at, 0n),
    // len 0 and lengths PAGE_ALIGN overflows are for the model to refuse (EINVAL, ENOMEM), as do_mmap does.
    len: reqU64(o, 'len', at),
    pgoff: optU64(o, 'pgoff', at, 0n),
    fixed: optBool(o, 'fixed', at, false),
    shared: optBool(o, 'shared', at, false),
    compat,
    shadowStack,
  };
}
