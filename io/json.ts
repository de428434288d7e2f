// JSON for the command line, generic over commands: a strict parser that says
// where it stopped (line and column) and refuses duplicate keys instead of
// silently keeping the last one, and the helpers that carry 64-bit values
// through JSON as strings ("0x200000" or decimal) so they survive.

import { InputError } from './errors.js';
import { hex } from '../model/u64.js';

/** How deep arrays and objects may nest in an input (a scenario needs four). */
export const MAX_DEPTH = 64;

/** Malformed JSON: the message, and the 1-based line and column where reading stopped. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /**
     * Set when a whole JSON value was read and more text follows it: the lines
     * the first value spanned, so a caller can recognise JSON Lines.
     */
    readonly trailing: { readonly firstValueStartLine: number; readonly firstValueEndLine: number } | null = null,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * JSON.parse, strictly (RFC 8259), with positions in errors, duplicate keys
 * refused, and objects built so that a key named "__proto__" is just a key.
 * Numbers come back as JS numbers; callers that need exact 64-bit values take
 * them as strings (parseU64 refuses numbers that are not safe integers, so a
 * precision loss here is always caught there).
 */
export function parseJson(text: string): unknown {
  return new Parser(text).document();
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    this.ws();
    if (this.pos >= this.text.length) this.fail('empty input: expected a JSON value');
    const startLine = this.lineColumn(this.pos).line;
    const v = this.value();
    const endLine = this.lineColumn(this.pos - 1).line;
    this.ws();
    if (this.pos < this.text.length) {
      const { line, column } = this.lineColumn(this.pos);
      throw new JsonSyntaxError('unexpected text after the JSON value', line, column, {
        firstValueStartLine: startLine,
        firstValueEndLine: endLine,
      });
    }
    return v;
  }

  private lineColumn(pos: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < pos && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: pos - lineStart + 1 };
  }

  private fail(reason: string, at = this.pos): never {
    const { line, column } = this.lineColumn(at);
    throw new JsonSyntaxError(reason, line, column);
  }

  private ws(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else return;
    }
  }

  private describe(at: number): string {
    const c = this.text[at];
    return c === undefined ? 'end of input' : `'${c}'`;
  }

  /** Arrays and objects open around the value being read. */
  private depth = 0;

  private nested<T>(read: () => T): T {
    // A scenario is a few levels deep; far deeper input is refused before it can exhaust the stack.
    if (++this.depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} arrays and objects`);
    const v = read();
    this.depth--;
    return v;
  }

  private value(): unknown {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.nested(() => this.object());
      case '[':
        return this.nested(() => this.array());
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        if (c === "'") this.fail('single quotes: JSON strings use double quotes');
        return this.fail(`unexpected ${this.describe(this.pos)}: expected a JSON value`);
    }
  }

  private literal<T>(word: string, v: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return v;
    }
    return this.fail(`unexpected ${this.describe(this.pos)}: expected a JSON value`);
  }

  private object(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.pos++; // '{'
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') {
        this.fail(`unexpected ${this.describe(this.pos)}: expected a double-quoted key`);
      }
      const keyAt = this.pos;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(obj, key)) this.fail(`duplicate key "${key}"`, keyAt);
      this.ws();
      if (this.text[this.pos] !== ':')
        this.fail(`unexpected ${this.describe(this.pos)}: expected ':' after key "${key}"`);
      this.pos++;
      this.ws();
      const v = this.value();
      // defineProperty, not assignment: assigning "__proto__" would change the prototype.
      Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        this.ws();
        if (this.text[this.pos] === '}') this.fail("trailing comma before '}'");
        continue;
      }
      if (c === '}') {
        this.pos++;
        return obj;
      }
      this.fail(`unexpected ${this.describe(this.pos)}: expected ',' or '}'`);
    }
  }

  private array(): unknown[] {
    const arr: unknown[] = [];
    this.pos++; // '['
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.ws();
      arr.push(this.value());
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        this.ws();
        if (this.text[this.pos] === ']') this.fail("trailing comma before ']'");
        continue;
      }
      if (c === ']') {
        this.pos++;
        return arr;
      }
      this.fail(`unexpected ${this.describe(this.pos)}: expected ',' or ']'`);
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++; // '"'
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          this.pos += 2;
          continue;
        }
        if (e === 'u') {
          const hex = this.text.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape: expected 4 hex digits');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
          continue;
        }
        this.fail(`bad escape '\\${e ?? ''}' in string`);
      }
      if (c.charCodeAt(0) < 0x20) this.fail('control character in string (a string cannot span lines)');
      out += c;
      this.pos++;
    }
  }

  private number(): number {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos));
    if (!m) return this.fail('malformed number');
    const after = this.text[this.pos + m[0].length];
    if (after !== undefined && /[0-9A-Za-z.]/.test(after)) {
      this.fail(
        m[0] === '0' || m[0] === '-0'
          ? 'malformed number (leading zero; write hex or large values as a string, e.g. "0x200000")'
          : 'malformed number',
      );
    }
    this.pos += m[0].length;
    return Number(m[0]);
  }
}

const TWO_64 = 1n << 64n;

/** How to read a 64-bit quantity: hex "0x..." or decimal digits, or a safe non-negative JSON integer. */
export const U64_SYNTAX = 'a string "0x..." (hex) or "123" (decimal), or a JSON integer up to 2^53-1';

/**
 * A non-negative value below 2^64 given as a string ("0x200000" / "2097152")
 * or as a plain JSON number that is a safe integer. Anything else is an
 * InputError naming `field`.
 */
export function parseU64(v: unknown, field: string): bigint {
  let x: bigint;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v)) throw new InputError(field, `not an integer: ${clip(String(v))}`);
    if (v < 0) throw new InputError(field, `must not be negative: ${v}`);
    if (!Number.isSafeInteger(v)) {
      throw new InputError(field, `JSON number above 2^53-1 loses precision: write it as a string ("0x...")`);
    }
    x = BigInt(v);
  } else if (typeof v === 'string') {
    const s = v.trim();
    if (/^-\s*(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(s)) throw new InputError(field, `must not be negative: "${v}"`);
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) x = BigInt(s.toLowerCase());
    else if (/^(0|[1-9][0-9]*)$/.test(s)) x = BigInt(s);
    else if (/^0[0-9]+$/.test(s)) {
      throw new InputError(field, `ambiguous leading zero in "${v}": write decimal without it, or hex as "0x..."`);
    } else throw new InputError(field, `not a number: ${quoted(v)} (expected ${U64_SYNTAX})`);
  } else {
    throw new InputError(field, `expected a number, got ${describeJson(v)} (${U64_SYNTAX})`);
  }
  if (x >= TWO_64)
    throw new InputError(field, `too large: ${clip(typeof v === 'string' ? v : String(x))} is not below 2^64`);
  return x;
}

/** JSON text with every bigint written as a hex string. */
export function stringifyJson(v: unknown, indent?: number): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? hex(x) : x), indent);
}

/** How much of a bad value an error line quotes: a line that names the field, not a copy of the input. */
export const QUOTE_MAX = 80;

/** `text` cut to QUOTE_MAX characters, saying how long it was when cut. */
export function clip(text: string): string {
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX)}... (${text.length} characters)`;
}

/** A string value as an error line quotes it: JSON-escaped, clipped. */
export function quoted(v: string): string {
  return clip(JSON.stringify(v));
}

/** "a string", "an array", ... for messages about the wrong JSON type. */
export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `a string ${quoted(v)}`;
  if (typeof v === 'number') return `the number ${clip(String(v))}`;
  if (typeof v === 'boolean') return `${v}`;
  return typeof v;
}

/** A plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
