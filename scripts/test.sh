#!/usr/bin/env bash
# `npm test`: type-check, check the formatting (prettier), run every vitest test (writing a JSON report to
# .cache/vitest.json), then print the closing line `tests: N passed, M failed[, K skipped]`. Exit non-zero if
# the type-check, the formatting or any test failed, or the report is missing.
# Extra arguments go to vitest (e.g. a test path).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

report=.cache/vitest.json
mkdir -p .cache
rm -f "$report"

status=0
if ! npx tsc --noEmit; then
  echo "typecheck: failed (tsc --noEmit)"
  status=1
fi
if ! npx prettier --check . >/dev/null; then
  npx prettier --list-different . | sed 's/^/format: not formatted: /'
  echo "format: failed (run npx prettier --write .)"
  status=1
fi
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=1
node --import tsx scripts/test-summary.ts "$report" || status=1
exit "$status"
