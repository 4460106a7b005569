// `npm test` names, in its last lines (CI logs are often read from the tail), the unit + HQ tests
// that failed and those that passed only on their retry, from Vitest's JSON report: each once, a
// file that failed outside its tests, and a report that was never written.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testReportLines, testReportLinesAt } from '../../scripts/test-report.mjs';

const root = '/repo';
const passed = { title: 'ok', ancestorTitles: [], status: 'passed', failureMessages: [] };
const report = {
  testResults: [
    {
      name: '/repo/tests/hq/a.test.ts',
      status: 'failed',
      message: '',
      assertionResults: [
        { title: 'passes', ancestorTitles: ['group'], status: 'passed', failureMessages: [] },
        { title: 'flags once', ancestorTitles: ['group', 'inner'], status: 'failed', failureMessages: ['\u001b[31mAssertionError\u001b[39m: expected [] to equal [1]\n    at x.ts:1:1', 'again'] },
        { title: 'slow push', ancestorTitles: ['group'], status: 'passed', failureMessages: ['Error: case push failed: 503\n    at y.ts:2:2'] },
      ],
    },
    { name: '/repo/tests/unit/b.test.ts', status: 'failed', message: 'Error: Cannot find module x\nstack', assertionResults: [] },
    { name: '/repo/tests/unit/c.test.ts', status: 'passed', message: '', assertionResults: [passed] },
  ],
};

describe('the test lines at the end of npm test', () => {
  it('names each failed test with its titles and the first line of its error, without colour codes, and a file that failed outside its tests', () => {
    expect(testReportLines(report, root).failed).toEqual([
      'tests/hq/a.test.ts › group › inner › flags once: AssertionError: expected [] to equal [1]',
      'tests/unit/b.test.ts: Error: Cannot find module x',
    ]);
  });

  it('names a test that passed only on its retry as flaky, with the error of the failed try', () => {
    expect(testReportLines(report, root).flaky).toEqual(['tests/hq/a.test.ts › group › slow push: Error: case push failed: 503']);
  });

  it('names nothing when every test passed the first time', () => {
    expect(testReportLines({ testResults: [report.testResults[2]!] }, root)).toEqual({ failed: [], flaky: [] });
  });

  it('reads the report file, and says so when Vitest wrote none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const path = join(dir, 'vitest.json');
    writeFileSync(path, JSON.stringify(report));
    expect(testReportLinesAt(path, root).failed).toHaveLength(2);
    expect(testReportLinesAt(join(dir, 'none.json'), root)).toEqual({ failed: [expect.stringMatching(/^no Vitest report at .*none\.json/)], flaky: [] });
  });
});
