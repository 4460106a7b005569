// `npm test` names, in its last lines (CI logs are often read from the tail), the unit + HQ tests
// that failed and those that passed only on their retry, from Vitest's JSON report: each once, a
// file that failed outside its tests, and a report that was never written; the same for the E2E
// suite from Playwright's JSON report, with the first lines of each error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_ERROR_LINES, e2eReportLines, e2eReportLinesAt, testReportLines, testReportLinesAt } from '../../scripts/test-report.mjs';

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

describe('the E2E lines at the end of npm test', () => {
  const error = (message: string) => ({ status: 'failed', error: { message }, errors: [{ message }] });
  const e2eReport = {
    config: { rootDir: '/repo/tests/e2e' },
    suites: [
      {
        title: 'durability.spec.ts',
        specs: [
          {
            title: 'every acknowledged write survives',
            file: 'durability.spec.ts',
            line: 24,
            tests: [{ status: 'unexpected', results: [error(`\u001b[2mexpect(\u001b[22mreceived).toEqual(expected)\n\n- Expected  - 1\n+ Received  + 3\n\n${Array.from({ length: 40 }, (_, i) => `+   "cycle ${i}: lost CASE-K${i}"`).join('\n')}`)] }],
          },
        ],
        suites: [
          {
            title: 'the desk',
            specs: [
              { title: 'calls the next ticket', file: 'desk.spec.ts', line: 7, tests: [{ status: 'flaky', results: [error('Timeout 10000ms exceeded'), { status: 'passed', errors: [] }] }] },
              { title: 'passes', file: 'desk.spec.ts', line: 9, tests: [{ status: 'expected', results: [{ status: 'passed', errors: [] }] }] },
              { title: 'needs Electron', file: 'desk.spec.ts', line: 11, tests: [{ status: 'skipped', results: [] }] },
            ],
          },
        ],
      },
    ],
    errors: [{ message: 'Error: global setup failed\n    at setup.ts:1:1' }],
  };

  it('names each failed test from the repository root with the first lines of its error, and errors outside the tests', () => {
    const { failed } = e2eReportLines(e2eReport, root);
    expect(failed.map((f) => f.test)).toEqual(['tests/e2e/durability.spec.ts:24 › every acknowledged write survives', 'outside the tests']);
    expect(failed[0]!.error).toHaveLength(E2E_ERROR_LINES);
    expect(failed[0]!.error.slice(0, 4)).toEqual(['expect(received).toEqual(expected)', '- Expected  - 1', '+ Received  + 3', '+   "cycle 0: lost CASE-K0"']);
    expect(failed[1]!.error).toEqual(['Error: global setup failed', '    at setup.ts:1:1']);
  });

  it('names a test that passed on a retry as flaky, under its describe, and nothing for passed or skipped tests', () => {
    expect(e2eReportLines(e2eReport, root).flaky).toEqual(['tests/e2e/desk.spec.ts:7 › the desk › calls the next ticket']);
    expect(e2eReportLines({ ...e2eReport, suites: [{ ...e2eReport.suites[0]!, specs: [] }], errors: [] }, root).failed).toEqual([]);
  });

  it('says so when Playwright wrote no report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const { failed } = e2eReportLinesAt(join(dir, 'none.json'), root);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.test).toMatch(/^no Playwright report at .*none\.json/);
    expect(failed[0]!.error).toEqual(['the run stopped before writing it (see its output above)']);
  });
});
