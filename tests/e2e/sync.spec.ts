import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { buildHq, type HqApp } from '../../hq/app';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgliteSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { expect, screenshotPath, test } from './fixtures';
import { completeFirstRun } from './flows';

// The branch head connects the device to a real HQ (Fastify on in-memory PGlite, started by this
// spec on 127.0.0.1), and the status bar tells the truth as HQ goes away and comes back.

const head = { id: 'kepala.sinkron', name: 'Kepala Uji Sinkron', pin: '802417' };
const BRANCH = 'UJI02'; // the code completeFirstRun gives the branch

let db: Sql;
let hq: HqApp | null = null;
let port = 0;

async function startHq(onPort: number): Promise<void> {
  hq = buildHq({ db, log: createLogger({ level: 'silent' }) });
  await hq.listen({ host: '127.0.0.1', port: onPort });
  port = (hq.server.address() as AddressInfo).port;
}

test.beforeAll(async () => {
  db = await pgliteSql(undefined);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Dua' });
  await startHq(0);
});

test.afterAll(async () => {
  await hq?.close();
  await db?.close();
});

test('head connects to HQ; the status bar follows HQ going away and coming back', async ({ page, loket }) => {
  test.setTimeout(120_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  const status = page.getByTestId('status-bar');
  const hqItem = status.getByTestId('status-hq');
  await expect(hqItem).toHaveText('Belum terhubung ke HQ');

  // Issue 16: a device never connected to HQ never says "all received by HQ"; it says why nothing was sent.
  await page.getByRole('button', { name: 'Sinkronisasi', exact: true }).click();
  await expect(page.getByTestId('sync-never-sent')).toHaveText(
    'Belum ada catatan yang dikirim ke HQ: perangkat ini belum terhubung ke HQ. Hubungkan di Pengaturan → Hubungkan ke HQ.',
  );
  await expect(page.getByTestId('sync-page')).not.toContainText('Semua catatan sudah diterima HQ.');

  // Issue 16: a daily capacity of 0 cannot be saved (it would turn everyone away without an appointment).
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const jhtCapacity = page.getByLabel('Klaim JHT', { exact: true });
  await jhtCapacity.fill('0');
  await page.getByRole('button', { name: 'Simpan pengaturan', exact: true }).click();
  await expect(page.getByText('Kapasitas harian harus bilangan bulat 1–10000. Kapasitas 0 akan menolak semua orang tanpa jadwal.')).toBeVisible();
  await expect(jhtCapacity).toHaveAttribute('aria-invalid', 'true');
  await jhtCapacity.fill('1');
  await page.getByRole('button', { name: 'Simpan pengaturan', exact: true }).click();
  await expect(page.getByText('Pengaturan tersimpan', { exact: false })).toBeVisible();

  // Settings → "Hubungkan ke HQ": a wrong code is refused with a clear message, the right one works.
  const form = page.getByTestId('connect-hq');
  await form.getByLabel('Alamat HQ', { exact: true }).fill(`http://127.0.0.1:${port}`);
  await form.getByLabel('Kode pendaftaran', { exact: true }).fill('AAAA-BBBB-CCCC');
  await form.getByLabel('Nama perangkat', { exact: true }).fill('PC Loket Uji');
  await form.getByRole('button', { name: 'Hubungkan', exact: true }).click();
  await expect(form.getByRole('alert')).toContainText('Kode pendaftaran tidak dikenal');

  const { code } = await createEnrolCode(db, BRANCH);
  await form.getByLabel('Kode pendaftaran', { exact: true }).fill(code);
  await form.getByRole('button', { name: 'Hubungkan', exact: true }).click();
  await expect(form.getByRole('status')).toContainText(`cabang ${BRANCH}`);

  // Connected, replication running, nothing waiting to be sent.
  await expect(hqItem.getByTestId('status-hq-link')).toHaveText('HQ: terhubung', { timeout: 20_000 });
  await expect(hqItem.getByTestId('status-hq-pending')).toHaveText(' · 0 menunggu kirim', { timeout: 20_000 });
  await expect(hqItem.getByTestId('status-hq-contact')).toContainText(/kontak terakhir \d{2}:\d{2}/);
  const { rows } = await db.query<{ name: string }>('SELECT name FROM devices WHERE branch_code = $1', [BRANCH]);
  expect(rows.map((r) => r.name)).toEqual(['PC Loket Uji']);
  await page.screenshot({ path: screenshotPath('sync-01-connected'), fullPage: true });

  // The Sync page (head's navigation) shows the link and no pending records.
  await page.getByRole('button', { name: 'Sinkronisasi', exact: true }).click();
  await expect(page.getByTestId('sync-link')).toContainText(`http://127.0.0.1:${port} · ${BRANCH}`);
  await expect(page.getByTestId('sync-page')).toContainText('Semua catatan sudah diterima HQ.');
  // The head can export the flight recorder: link state, pending records and errors, no personal data.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ekspor catatan (JSON)' }).click()]);
  const exported = JSON.parse(fs.readFileSync((await download.path()), 'utf8')) as { link: { branchCode: string; connected: boolean }; pendingCount: number };
  expect(exported).toMatchObject({ link: { branchCode: BRANCH, connected: true }, pendingCount: 0 });
  // HQ's quarantine for the branch, loaded on request: nothing refused yet, and it says so.
  const quarantine = page.getByTestId('sync-quarantine');
  await expect(quarantine).toContainText('Belum dimuat.');
  await quarantine.getByRole('button', { name: 'Muat dari HQ' }).click();
  await expect(quarantine.getByRole('status')).toHaveText('HQ tidak menolak satu pun catatan dari cabang ini.');

  // HQ goes away: not connected, with the last error shown.
  const samePort = port;
  await hq!.close();
  hq = null;
  await expect(hqItem.getByTestId('status-hq-link')).toHaveText('HQ: tidak terhubung', { timeout: 20_000 });
  await expect(hqItem.getByTestId('status-hq-error')).toContainText('galat:', { timeout: 20_000 });
  await expect(page.getByTestId('sync-link')).toContainText('Tidak terhubung');
  await page.screenshot({ path: screenshotPath('sync-02-hq-down'), fullPage: true });

  // HQ comes back on the same address: connected again, on its own (the stream reconnects with back-off).
  await startHq(samePort);
  await expect(hqItem.getByTestId('status-hq-link')).toHaveText('HQ: terhubung', { timeout: 45_000 });
  await expect(hqItem.getByTestId('status-hq-error')).toHaveCount(0);
  await expect(hqItem.getByTestId('status-hq-pending')).toHaveText(' · 0 menunggu kirim');
  await page.screenshot({ path: screenshotPath('sync-03-hq-back'), fullPage: true });

  expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
});
