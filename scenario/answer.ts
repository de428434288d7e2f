// The answer `place` gives for one scenario, declared once: the model's placement with the congruence the
// contract asks for, its JSON form and its one-line form (docs/CLI.md, "The answer").

import { geometry } from '../model/geometry.js';
import { place } from '../model/place.js';
import type { Errno, Placement, PlacementPath, Scenario } from '../model/types.js';
import { hex } from '../model/u64.js';

/** The answer for one scenario; bigints are written as "0x..." strings in JSON. */
export interface PlaceAnswer {
  readonly va: bigint | null;
  readonly error: Errno | null;
  readonly path: PlacementPath;
  readonly order: number;
  readonly alignment: bigint;
  /**
   * VA ≡ off (mod alignment), off = pgoff << PAGE_SHIFT (0 for anonymous
   * memory: __get_unmapped_area zeroes pgoff when there is no file), when an
   * alignment above PAGE_SIZE was aimed for and a VA was returned; else null.
   */
  readonly congruent: boolean | null;
}

/** The model's answer for a parsed scenario. */
export function answerScenario(s: Scenario): PlaceAnswer {
  return placeAnswer(s, place(s));
}

/** The answer for a placement the model made for `s`. */
export function placeAnswer(s: Scenario, p: Placement): PlaceAnswer {
  const g = geometry(s.arch);
  const off = s.file.kind === 'anon' ? 0n : (s.request.pgoff << g.pageShift) & ((1n << 64n) - 1n);
  const congruent = p.va !== null && p.alignment > g.pageSize ? ((p.va - off) & (p.alignment - 1n)) === 0n : null;
  return { va: p.va, error: p.error, path: p.path, order: p.order, alignment: p.alignment, congruent };
}

/** The JSON form of an answer (docs/CLI.md, "The answer"). */
export function answerJson(a: PlaceAnswer): Record<string, unknown> {
  return {
    va: a.va === null ? null : hex(a.va),
    error: a.error,
    path: a.path,
    order: a.order,
    alignment: hex(a.alignment),
    congruent: a.congruent,
  };
}

/** One human line: `va 0x7effffe00000  path aligned  order 9  alignment 0x200000  congruent yes`. */
export function answerLine(a: PlaceAnswer): string {
  const result = a.va !== null ? `va ${hex(a.va)}` : `error ${a.error ?? '?'}`;
  const congruent = a.congruent === null ? 'n/a' : a.congruent ? 'yes' : 'no';
  return `${result}  path ${a.path}  order ${a.order}  alignment ${hex(a.alignment)}  congruent ${congruent}`;
}
