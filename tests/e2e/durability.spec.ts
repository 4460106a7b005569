// Durability in real Chromium: write cases through the real data layer, SIGKILL the browser's whole
// process group mid-write, restart on the same profile, and check that the database opens and
// every acknowledged write is there. Part of `npm test`: at least 200 cycles
// (LOKET_KILL_CYCLES overrides the count) within a wall-clock budget (LOKET_KILL_BUDGET_S, default
// 1,200 s). The test fails if fewer cycles than asked complete within the budget, if any
// acknowledged write is missing, or if the database does not open. A cycle takes 1.3–4.8 s here
// depending on machine load (200 cycles took 483 s with a load average of ~9 on 2 cores; with a
// load average of ~12, 191 cycles fitted in 900 s, hence the 20-minute bound).
// The loop itself is tests/harness/durability-loop.ts (shared with the 1,000-cycle benchmark).
// Before every restart the loop runs the app's own repair (main/storage/leveldb-repair.ts, which
// main/index.ts runs before Chromium opens the profile): without it, a kill that lands between the
// two write() calls of one log record makes Chromium delete the origin's whole IndexedDB two
// restarts later (docs/durability-findings.md). LOKET_IDB_LOG_REPAIR=0 turns the repair off to show it.
// Writes are acknowledged through main's journal (main/storage/ack-journal.ts) as in the app, and
// every check also requires the journal and the database to agree. A browser start that fails
// before the harness page is ready (a busy machine) is tried once more and counted; a second
// failure, and anything about the data, fails the test.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { cyclesFromEnv, runKillLoop, summaryLine } from '../harness/durability-loop';

const cycles = cyclesFromEnv(200);
const budgetS = Number(process.env.LOKET_KILL_BUDGET_S ?? 1_200);

test('every acknowledged case write survives SIGKILL of the browser, and the database always opens', async () => {
  // The budget stops new cycles; one cycle, the final check and the build fit in the margin.
  test.setTimeout((budgetS + 120) * 1000);
  const summary = await runKillLoop({ cycles, budgetMs: budgetS * 1000, log: (line) => console.log(`  ${line}`) });
  const line = summaryLine(summary);
  // The counts the issue asks for, on one line whatever the outcome.
  console.log(line);
  console.log(`durability counts: cycles ${summary.cycles} of ${cycles}, acknowledged writes ${summary.acknowledgedWrites}, lost ${summary.lost}, seconds ${summary.seconds}`);
  test.info().annotations.push({ type: 'durability', description: line });
  fs.mkdirSync(path.join('test-results', 'harness'), { recursive: true });
  fs.writeFileSync(path.join('test-results', 'harness', 'durability-summary.json'), JSON.stringify(summary, null, 2) + '\n');

  expect(summary.failures).toEqual([]);
  expect(summary.dbOpenFailures).toBe(0);
  // Chromium reported on no restart that it had deleted the backing store as corrupt.
  expect(summary.chromiumDataLoss).toBe(0);
  expect(summary.lost).toBe(0);
  expect(summary.inconsistentCases).toBe(0);
  // Main's journal and the database agree on every check (acknowledged ≤ journal ≤ database).
  expect(summary.journalMismatches).toBe(0);
  expect(summary.journalRecords).toBeGreaterThan(0);
  expect(summary.cycles, `only ${summary.cycles} of ${cycles} kill cycles ran within ${budgetS} s`).toBe(cycles);
  expect(summary.acknowledgedWrites).toBeGreaterThan(0);
  // The final restart found every acknowledged write, including the last cycle's.
  expect(summary.writesFound).toBe(summary.acknowledgedWrites);
  // Same CSP as the app, and cross-origin isolated (fine timers): nothing in the stack needed eval.
  expect(summary.cspViolations).toEqual([]);
  expect(summary.crossOriginIsolated).toBe(true);
});
