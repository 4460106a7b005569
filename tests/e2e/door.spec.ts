import type { Page } from '@playwright/test';
import { composeNik } from '@shared/identity/nik';
import { docScreenshot, expectNoSeriousA11yIssues } from './a11y';
import { expect, test } from './fixtures';
import { addStaff, completeFirstRun, countPrints, printsOf, signIn, signOut } from './flows';

// Generated people only: staff, and NIKs with a valid shape and embedded birth date.
const head = { id: 'kepala.pintu', name: 'Kepala Uji Pintu', pin: '731904' };
const guard = { id: 'satpam.uji', name: 'Satpam Uji Coba', pin: '582613', role: 'Satpam' as const };
const nikA = composeNik({ regionCode: '317101', birthDate: '1990-02-03', sex: 'male', serial: 101 });
const nikB = composeNik({ regionCode: '327301', birthDate: '1985-11-20', sex: 'female', serial: 202 });
const nikC = composeNik({ regionCode: '317402', birthDate: '1958-04-09', sex: 'male', serial: 303 });
const officer = { id: 'petugas.pintu', name: 'Petugas Uji Antrean', pin: '640218', role: 'Petugas Loket' as const };
/** Right shape, impossible date (31 February). */
const badNik = '3171013102900101';

const prints = printsOf;

/** Security staff have no refuse or redirect action: no button or link anywhere says so. */
async function expectNoRefusalControl(page: Page, where: string): Promise<void> {
  const texts = await page.locator('button, a, [role="button"], [role="link"]').allInnerTexts();
  const names = await page.locator('button, a').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  const offending = [...texts, ...names].filter((s) => /tolak|refuse|reject|redirect|arahkan|cabang lain|other branch/i.test(s));
  expect(offending, `refuse/redirect control on ${where}`).toEqual([]);
}

async function checkState(page: Page, name: string): Promise<void> {
  await expectNoRefusalControl(page, name);
  await expectNoSeriousA11yIssues(page, name);
  await page.screenshot({ path: docScreenshot(`door-${name}`), fullPage: true });
}

