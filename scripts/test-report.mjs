// What `npm test` prints last about the unit + HQ step, from Vitest's JSON report, so a CI log cut
// to its tail still names them (the full errors are higher up, in Vitest's own output): the tests
// that failed, and the tests that failed once and passed on their one retry (flaky: a defect to
// mend, shown on every run rather than hidden by the retry). The same for the E2E step from
// Playwright's JSON report, with more of each error: an E2E failure (a long loop, a page) is rarely
// understood from its first line, and its full text is far above the tail.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const firstLine = (text) => firstLines(text, 1)[0] ?? '';

/** The first `n` non-empty lines of an error text, without colour codes, each cut to 300 characters. */
const firstLines = (text, n) =>
  stripVTControlCharacters(String(text ?? ''))
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, n)
    .map((l) => l.trimEnd().slice(0, 300));

/** `failed`: one line per failed test (file › titles: the first line of its error); `flaky`: the same for tests that passed only on a retry. */
export function testReportLines(report, root = process.cwd()) {
  const failed = [];
  const flaky = [];
  for (const file of report.testResults ?? []) {
    const where = relative(root, file.name);
    const line = (t) => `${where} › ${[...(t.ancestorTitles ?? []), t.title].join(' › ')}: ${firstLine(t.failureMessages?.[0])}`;
    const tests = file.assertionResults ?? [];
    const failedHere = tests.filter((t) => t.status === 'failed');
    failed.push(...failedHere.map(line));
    flaky.push(...tests.filter((t) => t.status === 'passed' && (t.failureMessages?.length ?? 0) > 0).map(line));
    // A file that failed outside its tests (import error, failed hook): the file's own message.
    if (file.status === 'failed' && failedHere.length === 0) failed.push(`${where}: ${firstLine(file.message) || 'failed outside its tests'}`);
  }
  return { failed, flaky };
}

/** The parsed JSON report at `path`, or null when there is none (the run stopped before writing it). */
function readReport(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

const NO_REPORT = 'the run stopped before writing it (see its output above)';

/** The lines for the report at `path`; one failed line saying so when Vitest wrote none (it stopped first). */
export function testReportLinesAt(path, root = process.cwd()) {
  const report = readReport(path);
  return report ? testReportLines(report, root) : { failed: [`no Vitest report at ${path}: ${NO_REPORT}`], flaky: [] };
}

/** Lines of each failed E2E test's error shown at the end of `npm test`. */
export const E2E_ERROR_LINES = 25;

/**
 * `failed`: each failed E2E test (file:line › titles) with the first E2E_ERROR_LINES lines of its
 * error; `flaky`: the tests that passed on a retry. Files are named from `root`.
 */
export function e2eReportLines(report, root = process.cwd()) {
  const failed = [];
  const flaky = [];
  const base = report.config?.rootDir ?? root;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const name = `${relative(root, join(base, spec.file))}:${spec.line} › ${[...titles, spec.title].join(' › ')}`;
        if (test.status === 'flaky') flaky.push(name);
        if (test.status !== 'unexpected') continue;
        const last = test.results?.at(-1);
        const text = last?.error?.message ?? last?.errors?.[0]?.message ?? `ended ${last?.status ?? 'without a result'}`;
        failed.push({ test: name, error: firstLines(text, E2E_ERROR_LINES) });
      }
    }
    // A file's suite is titled by the file; a describe's suite adds its title.
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const file of report.suites ?? []) walk(file, []);
  // Errors outside any test (the config, a global setup).
  for (const e of report.errors ?? []) failed.push({ test: 'outside the tests', error: firstLines(e.message, E2E_ERROR_LINES) });
  return { failed, flaky };
}

/** The lines for Playwright's report at `path`; a failure saying so when none was written. */
export function e2eReportLinesAt(path, root = process.cwd()) {
  const report = readReport(path);
  return report ? e2eReportLines(report, root) : { failed: [{ test: `no Playwright report at ${path}`, error: [NO_REPORT] }], flaky: [] };
}
