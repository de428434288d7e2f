// Reading a command's input (a file argument, or stdin for `-` or no argument)
// and telling its three shapes apart: one JSON object, a JSON array of them, or
// JSON Lines (one object per line). Shared by the commands that take scenarios
// (place, faults, explain); each command validates the items itself.

import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
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

/** One line of the input, numbered from 1, without its line break. */
interface Line {
  readonly no: number;
  readonly text: string;
}

/** The lines of `arg` (a file, or stdin for undefined or '-'), read as they arrive: memory stays one line. */
async function* inputLines(arg: string | undefined, stdin: NodeJS.ReadableStream): AsyncGenerator<Line> {
  let stream: NodeJS.ReadableStream = stdin;
  if (arg !== undefined && arg !== '-') {
    const file = createReadStream(arg, { encoding: 'utf8' });
    // Open errors (no such file, a directory) surface on the first read: name the file, as readInputText does.
    await new Promise<void>((ok, fail) => {
      file.once('readable', () => ok());
      file.once('error', (e: NodeJS.ErrnoException) => {
        const why =
          e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : (e.code ?? String(e));
        fail(new InputError(arg, `cannot read input: ${why}`));
      });
    });
    stream = file;
  }
  let no = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    no++;
    yield { no, text: no === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw };
  }
}

/** An input read as a stream: JSON Lines item by item, anything else whole. */
export type StreamedInput =
  | { readonly format: 'object' | 'array'; readonly items: readonly InputItem[] }
  | {
      readonly format: 'jsonl';
      /** Each line's value, or the InputError that names the line: the caller decides whether to go on. */
      readonly items: AsyncIterable<InputItem | InputError>;
    };

function lineItem(line: Line): InputItem | InputError {
  const where = `line ${line.no}`;
  try {
    return { value: parseJson(line.text), where };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return new InputError(where, `malformed JSON at column ${e.column}: ${e.reason}`);
  }
}

/**
 * Reads the input as parseInput() does, but JSON Lines as a stream: when the first non-blank line is one
 * whole JSON value and another non-blank line follows, the items come one line at a time, so memory does not
 * grow with the number of lines and the first answer can go out before the input ends. A single object
 * (on one line or several) and a JSON array are read whole.
 */
export async function readInputStream(
  arg: string | undefined,
  stdin: NodeJS.ReadableStream,
  source = 'input',
): Promise<StreamedInput> {
  const lines = inputLines(arg, stdin);
  const head: Line[] = [];
  let first: InputItem | null = null;
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    head.push(next.value);
    if (next.value.text.trim() === '') continue;
    if (first === null) {
      const item = next.value.text.trimStart().startsWith('{') ? lineItem(next.value) : null;
      if (item === null || item instanceof InputError) break;
      first = item;
      continue;
    }
    // A second value line: JSON Lines. Hand on the two read so far, then the rest as they arrive.
    const second = next.value;
    async function* items(): AsyncGenerator<InputItem | InputError> {
      yield first!;
      yield lineItem(second);
      for await (const line of lines) if (line.text.trim() !== '') yield lineItem(line);
    }
    return { format: 'jsonl', items: items() };
  }
  // Not JSON Lines: the whole text, read through parseInput for its shapes and its messages.
  const rest: string[] = head.map((l) => l.text);
  for await (const line of lines) rest.push(line.text);
  const parsed = parseInput(rest.join('\n'), source);
  if (parsed.format === 'jsonl') throw new InputError(source, 'JSON Lines must start with an object on a line');
  return { format: parsed.format, items: parsed.items };
}
