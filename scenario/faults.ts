// The `faults` request: a VMA and its backing, read from JSON and answered with the model's sequential touch
// (model/faults/). render/faults.ts prints the answer.

import { InputError } from '../io/errors.js';
import { fieldPath } from '../io/input.js';
import { describeJson, isJsonObject, parseU64, quoted } from '../io/json.js';
import { faultsFor, type FaultAnswer } from '../model/faults/index.js';
import { ARCH_NAMES, geometry, isArchName, type Geometry } from '../model/geometry.js';
import type { FileDesc } from '../model/types.js';
import { parseFileDesc } from './scenario.js';
import { hex } from '../model/u64.js';

export interface FaultsRequest {
  readonly g: Geometry;
  readonly va: bigint;
  readonly len: bigint;
  readonly pgoff: bigint;
  readonly file: FileDesc;
}

const KEYS = ['arch', 'va', 'len', 'pgoff', 'file', 'comment'] as const;

/** One faults request from its JSON; `where` prefixes field paths. */
export function parseFaultsRequest(json: unknown, where: string): FaultsRequest {
  const at = (p: string) => fieldPath(where, p);
  if (!isJsonObject(json))
    throw new InputError(
      where === '' ? 'input' : where,
      `expected an object {"arch", "va", "len", "pgoff", "file"}, got ${describeJson(json)}`,
    );
  for (const k of Object.keys(json))
    if (!(KEYS as readonly string[]).includes(k))
      throw new InputError(at(k), `unknown field (known: ${KEYS.join(', ')})`);
  if (json.comment !== undefined && typeof json.comment !== 'string')
    throw new InputError(at('comment'), `expected a string, got ${describeJson(json.comment)}`);
  const arch = json.arch;
  if (arch === undefined) throw new InputError(at('arch'), `missing (required: one of ${ARCH_NAMES.join(', ')})`);
  if (typeof arch !== 'string' || !isArchName(arch))
    throw new InputError(at('arch'), `unknown arch ${quoted(String(arch))} (one of ${ARCH_NAMES.join(', ')})`);
  const g = geometry(arch);
  const req = (k: 'va' | 'len'): bigint => {
    if (json[k] === undefined) throw new InputError(at(k), 'missing (required)');
    const x = parseU64(json[k], at(k));
    if ((x & (g.pageSize - 1n)) !== 0n)
      throw new InputError(at(k), `must be page-aligned (a multiple of ${hex(g.pageSize)}): ${hex(x)}`);
    return x;
  };
  const va = req('va');
  const len = req('len');
  if (len === 0n) throw new InputError(at('len'), 'must be > 0');
  if (va + len > g.taskSizeMax)
    throw new InputError(
      at('len'),
      `va + len = ${hex(va + len)} is above TASK_SIZE_MAX (${hex(g.taskSizeMax)}) for ${g.name}`,
    );
  const pgoff = json.pgoff === undefined ? 0n : parseU64(json.pgoff, at('pgoff'));
  if (json.file === undefined) throw new InputError(at('file'), 'missing (required)');
  const file = parseFileDesc(json.file, g, (p) => at(p === '' ? 'file' : `file.${p}`));
  return { g, va, len, pgoff, file };
}

export function answerFaults(r: FaultsRequest): FaultAnswer {
  return faultsFor(r.g, { va: r.va, len: r.len, pgoff: r.pgoff, shared: true }, r.file);
}
