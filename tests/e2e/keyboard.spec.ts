import type { Locator, Page } from '@playwright/test';
import { composeNik } from '@shared/identity/nik';
import { expect, test } from './fixtures';
import { addStaff, completeFirstRun, countPrints, printsOf, signOut } from './flows';

// Every service flow by keyboard alone (issue 7 item 6): the guard at the door and the officer at
// the counter use only Tab, Shift+Tab, Space, Enter, arrow keys, typing and the F-keys; no click
// after the head's setup. Generated staff and people only.
const head = { id: 'kepala.papan', name: 'Kepala Uji Papan', pin: '802461' };
const officer = { id: 'petugas.papan', name: 'Petugas Uji Papan', pin: '480261', role: 'Petugas Loket' as const };
const satpam = { id: 'satpam.papan', name: 'Satpam Uji Papan', pin: '731961', role: 'Satpam' as const };
const nik = (birthDate: string, serial: number) => composeNik({ regionCode: '317101', birthDate, sex: 'male', serial });
const jmoPerson = { nik: nik('1992-05-11', 71), name: 'Eko Contoh Papan' };
const bpuPerson = { nik: nik('1983-08-02', 72), name: 'Fajar Contoh Papan', kpj: '19000000721' };
const refused = { nik: nik('1994-10-21', 74), name: 'Hadi Contoh Papan' };
const claimant = { nik: nik('1987-03-09', 73), name: 'Gilang Contoh Papan' };
const K1 = { kpj: '19000000731', employer: 'PT Papan Uji Sejahtera', balance: '20000000' };
const K2 = { kpj: '19000000732', employer: 'CV Tombol Contoh', balance: '7500000' };

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

/** Tab into a radio group (one stop for the whole group), then arrow keys until `choice` is checked. */
async function chooseRadio(page: Page, group: Locator, choice: Locator): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await group.evaluateAll((els) => els.some((el) => el === document.activeElement))) break;
    await page.keyboard.press('Tab');
  }
  // A group with nothing checked yet takes the focus without a choice: Space picks the focused one.
  await page.keyboard.press('Space');
  for (let i = 0; i < 10 && !(await choice.isChecked()); i++) await page.keyboard.press('ArrowDown');
  await expect(choice).toBeChecked();
}

/** The identity check by keyboard: each question's Ya/Tidak radio group, in order (issue 16: explicit answers). */
async function answerIdentityByKeyboard(page: Page, scope: Locator, answers: Record<string, boolean>): Promise<void> {
  for (const [question, yes] of Object.entries(answers)) {
    const group = scope.getByRole('group', { name: question, exact: true });
    await chooseRadio(page, group.getByRole('radio'), group.getByLabel(yes ? 'Ya' : 'Tidak', { exact: true }));
  }
}

/**
 * A date field by keyboard. Chromium orders the field's parts by its UI language, not the page's:
 * Playwright starts it in en-US, so month, day, year (an officer's id-ID Windows gives day first).
 */
async function typeDate(page: Page, field: Locator, iso: string): Promise<void> {
  await tabTo(page, field);
  const [y, m, d] = iso.split('-');
  await page.keyboard.type(`${m}${d}${y}`);
  await expect(field).toHaveValue(iso);
}

/** A <select> by keyboard: Tab to it, then ArrowDown until the option labelled `label` is chosen. */
async function chooseOption(page: Page, select: Locator, label: string): Promise<void> {
  await tabTo(page, select);
  const chosen = () => select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent?.trim() ?? '');
  for (let i = 0; i < 20 && (await chosen()) !== label; i++) await page.keyboard.press('ArrowDown');
  expect(await chosen()).toBe(label);
}

