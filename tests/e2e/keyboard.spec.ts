import type { Locator, Page } from '@playwright/test';
import { composeNik } from '../../shared/identity/nik';
import { expect, test } from './fixtures';
import { addStaff, completeFirstRun, signOut } from './flows';

// Every service flow by keyboard alone (issue 7 item 6): the guard at the door and the officer at
// the counter use only Tab, Shift+Tab, Space, Enter, arrow keys, typing and the F-keys; no click
// after the head's setup. Generated staff and people only.
const head = { id: 'kepala.papan', name: 'Kepala Uji Papan', pin: '802461' };
const officer = { id: 'petugas.papan', name: 'Petugas Uji Papan', pin: '480261', role: 'Petugas Loket' as const };
const satpam = { id: 'satpam.papan', name: 'Satpam Uji Papan', pin: '731961', role: 'Satpam' as const };
const nik = (birthDate: string, serial: number) => composeNik({ regionCode: '317101', birthDate, sex: 'male', serial });
const jmoPerson = { nik: nik('1992-05-11', 71), name: 'Eko Contoh Papan' };
const bpuPerson = { nik: nik('1983-08-02', 72), name: 'Fajar Contoh Papan', kpj: '19000000721' };

/** Monday 30 November 2026, 09:15 in Jakarta: a service day. */
const MONDAY_0915 = new Date('2026-11-30T09:15:00+07:00');

/** Presses Tab until `target` has the focus: proves it is reachable by keyboard, in tab order. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target.toString()} was not reached with ${max} Tab presses`);
}

async function press(page: Page, target: Locator, key: 'Enter' | 'Space'): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

async function signInByKeyboard(page: Page, who: { id: string; pin: string }): Promise<void> {
  await typeInto(page, page.getByLabel('ID staf', { exact: true }), who.id);
  await typeInto(page, page.getByLabel('PIN', { exact: true }), who.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Keluar', exact: true })).toBeVisible();
}

async function signOutByKeyboard(page: Page): Promise<void> {
  await press(page, page.getByRole('button', { name: 'Keluar', exact: true }), 'Enter');
  await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeVisible();
}

/** The guard issues a personal ticket: service tile, NIK, Enter. */
async function ticketByKeyboard(page: Page, service: RegExp, personNik: string): Promise<string> {
  const door = page.locator('[data-screen="DoorScreen"]');
  await press(page, door.getByRole('button', { name: service }), 'Enter');
  const field = door.getByLabel('NIK peserta (16 angka)');
  await expect(field).toBeFocused();
  await page.keyboard.type(personNik);
  await page.keyboard.press('Enter');
  const number = door.getByTestId('door-ticket-number');
  await expect(number).toHaveText(/^[A-D]\d-\d{3}$/);
  const text = (await number.textContent())!.trim();
  await press(page, door.getByRole('button', { name: 'Orang berikutnya' }), 'Enter');
  return text;
}

/** The officer calls the next ticket (F2) and opens its case: NIK, name, Enter. */
async function callAndOpenByKeyboard(page: Page, expected: string, person: { nik: string; name: string }): Promise<Locator> {
  await page.keyboard.press('F2');
  await expect(page.getByTestId('desk-current-number')).toHaveText(expected);
  await typeInto(page, page.getByLabel('NIK peserta', { exact: true }), person.nik);
  await typeInto(page, page.getByLabel('Nama peserta', { exact: true }), person.name);
  await page.keyboard.press('Enter');
  const view = page.locator('[data-screen="CaseView"]');
  await expect(view).toBeVisible();
  return view;
}

