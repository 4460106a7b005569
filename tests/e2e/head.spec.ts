import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { composeNik } from '@shared/identity/nik';
import { addStaff, answerIdentity, completeFirstRun, signIn, signOut } from './flows';

// The branch head's pages: the refusal review queue and the dashboard. Generated staff only.
const head = { id: 'kepala.tinjau', name: 'Kepala Uji Tinjau', pin: '802431' };

/** Console errors and CSP violations (Chromium reports them as console errors and as events). */
function watchConsole(page: Page): { errors: string[]; csp: string[] } {
  const out = { errors: [] as string[], csp: [] as string[] };
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const text = m.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) out.csp.push(text);
    else if (m.type() === 'error') out.errors.push(text);
  });
  page.on('pageerror', (e) => out.errors.push(e.message));
  return out;
}

/** Collects securitypolicyviolation events inside the page (they fire even when the console is quiet). */
async function trackCspEvents(page: Page): Promise<void> {
  await page.addInitScript({
    content: `window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + e.sample));`,
  });
}

async function cspEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

async function expectNoSeriousA11yIssues(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${where}`).toEqual([]);
}

const shot = (name: string) => {
  fs.mkdirSync(path.join('docs', 'screenshots'), { recursive: true });
  return path.join('docs', 'screenshots', `${name}.png`);
};

test('head: review queue and dashboard render empty, keyboard-reachable, accessible, under the CSP', async ({ page, loket }) => {
  const seen = watchConsole(page);
  await trackCspEvents(page);
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  // zod 4 probes once whether eval is allowed (`Function('')` in a try); the CSP refuses it, zod
  // falls back, and Chromium reports a securitypolicyviolation event with no console message. That
  // probe runs at the first zod parse (the first run above); what follows must add no violation.
  await page.evaluate(() => ((window as unknown as { __cspViolations: string[] }).__cspViolations = []));

  // The review page is the head's start page; with no data it says so.
  await page.getByRole('button', { name: 'Tinjauan', exact: true }).click();
  const review = page.getByTestId('review-page');
  await expect(review.getByRole('heading', { level: 1 })).toHaveText('Tinjauan penolakan');
  await expect(review.getByTestId('review-empty')).toHaveText('Tidak ada penolakan yang menunggu tinjauan.');
  await expect(review.getByRole('tab', { name: 'Menunggu tinjauan (0)' })).toHaveAttribute('aria-selected', 'true');

  // Tabs by keyboard: arrow keys move and select.
  await review.getByRole('tab', { name: 'Menunggu tinjauan (0)' }).focus();
  await page.keyboard.press('ArrowRight');
  // The pending-KPJ tab (issue 16) comes next.
  await expect(review.getByRole('tab', { name: 'KPJ tertunda (0)' })).toBeFocused();
  await expect(review.getByRole('tabpanel')).toContainText('Tidak ada KPJ yang tertunda.');
  await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('tab', { name: 'Tindak lanjut (0)' })).toBeFocused();
  await expect(review.getByRole('tabpanel')).toContainText('Tidak ada tindak lanjut yang terbuka.');
  await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('tabpanel')).toContainText('Tidak ada percobaan penolakan yang tidak sah.');
  await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('tabpanel')).toContainText('Semua kasus cocok dengan jurnalnya.');
  await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('tabpanel')).toContainText('Tidak ada konflik sinkronisasi.');
  await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('tab', { name: 'Transfer antar cabang' })).toBeFocused();
  await expect(review.getByTestId('transfers-panel')).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'review page, transfers tab');
  await page.screenshot({ path: shot('head-review-transfers'), fullPage: true });
  await page.keyboard.press('Home');
  await expect(review.getByRole('tab', { name: 'Menunggu tinjauan (0)' })).toHaveAttribute('aria-selected', 'true');
  await expectNoSeriousA11yIssues(page, 'review page (empty)');
  await page.screenshot({ path: shot('head-review-empty'), fullPage: true });

  // The dashboard with no data: every section says so, sync health and transfers show their state.
  await page.getByRole('button', { name: 'Dasbor', exact: true }).click();
  const dash = page.getByTestId('dashboard-page');
  await expect(dash.getByRole('heading', { level: 1 })).toHaveText('Dasbor cabang');
  await expect(dash.getByTestId('dashboard-sync')).toContainText('Perangkat belum terhubung ke HQ');
  await expect(dash.getByTestId('transfers-incoming')).toHaveText('0 menunggu, 0 melewati SLA');
  await expect(dash.getByTestId('transfers-outgoing')).toHaveText('0 menunggu, 0 melewati SLA');
  // Issue 16: the people still waiting now (none yet).
  await expect(dash.getByTestId('dash-waiting-now')).toHaveText('0 orang');
  await expect(dash.getByTestId('dash-wait')).toContainText('Belum ada data untuk periode ini.');
  await expect(dash.getByTestId('dash-reasons')).toContainText('Belum ada data untuk periode ini.');
  await dash.getByLabel('7 hari terakhir').check();
  await expect(dash.getByTestId('dash-flow')).toContainText('Belum ada data untuk periode ini.');
  await expect(dash.getByTestId('dash-no-shows')).toContainText('Belum ada data untuk periode ini.');
  await expectNoSeriousA11yIssues(page, 'dashboard (empty)');
  await page.screenshot({ path: shot('head-dashboard-empty'), fullPage: true });

  expect(seen.csp, 'CSP console messages').toEqual([]);
  expect(await cspEvents(page), 'securitypolicyviolation events').toEqual([]);
  expect(seen.errors, 'console errors').toEqual([]);
});

// Issue 16, the head's staff tools. Generated staff only.
const staffHead = { id: 'kepala.staf', name: 'Kepala Uji Staf', pin: '802439' };
const pinMember = { id: 'petugas.pin', name: 'Petugas Uji Pin', pin: '480239', role: 'Petugas Loket' as const };
const leaver = { id: 'satpam.pergi', name: 'Satpam Uji Pergi', pin: '731939', role: 'Satpam' as const };

test('head: deactivation asks first, a PIN reset makes the member set a new PIN, the language follows each member', async ({ page, loket }) => {
  const seen = watchConsole(page);
  await page.goto(loket.url);
  await completeFirstRun(page, staffHead);
  await addStaff(page, pinMember);
  await addStaff(page, leaver);

  // Deactivating asks first: "Batal" changes nothing, "Ya, nonaktifkan" does it.
  const leaverRow = page.locator(`[data-staff-id="${leaver.id}"]`);
  await leaverRow.getByRole('button', { name: `Nonaktifkan ${leaver.id}` }).click();
  const confirm = page.getByTestId('staff-confirm-deactivate');
  await expect(confirm.getByRole('heading')).toHaveText(`Nonaktifkan ${leaver.name} (${leaver.id})?`);
  await expect(confirm.getByRole('heading')).toBeFocused();
  await expectNoSeriousA11yIssues(page, 'staff: confirm deactivation');
  await confirm.getByRole('button', { name: 'Batal' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(leaverRow).toContainText('Aktif');
  await leaverRow.getByRole('button', { name: `Nonaktifkan ${leaver.id}` }).click();
  await confirm.getByRole('button', { name: 'Ya, nonaktifkan' }).click();
  await expect(leaverRow).toContainText('Nonaktif');

  // The head resets a member's PIN to a temporary one.
  await page.locator(`[data-staff-id="${pinMember.id}"]`).getByRole('button', { name: `Reset PIN ${pinMember.id}` }).click();
  const reset = page.getByTestId('staff-reset-pin');
  await expect(reset.getByRole('heading')).toBeFocused();
  await reset.getByLabel('PIN', { exact: true }).fill('571938');
  await reset.getByLabel('Ulangi PIN', { exact: true }).fill('571938');
  await reset.getByRole('button', { name: 'Simpan PIN sementara' }).click();
  await expect(page.getByText(`PIN ${pinMember.name} (${pinMember.id}) sudah direset.`)).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'staff: PIN reset');
  await page.screenshot({ path: shot('head-staff-pin-reset'), fullPage: true });

  // The head chooses English: it is the head's, not the PC's.
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  // The sign-in screen keeps the PC's default (Indonesian).
  await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeVisible();

  // The member: the old PIN is gone; the temporary one leads to "set a new PIN" before anything else.
  await signIn(page, pinMember.id, pinMember.pin);
  await expect(page.getByRole('alert')).toContainText('PIN salah');
  await signIn(page, pinMember.id, '571938');
  const change = page.getByTestId('change-pin-screen');
  await expect(change.getByRole('heading', { level: 1 })).toHaveText('Buat PIN baru');
  await change.getByLabel('PIN sementara').fill('571938');
  await change.getByLabel('PIN', { exact: true }).fill('640281');
  await change.getByLabel('Ulangi PIN', { exact: true }).fill('640281');
  await expectNoSeriousA11yIssues(page, 'change PIN');
  await page.screenshot({ path: shot('staff-change-pin'), fullPage: true });
  await change.getByRole('button', { name: 'Simpan PIN baru' }).click();
  await expect(change).toHaveCount(0);
  // The member works in Indonesian (their own choice: none yet, so the PC's default).
  await expect(page.getByRole('button', { name: 'Keluar', exact: true })).toBeVisible();
  await signOut(page);

  // The head signs in again: English, the head's own choice.
  await signIn(page, staffHead.id, staffHead.pin);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeVisible();
  expect(seen.errors, 'console errors').toEqual([]);
});

// Story e, the head's half (DESIGN §2): a refusal made by an officer through the desk lands in the
// head's queue; the head overturns it with an Ombudsman category and a follow-up appears.
const officer = { id: 'petugas.tinjau', name: 'Petugas Uji Tinjau', pin: '480231', role: 'Petugas Loket' as const };
const satpam = { id: 'satpam.tinjau', name: 'Satpam Uji Tinjau', pin: '731931', role: 'Satpam' as const };
const person = { nik: composeNik({ regionCode: '317101', birthDate: '1991-02-11', sex: 'female', serial: 57 }), name: 'Sari Contoh Lestari' };
const absent = { nik: composeNik({ regionCode: '317101', birthDate: '1987-09-23', sex: 'male', serial: 58 }) };

test('story e (head): an officer’s refusal is overturned by the head, a follow-up opens, the dashboard counts it', async ({ page, loket }) => {
  const seen = watchConsole(page);
  await trackCspEvents(page);
  // Time flows normally; the no-show below fast-forwards over the gaps between calls.
  await page.clock.install();
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  await addStaff(page, officer);
  await addStaff(page, satpam);
  await signOut(page);
  await page.evaluate(() => ((window as unknown as { __cspViolations: string[] }).__cspViolations = []));

  // Security issues a personal JMO-reset ticket.
  await signIn(page, satpam.id, satpam.pin);
  const door = page.locator('[data-screen="DoorScreen"]');
  await expect(door).toBeVisible();
  await door.getByRole('button', { name: /^Reset akun JMO/ }).click();
  await door.getByLabel('NIK', { exact: false }).first().fill(person.nik);
  await door.getByRole('button', { name: /Terbitkan dan cetak tiket/ }).click();
  await expect(door).toContainText(/C\d-\d{3}/);
  // A second person, who will not come when called (the dashboard's no-shows per officer).
  await door.getByRole('button', { name: 'Orang berikutnya' }).click();
  await door.getByRole('button', { name: /^Reset akun JMO/ }).click();
  await door.getByLabel('NIK', { exact: false }).first().fill(absent.nik);
  await door.getByRole('button', { name: /Terbitkan dan cetak tiket/ }).click();
  await expect(door.getByTestId('door-ticket-number')).toHaveText(/C\d-\d{3}/);
  await signOut(page);

  // The officer calls the ticket, opens the case; the e-KTP does not match the NIK, so the officer
  // refuses with IDENTITY_NOT_VERIFIED through the catalog.
  await signIn(page, officer.id, officer.pin);
  await page.getByLabel('Loket', { exact: true }).selectOption({ label: 'Loket 1' });
  await page.getByRole('button', { name: /Panggil berikutnya/ }).click();
  await expect(page.getByTestId('desk-current-number')).toHaveText(/C\d-\d{3}/);
  const refusedTicket = (await page.getByTestId('desk-current-number').textContent())!.trim();
  await page.getByLabel('Layanan', { exact: true }).selectOption({ label: 'Reset akun JMO' });
  await page.getByLabel('NIK peserta', { exact: true }).fill(person.nik);
  await page.getByLabel('Nama peserta', { exact: true }).fill(person.name);
  await page.getByRole('button', { name: 'Buka kasus', exact: true }).click();
  await answerIdentity(page.locator('[data-screen="CaseView"]'), { 'e-KTP asli ditunjukkan': true, 'e-KTP cocok dengan NIK': false });
  await page.getByRole('button', { name: 'Catat pemeriksaan identitas' }).click();
  const refusal = page.getByTestId('refusal-panel');
  await refusal.getByRole('radio', { name: /Identitas belum terverifikasi/ }).check();
  await refusal.getByRole('button', { name: 'Tolak dan cetak slip' }).click();
  await expect(page.getByText('Penolakan dicatat dan slip dicetak.')).toBeVisible();
  // The second person is called twice, three minutes apart, and does not come: a no-show.
  await page.getByRole('button', { name: 'Kembali ke antrean' }).click();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('desk-current-number')).toHaveText(/C\d-\d{3}/);
  await page.clock.fastForward('03:00');
  await page.getByRole('button', { name: /Panggil ulang F3/ }).click();
  await expect(page.getByRole('status')).toContainText('panggilan ke-2');
  await page.clock.fastForward('03:05');
  await expect(page.getByRole('button', { name: /Tidak hadir F4/ })).toBeEnabled();
  await page.keyboard.press('F4');
  await expect(page.getByRole('status')).toContainText('ditandai tidak hadir');
  await signOut(page);

  // The head: the refusal waits in the queue with who, when and the facts the officer saw.
  await signIn(page, head.id, head.pin);
  const review = page.getByTestId('review-page');
  await expect(review.getByRole('tab', { name: 'Menunggu tinjauan (1)' })).toBeVisible();
  const row = review.getByTestId('review-pending-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('IDENTITY_NOT_VERIFIED');
  await expect(row).toContainText(officer.name);
  await row.getByRole('button', { name: /Tinjau penolakan kasus/ }).click();
  const form = page.getByTestId('review-form');
  await expect(form.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(form.getByTestId('review-facts')).toContainText('e-KTP ditunjukkan: ya; cocok dengan NIK: tidak');
  await expectNoSeriousA11yIssues(page, 'review form');
  // Escape leaves the form without a decision; the refusal is still pending.
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await row.getByRole('button', { name: /Tinjau penolakan kasus/ }).click();
  await expect(form.getByRole('heading', { level: 2 })).toBeFocused();

  // Overturn without category and follow-up: the form says what is missing, next to each field.
  await form.getByLabel('Batalkan penolakan').check();
  await form.getByRole('button', { name: 'Simpan keputusan' }).click();
  await expect(form.getByText('Pilih kategori maladministrasi Ombudsman.')).toBeVisible();
  await expect(form.getByText('Pilih tindak lanjut untuk peserta.')).toBeVisible();
  await expect(form.getByLabel('Kategori maladministrasi (Ombudsman)')).toBeFocused();
  await form.getByLabel('Kategori maladministrasi (Ombudsman)').selectOption({ label: 'Penyimpangan prosedur' });
  // The case recorded no phone number: "call back" is not offered until the head records one.
  const followUpSelect = form.getByLabel('Tindak lanjut', { exact: true });
  await expect(followUpSelect.locator('option', { hasText: 'Hubungi kembali peserta' })).toHaveCount(0);
  await form.getByLabel('Nomor HP peserta (bila ada)').fill('081234567890');
  await expect(followUpSelect.locator('option', { hasText: 'Hubungi kembali peserta' })).toHaveCount(1);
  await followUpSelect.selectOption({ label: 'Hubungi kembali peserta' });
  await expect(form.getByText('Pilih kategori maladministrasi Ombudsman.')).toHaveCount(0);
  await form.getByLabel('Catatan (opsional)').fill('Peserta menunjukkan e-KTP; periksa ulang identitas lewat telepon.');
  await page.screenshot({ path: shot('head-review-overturn'), fullPage: true });
  await form.getByRole('button', { name: 'Simpan keputusan' }).click();
  await expect(review.getByRole('status')).toContainText('dibatalkan. Tindak lanjut “Hubungi kembali peserta”');

  // The follow-up is open, and the queue is empty.
  await expect(review.getByTestId('review-empty')).toBeVisible();
  await review.getByRole('tab', { name: 'Tindak lanjut (1)' }).click();
  const followUps = review.getByTestId('review-followups-table');
  await expect(followUps).toContainText('Hubungi kembali peserta');
  await expect(followUps).toContainText('Penyimpangan prosedur');
  await page.screenshot({ path: shot('head-review-followups'), fullPage: true });
  // The call back done: the head marks it (audited) and it leaves the open list.
  await followUps.getByRole('button', { name: /Tandai tindak lanjut kasus .* selesai/ }).click();
  await expect(review.getByRole('status')).toContainText('ditandai selesai');
  await expect(review.getByRole('tab', { name: 'Tindak lanjut (0)' })).toBeVisible();
  await review.getByRole('tab', { name: 'Sudah ditinjau' }).click();
  // Overturned reads as overturned (ruled invalid), never as a valid refusal (issue 16).
  await expect(review.getByTestId('review-reviewed-table')).toContainText('Dibatalkan (diputus tidak sah)');

  // The dashboard counts the refusal and the served ticket; charts render under the CSP.
  await page.getByRole('button', { name: 'Dasbor', exact: true }).click();
  const dash = page.getByTestId('dashboard-page');
  const reasons = dash.getByTestId('dash-reasons');
  await expect(reasons).toContainText('0 penolakan berlaku, 1 dibatalkan Kepala (diputus tidak sah) dan 0 percobaan tidak sah.');
  // Bars are drawn (recharts styles through the CSSOM, which the CSP allows).
  await expect(reasons.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(dash.getByTestId('dash-wait').locator('.recharts-cartesian-grid')).toBeVisible();
  await reasons.getByText('Tabel data').click();
  await expect(reasons.getByRole('table')).toContainText('IDENTITY_NOT_VERIFIED');
  const download = page.waitForEvent('download');
  await reasons.getByRole('button', { name: 'Unduh CSV: Penolakan menurut alasan' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^loket-penolakan-per-alasan-.*-UJI02-\d{8}-\d{4}\.csv$/);
  const text = fs.readFileSync(await file.path(), 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain('Alasan;Penolakan berlaku;Dibatalkan Kepala (tidak sah);Percobaan tidak sah\r\n');
  expect(text).toContain(';0;1;0\r\n');
  // No-shows per officer: who marked them (issue 16).
  const noShows = dash.getByTestId('dash-no-shows');
  await expect(noShows).toContainText(`Petugas yang paling banyak menandai tidak hadir: ${officer.name} (${officer.id}) (1).`);
  await expectNoSeriousA11yIssues(page, 'dashboard with data');
  await page.screenshot({ path: shot('head-dashboard'), fullPage: true });

  // The head finds the case by the person's NIK (pasted with spaces) and by the ticket number, sees
  // its outcome at a glance (not an event count), and opens it; searches and the opening are audited.
  await page.getByRole('button', { name: 'Kasus', exact: true }).click();
  const cases = page.getByTestId('cases-page');
  await expect(cases.getByRole('columnheader', { name: 'Hasil' })).toBeVisible();
  await expect(cases.getByRole('columnheader', { name: 'Langkah' })).toHaveCount(0);
  await cases.getByLabel('Cari kasus').fill('12');
  await cases.getByRole('button', { name: 'Cari', exact: true }).click();
  await expect(cases.getByText('Isi nomor kasus (minimal 3 karakter), nomor tiket atau NIK 16 angka.')).toBeVisible();
  await cases.getByLabel('Cari kasus').fill(`${person.nik.slice(0, 6)} ${person.nik.slice(6, 12)} ${person.nik.slice(12)}`);
  await cases.getByRole('button', { name: 'Cari', exact: true }).click();
  await expect(cases.getByTestId('case-search-results')).toHaveText('1 kasus ditemukan menurut NIK.');
  const found = cases.getByTestId('cases-table').locator('tbody tr');
  await expect(found).toHaveCount(1);
  await expect(found.getByTestId('case-outcome')).toHaveText('Penolakan dibatalkan Kepala');
  await cases.getByLabel('Cari kasus').fill(refusedTicket.toLowerCase());
  await cases.getByRole('button', { name: 'Cari', exact: true }).click();
  await expect(cases.getByTestId('case-search-results')).toHaveText('1 kasus ditemukan menurut nomor tiket.');
  await found.getByRole('button', { name: /^Buka kasus / }).click();
  const detail = cases.getByTestId('case-detail');
  await expect(detail.getByTestId('case-detail-outcome')).toHaveText('Penolakan dibatalkan Kepala');
  await expect(detail).toContainText(person.name);
  await expect(detail).toContainText(`•••• •••• •••• ${person.nik.slice(-4)}`);
  await expect(detail).not.toContainText(person.nik);
  // The phone the head recorded with the decision is on the case now.
  await expect(detail.getByTestId('case-detail-phone')).toHaveText('tercatat');
  await expect(detail).toContainText(refusedTicket);
  await expectNoSeriousA11yIssues(page, 'case finder');
  await page.screenshot({ path: shot('head-case-finder'), fullPage: true });
  await page.getByRole('button', { name: 'Tampilkan semua kasus' }).click();
  await expect(cases.getByTestId('case-search-results')).toHaveCount(0);

  expect(seen.csp, 'CSP console messages').toEqual([]);
  expect(await cspEvents(page), 'securitypolicyviolation events').toEqual([]);
  expect(seen.errors, 'console errors').toEqual([]);
});
