import type { AddressInfo } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { buildHq, type HqApp } from '../../hq/app';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgliteSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { composeNik } from '@shared/identity/nik';
import { docScreenshot } from './a11y';
import { expect, startServer, test } from './fixtures';
import { addStaff, answerIdentity, completeFirstRun, countPrints, signIn, signOut } from './flows';
import { NetSwitch } from './net-switch';

// Story f: the network is down for a whole story (door to receipt) on the counter PC, then returns.
// The head's screen on another PC of the branch shows the case, and its HQ status turns
// "Diterima HQ" only once HQ has it. HQ is real (Fastify on PGlite, 127.0.0.1); the counter PC
// reaches it through a switch that cuts the link like a dropped WAN. Generated people only.

const BRANCH = 'UJI02'; // the code completeFirstRun gives the branch
const headA = { id: 'kepala.loket', name: 'Kepala Uji Loket', pin: '802451' };
const headB = { id: 'kepala.kantor', name: 'Kepala Uji Kantor', pin: '802452' };
const officer = { id: 'petugas.putus', name: 'Petugas Uji Putus', pin: '480251', role: 'Petugas Loket' as const };
const satpam = { id: 'satpam.putus', name: 'Satpam Uji Putus', pin: '731951', role: 'Satpam' as const };
const person = { nik: composeNik({ regionCode: '317101', birthDate: '1990-02-14', sex: 'male', serial: 61 }), name: 'Bima Contoh Santoso' };

let db: Sql;
let hq: HqApp;
let hqUrl = '';

