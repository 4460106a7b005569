// The kill loop shared by tests/e2e/durability.spec.ts (npm test, 200 cycles) and
// tests/bench/local-db.bench.ts (1,000 cycles). Each cycle:
//   1. spawn /usr/bin/chromium (headless, own process group, --remote-debugging-port=0, the same
//      --user-data-dir every cycle, the flags from playwright.config.ts) on the harness page;
//   2. connect with chromium.connectOverCDP, open the database (a failure is counted), run
//      restoreOpen() and read back every case that had an acknowledged write: each acknowledged
//      write must be there (lost must stay 0) and every journal must be a consistent journey prefix;
//   3. start writing (resume open cases, then open new ones); each write whose promise resolved is
//      reported to Node through page.exposeBinding, and counts as acknowledged only if Node got it
//      before the kill;
//   4. SIGKILL the whole process group after a random 20–400 ms and wait until it is gone.
// Writes go through main's journal as in the app (main/storage/ack-journal.ts, served by the harness
// server, which outlives the browser as main does): a write is acknowledged only once the journal
// has it on disk, and every check also compares the journal with the database (acknowledged ≤
// journal ≤ database, case by case).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import playwrightConfig from '../../playwright.config';
import { buildHarness, REPO_ROOT } from './build';
// The repair the app's main process runs before every start (main/index.ts): the loop tests the shipped code.
import { repairIndexedDbLogs, scanLog } from '../../main/storage/leveldb-repair';
import { serveHarness } from './server';
import type { Ack } from './harness';
import { HARNESS_KEY } from './journey';

export interface KillLoopOptions {
  /** Cycles to run (LOKET_KILL_CYCLES). */
  cycles: number;
  /** Stop starting new cycles after this long; the caller decides whether too few ran. */
  budgetMs: number;
  /** The profile every cycle restarts on; wiped before the first cycle, removed after a passed run. */
  profileDir?: string;
  killAfterMs?: [min: number, max: number];
  log?: (line: string) => void;
}

export interface KillLoopSummary {
  cycles: number;
  requestedCycles: number;
  acknowledgedWrites: number;
  /** Acknowledged writes found in the database at the start of the next cycle (and at the end). */
  writesFound: number;
  lost: number;
  dbOpenFailures: number;
  /** Cases whose stored journal was not a consistent prefix of the journey, or were flagged by restoreOpen. */
  inconsistentCases: number;
  /** Acks that reached Node after the kill was sent: not counted as acknowledged. */
  lateAcks: number;
  /**
   * Restarts that found a torn record at the end of an IndexedDB LevelDB log (the kill landed
   * inside a log write). Without the repair each of these makes Chromium delete the origin's
   * IndexedDB on the restart after next (docs/durability-findings.md).
   */
  tornLogTails: number;
  /** Restarts on which Chromium reported `dataLoss: 'total'` (it deleted the backing store). */
  chromiumDataLoss: number;
  /** Whether the torn tails were cut off before the restart (LOKET_IDB_LOG_REPAIR, default on). */
  logRepair: boolean;
  /** Case records in main's journal at the last check. */
  journalRecords: number;
  /** Checks where the journal and the database disagreed: an acknowledged write not in the journal, or the journal ahead of the database. */
  journalMismatches: number;
  /** Kills that caught a write in flight: in main's journal (appended in parallel with IndexedDB), not yet in the database, never acknowledged. */
  inFlightAtKill: number;
  casesInDb: number;
  /** Total writes attempted by the page is unknown after a kill; this is what Node saw acked per cycle. */
  acksPerCycle: { min: number; median: number; max: number };
  cycleMs: { median: number; max: number };
  seconds: number;
  budgetExhausted: boolean;
  /** Browser starts that failed before the harness page was ready and were tried once more (a busy machine). */
  startRetries: number;
  crossOriginIsolated: boolean;
  cspViolations: string[];
  failures: string[];
}

const DB_NAME = 'loket-durability';
const MAX_WRITES_PER_CYCLE = 5_000;
const STEP_TIMEOUT_MS = 30_000;

const flags = (): string[] => playwrightConfig.use?.launchOptions?.args ?? ['--no-sandbox', '--disable-gpu'];
const executable = (): string => playwrightConfig.use?.launchOptions?.executablePath ?? '/usr/bin/chromium';

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Processes of the group that are still running. Zombies are dead (no threads, no open files) and
 * only wait for PID 1 to reap them, which here can take over a second: they are not counted.
 */
function liveMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp ...: comm may contain spaces, so parse after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') live.push(Number(entry));
  }
  return live;
}

