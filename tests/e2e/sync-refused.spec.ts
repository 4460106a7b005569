import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { buildHq, type HqApp } from '../../hq/app';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgliteSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { validateIncoming, type Validator } from '../../hq/store';
import { composeNik } from '@shared/identity/nik';
import { expect, screenshotPath, test } from './fixtures';
import { addStaff, completeFirstRun, signIn, signOut } from './flows';

// Issue 14 point 1 on screen: HQ refuses a record (here every ticket, through a test validator on
// a real HQ: Fastify on in-memory PGlite, started by this spec). The device never shows it as sent:
// the status bar and the Sync page show it refused with HQ's reason, it stays waiting to be sent and
// in the hand-carry count, and all of that is still so after the app is reloaded (the renderer, its
// database and its replication start again). Generated people only.

const head = { id: 'kepala.tolak', name: 'Kepala Uji Tolak', pin: '640213' };
const guard = { id: 'satpam.tolak', name: 'Satpam Uji Tolak', pin: '518342', role: 'Satpam' as const };
const nik = composeNik({ regionCode: '317101', birthDate: '1991-04-05', sex: 'female', serial: 303 });
const BRANCH = 'UJI02'; // the code completeFirstRun gives the branch
const REASON = 'uji: tiket ditolak oleh validator uji HQ';

let db: Sql;
let hq: HqApp | null = null;
let port = 0;

// Tickets are refused (422 DOCUMENT_REFUSED); everything else is checked as HQ always does.
const refuseTickets: Validator = (collection, doc, device, context) =>
  collection === 'tickets' ? Promise.resolve({ ok: false, kind: 'invalid', reason: REASON }) : validateIncoming(collection, doc, device, context);

test.beforeAll(async () => {
  db = await pgliteSql(undefined);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Dua' });
  hq = buildHq({ db, log: createLogger({ level: 'silent' }), validate: refuseTickets });
  await hq.listen({ host: '127.0.0.1', port: 0 });
  port = (hq.server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await hq?.close();
  await db?.close();
});

async function expectRefusedOnSyncPage(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sinkronisasi', exact: true }).click();
  const table = page.getByTestId('sync-pending-table');
  const row = table.locator('tr[data-refused="true"]');
  await expect(row).toHaveCount(1, { timeout: 20_000 });
  await expect(row).toContainText('tickets');
  await expect(row).toContainText(`Ditolak HQ (karantina): ${REASON}`);
  await expect(page.getByTestId('sync-refused')).toContainText('1 catatan ditolak HQ');
  await expect(page.getByTestId('handcarry-count')).toContainText('1');
  await expect(page.getByTestId('sync-page')).not.toContainText('Semua catatan sudah diterima HQ.');
}

test('a ticket HQ refused shows as refused with HQ’s reason, and still does after the app restarts', async ({ page, loket }) => {
  test.setTimeout(150_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(loket.url);
  await completeFirstRun(page, head);

  const { code } = await createEnrolCode(db, BRANCH);
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const form = page.getByTestId('connect-hq');
  await form.getByLabel('Alamat HQ', { exact: true }).fill(`http://127.0.0.1:${port}`);
  await form.getByLabel('Kode pendaftaran', { exact: true }).fill(code);
  await form.getByLabel('Nama perangkat', { exact: true }).fill('PC Loket Uji Tolak');
  await form.getByRole('button', { name: 'Hubungkan', exact: true }).click();
  await expect(form.getByRole('status')).toContainText(`cabang ${BRANCH}`);
  const hqItem = page.getByTestId('status-hq');
  await expect(hqItem.getByTestId('status-hq-pending')).toHaveText(' · 0 menunggu kirim', { timeout: 20_000 });
  await addStaff(page, guard);
  await signOut(page);

  // The guard issues a ticket at the door: HQ refuses it.
  await signIn(page, guard.id, guard.pin);
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nik);
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  await expect(page.getByTestId('door-ticket-number')).toHaveText(/^A\d-\d{3}$/);
  await expect(hqItem.getByTestId('status-hq-refused')).toContainText('1 ditolak HQ: uji:', { timeout: 20_000 });
  await expect(hqItem.getByTestId('status-hq-refused')).toHaveAttribute('title', REASON);
  await expect(hqItem.getByTestId('status-hq-pending')).toContainText('1 menunggu kirim');
  await signOut(page);

  // The head sees it on the Sync page: refused, with HQ's reason, waiting, in the hand-carry count.
  await signIn(page, head.id, head.pin);
  await expectRefusedOnSyncPage(page);
  await expect(hqItem.getByTestId('status-hq-refused')).toContainText('1 ditolak HQ');

  // The app restarts (the renderer, its database and replication start again): nothing changed.
  await page.reload();
  const signInButton = page.getByRole('button', { name: 'Masuk', exact: true });
  const syncNav = page.getByRole('button', { name: 'Sinkronisasi', exact: true });
  await expect(signInButton.or(syncNav)).toBeVisible();
  if (await signInButton.isVisible()) await signIn(page, head.id, head.pin);
  await expectRefusedOnSyncPage(page);
  await expect(hqItem.getByTestId('status-hq-refused')).toHaveAttribute('title', REASON);
  await expect(hqItem.getByTestId('status-hq-pending')).toContainText('1 menunggu kirim');
  await page.screenshot({ path: screenshotPath('sync-04-refused-after-restart'), fullPage: true });

  // HQ holds it in quarantine once: the device did not send it again on every start.
  const { rows } = await db.query<{ attempts: number }>("SELECT attempts FROM quarantine WHERE collection = 'tickets'");
  expect(rows.map((r) => r.attempts)).toEqual([1]);
  const stored = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE collection = 'tickets'");
  expect(stored.rows[0]?.n).toBe(0);

  expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
});
