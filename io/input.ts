// Reading a command's input (a file argument, or stdin for `-` or no argument)
// and telling its three shapes apart: one JSON object, a JSON array of them, or
// JSON Lines (one object per line). Shared by the commands that take scenarios
// (place, faults, explain); each command validates the items itself.

import { readFile } from 'node:fs/promises';
import { InputError } from './errors.js';
import { JsonSyntaxError, parseJson, stringifyJson } from './json.js';

/** How the input was shaped; the answer is printed in the same shape. */
/** The streams a command reads and writes: `process` in the CLI, captured buffers in tests. */
export interface CommandIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

export type InputFormat = 'object' | 'array' | 'jsonl';

export interface InputItem {
  /** The parsed JSON value (not yet validated). */
  readonly value: unknown;
  /**
   * Where it came from, as a prefix for field paths: '' for a single object,
   * '[3]' for an array element, 'line 4' for a JSON Lines line (1-based).
   */
  readonly where: string;
}

export interface ParsedInput {
  readonly format: InputFormat;
  readonly items: readonly InputItem[];
}

/**
 * A field path under an item: fieldPath('', 'request.len') = 'request.len',
 * fieldPath('[3]', 'request.len') = '[3].request.len',
 * fieldPath('line 4', 'request.len') = 'line 4: request.len'.
 */
export function fieldPath(where: string, rest: string): string {
  if (where === '') return rest;
  if (rest === '') return where;
  if (where.startsWith('[')) return rest.startsWith('[') ? where + rest : `${where}.${rest}`;
  return `${where}: ${rest}`;
}

/** Reads the text of `arg`: a file path, or stdin when `arg` is undefined or '-'. */
export async function readInputText(
  arg: string | undefined,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (arg === undefined || arg === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(arg, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(e));
    throw new InputError(arg, `cannot read input: ${why}`);
  }
}

/**
 * Splits input text into items. The whole text is read as one JSON value
 * first: an object is one item, an array gives one item per element. If one
 * value on a single line is followed by more text, the input is JSON Lines:
 * every non-blank line is one value. Malformed JSON is an InputError naming
 * the line and column (for JSON Lines, the line number of the bad line).
 * `source` names the input in messages ('input', or the file name).
 */
export function parseInput(text: string, source = 'input'): ParsedInput {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let whole: unknown;
  try {
    whole = parseJson(body);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const t = e.trailing;
    if (t !== null && t.firstValueStartLine === t.firstValueEndLine && t.firstValueEndLine < e.line) {
      return { format: 'jsonl', items: parseJsonLines(body) };
    }
    if (t !== null) {
      throw new InputError(
        source,
        `malformed JSON at line ${e.line}, column ${e.column}: ${e.reason} ` +
          '(several scenarios: use a JSON array, or JSON Lines with one object per line)',
      );
    }
    throw new InputError(source, `malformed JSON at line ${e.line}, column ${e.column}: ${e.reason}`);
  }
  if (Array.isArray(whole)) return { format: 'array', items: whole.map((value, i) => ({ value, where: `[${i}]` })) };
  return { format: 'object', items: [{ value: whole, where: '' }] };
}

function parseJsonLines(text: string): InputItem[] {
  const items: InputItem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    try {
      items.push({ value: parseJson(line), where });
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      throw new InputError(where, `malformed JSON at column ${e.column}: ${e.reason}`);
    }
  });
  return items;
}

/**
 * The answers in the input's shape: one object on one line (so it is valid
 * JSON and valid JSON Lines), an array with one answer per line, or one line
 * per answer. Ends with a newline.
 */
export function formatJsonAnswers(format: InputFormat, answers: readonly unknown[]): string {
  const lines = answers.map((a) => stringifyJson(a));
  switch (format) {
    case 'object':
      return `${lines[0] ?? 'null'}\n`;
    case 'array':
      return lines.length === 0 ? '[]\n' : `[\n${lines.map((l) => `  ${l}`).join(',\n')}\n]\n`;
    case 'jsonl':
      return lines.map((l) => `${l}\n`).join('');
  }
}
