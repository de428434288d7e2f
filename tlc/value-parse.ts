// Reads a TLA+ value in the form TLC 2.18 prints it in an error trace (tlc2.value.impl.*Value.toString,
// pretty-printed over several lines when wide). Anything outside that printed grammar is refused with a
// TlaValueSyntaxError: a value we cannot read must never be taken as a pass.

import { TlaFunction, TlaModelValue, TlaSet, type TlaRecord, type TlaValue } from './value.js';

export class TlaValueSyntaxError extends Error {
  override name = 'TlaValueSyntaxError';
}

/** Intervals `a..b` are expanded into sets; past this many elements the trace is not something to read. */
const MAX_INTERVAL = 1_000_000;

type Tok =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'sym'; v: string; at: number };

// Longest first: `<<` before `<`, `|->` before `|`.
const SYMBOLS = ['<<', '>>', '|->', ':>', '@@', '..', '{', '}', '[', ']', '(', ')', ','];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new TlaValueSyntaxError(`${msg} at offset ${i} in ${JSON.stringify(src.slice(0, 200))}`);
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const at = i;
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) fail('unterminated string');
        const d = src[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\') {
          const e = src[i + 1];
          const map: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', f: '\f' };
          const r = e === undefined ? undefined : map[e];
          if (r === undefined) fail(`unknown escape \\${e ?? ''}`);
          s += r;
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      out.push({ t: 'str', v: s, at });
      continue;
    }
    const sym = SYMBOLS.find((x) => src.startsWith(x, i));
    if (sym !== undefined) {
      out.push({ t: 'sym', v: sym, at: i });
      i += sym.length;
      continue;
    }
    const m = /^-?[A-Za-z0-9_]+/.exec(src.slice(i, i + 400));
    if (m) {
      const w = m[0];
      // `1..3` lexes as 1, `..`, 3 because `.` is not a word character.
      if (/^-?[0-9]+$/.test(w)) {
        const n = Number(w);
        if (!Number.isSafeInteger(n)) fail(`integer ${w} out of range`);
        out.push({ t: 'num', v: n, at: i });
      } else if (w.startsWith('-')) {
        fail(`unexpected '-'`);
      } else {
        out.push({ t: 'id', v: w, at: i });
      }
      i += w.length;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  private fail(msg: string): never {
    const tok = this.toks[this.pos];
    const where = tok === undefined ? 'end of input' : `offset ${tok.at}`;
    throw new TlaValueSyntaxError(`${msg} at ${where} in ${JSON.stringify(this.src.slice(0, 200))}`);
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private isSym(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'sym' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.isSym(v)) this.fail(`expected '${v}'`);
    this.pos++;
  }

  atEnd(): boolean {
    return this.pos === this.toks.length;
  }

  /** Comma-separated items up to `close` (consumed); `open` already consumed. */
  private list<T>(close: string, item: () => T): T[] {
    const items: T[] = [];
    if (this.isSym(close)) {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(item());
      if (this.isSym(',')) {
        this.pos++;
        continue;
      }
      this.expect(close);
      return items;
    }
  }

  value(): TlaValue {
    const t = this.peek();
    if (t === undefined) this.fail('expected a value');
    this.pos++;
    switch (t.t) {
      case 'num': {
        if (this.isSym('..')) {
          this.pos++;
          const hi = this.peek();
          if (hi === undefined || hi.t !== 'num') this.fail(`expected the upper bound of ${t.v}..`);
          this.pos++;
          if (hi.v - t.v + 1 > MAX_INTERVAL) this.fail(`interval ${t.v}..${hi.v} too large to expand`);
          const elems: number[] = [];
          for (let k = t.v; k <= hi.v; k++) elems.push(k);
          return new TlaSet(elems);
        }
        return t.v;
      }
      case 'str':
        return t.v;
      case 'id':
        if (t.v === 'TRUE') return true;
        if (t.v === 'FALSE') return false;
        // Anything TLC prints as a bare word in a state is a model value; the infinite sets and operators
        // (Nat, SUBSET, ...) would be followed by more input or are not values of a state.
        if (/^[A-Z_a-z][A-Za-z0-9_]*$/.test(t.v) && !RESERVED.has(t.v)) return new TlaModelValue(t.v);
        this.pos--;
        return this.fail(`unexpected word '${t.v}'`);
      case 'sym':
        switch (t.v) {
          case '<<':
            return this.list('>>', () => this.value());
          case '{':
            return new TlaSet(this.list('}', () => this.value()));
          case '[':
            return this.record();
          case '(':
            return this.fcn();
        }
        this.pos--;
        return this.fail(`unexpected '${t.v}'`);
    }
  }

  private record(): TlaRecord {
    const rec: Record<string, TlaValue> = {};
    const fields = this.list(']', () => {
      const f = this.peek();
      if (f === undefined || f.t !== 'id') this.fail('expected a record field name');
      this.pos++;
      this.expect('|->');
      return [f.v, this.value()] as const;
    });
    if (fields.length === 0) this.fail('empty record');
    for (const [f, v] of fields) {
      if (Object.hasOwn(rec, f)) this.fail(`record field '${f}' twice`);
      // defineProperty: a field named __proto__ must stay a field.
      Object.defineProperty(rec, f, { value: v, enumerable: true, writable: false, configurable: false });
    }
    return rec;
  }

  private fcn(): TlaFunction {
    const entries: Array<readonly [TlaValue, TlaValue]> = [];
    for (;;) {
      const k = this.value();
      this.expect(':>');
      entries.push([k, this.value()]);
      if (this.isSym('@@')) {
        this.pos++;
        continue;
      }
      this.expect(')');
      return new TlaFunction(entries);
    }
  }
}

const RESERVED = new Set([
  'Nat',
  'Int',
  'Real',
  'STRING',
  'BOOLEAN',
  'SUBSET',
  'UNION',
  'DOMAIN',
  'CHOOSE',
  'LAMBDA',
  'EXCEPT',
  'IF',
  'THEN',
  'ELSE',
  'LET',
  'IN',
  'CASE',
  'OTHER',
]);

/** Parses one printed TLA+ value; throws TlaValueSyntaxError on anything else (including trailing input). */
export function parseTlaValue(src: string): TlaValue {
  const p = new Parser(tokenize(src), src);
  const v = p.value();
  if (!p.atEnd()) throw new TlaValueSyntaxError(`trailing input after a value in ${JSON.stringify(src.slice(0, 200))}`);
  return v;
}
