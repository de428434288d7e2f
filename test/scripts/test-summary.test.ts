import { describe, expect, it } from 'vitest';

import { summarise, type VitestReport } from '../../scripts/test-summary.js';

const file = (name: string, status: string, statuses: string[]) => ({
  name,
  status,
  assertionResults: statuses.map((s) => ({ status: s })),
});

describe('summarise', () => {
  it('counts passed, failed and skipped tests across files', () => {
    const report: VitestReport = {
      success: false,
      testResults: [
        file('a.test.ts', 'passed', ['passed', 'passed', 'skipped']),
        file('b.test.ts', 'failed', ['passed', 'failed', 'todo', 'pending']),
      ],
    };
    // passed: 2 in a + 1 in b = 3; failed: 1 in b; skipped: skipped + todo + pending = 3.
    const s = summarise(report);
    expect(s.line).toBe('tests: 3 passed, 1 failed, 3 skipped');
    expect(s.ok).toBe(false);
  });

  it('counts a file that failed to load as one failed test', () => {
    const report: VitestReport = {
      success: false,
      testResults: [file('ok.test.ts', 'passed', ['passed']), file('broken.test.ts', 'failed', [])],
    };
    const s = summarise(report);
    expect(s.line).toBe('tests: 1 passed, 1 failed');
    expect(s.brokenFiles).toEqual(['broken.test.ts']);
    expect(s.ok).toBe(false);
  });

  it('is ok only with at least one pass, no failure and a successful run', () => {
    expect(summarise({ success: true, testResults: [file('a', 'passed', ['passed'])] }).ok).toBe(true);
    expect(summarise({ success: true, testResults: [file('a', 'passed', ['skipped'])] })).toMatchObject({
      line: 'tests: 0 passed, 0 failed, 1 skipped',
      ok: false,
    });
    // An unhandled error makes vitest report success: false with every test passed.
    expect(summarise({ success: false, testResults: [file('a', 'passed', ['passed'])] }).ok).toBe(false);
  });

  it('does not count an unknown status as passed', () => {
    expect(summarise({ success: true, testResults: [file('a', 'passed', ['weird'])] }).line).toBe(
      'tests: 0 passed, 1 failed',
    );
  });
});
