// A power cut takes what a process kill leaves: data the OS had not flushed. Here the test takes it
// away by hand after acknowledged writes (tickets issued at the door: the screen showed the number):
// it deletes the profile's IndexedDB, or rolls it back to an older copy, and tears the tail of
// main's own journal. The app (browser mode, its own LOKET_USER_DATA and port) must start with every
// acknowledged write back, say so to the head, put an audit entry in the device's chain, and never
// hand out a ticket number twice. Generated people and NIKs only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { composeNik } from '@shared/identity/nik';
import { JOURNAL_FILE, journalKeyFrom, scanJournal } from '../../main/storage/ack-journal';
import { expect, startServer, test } from './fixtures';
import { addStaff, completeFirstRun, signIn, signOut } from './flows';

const head = { id: 'kepala.listrik', name: 'Kepala Uji Listrik', pin: '731946' };
const guard = { id: 'satpam.listrik', name: 'Satpam Uji Listrik', pin: '582647', role: 'Satpam' as const };
const officer = { id: 'petugas.listrik', name: 'Petugas Uji Listrik', pin: '264819', role: 'Petugas Loket' as const };
const nik = (serial: number) => composeNik({ regionCode: '317101', birthDate: '1991-04-12', sex: 'female', serial });

interface Instance {
  url: string;
  port: number;
  child: ChildProcess;
  context: BrowserContext;
  page: Page;
}