test('door: personal ticket with an honest estimate, guaranteed appointment when full (story d), info from the catalog, no refusal anywhere', async ({ page, loket }) => {
  // First run, staff, two tickets, an appointment and seven axe scans: 25 s idle, 55 s on a loaded 2-core machine.
  test.setTimeout(120_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await countPrints(page);

  await page.goto(loket.url);
  await completeFirstRun(page, head);

  // Story d: the head sets today's JHT capacity to 1 in the settings.
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  await page.getByLabel('Klaim JHT', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Simpan pengaturan', exact: true }).click();
  await expect(page.getByText('Pengaturan tersimpan.')).toBeVisible();
  await addStaff(page, guard);
  await signOut(page);

  await signIn(page, guard.id, guard.pin);
  await expect(page.getByRole('heading', { name: 'Pintu masuk: tiket antrean' })).toBeVisible();
  const today = page.getByTestId('door-today');
  await expect(today.locator('[data-service="jht-claim"]')).toContainText('0 dari 1');
  await checkState(page, 'need');

  // A JHT ticket. The NIK is checked live (shape and date) and masked as it is typed.
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  const nik = page.getByLabel('NIK peserta (16 angka)');
  await expect(nik).toBeFocused();
  await nik.fill(badNik);
  await expect(page.getByTestId('door-nik-status')).toHaveText('Tanggal lahir dalam NIK tidak valid');
  await expect(nik).toHaveAttribute('aria-invalid', 'true');
  await checkState(page, 'nik-invalid');
  await nik.fill(nikA);
  await expect(page.getByTestId('door-nik-status')).toHaveText(`NIK valid: •••• •••• •••• ${nikA.slice(-4)}`);
  await expect(nik).toHaveClass(/is-masked/);
  expect(await nik.evaluate((el) => getComputedStyle(el).getPropertyValue('-webkit-text-security'))).toBe('disc');
  await nik.press('Enter');

  const number = page.getByTestId('door-ticket-number');
  await expect(number).toHaveText(/^A\d-\d{3}$/);
  const ticketNumber = (await number.textContent()) ?? '';
  await expect(page.getByTestId('door-ahead')).toHaveText('0');
  await expect(page.getByTestId('door-estimate')).toHaveText('tanpa antrean');
  await expect(page.getByTestId('door-ticket-result')).toContainText('Ini perkiraan, bukan janji');
  await expect(page.getByTestId('door-print-status')).toContainText('Tiket dikirim ke printer');
  expect(await prints(page)).toBe(1);
  await expect(page.locator('#print-root')).toContainText(ticketNumber);
  // The full NIK is nowhere in the page's text or its address.
  expect(await page.locator('body').innerText()).not.toContain(nikA);
  expect(page.url()).not.toContain(nikA);
  await expect(today.locator('[data-service="jht-claim"]')).toContainText('1 dari 1');
  // The visit is over: the machine takes no more needs, so no service tile is offered.
  await expect(page.getByRole('button', { name: /Berhenti kepesertaan BPU/ })).toHaveCount(0);
  await checkState(page, 'ticket');

  // Story d, by keyboard alone: Enter on "Orang berikutnya", Enter on the (focused) JHT tile,
  // type the NIK, Enter. Today is full, so the person gets a guaranteed appointment.
  await expect(page.getByRole('button', { name: 'Orang berikutnya' })).toBeFocused();
  await page.keyboard.press('Enter');
  const jhtTile = page.getByRole('button', { name: /Klaim JHT/ });
  await expect(jhtTile).toContainText('Hari ini penuh: jadwal terjamin');
  await expect(jhtTile).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Jadwal terjamin Klaim JHT' })).toBeVisible();
  await expect(page.getByTestId('door-full-notice')).toContainText('Jadwal yang akan diberikan:');
  await expect(page.getByLabel('NIK peserta (16 angka)')).toBeFocused();
  await page.keyboard.type(nikB);
  await checkState(page, 'full');
  await page.keyboard.press('Enter');

  const slot = page.getByTestId('door-appointment');
  await expect(slot).toContainText(/pukul (0[89]|1[0-4]):[0-5]\d/);
  await expect(page.getByTestId('door-appointment-result')).not.toContainText(/besok pagi|datang lagi/i);
  await expect(page.getByTestId('door-print-status')).toContainText('Slip jadwal dikirim ke printer');
  expect(await prints(page)).toBe(2);
  const time = /pukul (\d{2}:\d{2})/.exec((await slot.textContent()) ?? '')![1]!;
  // Printed in an Indonesian sentence, the time is written with a dot (08.30).
  await expect(page.locator('#print-root')).toContainText(time.replace(':', '.'));
  expect(await page.locator('body').innerText()).not.toContain(nikB);
  await checkState(page, 'appointment');

  // Info: documents per service and cause from the catalog, with the legal basis.
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Pertanyaan info/ }).click();
  await page.getByRole('button', { name: 'Klaim JHT', exact: true }).click();
  await page.getByLabel('Sebab klaim JHT').selectOption({ label: 'Mengundurkan diri' });
  const docs = page.getByTestId('door-documents');
  await expect(docs).toContainText('e-KTP asli');
  await expect(docs).toContainText('buku tabungan atas nama peserta');
  await expect(docs).toContainText('paklaring atau bukti lain');
  await expect(docs).toContainText('1 bulan setelah tanggal efektif');
  await expect(page.getByTestId('door-legal-basis')).toContainText('Permenaker No. 4 Tahun 2022');
  await page.getByRole('button', { name: 'Harus di cabang asal?' }).click();
  await expect(page.getByTestId('door-info')).toContainText('dilayani di cabang mana pun');
  await checkState(page, 'info');
  await page.getByRole('button', { name: 'Selesai: informasi diberikan' }).click();
  await expect(page.getByRole('heading', { name: 'Informasi sudah diberikan' })).toBeVisible();
  await checkState(page, 'answered');

  expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
});

