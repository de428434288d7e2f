// Runs a `mapping-order` command in this process, its input given as text on
// stdin ('-'), and returns what it prints: the docs show the command's own
// output, not a copy of it. A non-zero exit is an error naming the command.

import { Readable } from 'node:stream';
import { run as explainRun } from '../../cli/explain.js';
import { run as faultsRun } from '../../cli/faults.js';
import { run as placeRun } from '../../cli/place.js';

type Run = (argv: string[], io: { stdin: NodeJS.ReadableStream; stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } }) => Promise<number>;

const COMMANDS: Readonly<Record<'place' | 'faults' | 'explain', Run>> = {
  place: placeRun as Run,
  faults: faultsRun as Run,
  explain: explainRun as Run,
};

export async function runCli(command: keyof typeof COMMANDS, args: readonly string[], stdin: string): Promise<string> {
  let out = '';
  let err = '';
  const code = await COMMANDS[command]([...args, '-'], {
    stdin: Readable.from([Buffer.from(stdin, 'utf8')]),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  if (code !== 0) throw new Error(`mapping-order ${command} ${args.join(' ')} exited ${code}: ${err.trim()}`);
  return out;
}
