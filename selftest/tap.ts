// The TAP that tools/testing/selftests/kselftest.h prints: "TAP version 13", "1..N", one "ok N <name>" or
// "not ok N <name>: why" per test (ksft_test_result_pass/fail; a skip is "ok N # SKIP <why>"), "# ..." for
// diagnostics (ksft_print_msg), and "# Totals: ..." at the end (ksft_finished).

export interface TapResult {
  readonly number: number;
  readonly ok: boolean;
  readonly skip: boolean;
  /** What follows the number: the vector's name, then ": why" for a failure. */
  readonly description: string;
}

export interface Tap {
  /** The plan's N, or null when no "1..N" line came (the test skipped or died before ksft_set_plan). */
  readonly plan: number | null;
  readonly results: readonly TapResult[];
  /** "1..0 # SKIP why" or the "ok 1 # SKIP" of ksft_exit_skip before a plan: why, else null. */
  readonly skipAll: string | null;
}

export function parseTap(text: string): Tap {
  let plan: number | null = null;
  let skipAll: string | null = null;
  const results: TapResult[] = [];
  for (const line of text.split('\n')) {
    const p = /^1\.\.(\d+)(?:\s+#\s*SKIP\s*(.*))?$/i.exec(line);
    if (p) {
      plan = Number(p[1]);
      if (p[2] !== undefined) skipAll = p[2];
      continue;
    }
    const r = /^(not ok|ok) (\d+)\s*(.*)$/.exec(line);
    if (!r) continue;
    const rest = r[3]!;
    const skip = /^#\s*SKIP\b/i.test(rest) || /\s#\s*SKIP\b/i.test(rest);
    results.push({ number: Number(r[2]), ok: r[1] === 'ok', skip, description: rest.replace(/^-\s*/, '') });
  }
  return { plan, results, skipAll };
}

/** The vector a result names: the description up to the first ':' or '#' (empty for a bare skip). */
export function vectorName(r: TapResult): string {
  return r.description.split(/[:#]/)[0]!.trim();
}
