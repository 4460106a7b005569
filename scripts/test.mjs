// `npm test`: typecheck, lint, unit + HQ tests, electronegativity, then the browser E2E suite.
// Steps run in order and all run even when one fails, so one report shows every failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSupportedNode } from './supported-node.mjs';
import { e2eReportLinesAt, testReportLinesAt } from './test-report.mjs';

ensureSupportedNode();

// Vitest also writes a JSON report, so the summary can name the failed tests. A failed unit or HQ
// test runs once more (HQ's tests drive real PostgreSQL and several processes); one that passes
// only then is named in the summary as flaky on every run, never passed over in silence.
const reportDir = mkdtempSync(join(tmpdir(), 'loket-test-'));
const unitReport = join(reportDir, 'vitest.json');
// Playwright's JSON report (playwright.config.ts adds the reporter when this is set).
const e2eReport = join(reportDir, 'playwright.json');

const steps = [
  ['typecheck', ['node', 'scripts/typecheck.mjs']],
  ['lint', ['npx', 'eslint', '.', '--max-warnings=0']],
  ['unit', ['npx', 'vitest', 'run', '--retry=1', '--reporter=default', '--reporter=json', `--outputFile=${unitReport}`]],
  ['security', ['node', 'scripts/electronegativity.mjs']],
  ['build', ['npx', 'electron-vite', 'build']],
  ['e2e', ['npx', 'playwright', 'test']],
];

const results = [];
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, LOKET_E2E_REPORT: e2eReport } });
  results.push({ name, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds} s)`);
const report = testReportLinesAt(unitReport);
for (const [title, lines] of [
  ['failed unit + HQ tests', report.failed],
  ['unit + HQ tests that failed once and passed on their retry (flaky: mend them)', report.flaky],
]) {
  if (lines.length === 0) continue;
  console.log(`\n=== ${title}`);
  for (const line of lines) console.log(`- ${line}`);
}
const e2e = e2eReportLinesAt(e2eReport);
if (results.find((r) => r.name === 'e2e')?.ok === false) {
  console.log('\n=== failed E2E tests');
  for (const f of e2e.failed) console.log([`- ${f.test}`, ...f.error.map((l) => `    ${l}`)].join('\n'));
}
if (e2e.flaky.length > 0) console.log(`\n=== E2E tests that passed on a retry (flaky: mend them)\n${e2e.flaky.map((t) => `- ${t}`).join('\n')}`);
rmSync(reportDir, { recursive: true, force: true });
process.exit(results.every((r) => r.ok) ? 0 : 1);
