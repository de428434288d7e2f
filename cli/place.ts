// mapping-order place [--json] [FILE | -]: where does this mmap land?
// Reads one scenario, a JSON array of scenarios or JSON Lines
// (docs/CLI.md), answers each with the model's place(), and prints the answers
// in the input's shape (--json) or one line per scenario.

import { EXIT, InputError } from '../io/errors.js';
import { formatJsonAnswers, parseInput, readInputText, type CommandIo, type InputFormat } from '../io/input.js';
import { answerJson, answerLine, answerScenario, type PlaceAnswer } from '../scenario/answer.js';
import { parseScenario } from '../scenario/scenario.js';

const USAGE = `usage: mapping-order place [--json] [FILE | -]

Reads a scenario (FILE, or stdin for '-' or no argument): one JSON object, a
JSON array of scenarios, or JSON Lines (one object per line). Prints, per
scenario, the VA or the error, the path taken, the alignment order and size,
and whether the VA is congruent to pgoff << PAGE_SHIFT modulo the alignment.
--json prints the answers in the input's shape. Format: docs/CLI.md.
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
  input: string | undefined;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { json: false, input: undefined, help: false };
  for (const arg of argv) {
    if (arg === '--json') opts.json = true;
    else if (arg === '--help' || arg === '-h') opts.help = true;
    else if (arg.startsWith('-') && arg !== '-')
      throw new InputError(arg, 'unknown option (place takes --json and one FILE or -)');
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
