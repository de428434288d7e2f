// mapping-order place [--json] [FILE | -]: where does this mmap land?
// Reads one scenario, a JSON array of scenarios or JSON Lines
// (docs/CLI.md), answers each with the model's place(), and prints the answers
// in the input's shape (--json) or one line per scenario.

import { EXIT, InputError } from '../io/errors.js';
import { formatJsonAnswers, readInputStream, type CommandIo, type InputFormat } from '../io/input.js';
import { answerJson, answerLine, answerScenario, type PlaceAnswer } from '../scenario/answer.js';
import { parseScenario } from '../scenario/scenario.js';

const USAGE = `usage: mapping-order place [--json] [--keep-going] [FILE | -]

Reads a scenario (FILE, or stdin for '-' or no argument): one JSON object, a
JSON array of scenarios, or JSON Lines (one object per line). Prints, per
scenario, the VA or the error, the path taken, the alignment order and size,
and whether the VA is congruent to pgoff << PAGE_SHIFT modulo the alignment.
--json prints the answers in the input's shape. JSON Lines is answered line by
line as it arrives; --keep-going answers every good line and reports every bad
one (exit 2 at the end) instead of stopping at the first. Format: docs/CLI.md.
`;

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
  keepGoing: boolean;
  input: string | undefined;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { json: false, keepGoing: false, input: undefined, help: false };
  for (const arg of argv) {
    if (arg === '--json') opts.json = true;
    else if (arg === '--keep-going') opts.keepGoing = true;
    else if (arg === '--help' || arg === '-h') opts.help = true;
    else if (arg.startsWith('-') && arg !== '-')
      throw new InputError(arg, 'unknown option (place takes --json, --keep-going and one FILE or -)');
    else if (opts.input !== undefined) throw new InputError(arg, `one input only (already reading '${opts.input}')`);
    else opts.input = arg;
  }
  return opts;
}

/** Writes `text`, waiting when the reader is slower than we are, so output never piles up in memory. */
async function write(io: CommandIo, text: string): Promise<void> {
  const out = io.stdout as { write(s: string): unknown; once?: (e: 'drain', f: () => void) => unknown };
  if (out.write(text) === false && out.once) await new Promise<void>((ok) => out.once!('drain', ok));
}

/**
 * A single object or an array is parsed and answered whole before anything is printed: bad input prints
 * nothing but the error. JSON Lines is answered line by line as it arrives; a bad line stops the run there
 * (the answers before it are out), or with --keep-going is reported on stderr and the rest answered.
 */
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
    const input = await readInputStream(
      opts.input,
      io.stdin,
      opts.input === undefined || opts.input === '-' ? 'input' : opts.input,
    );
    if (input.format === 'jsonl') {
      let bad = 0;
      for await (const item of input.items) {
        let line: string;
        try {
          if (item instanceof InputError) throw item;
          const a = answerScenario(parseScenario(item.value, item.where));
          line = opts.json ? formatJsonAnswers('jsonl', [answerJson(a)]) : `${item.where}: ${answerLine(a)}\n`;
        } catch (e) {
          if (!(e instanceof InputError) || !opts.keepGoing) throw e;
          io.stderr.write(`mapping-order: ${e.message.split('\n')[0]}\n`);
          bad++;
          continue;
        }
        await write(io, line);
      }
      return bad > 0 ? EXIT.usage : EXIT.ok;
    }
    const scenarios = input.items.map((it) => parseScenario(it.value, it.where));
    const answers = scenarios.map(answerScenario);
    io.stdout.write(
      opts.json
        ? formatJsonAnswers(input.format, answers.map(answerJson))
        : formatHuman(
            input.format,
            input.items.map((it) => it.where),
            answers,
          ),
    );
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr.write(`mapping-order: ${e.message.split('\n')[0]}\n`);
    return EXIT.usage;
  }
}
