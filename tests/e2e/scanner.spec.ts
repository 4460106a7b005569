import type { Page } from '@playwright/test';
import { composeNik } from '@shared/identity/nik';
import { expectNoSeriousA11yIssues } from './a11y';
import { expect, test } from './fixtures';
import { addStaff, answerIdentity, completeFirstRun, countPrints, printsOf, signIn, signOut } from './flows';

// Issue 21 pt 4: keyboard-wedge scanners. A scanner "types" its code as one fast burst of key
// presses ending in Enter; the test presses real keys the same way, each 5 ms after the last on the
// page's clock, whatever the load. Generated staff, NIKs and KPJ numbers only.
const head = { id: 'kepala.pindai', name: 'Kepala Uji Pindai', pin: '902417' };
const guard = { id: 'satpam.pindai', name: 'Satpam Uji Pindai', pin: '582614', role: 'Satpam' as const };
const officer = { id: 'petugas.pindai', name: 'Petugas Uji Pindai', pin: '640219', role: 'Petugas Loket' as const };
const nikA = composeNik({ regionCode: '317101', birthDate: '1990-02-03', sex: 'male', serial: 111 });
const nikB = composeNik({ regionCode: '327301', birthDate: '1985-11-20', sex: 'female', serial: 222 });
const REFERENCE = /[A-Z0-9]{2,10}:\d{4}-\d{2}-\d{2}:A\d-\d{3}/;

/**
 * A wedge scanner reading `code`: every character as a real key press, then Enter, each 5 ms after
 * the last as a scanner sends them. The page's clock (page.clock.install) is paused for the burst and
 * moved on 5 ms between keys, so the times the page reads (event.timeStamp, which Playwright's clock
 * drives) are a scanner's however long this machine takes to handle each key; then it runs on. The
 * recogniser is not loosened: a person's typing in these tests runs on the real clock.
 */
async function scan(page: Page, code: string): Promise<void> {
  // Pausing needs a time not yet passed on the page's clock, which runs on while we ask.
  for (let margin = 1_000; ; margin *= 4) {
    const now = await page.evaluate(() => Date.now());
    try {
      await page.clock.pauseAt(now + margin);
      break;
    } catch (e) {
      if (margin > 60_000) throw e;
    }
  }
  for (const ch of code) {
    await page.keyboard.press(ch);
    await page.clock.runFor(5);
  }
  await page.keyboard.press('Enter');
  await page.clock.resume();
}

test('door: scanning an appointment slip QR on its day checks the holder in without the NIK typed; another day or a second scan is refused in words', async ({ page, loket }) => {
  test.setTimeout(270_000); // first run, staff, a ticket, an appointment, a day change, on 2 shared cores
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
  await signOut(page);
  await signIn(page, guard.id, guard.pin);

  // Today's only JHT place, then a guaranteed appointment on Tuesday: its slip's reference is what the QR holds.
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nikA);
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  await expect(page.getByTestId('door-ticket-number')).toHaveText(/^A\d-\d{3}$/);
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Klaim JHT/ }).click();
  await page.getByLabel('NIK peserta (16 angka)').fill(nikB);
  await page.getByLabel('NIK peserta (16 angka)').press('Enter');
  const booked = page.getByTestId('door-appointment-result');
  await expect(booked).toContainText('Selasa, 3 Maret 2026');
  const reference = REFERENCE.exec((await booked.textContent()) ?? '')?.[0] ?? '';
  expect(reference).not.toBe('');
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Klaim JHT/ }).focus();

  // Scanned on Monday: not today's appointment, said in words; nothing starts.
  await scan(page, reference);
  const problem = page.getByTestId('door-scan-problem');
  await expect(problem).toHaveText('Janji temu ini untuk Selasa, 3 Maret 2026, bukan hari ini.');
  await expect(page.getByLabel('NIK peserta (16 angka)')).toHaveCount(0);
  await expect(page.locator('[data-door-state]')).toHaveAttribute('data-door-state', 'askingNeed');
  // The guard starts the next visit by hand: the scan's words go.
  await page.getByRole('button', { name: /Pertanyaan info/ }).click();
  await expect(problem).toHaveCount(0);
  await page.getByRole('button', { name: 'Mulai dari awal (kosongkan formulir)' }).click();
  await expect(page.locator('[data-door-state]')).toHaveAttribute('data-door-state', 'askingNeed');

  // Tuesday 08:05: the holder comes with the slip.
  await page.clock.setSystemTime(new Date('2026-03-03T08:05:00+07:00'));
  await page.mouse.move(10, 10);
  await expect(page.getByTestId('door-day')).toHaveText('Hari layanan: Selasa, 3 Maret 2026', { timeout: 30_000 });
  if (await page.getByRole('heading', { name: 'Layar terkunci' }).isVisible()) {
    await page.getByLabel('PIN', { exact: true }).fill(guard.pin);
    await page.getByRole('button', { name: 'Buka kunci' }).click();
  }
  await page.getByRole('button', { name: /Klaim JHT/ }).focus();
  const printed = await printsOf(page);
  await scan(page, reference);
  // The scan alone checked the holder in on the slip's number: no NIK typed, its ticket printed.
  const checkedIn = page.getByTestId('door-checkin-result');
  await expect(checkedIn).toBeVisible();
  await expect(checkedIn.getByTestId('door-ticket-number')).toHaveText(reference.slice(reference.lastIndexOf(':') + 1));
  await expect(checkedIn).toContainText('pukul 08:00');
  await expect(checkedIn.getByTestId('door-checkin-by-slip')).toHaveText('Check-in dengan memindai slip janji temu, tanpa mengetik NIK. Identitas tetap diperiksa di loket.');
  await expect(page.getByLabel('NIK peserta (16 angka)')).toHaveCount(0);
  await expect(problem).toHaveCount(0);
  await expect.poll(() => printsOf(page)).toBe(printed + 1);
  await expectNoSeriousA11yIssues(page, 'door after checking in on an appointment slip');

  // The same slip again: already checked in, said in words; the next visit waits for its need.
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Klaim JHT/ }).focus();
  await scan(page, reference);
  await expect(problem).toContainText('sudah check-in');
  await expect(page.locator('[data-door-state]')).toHaveAttribute('data-door-state', 'askingNeed');
});

