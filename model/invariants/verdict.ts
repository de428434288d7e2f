import { hex } from '../u64.js';
// What an invariant says about one placement: ok, or why not (in kernel terms).

export interface Verdict {
  readonly ok: boolean;
  readonly why: string;
}

export const OK: Verdict = { ok: true, why: '' };

export function fail(why: string): Verdict {
  return { ok: false, why };
}