test('door to receipt by keyboard alone: a JMO reset and a BPU resignation', async ({ page, loket }) => {
  test.setTimeout(150_000);
  await page.clock.install({ time: MONDAY_0915 });
  // Headless Chromium has no print dialog: count the calls instead (the app's code is unchanged).
  await page.addInitScript(() => {
    const w = window as unknown as { __prints: number; print: () => void };
    w.__prints = 0;
    w.print = () => void (w.__prints += 1);
  });
  const prints = () => page.evaluate(() => (window as unknown as { __prints: number }).__prints);

  // Setup (the head's first run and staff accounts; covered by keyboard in a11y.spec.ts).
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  await addStaff(page, officer);
  await addStaff(page, satpam);
  await signOut(page);

  // The door, by keyboard.
  await signInByKeyboard(page, satpam);
  const jmoTicket = await ticketByKeyboard(page, /^Reset akun JMO/, jmoPerson.nik);
  const bpuTicket = await ticketByKeyboard(page, /^Berhenti peserta BPU/, bpuPerson.nik);
  await signOutByKeyboard(page);

  // The counter, by keyboard: choose the counter with the arrow keys, then call with F2.
  await signInByKeyboard(page, officer);
  const counter = page.getByLabel('Loket', { exact: true });
  await tabTo(page, counter);
  await page.keyboard.press('ArrowDown');
  await expect(counter).not.toHaveValue('');
  const bench = page.locator('[data-screen="Workbench"]');
  await expect(bench.getByRole('button', { name: /Panggil berikutnya F2/ })).toBeEnabled();

  // JMO reset: identity (Space on each check), contact, reset, confirmation, receipt.
  let view = await callAndOpenByKeyboard(page, jmoTicket, jmoPerson);
  await expect(view).toHaveAttribute('data-state', 'identity');
  for (const label of ['e-KTP asli ditunjukkan', 'e-KTP cocok dengan NIK', 'Nomor KPJ terdaftar atas NIK ini']) {
    await press(page, view.getByLabel(label), 'Space');
    await expect(view.getByLabel(label)).toBeChecked();
  }
  await press(page, view.getByRole('button', { name: 'Catat pemeriksaan identitas' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'contact');
  await typeInto(page, view.getByLabel('Email', { exact: true }), 'eko.papan@contoh.id');
  await typeInto(page, view.getByLabel('Nomor HP', { exact: true }), '081234567801');
  await press(page, view.getByRole('button', { name: 'Simpan email dan nomor HP' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'resetPending');
  await press(page, view.getByRole('button', { name: 'Reset akun JMO' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'awaitingConfirmation');
  await press(page, view.getByRole('button', { name: 'Peserta sudah dapat masuk' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'receiptPending');
  const beforeJmo = await prints();
  await press(page, view.getByRole('button', { name: 'Terbitkan tanda terima dan tutup' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'closed');
  await expect.poll(prints).toBe(beforeJmo + 1);
  await expect(view.getByTestId('receipt')).toContainText('Akun JMO Anda telah direset');
  await press(page, view.getByRole('button', { name: 'Kembali ke antrean' }), 'Enter');
  await expect(bench.getByText('Belum ada nomor yang dipanggil')).toBeVisible();

  // BPU resignation: identity, membership (KPJ, billing channel), stop today, billing stop, receipt.
  view = await callAndOpenByKeyboard(page, bpuTicket, bpuPerson);
  await expect(view).toHaveAttribute('data-state', 'identity');
  await press(page, view.getByLabel('e-KTP asli ditunjukkan'), 'Space');
  await press(page, view.getByLabel('e-KTP cocok dengan NIK'), 'Space');
  await press(page, view.getByRole('button', { name: 'Catat pemeriksaan identitas' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'membership');
  await typeInto(page, view.getByLabel('Nomor KPJ BPU'), bpuPerson.kpj);
  await press(page, view.getByLabel('Aplikasi pembayaran'), 'Space');
  await expect(view.getByLabel('Aplikasi pembayaran')).toBeChecked();
  await press(page, view.getByRole('button', { name: 'Kepesertaan ditemukan' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'stopDate');
  await press(page, view.getByRole('button', { name: 'Catat berhenti hari ini' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'billing');
  await typeInto(page, view.getByLabel('Instruksi penghentian Aplikasi pembayaran'), 'Instruksi stop tagihan no. UJI-0721');
  await press(page, view.getByRole('button', { name: 'Hentikan tagihan Aplikasi pembayaran' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'continuation');
  await press(page, view.getByRole('button', { name: 'Tidak lanjut klaim' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'receiptPending');
  const beforeBpu = await prints();
  await press(page, view.getByRole('button', { name: 'Terbitkan tanda terima dan tutup' }), 'Enter');
  await expect(view).toHaveAttribute('data-state', 'closed');
  await expect.poll(prints).toBe(beforeBpu + 1);
  await expect(view.getByTestId('receipt')).toContainText(`KPJ ${bpuPerson.kpj}) berhenti per 2026-11-30`);
  await expect(view.getByTestId('receipt')).toContainText('Tagihan dihentikan: aplikasi pembayaran');
});
