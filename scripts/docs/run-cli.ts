// Runs a `mapping-order` command as a user would (a child process of bin/mapping-order.js), its input given
// as text on stdin ('-'), and returns what it prints: the docs show the command's own output, not a copy of
// it. A non-zero exit is an error naming the command.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mapping-order.js', import.meta.url));

export async function runCli(
  command: 'place' | 'faults' | 'explain',
  args: readonly string[],
  stdin: string,
): Promise<string> {
  const r = spawnSync(process.execPath, [BIN, command, ...args, '-'], {
    input: stdin,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error) throw new Error(`mapping-order ${command}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`mapping-order ${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}
