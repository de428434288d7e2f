// Errors the command line reports as one line and a distinct exit code.

/** Exit codes, one per kind of failure, so scripts can tell them apart. */
export const EXIT = {
  ok: 0,
  /** A check ran and disagreed: a verdict differed from the matrix, the probe disagreed with the kernel. */
  failed: 1,
  /** Bad input: the message names the field. */
  usage: 2,
  /** A tool is missing (java, the TLC jar, a C compiler). */
  missingTool: 3,
  /** A tool ran but its output could not be understood (never taken as a pass). */
  toolError: 4,
  /** A fault of mapping-order itself (sysexits' EX_SOFTWARE), never a verdict. */
  internal: 70,
  /** stdout was closed by its reader (`| head`): 128 + SIGPIPE, as a Unix tool that dies of it reports. */
  closedPipe: 141,
} as const;

/** Bad input, naming the field it came from (`request.len`, `vmas[2].end`, `--svg`). */
export class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InputError';
  }
}

/** A tool the command needs is not there; the message says how to get it. */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

/** A tool ran but said something we cannot parse, or failed in a way we do not understand. */
export class ToolError extends Error {
  override name = 'ToolError';
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof InputError) return EXIT.usage;
  if (e instanceof MissingToolError) return EXIT.missingTool;
  if (e instanceof ToolError) return EXIT.toolError;
  // Anything else is a fault of ours (a TypeError, a stack overflow): never read as "a check disagreed".
  return EXIT.internal;
}
