// mapping-order place [--json] [FILE | -]: where does this mmap land?
// Reads one scenario, a JSON array of scenarios or JSON Lines (design.md 6,
// docs/CLI.md), answers each with the model's place(), and prints the answers
// in the input's shape (--json) or one line per scenario.

import { geometry } from '../model/geometry.js';
import { place } from '../model/place.js';
import type { Errno, PlacementPath, Scenario } from '../model/types.js';
import { EXIT, InputError } from './errors.js';
import { fieldPath, formatJsonAnswers, parseInput, readInputText, type CommandIo, type InputFormat } from './io.js';
import { hex } from './json.js';
import { parseScenario } from './scenario.js';

/** The answer for one scenario; bigints are written as "0x..." strings in JSON. */
export interface PlaceAnswer {
  readonly va: bigint | null;
  readonly error: Errno | null;
  readonly path: PlacementPath;
  readonly order: number;
  readonly alignment: bigint;
  /**
   * VA ≡ off (mod alignment), off = pgoff << PAGE_SHIFT (0 for anonymous
   * memory: __get_unmapped_area zeroes pgoff when there is no file), when an
   * alignment above PAGE_SIZE was aimed for and a VA was returned; else null.
   */
  readonly congruent: boolean | null;
}

const USAGE = `usage: mapping-order place [--json] [FILE | -]

Reads a scenario (FILE, or stdin for '-' or no argument): one JSON object, a
JSON array of scenarios, or JSON Lines (one object per line). Prints, per
scenario, the VA or the error, the path taken, the alignment order and size,
and whether the VA is congruent to pgoff << PAGE_SHIFT modulo the alignment.
--json prints the answers in the input's shape. Format: docs/CLI.md.
`;

/** The model's answer for a parsed scenario. `where` prefixes the field named when the policy is refused. */
export function answerScenario(s: Scenario, where = ''): PlaceAnswer {
  let p;
  try {
    p = place(s);
  } catch (e) {
    // policyHook() throws this until a policy is modelled; it is the input's policy that cannot be answered.
    if (e instanceof Error && /not modelled yet/.test(e.message)) throw new InputError(fieldPath(where, 'policy'), e.message);
    throw e;
  }
  const g = geometry(s.arch);
  const off = s.file.kind === 'anon' ? 0n : (s.request.pgoff << g.pageShift) & ((1n << 64n) - 1n);
  const congruent =
    p.va !== null && p.alignment > g.pageSize ? ((p.va - off) & (p.alignment - 1n)) === 0n : null;
  return { va: p.va, error: p.error, path: p.path, order: p.order, alignment: p.alignment, congruent };
}

/** The JSON form of an answer (design.md 6). */
export function answerJson(a: PlaceAnswer): Record<string, unknown> {
  return {
    va: a.va === null ? null : hex(a.va),
    error: a.error,
    path: a.path,
    order: a.order,
    alignment: hex(a.alignment),
    congruent: a.congruent,
  };
}

/** One human line: `va 0x7effffe00000  path aligned  order 9  alignment 0x200000  congruent yes`. */
export function answerLine(a: PlaceAnswer): string {
  const result = a.va !== null ? `va ${hex(a.va)}` : `error ${a.error ?? '?'}`;
  const congruent = a.congruent === null ? 'n/a' : a.congruent ? 'yes' : 'no';
  return `${result}  path ${a.path}  order ${a.order}  alignment ${hex(a.alignment)}  congruent ${congruent}`;
}

function formatHuman(format: InputFormat, wheres: readonly string[], answers: readonly PlaceAnswer[]): string {
  return answers
    .map((a, i) => {
      const where = wheres[i] ?? '';
      const prefix = format === 'object' ? '' : format === 'array' ? `${where} ` : `${where}: `;
      return `${prefix}${answerLine(a)}\n`;
    })
    .join('');
}

interface Options {
  json: boolean;
  input: string | undefined;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { json: false, input: undefined, help: false };
  for (const arg of argv) {
    if (arg === '--json') opts.json = true;
    else if (arg === '--help' || arg === '-h') opts.help = true;
    else if (arg.startsWith('-') && arg !== '-') throw new InputError(arg, 'unknown option (place takes --json and one FILE or -)');
    else if (opts.input !== undefined) throw new InputError(arg, `one input only (already reading '${opts.input}')`);
    else opts.input = arg;
  }
  return opts;
}

/** Every scenario is parsed and answered before anything is printed: bad input prints nothing but the error. */
export async function run(argv: string[], io: CommandIo = process): Promise<number> {
  try {
    const opts = parseArgs(argv);
    if (opts.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (opts.input === undefined && (io.stdin as { isTTY?: boolean }).isTTY === true) {
      // Reading a terminal would just wait; '-' still reads it for those who mean to type JSON.
      throw new InputError('input', "no FILE given and stdin is a terminal (give a FILE, pipe JSON in, or '-')");
    }
    const text = await readInputText(opts.input, io.stdin);
    const input = parseInput(text, opts.input === undefined || opts.input === '-' ? 'input' : opts.input);
    const scenarios = input.items.map((it) => parseScenario(it.value, it.where));
    const answers = scenarios.map((s, i) => answerScenario(s, input.items[i]!.where));
    io.stdout.write(
      opts.json
        ? formatJsonAnswers(input.format, answers.map(answerJson))
        : formatHuman(input.format, input.items.map((it) => it.where), answers),
    );
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr.write(`mapping-order: ${e.message.split('\n')[0]}\n`);
    return EXIT.usage;
  }
}