test('counter: scanning a KPJ card fills the KPJ field, never the field being typed in, and submits nothing', async ({ page, loket }) => {
  test.setTimeout(240_000);
  await page.clock.install(); // today, running: the scan's keys are timed on it
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  await addStaff(page, officer);
  await addStaff(page, guard);
  await signOut(page);
  await signIn(page, guard.id, guard.pin);
  const door = page.locator('[data-screen="DoorScreen"]');
  await door.getByRole('button', { name: /^Klaim JHT/ }).click();
  await door.getByLabel('NIK peserta (16 angka)').fill(nikA);
  await door.getByRole('button', { name: 'Terbitkan dan cetak tiket' }).click();
  await expect(door.getByTestId('door-ticket-number')).toHaveText(/A\d-\d{3}/);
  await signOut(page);

  await signIn(page, officer.id, officer.pin);
  await page.getByLabel('Loket', { exact: true }).selectOption({ label: 'Loket 1' });
  await page.getByRole('button', { name: /Panggil berikutnya/ }).click();
  await page.getByLabel('Layanan', { exact: true }).selectOption({ label: 'Klaim JHT' });
  await page.getByLabel('NIK peserta', { exact: true }).fill(nikA);
  await page.getByLabel('Nama peserta', { exact: true }).fill('Budi Contoh Pindai');
  await page.getByRole('button', { name: 'Buka kasus', exact: true }).click();
  const panel = page.getByTestId('jht-panel');
  await answerIdentity(panel, { 'e-KTP asli ditunjukkan': true, 'NIK pada e-KTP sama dengan NIK kasus': true });
  await panel.getByRole('button', { name: 'Catat pemeriksaan identitas' }).click();
  await panel.getByRole('radio', { name: /Mengundurkan diri/ }).check();
  const left = new Date(Date.now() + 7 * 3_600_000 - 62 * 86_400_000).toISOString().slice(0, 10);
  await panel.getByLabel('Tanggal berlaku berhenti bekerja').fill(left);
  await panel.getByRole('button', { name: 'Simpan sebab klaim' }).click();
  await expect(panel).toHaveAttribute('data-step', 'kpjListing');

  const kpjPanel = page.getByTestId('jht-kpj-panel');
  const employer = kpjPanel.getByLabel('Pemberi kerja', { exact: true });
  // The officer is typing the employer when the card is scanned: the card's number goes to the KPJ
  // field, the employer keeps only what was typed, and the scanner's Enter submits nothing.
  await employer.pressSequentially('PT Uji', { delay: 60 });
  await page.waitForTimeout(300); // the card is picked up and aimed: a moment passes between typing and the scan
  await scan(page, '19000000303');
  await expect(kpjPanel.getByLabel('Nomor KPJ', { exact: true })).toHaveValue('19000000303');
  await expect(employer).toHaveValue('PT Uji');
  await expect(employer).toBeFocused();
  await expect(kpjPanel.getByTestId('jht-kpj-row-19000000303')).toHaveCount(0);
  // Typing goes on as before; the officer's own Enter adds the card.
  await employer.pressSequentially(' Pindai', { delay: 60 });
  await kpjPanel.getByLabel('Saldo (Rp)', { exact: true }).fill('12.000.000');
  await kpjPanel.getByLabel('Saldo (Rp)', { exact: true }).press('Enter');
  await expect(kpjPanel.getByTestId('jht-kpj-row-19000000303')).toContainText('PT Uji Pindai');
});
