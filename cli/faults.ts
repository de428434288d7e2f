// mapping-order faults [--json] [FILE | -]: the leaves a sequential touch of a
// VMA installs (design.md 6). Input: {"arch", "va", "len", "pgoff", "file"}
// (a VMA and its backing; for a driver, "barPhys" gives the BAR's physical
// base), one object, a JSON array or JSON Lines, as for place. Answer:
// {"leaves": {"4096": "511", "2097152": "30", ...}, "faults": "541",
// "fallbacks": "2"} (counts as decimal strings, leaf sizes in bytes as keys),
// or {"error": "EINVAL", "why": ...} when the mapping cannot exist (the
// driver's ->mmap refuses the range; hugetlb needs aligned va and len).

import { faultsFor, type FaultAnswer } from '../model/faults/index.js';
import { ARCH_NAMES, geometry, isArchName, type Geometry } from '../model/geometry.js';
import type { FileDesc } from '../model/types.js';
import { EXIT, InputError } from './errors.js';
import { leavesJson, leavesText } from './explain/units.js';
import { fieldPath, formatJsonAnswers, parseInput, readInputText, type CommandIo, type InputFormat } from './io.js';
import { describeJson, hex, isJsonObject, parseU64 } from './json.js';
import { parseFileDesc } from './scenario.js';

export interface FaultsRequest {
  readonly g: Geometry;
  readonly va: bigint;
  readonly len: bigint;
  readonly pgoff: bigint;
  readonly file: FileDesc;
}

const KEYS = ['arch', 'va', 'len', 'pgoff', 'file', 'comment'] as const;

const USAGE = `usage: mapping-order faults [--json] [FILE | -]

Reads {"arch", "va", "len", "pgoff", "file"} (FILE, or stdin for '-' or no
argument): one JSON object, a JSON array, or JSON Lines. Prints, per VMA, the
leaves a sequential touch of the whole VMA installs per leaf size, the faults
taken and the huge-fault fallbacks. --json prints the answers in the input's
shape (design.md 6).
`;

/** One faults request from its JSON; `where` prefixes field paths. */
export function parseFaultsRequest(json: unknown, where: string): FaultsRequest {
  const at = (p: string) => fieldPath(where, p);
  if (!isJsonObject(json)) throw new InputError(where === '' ? 'input' : where, `expected an object {"arch", "va", "len", "pgoff", "file"}, got ${describeJson(json)}`);
  for (const k of Object.keys(json)) if (!(KEYS as readonly string[]).includes(k)) throw new InputError(at(k), `unknown field (known: ${KEYS.join(', ')})`);
  if (json.comment !== undefined && typeof json.comment !== 'string') throw new InputError(at('comment'), `expected a string, got ${describeJson(json.comment)}`);
  const arch = json.arch;
  if (arch === undefined) throw new InputError(at('arch'), `missing (required: one of ${ARCH_NAMES.join(', ')})`);
  if (typeof arch !== 'string' || !isArchName(arch)) throw new InputError(at('arch'), `unknown arch ${JSON.stringify(arch)} (one of ${ARCH_NAMES.join(', ')})`);
  const g = geometry(arch);
  const req = (k: 'va' | 'len'): bigint => {
    if (json[k] === undefined) throw new InputError(at(k), 'missing (required)');
    const x = parseU64(json[k], at(k));
    if ((x & (g.pageSize - 1n)) !== 0n) throw new InputError(at(k), `must be page-aligned (a multiple of ${hex(g.pageSize)}): ${hex(x)}`);
    return x;
  };
  const va = req('va');
  const len = req('len');
  if (len === 0n) throw new InputError(at('len'), 'must be > 0');
  if (va + len > g.taskSizeMax) throw new InputError(at('len'), `va + len = ${hex(va + len)} is above TASK_SIZE_MAX (${hex(g.taskSizeMax)}) for ${g.name}`);
  const pgoff = json.pgoff === undefined ? 0n : parseU64(json.pgoff, at('pgoff'));
  if (json.file === undefined) throw new InputError(at('file'), 'missing (required)');
  const file = parseFileDesc(json.file, g, (p) => at(p === '' ? 'file' : `file.${p}`));
  return { g, va, len, pgoff, file };
}

export function answerFaults(r: FaultsRequest): FaultAnswer {
  return faultsFor(r.g, { va: r.va, len: r.len, pgoff: r.pgoff, shared: true }, r.file);
}

export function faultsJson(a: FaultAnswer): Record<string, unknown> {
  if (!a.ok) return { error: a.error, why: a.why };
  return { leaves: leavesJson(a.report.leaves), faults: a.report.faults.toString(), fallbacks: a.report.fallbacks.toString() };
}

export function faultsLine(a: FaultAnswer): string {
  if (!a.ok) return `error ${a.error}: ${a.why}`;
  return `leaves ${leavesText(a.report.leaves)}; ${a.report.faults} faults, ${a.report.fallbacks} fallbacks`;
}

function formatHuman(format: InputFormat, wheres: readonly string[], answers: readonly FaultAnswer[]): string {
  return answers
    .map((a, i) => {
      const where = wheres[i] ?? '';
      const prefix = format === 'object' ? '' : format === 'array' ? `${where} ` : `${where}: `;
      return `${prefix}${faultsLine(a)}\n`;
    })
    .join('');
}

export async function run(argv: string[], io: CommandIo = process): Promise<number> {
  try {
    let json = false;
    let input: string | undefined;
    for (const arg of argv) {
      if (arg === '--json') json = true;
      else if (arg === '--help' || arg === '-h') {
        io.stdout.write(USAGE);
        return EXIT.ok;
      } else if (arg.startsWith('-') && arg !== '-') throw new InputError(arg, 'unknown option (faults takes --json and one FILE or -)');
      else if (input !== undefined) throw new InputError(arg, `one input only (already reading '${input}')`);
      else input = arg;
    }
    const text = await readInputText(input, io.stdin);
    const parsed = parseInput(text, input === undefined || input === '-' ? 'input' : input);
    const requests = parsed.items.map((it) => parseFaultsRequest(it.value, it.where));
    const answers = requests.map(answerFaults);
    io.stdout.write(
      json ? formatJsonAnswers(parsed.format, answers.map(faultsJson)) : formatHuman(parsed.format, parsed.items.map((it) => it.where), answers),
    );
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr.write(`mapping-order: ${e.message.split('\n')[0]}\n`);
    return EXIT.usage;
  }
}