/** The branch's (WIB) calendar date, `days` from the page's clock. */
function wibDate(base: Date, days: number): string {
  return new Date(base.getTime() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
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

/**
 * The head's setup (first run, an officer and a guard; by keyboard in a11y.spec.ts) on Monday 09:15,
 * with prints counted. Everything after it is by keyboard.
 */
async function setUpBranch(page: Page, url: string): Promise<void> {
  await page.clock.install({ time: MONDAY_0915 });
  await countPrints(page);
  await page.goto(url);
  await completeFirstRun(page, head);
  await addStaff(page, officer);
  await addStaff(page, satpam);
  await signOut(page);
}

/** A fresh officer on this PC picks the counter with the arrow keys before calling. */
async function chooseCounterByKeyboard(page: Page): Promise<void> {
  const counter = page.getByLabel('Loket', { exact: true });
  await tabTo(page, counter);
  await page.keyboard.press('ArrowDown');
  await expect(counter).not.toHaveValue('');
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
  const prints = () => printsOf(page);
  await setUpBranch(page, loket.url);

  // The door, by keyboard.
  await signInByKeyboard(page, satpam);
  const jmoTicket = await ticketByKeyboard(page, /^Reset akun JMO/, jmoPerson.nik);
  const bpuTicket = await ticketByKeyboard(page, /^Berhenti kepesertaan BPU/, bpuPerson.nik);
  await signOutByKeyboard(page);

  // The counter, by keyboard: choose the counter with the arrow keys, then call with F2.
  await signInByKeyboard(page, officer);
  await chooseCounterByKeyboard(page);
  const bench = page.locator('[data-screen="Workbench"]');
  await expect(bench.getByRole('button', { name: /Panggil berikutnya F2/ })).toBeEnabled();

  // JMO reset: identity (Space on each check), contact, reset, confirmation, receipt.
  let view = await callAndOpenByKeyboard(page, jmoTicket, jmoPerson);
  await expect(view).toHaveAttribute('data-state', 'identity');
  await answerIdentityByKeyboard(page, view, { 'e-KTP asli ditunjukkan': true, 'e-KTP cocok dengan NIK': true, 'Nomor KPJ terdaftar atas NIK ini': true });
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
  await answerIdentityByKeyboard(page, view, { 'e-KTP asli ditunjukkan': true, 'e-KTP cocok dengan NIK': true });
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
  await expect(view.getByTestId('receipt')).toContainText(`KPJ ${bpuPerson.kpj}) berhenti per Senin, 30 November 2026`);
  // The person's proof names the stop instruction the officer sent.
  await expect(view.getByTestId('receipt')).toContainText('Tagihan dihentikan: aplikasi pembayaran (Instruksi stop tagihan no. UJI-0721)');
});

test('a JHT claim with two KPJ, door to receipt, by keyboard alone', async ({ page, loket }) => {
  test.setTimeout(180_000);
  const panel = page.getByTestId('jht-panel');
  await setUpBranch(page, loket.url);

  await signInByKeyboard(page, satpam);
  const ticket = await ticketByKeyboard(page, /^Klaim JHT/, claimant.nik);
  await signOutByKeyboard(page);

  await signInByKeyboard(page, officer);
  await chooseCounterByKeyboard(page);
  await callAndOpenByKeyboard(page, ticket, claimant);

  // Identity.
  await expect(panel).toHaveAttribute('data-step', 'identity');
  await answerIdentityByKeyboard(page, panel, { 'e-KTP asli ditunjukkan': true, 'NIK pada e-KTP sama dengan NIK kasus': true });
  await press(page, panel.getByRole('button', { name: 'Catat pemeriksaan identitas' }), 'Enter');

  // Cause: resignation two months ago (arrow keys in the radio group, the date typed).
  await expect(panel).toHaveAttribute('data-step', 'cause');
  await chooseRadio(page, panel.getByRole('radio'), panel.getByRole('radio', { name: /Mengundurkan diri/ }));
  await typeDate(page, panel.getByLabel('Tanggal berlaku berhenti bekerja'), wibDate(MONDAY_0915, -62));
  await expect(panel.getByTestId('jht-timing')).toContainText('Masa tunggu 1 bulan sudah lewat');
  await press(page, panel.getByRole('button', { name: 'Simpan sebab klaim' }), 'Enter');

  // Two KPJ, typed card after card (Enter in the balance field adds it).
  await expect(panel).toHaveAttribute('data-step', 'kpjListing');
  const kpjPanel = panel.getByTestId('jht-kpj-panel');
  for (const k of [K1, K2]) {
    await typeInto(page, kpjPanel.getByLabel('Nomor KPJ', { exact: true }), k.kpj);
    await typeInto(page, kpjPanel.getByLabel('Pemberi kerja', { exact: true }), k.employer);
    await typeInto(page, kpjPanel.getByLabel('Saldo (Rp)', { exact: true }), k.balance);
    await page.keyboard.press('Enter');
    await expect(kpjPanel.getByTestId(`jht-kpj-row-${k.kpj}`)).toContainText(k.employer);
  }
  await press(page, panel.getByRole('button', { name: /Catat pencarian NIK \(2 KPJ/ }), 'Enter');
  await expect(panel.getByTestId('jht-search-done')).toBeVisible();
  await press(page, panel.getByRole('button', { name: /Konfirmasi: ini semua KPJ milik NIK \(2\)/ }), 'Enter');

  // Documents.
  await expect(panel).toHaveAttribute('data-step', 'documents');
  const docs = panel.getByTestId('jht-docs');
  await press(page, docs.getByLabel('Buku tabungan', { exact: true }), 'Space');
  await press(page, docs.getByLabel(/^Bukti lain/), 'Space');
  await press(page, docs.getByRole('button', { name: 'Catat dokumen yang dicentang' }), 'Enter');
  await press(page, docs.getByRole('button', { name: 'Ajukan klaim' }), 'Enter');
  await expect(panel).toHaveAttribute('data-step', 'submitted');

  // K1 paid; K2 pending with a reason and a follow-up date; only then does the claim close.
  const close = page.getByRole('button', { name: 'Terbitkan tanda terima dan tutup' });
  await press(page, panel.getByRole('button', { name: `Selesaikan KPJ ${K1.kpj}` }), 'Enter');
  await expect(panel.getByRole('radio', { name: 'Dibayar' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(panel.getByRole('radio', { name: 'Dibayar' })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId(`jht-kpj-row-${K1.kpj}`)).toContainText('Dibayar');
  await expect(close).toBeDisabled();
  await press(page, panel.getByRole('button', { name: `Selesaikan KPJ ${K2.kpj}` }), 'Enter');
  await expect(panel.getByRole('radio', { name: 'Dibayar' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(panel.getByRole('radio', { name: 'Tertunda' })).toBeChecked();
  // The reason comes from the catalog of pending reasons; the follow-up date starts on the latest
  // the rule allows (5 working days), so the keyboard only has to choose the reason.
  await chooseOption(page, panel.getByLabel('Alasan tertunda'), 'Konfirmasi data kepesertaan kepada pemberi kerja');
  await press(page, panel.getByRole('button', { name: `Simpan hasil KPJ ${K2.kpj}` }), 'Enter');
  await expect(panel.getByTestId(`jht-kpj-row-${K2.kpj}`)).toContainText('Tertunda');
  await expect(close).toBeEnabled();

  await press(page, close, 'Enter');
  await expect(page.getByTestId('receipt')).toBeVisible();
  const printed = page.locator('#print-root');
  await expect(printed.locator('tr', { hasText: K1.kpj })).toContainText('Dibayar');
  await expect(printed.locator('tr', { hasText: K2.kpj })).toContainText('Tertunda: Konfirmasi data kepesertaan kepada pemberi kerja');
});

test('a refusal through the catalog and the head’s overturn, by keyboard alone', async ({ page, loket }) => {
  test.setTimeout(150_000);
  await setUpBranch(page, loket.url);

  await signInByKeyboard(page, satpam);
  const ticket = await ticketByKeyboard(page, /^Reset akun JMO/, refused.nik);
  await signOutByKeyboard(page);

  // The e-KTP is shown but does not match the NIK: the one code whose guard holds is chosen by arrows.
  await signInByKeyboard(page, officer);
  await chooseCounterByKeyboard(page);
  const view = await callAndOpenByKeyboard(page, ticket, refused);
  await answerIdentityByKeyboard(page, view, { 'e-KTP asli ditunjukkan': true, 'e-KTP cocok dengan NIK': false });
  await press(page, view.getByRole('button', { name: 'Catat pemeriksaan identitas' }), 'Enter');
  const refusal = view.getByTestId('refusal-panel');
  await expect(refusal.locator('[data-available="true"]')).toHaveCount(1);
  await chooseRadio(page, refusal.getByRole('radio'), refusal.getByRole('radio', { name: /Identitas belum terverifikasi/ }));
  await press(page, refusal.getByRole('button', { name: 'Tolak dan cetak slip' }), 'Enter');
  await expect(page.getByText('Penolakan dicatat dan slip dicetak.')).toBeVisible();
  await signOutByKeyboard(page);

  // The head reviews it and overturns it with an Ombudsman category and a follow-up.
  await signInByKeyboard(page, head);
  const review = page.getByTestId('review-page');
  const row = review.getByTestId('review-pending-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await press(page, row.getByRole('button', { name: /Tinjau penolakan kasus/ }), 'Enter');
  const form = page.getByTestId('review-form');
  await expect(form.getByRole('heading', { level: 2 })).toBeFocused();
  await chooseRadio(page, form.getByRole('radio'), form.getByLabel('Batalkan penolakan'));
  await chooseOption(page, form.getByLabel('Kategori maladministrasi (Ombudsman)'), 'Penyimpangan prosedur');
  // The case recorded no phone number: "call back" is offered once the head records one.
  await typeInto(page, form.getByLabel('Nomor HP peserta (bila ada)'), '081234567890');
  await chooseOption(page, form.getByLabel('Tindak lanjut', { exact: true }), 'Hubungi kembali peserta');
  await press(page, form.getByRole('button', { name: 'Simpan keputusan' }), 'Enter');
  await expect(review.getByRole('status')).toContainText('dibatalkan. Tindak lanjut “Hubungi kembali peserta”');
  await expect(review.getByTestId('review-empty')).toBeVisible();
});
