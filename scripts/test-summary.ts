// Reads vitest's JSON report and prints the closing line `tests: N passed, M failed[, K skipped]`.
// Usage: node --import tsx scripts/test-summary.ts [REPORT]   (default .cache/vitest.json)
// Exit 0 only when the report exists, at least one test passed and nothing failed.
//
// A test file that failed to load (a syntax or import error) has no test results of its own: it counts as
// one failed test, so it cannot vanish from the count. Skipped and todo tests are counted apart, never as
// passed.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface AssertionResult {
  status: string;
  fullName?: string;
}

interface FileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults: AssertionResult[];
}

export interface VitestReport {
  success: boolean;
  testResults: FileResult[];
}

export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  /** Files that failed without a failing test (load errors, errors in hooks). */
  brokenFiles: string[];
  line: string;
  ok: boolean;
}

export function summarise(report: VitestReport): TestSummary {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const brokenFiles: string[] = [];
  for (const file of report.testResults) {
    let fileFailed = 0;
    for (const a of file.assertionResults) {
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') fileFailed++;
      else if (a.status === 'skipped' || a.status === 'pending' || a.status === 'todo' || a.status === 'disabled') {
        skipped++;
      } else {
        // A status we do not know is not a pass.
        fileFailed++;
      }
    }
    if (file.status === 'failed' && fileFailed === 0) {
      brokenFiles.push(file.name);
      fileFailed = 1;
    }
    failed += fileFailed;
  }
  const line = `tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  return { passed, failed, skipped, brokenFiles, line, ok: failed === 0 && passed > 0 && report.success };
}

function main(argv: string[]): number {
  const path = resolve(argv[0] ?? '.cache/vitest.json');
  let report: VitestReport;
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
    if (!Array.isArray(report.testResults)) throw new Error('no testResults');
  } catch (e) {
    console.error(`test-summary: no usable vitest report at ${path}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const s = summarise(report);
  for (const f of s.brokenFiles) console.log(`test-summary: ${f} failed outside any test (counted as 1 failed)`);
  if (s.passed === 0 && s.failed === 0) console.log('test-summary: no test ran');
  else if (s.failed === 0 && !report.success)
    console.log('test-summary: vitest reported failure (e.g. an unhandled error)');
  console.log(s.line);
  return s.ok ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
