// One answer in the spec's encoding (spec/Policies.tla Ans): va is the address
// in pages, or the negative errno the kernel returns in an unsigned long
// (ENOMEM = -12, EINVAL = -22, EPERM = -1, ...); path as the spec names it
// ("error" for a request refused before any placement); order the page order
// of the alignment the policy chose, -1 for none. The model's Placement is
// mapped to it, and two answers are compared field by field.

import { GEOMETRIES } from '../../model/geometry.js';
import { place } from '../../model/place.js';
import type { Errno, Placement, PolicyName } from '../../model/types.js';
import { toScenario } from '../../generators/tiny/scenario.js';
import type { TinyCase } from '../../generators/tiny/types.js';

export interface SpecAnswer {
  readonly va: number;
  readonly path: string;
  readonly order: number;
}

/** The errno values of include/uapi/asm-generic/errno-base.h, negated as the kernel returns them. */
export const ERRNO_VALUE: Readonly<Record<Errno, number>> = {
  EPERM: -1,
  ENOMEM: -12,
  EEXIST: -17,
  EINVAL: -22,
  EOVERFLOW: -75,
};

export function errnoName(v: number): string {
  const e = (Object.keys(ERRNO_VALUE) as Errno[]).find((k) => ERRNO_VALUE[k] === v);
  return e ?? `errno ${-v}`;
}

export function placementAnswer(c: TinyCase, p: Placement): SpecAnswer {
  const ps = GEOMETRIES[c.arch].pageSize;
  if (p.va === null) return { va: ERRNO_VALUE[p.error ?? 'EINVAL'], path: p.path, order: p.order };
  if (p.va % ps !== 0n) throw new Error(`VA 0x${p.va.toString(16)} is not a page address: page units cannot hold it`);
  return { va: Number(p.va / ps), path: p.path, order: p.order };
}

/** The TypeScript model's answer to a tiny case under a policy. */
export function modelAnswer(c: TinyCase, policy: PolicyName): SpecAnswer {
  return placementAnswer(c, place(toScenario(c, policy)));
}

/** A difference between two answers: the field, and each side's value as a person reads it. */
export interface AnswerDiff {
  readonly field: 'va' | 'path' | 'order';
  readonly model: string;
  readonly spec: string;
}

export function showVa(va: number): string {
  return va < 0 ? errnoName(va) : `page ${va}`;
}

/**
 * The answer itself: the same VA or the same errno (the comparison the
 * differential check fails on). null when they agree.
 */
export function compareVa(model: SpecAnswer, spec: SpecAnswer): AnswerDiff | null {
  return model.va === spec.va ? null : { field: 'va', model: showVa(model.va), spec: showVa(spec.va) };
}

/**
 * The labels of two answers with the same VA: for a placement, the path and,
 * on the aligned, fallback and plain paths, the order the policy chose (the
 * spec's NoOrder, -1, is the model's 0 there). Both name "plain" a placement
 * whose alignment __thp_get_unmapped_area refused before any padded search (the
 * chunk test; the answer keeps the refused order) and "fallback" one whose
 * padded search failed. Hint and MAP_FIXED answers compare by path only (the
 * spec keeps optimal's chosen order on a kept hint, the model does not), and
 * error answers are not labelled alike by design (the spec's "error" for a
 * request refused before any placement).
 */
export function compareLabels(model: SpecAnswer, spec: SpecAnswer): AnswerDiff | null {
  if (model.va !== spec.va || model.va < 0) return null;
  if (model.path !== spec.path) return { field: 'path', model: model.path, spec: spec.path };
  // The spec's NoOrder (-1) is the model's 0 on the plain path: no alignment chosen.
  const specOrder = spec.path === 'plain' && spec.order === -1 ? 0 : spec.order;
  if ((model.path === 'aligned' || model.path === 'fallback' || model.path === 'plain') && model.order !== specOrder)
    return { field: 'order', model: String(model.order), spec: String(spec.order) };
  return null;
}