async function start(dataDir: string, profile: string, port = 0): Promise<Instance> {
  const { server, child } = await startServer({ dataDir, port });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  // Headless Chromium has no print dialog.
  await context.addInitScript(() => {
    window.print = () => undefined;
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  return { url: server.url, port: Number(new URL(server.url).port), child, context, page };
}

/** The power goes: the browser and main stop without any shutdown of their own making. */
async function cut(i: Instance): Promise<void> {
  await i.context.close();
  i.child.kill('SIGKILL');
  await new Promise((r) => i.child.once('exit', r));
}

async function issueTicket(page: Page, serial: number): Promise<string> {
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nik(serial));
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  const number = page.getByTestId('door-ticket-number');
  await expect(number).toHaveText(/^A\d-\d{3}$/);
  const text = (await number.textContent()) ?? '';
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  return text;
}

const idbDir = (profile: string, port: number) => path.join(profile, 'Default', 'IndexedDB', `http_127.0.0.1_${port}.indexeddb.leveldb`);

/** Main's journal as on disk, read with the device's database key (browser mode keeps it in a 0600 file). */
function journalRecords(dataDir: string) {
  const key = journalKeyFrom(fs.readFileSync(path.join(dataDir, 'secrets', 'db.key'), 'utf8').trim());
  return scanJournal(fs.readFileSync(path.join(dataDir, 'journal', JOURNAL_FILE)), key).records;
}

function restoredAudit(dataDir: string) {
  return journalRecords(dataDir)
    .filter((r) => r.collection === 'audit' && r.doc?.action === 'database.restored')
    .map((r) => r.doc?.details as Record<string, unknown>);
}

let dirs: string[] = [];
test.afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function temp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** First run, a guard account, two tickets at the door; returns the instance still running. */
async function twoTickets(dataDir: string, profile: string): Promise<{ first: Instance; numbers: string[] }> {
  const first = await start(dataDir, profile);
  await completeFirstRun(first.page, head);
  await addStaff(first.page, guard);
  await addStaff(first.page, officer);
  await signOut(first.page);
  await signIn(first.page, guard.id, guard.pin);
  const numbers = [await issueTicket(first.page, 301), await issueTicket(first.page, 302)];
  expect(new Set(numbers).size).toBe(2);
  return { first, numbers };
}

/**
 * After the restart: whoever signs in first (here a counter officer) sees the restore in the status
 * bar, and the notice waits for the head; the door has both tickets and numbers on from them.
 */
async function expectRestored(i: Instance, dataDir: string, numbers: string[], atLeast: number, firstIn: { id: string; pin: string } = officer): Promise<void> {
  await signIn(i.page, firstIn.id, firstIn.pin);
  const notice = i.page.getByTestId('status-restored');
  await expect(notice).toHaveText(/ · \d+ catatan dipulihkan setelah komputer mati tidak normal/, { timeout: 20_000 });
  const restored = Number(/(\d+) catatan/.exec((await notice.textContent()) ?? '')?.[1]);
  expect(restored).toBeGreaterThanOrEqual(atLeast);
  // The device's audit chain (which syncs to HQ) has the entry, and it is in main's journal too.
  await expect.poll(() => restoredAudit(dataDir).map((d) => d.restored)).toContain(restored);
  await expect(i.page.getByTestId('head-restore-notice')).toHaveCount(0);

  // The head signs in later and still sees it, until they mark it seen.
  await signOut(i.page);
  await signIn(i.page, head.id, head.pin);
  const headNotice = i.page.getByTestId('head-restore-notice');
  await expect(headNotice).toContainText(`${restored} catatan dipulihkan setelah komputer mati tidak normal`, { timeout: 20_000 });
  await headNotice.getByRole('button', { name: /Sudah dilihat/ }).click();
  await expect(headNotice).toHaveCount(0);
  await signOut(i.page);
  await signIn(i.page, head.id, head.pin);
  await expect(i.page.getByTestId('status-data')).toHaveText(/siap/i, { timeout: 20_000 });
  await expect(i.page.getByTestId('head-restore-notice')).toHaveCount(0);

  await signOut(i.page);
  await signIn(i.page, guard.id, guard.pin);
  await expect(i.page.getByTestId('door-today').locator('[data-service="jht-claim"]')).toContainText(`${numbers.length} dari`);
  // The counter came back too: the next number follows, never repeats.
  const next = await issueTicket(i.page, 303);
  const seq = (n: string) => Number(n.split('-')[1]);
  expect(numbers).not.toContain(next);
  expect(seq(next)).toBe(Math.max(...numbers.map(seq)) + 1);
}

for (const tornJournal of [false, true]) {
  test(`IndexedDB deleted after acknowledged writes${tornJournal ? ', journal tail torn too' : ''}: every write is back and the restore is reported`, async () => {
    test.setTimeout(180_000);
    const dataDir = temp('loket-power-');
    const profile = temp('loket-profile-');
    const { first, numbers } = await twoTickets(dataDir, profile);
    await cut(first);
    expect(fs.existsSync(idbDir(profile, first.port))).toBe(true);
    fs.rmSync(idbDir(profile, first.port), { recursive: true, force: true });
    fs.rmSync(idbDir(profile, first.port).replace(/leveldb$/, 'blob'), { recursive: true, force: true });
    if (tornJournal) {
      // A record whose header made it to disk and whose payload did not.
      const header = Buffer.alloc(8);
      header.writeUInt32LE(900, 0);
      fs.appendFileSync(path.join(dataDir, 'journal', JOURNAL_FILE), Buffer.concat([header, Buffer.alloc(100, 7)]));
    }

    const second = await start(dataDir, profile, first.port);
    try {
      await expectRestored(second, dataDir, numbers, 4);
      expect(restoredAudit(dataDir).some((d) => d.wiped === 'deleted')).toBe(true);
      if (tornJournal) expect(fs.readdirSync(path.join(dataDir, 'journal')).some((f) => f.startsWith('journal.torn-'))).toBe(true);
    } finally {
      await cut(second);
    }
  });
}

test('IndexedDB rolled back to an older copy: the writes after it come back from the journal', async () => {
  // Three starts of the app, and the head's notice after the officer: about 4 minutes on a busy 2-core machine.
  test.setTimeout(360_000);
  const dataDir = temp('loket-power-');
  const profile = temp('loket-profile-');
  const first = await start(dataDir, profile);
  await completeFirstRun(first.page, head);
  await addStaff(first.page, guard);
  await addStaff(first.page, officer);
  await signOut(first.page);
  await signIn(first.page, guard.id, guard.pin);
  const numbers = [await issueTicket(first.page, 311)];
  await cut(first);
  const older = temp('loket-idb-copy-');
  fs.cpSync(idbDir(profile, first.port), older, { recursive: true });

  const second = await start(dataDir, profile, first.port);
  await signIn(second.page, guard.id, guard.pin);
  numbers.push(await issueTicket(second.page, 312));
  await cut(second);
  // The disk gives back an older state of the database (its sentinel still matches).
  fs.rmSync(idbDir(profile, first.port), { recursive: true, force: true });
  fs.cpSync(older, idbDir(profile, first.port), { recursive: true });

  const third = await start(dataDir, profile, first.port);
  try {
    // At least the second ticket, its counter and its audit entry.
    await expectRestored(third, dataDir, numbers, 3);
    expect(restoredAudit(dataDir).at(-1)?.wiped).toBe('no');
  } finally {
    await cut(third);
  }
});
