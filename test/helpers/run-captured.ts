// Runs a command's run(argv, io) in-process with `input` on stdin and its stdout and stderr captured,
// as the place, faults and explain tests need.

import { Readable } from 'node:stream';
import type { CommandIo } from '../../io/input.js';

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCaptured(
  run: (argv: string[], io: CommandIo) => Promise<number>,
  argv: string[],
  input: string,
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdin: Readable.from([Buffer.from(input)]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}
