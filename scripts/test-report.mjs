// What `npm test` prints last about the unit + HQ step, from Vitest's JSON report, so a CI log cut
// to its tail still names them (the full errors are higher up, in Vitest's own output): the tests
// that failed, and the tests that failed once and passed on their one retry (flaky: a defect to
// mend, shown on every run rather than hidden by the retry).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const firstLine = (text) =>
  stripVTControlCharacters(String(text ?? ''))
    .split('\n')
    .find((l) => l.trim())
    ?.trim()
    .slice(0, 300) ?? '';

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

/** The lines for the report at `path`; one failed line saying so when Vitest wrote none (it stopped first). */
export function testReportLinesAt(path, root = process.cwd()) {
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { failed: [`no Vitest report at ${path}: the run stopped before writing it (see its output above)`], flaky: [] };
  }
  return testReportLines(report, root);
}
