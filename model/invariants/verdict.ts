// What an invariant says about one placement: ok, or why not (in kernel terms).

export interface Verdict {
  readonly ok: boolean;
  readonly why: string;
}

export const OK: Verdict = { ok: true, why: '' };

export function fail(why: string): Verdict {
  return { ok: false, why };
}

export const hex = (x: bigint): string => `0x${x.toString(16)}`;
