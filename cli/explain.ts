// mapping-order explain [--json] [--svg FILE] [FILE | -]: place + faults for
// people (docs/CLI.md). Input: a scenario (as for place) or a userspace scheme
// around a BAR (scenario/scheme.ts); one object, a JSON array or JSON Lines.
// Prints the path taken, the order, the congruence, the leaves per size and a
// bar of each VMA; --svg FILE also writes the picture as SVG; --json prints
// the explanation as data instead of text.

import { writeFile } from 'node:fs/promises';
import { buildDoc } from '../render/doc.js';
import { parseExplainInput } from '../scenario/scheme.js';
import { docJson } from '../render/json.js';
import { renderSvg } from '../render/svg.js';
import { renderText } from '../render/text.js';
import { EXIT, InputError } from '../io/errors.js';
import { formatJsonAnswers, parseInput, readInputText, type CommandIo } from '../io/input.js';

const USAGE = `usage: mapping-order explain [--json] [--svg FILE] [FILE | -]

Reads a scenario (as for place) or a scheme
  {"scheme": "dpdk" | "qemu-9.2" | "qemu-2026" | "kernel", "arch", "policy",
   "mm"?, "vmas"?, "file", "bar": {"size", "msix"?: {"offset", "size"}}}
and explains it: the mmap calls, the driver's order, the path, the alignment,
the congruence, the leaves a sequential touch installs and a picture of each
VMA. --svg FILE writes the picture as SVG too; --json prints it as data.
`;

export async function run(argv: string[], io: CommandIo = process): Promise<number> {
  try {
    let json = false;
    let svg: string | undefined;
    let input: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === '--json') json = true;
      else if (arg === '--svg') {
        const f = argv[++i];
        if (f === undefined || (f.startsWith('-') && f !== '-')) throw new InputError('--svg', 'needs a file name');
        svg = f;
      } else if (arg === '--help' || arg === '-h') {
        io.stdout.write(USAGE);
        return EXIT.ok;
      } else if (arg.startsWith('-') && arg !== '-')
        throw new InputError(arg, 'unknown option (explain takes --json, --svg FILE and one FILE or -)');
      else if (input !== undefined) throw new InputError(arg, `one input only (already reading '${input}')`);
      else input = arg;
    }
    const text = await readInputText(input, io.stdin);
    const parsed = parseInput(text, input === undefined || input === '-' ? 'input' : input);
    const docs = parsed.items.map((it) => buildDoc(parseExplainInput(it.value, it.where)));
    if (svg !== undefined) {
      try {
        await writeFile(svg, renderSvg(docs));
      } catch (e) {
        throw new InputError('--svg', `cannot write ${svg}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
    io.stdout.write(
      json ? formatJsonAnswers(parsed.format, docs.map(docJson)) : docs.map((d) => renderText(d)).join('\n'),
    );
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr.write(`mapping-order: ${e.message.split('\n')[0]}\n`);
    return EXIT.usage;
  }
}
