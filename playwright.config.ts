import { defineConfig } from '@playwright/test';

// E2E runs the real app in browser mode (same handlers as Electron) in Debian's Chromium.
// Each spec starts its own server on a free 127.0.0.1 port with a fresh data dir (tests/e2e/fixtures.ts).
export default defineConfig({
  testDir: 'tests/e2e',
  // tests/e2e/durability.spec.ts (the SIGKILL loop, ≥200 browser kills within a 20-minute budget)
  // is part of the suite: it runs the same torn-log repair the app's main process runs before every
  // start (main/storage/leveldb-repair.ts, docs/durability-findings.md).
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // npm test (scripts/test.mjs) also asks for a JSON report, to name failed tests in its last lines.
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }],
    ...(process.env.LOKET_E2E_REPORT ? [['json', { outputFile: process.env.LOKET_E2E_REPORT }] as const] : []),
  ],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