test('door (issue 16): a stated need ends only with a ticket, an appointment or a recorded decline; the day rolls over without a reload', async ({ page, loket }) => {
  // With the later date, the check-in, a priority ticket and the officer's first call: ~2 min idle, more on a loaded machine.
  test.setTimeout(270_000);
  // Monday 2 March 2026, 09:00 WIB; the clock runs on from there.
  await page.clock.install({ time: new Date('2026-03-02T09:00:00+07:00') });
  await countPrints(page);
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  await page.getByLabel('Klaim JHT', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Simpan pengaturan', exact: true }).click();
  await expect(page.getByText('Pengaturan tersimpan.')).toBeVisible();
  await addStaff(page, guard);
  await addStaff(page, officer);
  await signOut(page);
  await signIn(page, guard.id, guard.pin);

  const today = page.getByTestId('door-today');
  await expect(page.getByTestId('door-day')).toHaveText('Hari layanan: Senin, 2 Maret 2026');
  // Today's only JHT place, then a guaranteed appointment for the next person: Tuesday 08:00.
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nikA);
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  await expect(page.getByTestId('door-ticket-number')).toHaveText(/^A\d-\d{3}$/);
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nikB);
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  await expect(page.getByTestId('door-appointment')).toContainText('Selasa, 3 Maret 2026');
  await expect(page.getByTestId('door-appointment')).toContainText('08:00');
  await expect(page.getByTestId('door-appointment-chosen')).toHaveCount(0);

  // The next person asks for a later date (DOMAIN "Queue"): never a closed day, and when given it
  // is recorded, shown and printed as their own choice.
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  // Tuesday's one JHT place is the appointment just booked: the earliest free slot is Wednesday.
  await expect(page.getByTestId('door-full-notice')).toContainText('Jadwal yang akan diberikan: Rabu, 4 Maret 2026');
  await page.getByLabel('NIK peserta (16 angka)').fill(nikC);
  await page.getByLabel('Peserta meminta tanggal lain yang lebih lambat').check();
  const asked = page.getByLabel('Tanggal yang diminta peserta');
  const check = page.getByTestId('door-later-check');
  await asked.fill('2026-03-07');
  await expect(check).toHaveText('Kantor tidak buka pada Sabtu, 7 Maret 2026. Pilih hari kerja lain.');
  await asked.fill('2026-03-19');
  await expect(check).toHaveText('Kantor tutup pada Kamis, 19 Maret 2026 (Hari Suci Nyepi Tahun Baru Saka 1948). Pilih hari kerja lain.');
  await page.getByRole('button', { name: 'Buat dan cetak jadwal terjamin' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Kantor tutup pada Kamis, 19 Maret 2026' })).toBeVisible();
  await asked.fill('2026-03-05');
  await expect(check).toHaveText('Jadwal yang akan diberikan: Kamis, 5 Maret 2026, pukul 08:00 (dipilih sendiri oleh peserta)');
  await checkState(page, 'later-date');
  const printsLater = await prints(page);
  await page.getByRole('button', { name: 'Buat dan cetak jadwal terjamin' }).click();
  await expect(page.getByTestId('door-appointment')).toContainText('Kamis, 5 Maret 2026');
  await expect(page.getByTestId('door-appointment-chosen')).toHaveText('Tanggal dipilih sendiri oleh peserta.');
  expect(await prints(page)).toBe(printsLater + 1);
  await expect(page.locator('#print-root')).toContainText('Tanggal dipilih sendiri oleh peserta');
  await checkState(page, 'later-date-booked');
  const printsBefore = await prints(page);

  // A person names BPU resignation, then asks an info question: "finish" is gone, and so is "start
  // over"; the visit ends only with a ticket, or with a recorded decline that prints what they were told.
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Berhenti kepesertaan BPU/ }).click();
  await page.getByRole('button', { name: /Pertanyaan info/ }).click();
  await page.getByRole('button', { name: 'Harus di cabang asal?' }).click();
  await expect(page.getByTestId('door-info')).toContainText('dilayani di cabang mana pun');
  await expect(page.getByRole('button', { name: 'Selesai: informasi diberikan' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Mulai dari awal/ })).toHaveCount(0);
  await expect(page.getByText('Orang ini sudah menyebut layanan yang ia perlukan')).toBeVisible();
  await page.getByRole('button', { name: 'Orang ini tidak jadi…' }).click();
  await expect(page.getByTestId('door-decline')).toContainText('tidak jadi mengambil tiket');
  await checkState(page, 'decline');
  await page.getByRole('button', { name: /Ya, catat/ }).click();
  await expect(page.getByTestId('door-declined-result')).toContainText('Dicatat: orang tersebut memilih tidak mengambilnya');
  await expect(page.getByTestId('door-print-status')).toContainText('Slip informasi dikirim ke printer');
  expect(await prints(page)).toBe(printsBefore + 1);
  const slip = page.locator('#print-root');
  await expect(slip).toContainText('Informasi layanan yang diberikan');
  await expect(slip).toContainText('Berhenti kepesertaan BPU');
  await expect(slip).toContainText('dilayani di cabang mana pun');
  await expect(slip).toContainText('Layanan ini tetap hak Anda');
  await checkState(page, 'declined');
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();

  // The branch day changes with the door open: Tuesday 08:05. The day, the places and the queue
  // follow without a reload; Tuesday's JHT place is the appointment's.
  // setSystemTime moves the date without firing 23 hours of timers at once (which would also
  // auto-lock the idle screen); the door notices the new day on its own periodic check.
  await page.clock.setSystemTime(new Date('2026-03-03T08:05:00+07:00'));
  // The guard is at the screen: activity now, so the idle lock does not count the 23 hours skipped.
  await page.mouse.move(10, 10);
  await expect(page.getByTestId('door-day')).toHaveText('Hari layanan: Selasa, 3 Maret 2026', { timeout: 30_000 });
  await expect(today.locator('[data-service="jht-claim"]')).toContainText('1 dari 1');

  // The appointment holder arrives on Tuesday: the door checks them in by NIK on their number (no
  // new place: the day stays at 1 of 1), to be called at their 08:00 slot.
  if (await page.getByRole('heading', { name: 'Layar terkunci' }).isVisible()) {
    await page.getByLabel('PIN', { exact: true }).fill(guard.pin);
    await page.getByRole('button', { name: 'Buka kunci' }).click();
  }
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nikB);
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  const checkedIn = page.getByTestId('door-checkin-result');
  await expect(checkedIn).toBeVisible();
  const apptNumber = (await checkedIn.getByTestId('door-ticket-number').textContent()) ?? '';
  expect(apptNumber).toMatch(/^A\d-\d{3}$/);
  await expect(today.locator('[data-service="jht-claim"]')).toContainText('1 dari 1');
  await checkState(page, 'checked-in');

  // Two JMO walk-ins: the first as usual, the second marked priority (elderly) by category only.
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Reset akun JMO/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nikA);
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  const walkIn = (await page.getByTestId('door-ticket-number').textContent()) ?? '';
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Reset akun JMO/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nikC);
  await page.getByLabel('Layanan prioritas').selectOption({ label: 'Lanjut usia' });
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  const priority = (await page.getByTestId('door-ticket-number').textContent()) ?? '';
  expect(priority).not.toBe(walkIn);
  await signOut(page);

  // The officer's workbench marks the priority ticket (star and word) as the next JMO number, and
  // F2 calls it first, ahead of the earlier walk-in and of the appointment whose slot has come.
  await signIn(page, officer.id, officer.pin);
  const bench = page.locator('[data-screen="Workbench"]');
  await page.getByLabel('Loket', { exact: true }).selectOption({ label: 'Loket 1' });
  await expect(bench.getByTestId('desk-count-jmo-reset')).toHaveText('2');
  await expect(bench.getByTestId('desk-next-jmo-reset')).toContainText(priority);
  await expect(bench.getByTestId('desk-next-jmo-reset')).toContainText('★ Prioritas: Lanjut usia');
  await expect(bench.getByTestId('desk-next-jht-claim')).toContainText(apptNumber);
  await expectNoSeriousA11yIssues(page, 'workbench, priority');
  await page.screenshot({ path: docScreenshot('desk-priority-next'), fullPage: true });
  await page.keyboard.press('F2');
  await expect(page.getByTestId('desk-current-number')).toHaveText(priority);
  await expect(page.getByTestId('desk-current-priority')).toHaveText('★ Prioritas: Lanjut usia');
  await page.screenshot({ path: docScreenshot('desk-priority-called'), fullPage: true });
});