/** SIGKILLs the browser's process group and waits (bounded) until no process of it is left. */
async function killGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid!;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
  await withTimeout(exited, 10_000, 'browser exit after SIGKILL');
  let live = liveMembers(pgid);
  for (let i = 0; i < 500 && live.length; i++) {
    await sleep(10);
    live = liveMembers(pgid);
  }
  if (live.length) throw new Error(`process group ${pgid} still has live processes 5 s after SIGKILL: ${live.join(', ')}`);
}

/** Extra Chromium flags for diagnostics/mitigations (LOKET_CHROME_FLAGS, space separated). */
const extraFlags = (): string[] => (process.env.LOKET_CHROME_FLAGS ?? '').split(' ').filter(Boolean);
/** LOKET_CHROME_LOG_DIR: every cycle's Chromium stderr goes to <dir>/cycle-<n>.log (last few kept). */
const chromeLogDir = process.env.LOKET_CHROME_LOG_DIR;
/** LOKET_SNAPSHOT_DIR: after each kill, Default/{IndexedDB,WebStorage} is copied to <dir>/cycle-<n> (last two kept). */
const snapshotDir = process.env.LOKET_SNAPSHOT_DIR;
const KEEP_LOGS = 4;

function snapshot(profileDir: string, n: number): void {
  if (!snapshotDir) return;
  const to = path.join(snapshotDir, `cycle-${n}`);
  fs.rmSync(to, { recursive: true, force: true });
  for (const sub of ['IndexedDB', 'WebStorage']) {
    const from = path.join(profileDir, 'Default', sub);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(to, sub), { recursive: true });
  }
  fs.rmSync(path.join(snapshotDir, `cycle-${n - 2}`), { recursive: true, force: true });
}

function launch(profileDir: string, n = 0): { child: ChildProcess; wsEndpoint: Promise<string> } {
  // Start on about:blank: Debian's default start page (a search engine) waits ~5 s for DNS that
  // fails offline, and opening the COOP harness page directly swaps processes while Playwright
  // attaches. The harness is opened with page.goto once connected.
  const args = [...flags(), ...extraFlags(), ...(chromeLogDir ? ['--enable-logging=stderr', `--vmodule=${process.env.LOKET_CHROME_VMODULE ?? '*indexed_db*=1,*quota*=1,*leveldb*=1'}`] : []), '--headless', '--remote-debugging-port=0', `--user-data-dir=${profileDir}`, '--no-default-browser-check', '--disable-extensions', '--mute-audio', 'about:blank'];
  // detached: the browser leads its own process group, so SIGKILL to -pid takes its children.
  const child = spawn(executable(), args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  if (chromeLogDir) {
    fs.mkdirSync(chromeLogDir, { recursive: true });
    const out = fs.createWriteStream(path.join(chromeLogDir, `cycle-${n}.log`));
    out.write(`# ${new Date().toISOString()} ${executable()} ${args.join(' ')}\n`);
    child.stderr.pipe(out);
    fs.rmSync(path.join(chromeLogDir, `cycle-${n - KEEP_LOGS}.log`), { force: true });
  }
  const wsEndpoint = new Promise<string>((resolve, reject) => {
    let err = '';
    const onData = (chunk: Buffer) => {
      err += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        child.stderr.off('data', onData);
        child.stderr.resume(); // keep draining so the browser never blocks on a full pipe
        resolve(m[1]!);
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`chromium exited (${code ?? signal}) before DevTools was ready: ${err.slice(-2000)}`)));
    child.once('error', reject);
  });
  wsEndpoint.catch(() => undefined);
  return { child, wsEndpoint };
}

