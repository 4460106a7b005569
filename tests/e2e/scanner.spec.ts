import type { Page } from '@playwright/test';
import { composeNik } from '../../shared/identity/nik';
import { expectNoSeriousA11yIssues } from './a11y';
import { expect, test } from './fixtures';
import { addStaff, answerIdentity, completeFirstRun, countPrints, signIn, signOut } from './flows';

// Issue 21 pt 4: keyboard-wedge scanners. A scanner "types" its code as one fast burst of key
// presses ending in Enter; the test types it the same way (real key presses, no delay). Generated
// staff, NIKs and KPJ numbers only.
const head = { id: 'kepala.pindai', name: 'Kepala Uji Pindai', pin: '902417' };
const guard = { id: 'satpam.pindai', name: 'Satpam Uji Pindai', pin: '582614', role: 'Satpam' as const };
const officer = { id: 'petugas.pindai', name: 'Petugas Uji Pindai', pin: '640219', role: 'Petugas Loket' as const };
const nikA = composeNik({ regionCode: '317101', birthDate: '1990-02-03', sex: 'male', serial: 111 });
const nikB = composeNik({ regionCode: '327301', birthDate: '1985-11-20', sex: 'female', serial: 222 });
const REFERENCE = /[A-Z0-9]{2,10}:\d{4}-\d{2}-\d{2}:A\d-\d{3}/;

/** A wedge scanner reading `code`: every character as a key press at full speed, then Enter. */
async function scan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(`${code}\n`);
}

/**
 * The same, with each key stamped 5 ms after the last as the OS stamps a scanner's keys, whatever the
 * time the page takes to handle each one (a field that re-renders on every key, on a loaded machine).
 */
async function scanStamped(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now() / 1000;
  const keys = [...code].map((ch) => ({ key: ch, code: /\d/.test(ch) ? `Digit${ch}` : `Key${ch.toUpperCase()}`, text: ch, vk: ch.toUpperCase().charCodeAt(0) }));
  keys.push({ key: 'Enter', code: 'Enter', text: '\r', vk: 13 });
  for (const [i, k] of keys.entries()) {
    const timestamp = start + (i * 5) / 1000;
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k.key, code: k.code, text: k.text, unmodifiedText: k.text, windowsVirtualKeyCode: k.vk, timestamp });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.vk, timestamp: timestamp + 0.002 });
  }
  await cdp.detach();
}

test('door: scanning an appointment slip QR opens its check-in on its day; the NIK typed by hand checks the holder in', async ({ page, loket }) => {
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
  await expect(page.getByTestId('door-scan-problem')).toHaveText('Janji temu ini untuk Selasa, 3 Maret 2026, bukan hari ini.');
  await expect(page.getByLabel('NIK peserta (16 angka)')).toHaveCount(0);

  // Tuesday 08:05: the holder comes with the slip.
  await page.clock.setSystemTime(new Date('2026-03-03T08:05:00+07:00'));
  await page.mouse.move(10, 10);
  await expect(page.getByTestId('door-day')).toHaveText('Hari layanan: Selasa, 3 Maret 2026', { timeout: 30_000 });
  if (await page.getByRole('heading', { name: 'Layar terkunci' }).isVisible()) {
    await page.getByLabel('PIN', { exact: true }).fill(guard.pin);
    await page.getByRole('button', { name: 'Buka kunci' }).click();
  }
  await page.getByRole('button', { name: /Klaim JHT/ }).focus();
  await scan(page, reference);
  // The scan opened the appointment's check-in (its service stated, its number and time said); the
  // Enter that ended it pressed nothing, and none of its characters landed in the NIK field.
  await expect(page.getByRole('status').filter({ hasText: 'Slip janji temu terbaca: nomor' })).toContainText('pukul 08:00');
  const nikField = page.getByLabel('NIK peserta (16 angka)');
  await expect(nikField).toBeFocused();
  await expect(nikField).toHaveValue('');
  await expect(page.getByTestId('door-scan-problem')).toHaveCount(0);
  await expectNoSeriousA11yIssues(page, 'door after scanning an appointment slip');
  // Typed by hand (a person's pace): typing still works with the scanner listening, and the NIK checks the holder in.
  await nikField.pressSequentially(nikB, { delay: 60 });
  await nikField.press('Enter');
  await expect(page.getByTestId('door-checkin-result')).toBeVisible();
  await expect(page.getByTestId('door-checkin-result').getByTestId('door-ticket-number')).toHaveText(reference.slice(reference.lastIndexOf(':') + 1));

  // The same slip again: already checked in.
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await page.getByRole('button', { name: /Klaim JHT/ }).focus();
  await scan(page, reference);
  await expect(page.getByTestId('door-scan-problem')).toContainText('sudah check-in');
});

test('counter: scanning a KPJ card fills the KPJ field, never the field being typed in, and submits nothing', async ({ page, loket }) => {
  test.setTimeout(240_000);
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
  await scanStamped(page, '19000000303');
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