test.beforeAll(async () => {
  db = await pgliteSql(undefined);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Dua' });
  hq = buildHq({ db, log: createLogger({ level: 'silent' }) });
  await hq.listen({ host: '127.0.0.1', port: 0 });
  hqUrl = `http://127.0.0.1:${(hq.server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await hq?.close();
  await db?.close();
});

async function connectToHq(page: Page, url: string, deviceName: string): Promise<void> {
  const { code } = await createEnrolCode(db, BRANCH);
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const form = page.getByTestId('connect-hq');
  await form.getByLabel('Alamat HQ', { exact: true }).fill(url);
  await form.getByLabel('Kode pendaftaran', { exact: true }).fill(code);
  await form.getByLabel('Nama perangkat', { exact: true }).fill(deviceName);
  await form.getByRole('button', { name: 'Hubungkan', exact: true }).click();
  await expect(page.getByTestId('status-hq-link')).toHaveText('HQ: terhubung', { timeout: 30_000 });
}

async function hqHasCase(caseId: string): Promise<boolean> {
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM documents WHERE collection = 'cases' AND id = $1", [caseId]);
  return Number(rows[0]?.n ?? 0) === 1;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const page = await context.newPage();
  await countPrints(page);
  return page;
}

test('story f: a whole story offline, then the head on another PC sees the case once HQ has it', async ({ browser, loket }) => {
  test.setTimeout(300_000);
  const hqAddress = new URL(hqUrl);
  const wan = new NetSwitch({ host: hqAddress.hostname, port: Number(hqAddress.port) });
  const counterUrl = await wan.listen();
  const other = await startServer();
  try {
    // Counter PC (A): first run, staff, connected to HQ through its WAN.
    const a = await newPage(browser);
    await a.goto(loket.url);
    await completeFirstRun(a, headA);
    await addStaff(a, officer);
    await addStaff(a, satpam);
    await connectToHq(a, counterUrl, 'PC Loket 1');

    // Head's office PC (B) of the same branch, connected directly.
    const b = await newPage(browser);
    await b.goto(other.server.url);
    await completeFirstRun(b, headB);
    await connectToHq(b, hqUrl, 'PC Kepala Cabang');

    // The WAN drops at the counter PC.
    wan.down();
    await expect(a.getByTestId('status-hq-link')).toHaveText('HQ: tidak terhubung', { timeout: 30_000 });
    await signOut(a);

    // The whole story, offline: the door issues a ticket; the officer serves a JMO reset and receipts it.
    await signIn(a, satpam.id, satpam.pin);
    const door = a.locator('[data-screen="DoorScreen"]');
    await door.getByRole('button', { name: /^Reset akun JMO/ }).click();
    await door.getByLabel('NIK peserta (16 angka)').fill(person.nik);
    await door.getByRole('button', { name: 'Terbitkan dan cetak tiket' }).click();
    const number = (await door.getByTestId('door-ticket-number').textContent())!.trim();
    expect(number).toMatch(/^C\d-\d{3}$/);
    await signOut(a);

    await signIn(a, officer.id, officer.pin);
    const bench = a.locator('[data-screen="Workbench"]');
    await expect(bench).toBeVisible();
    // A fresh officer on this PC chooses the counter first (then remembered on the PC).
    await a.getByLabel('Loket', { exact: true }).selectOption({ label: 'Loket 1' });
    await expect(bench.getByRole('button', { name: /Panggil berikutnya F2/ })).toBeEnabled();
    await a.keyboard.press('F2');
    await expect(a.getByTestId('desk-current-number')).toHaveText(number);
    await a.getByLabel('NIK peserta', { exact: true }).fill(person.nik);
    await a.getByLabel('Nama peserta', { exact: true }).fill(person.name);
    await a.getByRole('button', { name: 'Buka kasus', exact: true }).click();
    const view = a.locator('[data-screen="CaseView"]');
    await answerIdentity(view, { 'e-KTP asli ditunjukkan': true, 'e-KTP cocok dengan NIK': true, 'Nomor KPJ terdaftar atas NIK ini': true });
    await view.getByRole('button', { name: 'Catat pemeriksaan identitas' }).click();
    await view.getByLabel('Email', { exact: true }).fill('bima.contoh@contoh.id');
    await view.getByLabel('Nomor HP', { exact: true }).fill('081234567891');
    await view.getByRole('button', { name: 'Simpan email dan nomor HP' }).click();
    await view.getByRole('button', { name: 'Reset akun JMO' }).click();
    await view.getByRole('button', { name: 'Peserta sudah dapat masuk' }).click();
    await view.getByRole('button', { name: 'Terbitkan tanda terima dan tutup' }).click();
    const receipt = view.getByTestId('receipt');
    await expect(receipt).toBeVisible();
    const caseId = (await receipt.getByTestId('receipt-case-id').textContent())!.trim();
    expect(caseId.length).toBeGreaterThan(7);
    await expect(a.getByTestId('status-hq-link')).toHaveText('HQ: tidak terhubung');
    await signOut(a);

    // Still offline: HQ has nothing, the counter PC's head sees the case as not received, PC B sees nothing.
    await signIn(a, headA.id, headA.pin);
    await a.getByRole('button', { name: 'Kasus', exact: true }).click();
    const rowA = a.locator(`[data-case="${caseId}"]`);
    await expect(rowA.getByTestId('case-hq-status')).toHaveText('Belum diterima HQ');
    expect(await hqHasCase(caseId)).toBe(false);
    await a.screenshot({ path: docScreenshot('story-f-offline-pending'), fullPage: true });
    await b.getByRole('button', { name: 'Kasus', exact: true }).click();
    await expect(b.locator(`[data-case="${caseId}"]`)).toHaveCount(0);

    // The WAN returns: the counter PC pushes on its own; "Diterima HQ" only once HQ has the case.
    wan.restore();
    await expect(rowA.getByTestId('case-hq-status')).toHaveText('Diterima HQ', { timeout: 60_000 });
    expect(await hqHasCase(caseId)).toBe(true);
    await expect(a.getByTestId('status-hq-pending')).toHaveText(' · 0 menunggu kirim', { timeout: 30_000 });

    // The head on PC B sees the case, received by HQ.
    const rowB = b.locator(`[data-case="${caseId}"]`);
    await expect(rowB).toBeVisible({ timeout: 60_000 });
    await expect(rowB.getByTestId('case-hq-status')).toHaveText('Diterima HQ');
    await expect(rowB).toContainText('Selesai');
    await b.screenshot({ path: docScreenshot('story-f-head-other-pc'), fullPage: true });
  } finally {
    other.child.kill('SIGTERM');
    await wan.close();
  }
});