async function harnessPage(browser: Browser, url: string): Promise<Page> {
  const context = browser.contexts()[0];
  if (!context) throw new Error('no default context: the persistent profile is not in use');
  const page = context.pages()[0] ?? (await context.waitForEvent('page', { timeout: STEP_TIMEOUT_MS }));
  await page.goto(url, { timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => window.harness?.ready === true, undefined, { timeout: STEP_TIMEOUT_MS });
  return page;
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);

export async function runKillLoop(o: KillLoopOptions): Promise<KillLoopSummary> {
  const log = o.log ?? (() => undefined);
  const [killMin, killMax] = o.killAfterMs ?? [20, 400];
  const profileDir = o.profileDir ?? path.join(REPO_ROOT, 'test-results', 'harness', 'profiles', `durability-${process.pid}`);
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(profileDir, { recursive: true });
  const journalDir = `${profileDir}-journal`;
  fs.rmSync(journalDir, { recursive: true, force: true });
  const server = await serveHarness(await buildHarness(), { journalDir, journalKey: HARNESS_KEY });
  const started = Date.now();
  let journalRecords = 0;
  let journalMismatches = 0;
  let inFlightAtKill = 0;

  // Every acknowledged write: case id → the journal lengths acknowledged for it (0 = opened).
  const acked = new Map<string, number[]>();
  let acknowledgedWrites = 0;
  let lateAcks = 0;
  let chromiumDataLoss = 0;
  let writesFound = 0;
  let lost = 0;
  let dbOpenFailures = 0;
  let inconsistentCases = 0;
  let casesInDb = 0;
  let crossOriginIsolated = true;
  const cspViolations = new Set<string>();
  const failures: string[] = [];
  const acksPerCycle: number[] = [];
  const cycleMs: number[] = [];
  let cycles = 0;
  let budgetExhausted = false;
  let startRetries = 0;

  /** Checks every acknowledged write against the database; false if it did not open or lost anything. */
  const check = async (page: Page, cycle: number): Promise<boolean> => {
    // First IndexedDB open of the browser: tells whether Chromium deleted the backing store.
    const probe = await withTimeout(page.evaluate(() => window.harness.dataLossProbe()), STEP_TIMEOUT_MS, 'data-loss probe');
    if (probe.dataLoss === 'total') {
      chromiumDataLoss++;
      failures.push(`cycle ${cycle}: Chromium deleted the origin's IndexedDB: ${probe.dataLossMessage}`);
    } else if (probe.created && cycle > 1) failures.push(`cycle ${cycle}: the sentinel database was gone without a data-loss report`);
    const opened = await withTimeout(page.evaluate((name) => window.harness.open(name, { journal: true }), DB_NAME), STEP_TIMEOUT_MS, 'open');
    if (!opened.ok) {
      dbOpenFailures++;
      failures.push(`cycle ${cycle}: database did not open: ${opened.error}`);
      return false;
    }
    // Main's journal: the latest record of each case, with its journal length.
    const inJournal = new Map<string, number>();
    for (const r of server.journal?.records() ?? []) if (r.collection === 'cases') inJournal.set(r.id, Number((r.doc as { journalLength?: number }).journalLength ?? -1));
    journalRecords = inJournal.size;
    const ids = [...new Set([...acked.keys(), ...inJournal.keys()])];
    const v = await withTimeout(page.evaluate((ids) => window.harness.verify(ids), ids), STEP_TIMEOUT_MS * 4, 'verify');
    let disagree = 0;
    for (const [id, lens] of acked) {
      const j = inJournal.get(id) ?? -1;
      if (Math.max(...lens) > j) {
        disagree++;
        if (failures.length < 50) failures.push(`cycle ${cycle}: ${id} acknowledged at length ${Math.max(...lens)} but the journal has ${j}`);
      }
    }
    for (const [id, j] of inJournal) {
      // A browser kill keeps what IndexedDB committed: the database is never behind the journal,
      // except by the one write in flight at the kill (its journal entry goes in parallel with the
      // IndexedDB write), which was never acknowledged; the app's restore puts it back on start.
      const stored = v.lengths[id] ?? -1;
      const ackedMax = Math.max(-1, ...(acked.get(id) ?? []));
      if (stored === j - 1 && ackedMax < j) {
        inFlightAtKill++;
        continue;
      }
      if (stored < j) {
        disagree++;
        if (failures.length < 50) failures.push(`cycle ${cycle}: ${id} has length ${j} in the journal but ${v.lengths[id] ?? -1} in the database`);
      }
    }
    if (disagree) journalMismatches++;
    let found = 0;
    let missing = 0;
    for (const [id, lens] of acked) {
      const stored = v.lengths[id] ?? -1;
      for (const len of lens) {
        if (stored >= len) found++;
        else {
          missing++;
          if (failures.length < 50) failures.push(`cycle ${cycle}: lost ${id} at journal length ${len} (stored ${stored})`);
        }
      }
    }
    writesFound = found;
    lost = Math.max(lost, missing);
    casesInDb = v.casesInDb;
    const bad = v.broken.length + v.flagged.length;
    if (bad) {
      inconsistentCases = Math.max(inconsistentCases, bad);
      for (const b of [...v.broken, ...v.flagged].slice(0, 5)) failures.push(`cycle ${cycle}: case ${b.id}: ${b.reason}`);
    }
    const page2 = await page.evaluate(() => ({ iso: window.harness.crossOriginIsolated, csp: window.harness.cspViolations }));
    crossOriginIsolated &&= page2.iso;
    for (const c of page2.csp) cspViolations.add(c);
    // Stop at the first loss, inconsistency or data-loss report: the profile is kept as it is, for inspection.
    return missing === 0 && bad === 0 && disagree === 0 && probe.dataLoss !== 'total';
  };

  const logRepair = process.env.LOKET_IDB_LOG_REPAIR !== '0';
  let tornLogTails = 0;
  /** Before a launch: find (and, with the repair on, cut off) torn tails of IndexedDB's LevelDB logs. */
  const checkLogs = (n: number) => {
    if (logRepair) {
      const { repaired, corrupt } = repairIndexedDbLogs(path.join(profileDir, 'Default', 'IndexedDB'));
      if (repaired.length) tornLogTails++;
      for (const r of repaired) log(`cycle ${n}: cut torn tail of ${r.file}: ${r.reason}, ${r.from} -> ${r.to} bytes`);
      for (const c of corrupt) log(`cycle ${n}: LevelDB log damaged before its end (not repaired): ${c}`);
      return;
    }
    const root = path.join(profileDir, 'Default', 'IndexedDB');
    if (!fs.existsSync(root)) return;
    let torn = false;
    for (const dir of fs.readdirSync(root).filter((d) => d.endsWith('.leveldb'))) {
      for (const f of fs.readdirSync(path.join(root, dir)).filter((x) => /^(\d+\.log|MANIFEST-\d+)$/.test(x))) {
        const scan = scanLog(fs.readFileSync(path.join(root, dir, f)));
        if (scan.tail || scan.midFileCorruption) {
          torn = true;
          log(`cycle ${n}: ${dir}/${f}: ${scan.tail ?? scan.midFileCorruption} (size ${scan.size}, last complete record ends at ${scan.lastComplete}; not repaired)`);
        }
      }
    }
    if (torn) tornLogTails++;
  };

  /**
   * Starts the browser on the profile and opens the harness page. A start that fails before the
   * page is ready (no DevTools endpoint, no CDP connection, the page not loading in time: the
   * machine too busy) is tried once more after killing what started: it is not what the loop
   * tests, and no check of the database has run yet. A second failure fails the cycle.
   */
  const start = async (n: number): Promise<{ child: ChildProcess; browser: Browser; page: Page }> => {
    for (let attempt = 1; ; attempt++) {
      // Before every start, as the app's main does (a failed start may have been killed mid-write).
      checkLogs(n);
      const { child, wsEndpoint } = launch(profileDir, n);
      let browser: Browser | null = null;
      try {
        const t0 = Date.now();
        const ws = await withTimeout(wsEndpoint, STEP_TIMEOUT_MS, 'DevTools endpoint');
        const t1 = Date.now();
        browser = await withTimeout(chromium.connectOverCDP(ws), STEP_TIMEOUT_MS, 'connectOverCDP');
        const t2 = Date.now();
        const page = await harnessPage(browser, server.url);
        if (process.env.LOKET_LOOP_TRACE) log(`cycle ${n}: endpoint ${t1 - t0} ms, connect ${t2 - t1} ms, page ${Date.now() - t2} ms`);
        return { child, browser, page };
      } catch (e) {
        await killGroup(child).catch(() => undefined);
        await browser?.close().catch(() => undefined);
        if (attempt > 1) throw e;
        startRetries++;
        log(`cycle ${n}: the browser did not start (${e instanceof Error ? e.message : String(e)}); starting it once more`);
      }
    }
  };

  const cycle = async (n: number, final: boolean): Promise<boolean> => {
    const { child, browser, page } = await start(n);
    let killed = false;
    let cycleAcks = 0;
    try {
      if (!(await check(page, n))) return false;
      if (final) return true;
      // A raw CDP binding: each call is one one-way message to Node (Runtime.bindingCalled), with no
      // reply round trip, so acks reach Node as soon as the page sends them.
      const cdp = await browser.contexts()[0]!.newCDPSession(page);
      cdp.on('Runtime.bindingCalled', (e) => {
        if (e.name !== 'loketAck') return;
        if (killed) {
          lateAcks++;
          return;
        }
        const [id, len] = JSON.parse(e.payload) as Ack;
        const lens = acked.get(id);
        if (lens) lens.push(len);
        else acked.set(id, [len]);
        acknowledgedWrites++;
        cycleAcks++;
      });
      await cdp.send('Runtime.enable');
      await cdp.send('Runtime.addBinding', { name: 'loketAck' });
      const prefix = `CASE-K${String(n).padStart(4, '0')}`;
      // Started, not awaited: the writer runs until the kill. Its rejection after the kill is
      // expected; a rejection before it (a refused append, a storage error) is a failure.
      // An object, not a `let`: TypeScript would otherwise narrow it to null past the callback.
      const writer: { error: string | null } = { error: null };
      const writing = page.evaluate(({ prefix, max }) => window.harness.startWriting(prefix, max), { prefix, max: MAX_WRITES_PER_CYCLE });
      writing.catch((e: unknown) => {
        if (!killed) writer.error = e instanceof Error ? e.message : String(e);
      });
      await sleep(killMin + Math.random() * (killMax - killMin));
      killed = true;
      if (writer.error !== null) failures.push(`cycle ${n}: writer failed before the kill: ${writer.error}`);
      const tk = Date.now();
      await killGroup(child);
      snapshot(profileDir, n);
      if (process.env.LOKET_LOOP_TRACE) log(`cycle ${n}: kill ${Date.now() - tk} ms, acks ${cycleAcks}`);
      acksPerCycle.push(cycleAcks);
      return writer.error === null;
    } finally {
      const tc = Date.now();
      if (!killed) await killGroup(child).catch(() => undefined);
      await browser.close().catch(() => undefined);
      if (process.env.LOKET_LOOP_TRACE) log(`cycle ${n}: cleanup ${Date.now() - tc} ms`);
    }
  };

  try {
    for (let n = 1; n <= o.cycles; n++) {
      if (Date.now() - started > o.budgetMs) {
        budgetExhausted = true;
        log(`budget of ${Math.round(o.budgetMs / 1000)} s used up after ${cycles} cycles`);
        break;
      }
      const t = Date.now();
      let ok: boolean;
      try {
        ok = await cycle(n, false);
      } catch (e) {
        failures.push(`cycle ${n}: ${e instanceof Error ? e.message : String(e)}`);
        ok = false;
      }
      cycleMs.push(Date.now() - t);
      if (!ok) break;
      cycles++;
      if (n % 50 === 0) log(`cycle ${n}: ${acknowledgedWrites} acknowledged, ${writesFound} found at last check, lost ${lost}, ${casesInDb} cases, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    // A last restart without writing: the writes acknowledged in the last cycle are checked too.
    if (failures.length === 0) {
      try {
        await cycle(cycles + 1, true);
      } catch (e) {
        failures.push(`final check: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await server.close();
  }
  // Keep the profile of a failed run for inspection; a passed run's profile is only disk space.
  if (failures.length === 0) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.rmSync(journalDir, { recursive: true, force: true });
  }

  return {
    cycles,
    requestedCycles: o.cycles,
    acknowledgedWrites,
    writesFound,
    lost,
    dbOpenFailures,
    inconsistentCases,
    lateAcks,
    tornLogTails,
    chromiumDataLoss,
    logRepair,
    journalRecords,
    journalMismatches,
    inFlightAtKill,
    casesInDb,
    acksPerCycle: { min: acksPerCycle.length ? Math.min(...acksPerCycle) : 0, median: median(acksPerCycle), max: acksPerCycle.length ? Math.max(...acksPerCycle) : 0 },
    cycleMs: { median: median(cycleMs), max: cycleMs.length ? Math.max(...cycleMs) : 0 },
    seconds: Math.round((Date.now() - started) / 100) / 10,
    budgetExhausted,
    startRetries,
    crossOriginIsolated,
    cspViolations: [...cspViolations],
    failures,
  };
}

export function summaryLine(s: KillLoopSummary): string {
  return `durability: cycles ${s.cycles}, acknowledged writes ${s.acknowledgedWrites}, writes found ${s.writesFound}, lost ${s.lost}, db open failures ${s.dbOpenFailures}, inconsistent cases ${s.inconsistentCases}, torn log tails ${s.tornLogTails} (${s.logRepair ? 'repaired' : 'not repaired'}), Chromium data-loss reports ${s.chromiumDataLoss}, journal/database mismatches ${s.journalMismatches} (${s.journalRecords} cases in the journal; ${s.inFlightAtKill} writes in flight at a kill, not acknowledged), browser starts tried again ${s.startRetries}, ${s.seconds} s`;
}

/** LOKET_KILL_CYCLES, or the default. */
export function cyclesFromEnv(fallback: number): number {
  const raw = process.env.LOKET_KILL_CYCLES;
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`LOKET_KILL_CYCLES must be a whole number from 1 to 100000, got ${raw}`);
  return n;
}
