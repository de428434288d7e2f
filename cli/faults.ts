// mapping-order faults [--json] [FILE | -]: the leaves a sequential touch of a VMA installs. Input:
// {"arch", "va", "len", "pgoff", "file"} (a VMA and its backing; for a driver, "barPhys" gives the BAR's
// physical base), one object, a JSON array or JSON Lines, as for place; the request and the answer are
// scenario/faults.ts.

import { EXIT, InputError } from '../io/errors.js';
import { formatJsonAnswers, parseInput, readInputText, type CommandIo, type InputFormat } from '../io/input.js';
import type { FaultAnswer } from '../model/faults/index.js';
import { faultsJson, faultsLine } from '../render/faults.js';
import { answerFaults, parseFaultsRequest } from '../scenario/faults.js';

const USAGE = `usage: mapping-order faults [--json] [FILE | -]

Reads {"arch", "va", "len", "pgoff", "file"} (FILE, or stdin for '-' or no
argument): one JSON object, a JSON array, or JSON Lines. Prints, per VMA, the
leaves a sequential touch of the whole VMA installs per leaf size, the faults
taken and the huge-fault fallbacks. --json prints the answers in the input's
shape (docs/CLI.md).
`;

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
      } else if (arg.startsWith('-') && arg !== '-')
        throw new InputError(arg, 'unknown option (faults takes --json and one FILE or -)');
      else if (input !== undefined) throw new InputError(arg, `one input only (already reading '${input}')`);
      else input = arg;
    }
    const text = await readInputText(input, io.stdin);
    const parsed = parseInput(text, input === undefined || input === '-' ? 'input' : input);
    const requests = parsed.items.map((it) => parseFaultsRequest(it.value, it.where));
    const answers = requests.map(answerFaults);
    io.stdout.write(
      json
        ? formatJsonAnswers(parsed.format, answers.map(faultsJson))
        : formatHuman(
            parsed.format,
            parsed.items.map((it) => it.where),
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
