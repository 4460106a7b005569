import type { Page } from '@playwright/test';
import { NATIONAL_CALENDAR, nextOpenDay } from '@shared/calendar';
import { addDays } from '@shared/dates';
import { formatDay } from '@shared/i18n/format';
import { composeNik } from '@shared/identity/nik';
import { docScreenshot, expectNoSeriousA11yIssues } from './a11y';
import { expect, test } from './fixtures';
import { addStaff, answerIdentity, completeFirstRun, signIn, signOut } from './flows';

// Story c (DESIGN §1 "the vanished balance"): a JHT claim with two KPJ from two employers cannot
// close until both are resolved; the receipt lists both. Generated people and numbers only.
const head = { id: 'kepala.jht', name: 'Kepala Uji JHT', pin: '802419' };
const officer = { id: 'petugas.jht', name: 'Petugas Uji JHT', pin: '480219', role: 'Petugas Loket' as const };
const satpam = { id: 'satpam.jht', name: 'Satpam Uji JHT', pin: '731905', role: 'Satpam' as const };
const person = { nik: composeNik({ regionCode: '317101', birthDate: '1986-07-14', sex: 'male', serial: 41 }), name: 'Budi Contoh Santoso' };
const K1 = { kpj: '19000000101', employer: 'PT Sumber Uji Makmur', balance: '30.000.000' };
const K2 = { kpj: '19000000202', employer: 'CV Cahaya Contoh', balance: '15.500.000' };

/** The branch's (WIB) calendar date, `days` from today. */
function wibDate(days = 0): string {
  return new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** A person who turns 56 nine days from today: an age-56 claim before the birthday (issue 16 pt 4). */
const turns56 = wibDate(9);
const person55 = {
  nik: composeNik({ regionCode: '317101', birthDate: `${Number(turns56.slice(0, 4)) - 56}${turns56.slice(4)}`, sex: 'female', serial: 56 }),
  name: 'Sri Contoh Lestari',
};

/** Security at the door issues a personal (NIK-bound) JHT ticket. */
async function issueJhtTicket(page: Page, nik: string): Promise<void> {
  const door = page.locator('[data-screen="DoorScreen"]');
  await door.getByRole('button', { name: /^Klaim JHT/ }).click();
  await door.getByLabel('NIK peserta (16 angka)').fill(nik);
  await door.getByRole('button', { name: 'Terbitkan dan cetak tiket' }).click();
  await expect(door.getByTestId('door-ticket-number')).toHaveText(/A\d-\d{3}/);
}

/** The officer calls the ticket and opens the JHT case for the person. */
async function openJhtCase(page: Page, who: { nik: string; name: string } = person): Promise<void> {
  await page.getByLabel('Loket', { exact: true }).selectOption({ label: 'Loket 1' });
  await page.getByRole('button', { name: /Panggil berikutnya/ }).click();
  await expect(page.getByTestId('desk-current-number')).toHaveText(/A\d-\d{3}/);
  await page.getByLabel('Layanan', { exact: true }).selectOption({ label: 'Klaim JHT' });
  await page.getByLabel('NIK peserta', { exact: true }).fill(who.nik);
  await page.getByLabel('Nama peserta', { exact: true }).fill(who.name);
  await page.getByRole('button', { name: 'Buka kasus', exact: true }).click();
  await expect(page.getByTestId('jht-panel')).toBeVisible();
}

async function addKpj(page: Page, k: { kpj: string; employer: string; balance: string }): Promise<void> {
  const panel = page.getByTestId('jht-kpj-panel');
  await panel.getByLabel('Nomor KPJ', { exact: true }).fill(k.kpj);
  await panel.getByLabel('Pemberi kerja', { exact: true }).fill(k.employer);
  await panel.getByLabel('Saldo (Rp)', { exact: true }).fill(k.balance);
  // Enter submits, as an officer typing card after card would do.
  await panel.getByLabel('Saldo (Rp)', { exact: true }).press('Enter');
  await expect(panel.getByTestId(`jht-kpj-row-${k.kpj}`)).toContainText(k.employer);
  // The form is ready for the next card: emptied, and the save announced.
  await expect(panel.getByRole('status').filter({ hasText: `KPJ ${k.kpj} ditambahkan.` })).toBeAttached();
  await expect(panel.getByLabel('Nomor KPJ', { exact: true })).toHaveValue('');
}

test('story c: two KPJ from two employers; the claim cannot close until both are resolved; the receipt lists both', async ({ page, loket }) => {
  // A whole visit (first run, door, desk, nine JHT steps, seven axe scans) on 2 shared cores.
  test.setTimeout(270_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  const panel = page.getByTestId('jht-panel');

  // Setup through the UI: the head's first run, an officer and a security guard.
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  await addStaff(page, officer);
  await addStaff(page, satpam);
  await signOut(page);

  await signIn(page, satpam.id, satpam.pin);
  await issueJhtTicket(page, person.nik);
  await page.getByRole('button', { name: 'Orang berikutnya' }).click();
  await issueJhtTicket(page, person55.nik);
  await signOut(page);

  await signIn(page, officer.id, officer.pin);
  await openJhtCase(page);

  // Identity.
  await expect(panel).toHaveAttribute('data-step', 'identity');
  await expectNoSeriousA11yIssues(page, 'JHT identity step');
  await answerIdentity(panel, { 'e-KTP asli ditunjukkan': true, 'NIK pada e-KTP sama dengan NIK kasus': true });
  await panel.getByRole('button', { name: 'Catat pemeriksaan identitas' }).click();

  // Cause: a resignation two months ago; the waiting period and the first claimable date are shown.
  await expect(panel).toHaveAttribute('data-step', 'cause');
  await panel.getByRole('radio', { name: /Mengundurkan diri/ }).check();
  await panel.getByLabel('Tanggal berlaku berhenti bekerja').fill(wibDate(-62));
  await expect(panel.getByTestId('jht-timing')).toContainText('Masa tunggu 1 bulan sudah lewat');
  await expectNoSeriousA11yIssues(page, 'JHT cause step');
  await page.screenshot({ path: docScreenshot('jht-1-cause'), fullPage: true });
  await panel.getByRole('button', { name: 'Simpan sebab klaim' }).click();

  // Every KPJ of the NIK: two employers. The confirm is unavailable, and says why, until the search is recorded.
  await expect(panel).toHaveAttribute('data-step', 'kpjListing');
  // A 10-digit number is caught by the form, next to the field; the officer fixes it and saves.
  const kpjPanel = panel.getByTestId('jht-kpj-panel');
  await kpjPanel.getByLabel('Nomor KPJ', { exact: true }).fill(K1.kpj.slice(0, 10));
  await kpjPanel.getByLabel('Pemberi kerja', { exact: true }).fill(K1.employer);
  await kpjPanel.getByLabel('Saldo (Rp)', { exact: true }).fill(K1.balance);
  await kpjPanel.getByRole('button', { name: 'Tambah KPJ', exact: true }).click();
  await expect(kpjPanel.getByText('Nomor KPJ harus 11 angka.')).toBeVisible();
  await expect(kpjPanel.getByLabel('Nomor KPJ', { exact: true })).toBeFocused();
  await expect(kpjPanel.locator('tbody tr')).toHaveCount(0);
  await addKpj(page, K1);
  await addKpj(page, K2);
  await expect(panel.getByRole('button', { name: /Konfirmasi: ini semua KPJ/ })).toBeDisabled();
  await expect(panel).toContainText('catat dulu pencarian KPJ berdasarkan NIK');
  await panel.getByRole('button', { name: /Catat pencarian NIK \(2 KPJ/ }).click();
  await expect(panel.getByTestId('jht-search-done')).toBeVisible();
  await expect(panel.getByTestId('jht-unresolved-banner')).toContainText(`Klaim belum dapat ditutup: saldo KPJ ${K1.kpj}, ${K2.kpj} belum diselesaikan`);
  await expect(panel.getByTestId('jht-kpj-total')).toHaveText('Rp45.500.000');
  await expectNoSeriousA11yIssues(page, 'JHT KPJ list');
  await page.screenshot({ path: docScreenshot('jht-2-kpj-list'), fullPage: true });
  await panel.getByRole('button', { name: /Konfirmasi: ini semua KPJ milik NIK \(2\)/ }).click();

  // Documents for a resignation: other proof of termination is enough; no NPWP at Rp45.500.000.
  await expect(panel).toHaveAttribute('data-step', 'documents');
  const docs = panel.getByTestId('jht-docs');
  await expect(docs.getByTestId('jht-npwp-rule')).toContainText('NPWP tidak diperlukan');
  await expect(docs.getByRole('button', { name: 'Ajukan klaim' })).toBeDisabled();
  await expect(docs.getByTestId('jht-submit-why')).toContainText('Buku tabungan atas nama peserta');
  await docs.getByLabel('Buku tabungan', { exact: true }).check();
  await docs.getByLabel(/^Bukti lain/).check();
  await expectNoSeriousA11yIssues(page, 'JHT documents');
  await page.screenshot({ path: docScreenshot('jht-3-documents'), fullPage: true });
  await docs.getByRole('button', { name: 'Catat dokumen yang dicentang' }).click();
  await expect(docs.getByRole('button', { name: 'Ajukan klaim' })).toBeEnabled();
  await docs.getByRole('button', { name: 'Ajukan klaim' }).click();

  // Submitted: the first KPJ is paid; the second still open keeps the claim from closing, and says why.
  await expect(panel).toHaveAttribute('data-step', 'submitted');
  const close = page.getByRole('button', { name: 'Terbitkan tanda terima dan tutup' });
  await expect(close).toBeDisabled();
  await panel.getByRole('button', { name: `Selesaikan KPJ ${K1.kpj}` }).click();
  await panel.getByRole('radio', { name: 'Dibayar' }).check();
  await panel.getByRole('button', { name: `Simpan hasil KPJ ${K1.kpj}` }).click();
  await expect(panel.getByTestId(`jht-kpj-row-${K1.kpj}`)).toContainText('Dibayar');
  await expect(panel.getByTestId('jht-unresolved-banner')).toContainText(`Klaim belum dapat ditutup: saldo KPJ ${K2.kpj} belum diselesaikan`);
  await expect(panel.getByTestId('jht-close-state')).toContainText(`saldo KPJ ${K2.kpj} belum diselesaikan`);
  await expect(close).toBeDisabled();
  await expectNoSeriousA11yIssues(page, 'JHT one KPJ unresolved');
  // English second: the same reason, in English.
  await page.locator('.lang-switch button[lang="en"]').click();
  await expect(panel.getByTestId('jht-unresolved-banner')).toContainText(`The claim cannot close yet: the balance of KPJ ${K2.kpj} is not resolved.`);
  await page.locator('.lang-switch button[lang="id"]').click();
  await expect(panel.getByTestId('jht-unresolved-banner')).toContainText('Klaim belum dapat ditutup');
  await page.screenshot({ path: docScreenshot('jht-4-one-unresolved'), fullPage: true });

  // The second KPJ: pending with a reason from the catalog and a follow-up within 5 working days
  // (issue 16; an unchosen reason is caught first, free text is only a note).
  // By keyboard: opening the form focuses the first outcome; arrows pick "Tertunda"; Enter submits.
  await panel.getByRole('button', { name: `Selesaikan KPJ ${K2.kpj}` }).press('Enter');
  await expect(panel.getByRole('radio', { name: 'Dibayar' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(panel.getByRole('radio', { name: 'Tertunda' })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(panel.getByText('Pilih alasan tertunda dari daftar.')).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'JHT KPJ outcome form with an error');
  await panel.getByLabel('Alasan tertunda').selectOption({ label: 'Rekonsiliasi saldo dengan kantor cabang lain' });
  await expect(panel).toContainText('Dasar: Permenaker No. 4 Tahun 2022 (penggabungan saldo');
  // The date picker starts on a valid date (the latest the rule allows); a later one is refused.
  const followUp = panel.getByLabel('Tanggal tindak lanjut');
  const latest = await followUp.inputValue();
  expect(latest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(latest > wibDate(0) && latest <= wibDate(9)).toBe(true);
  await followUp.fill(wibDate(30));
  await panel.getByRole('button', { name: `Simpan hasil KPJ ${K2.kpj}` }).click();
  await expect(panel.getByText(/Tanggal tindak lanjut paling lambat 5 hari kerja dari hari ini/)).toBeVisible();
  await followUp.fill(latest);
  await panel.getByLabel('Catatan (opsional)').fill('Menunggu konfirmasi saldo dari cabang asal');
  await panel.getByRole('button', { name: `Simpan hasil KPJ ${K2.kpj}` }).click();
  await expect(panel.getByTestId(`jht-kpj-row-${K2.kpj}`)).toContainText('Tertunda');
  await expect(panel.getByTestId(`jht-kpj-row-${K2.kpj}`)).toContainText('Rekonsiliasi saldo dengan kantor cabang lain');
  await expect(panel.getByTestId(`jht-kpj-row-${K2.kpj}`)).toContainText('Catatan: Menunggu konfirmasi saldo dari cabang asal');
  await expect(panel.getByTestId('jht-unresolved-banner')).toHaveCount(0);
  await expect(panel.getByTestId('jht-all-resolved')).toBeVisible();
  await expect(close).toBeEnabled();
  await page.screenshot({ path: docScreenshot('jht-5-all-resolved'), fullPage: true });

  // Close: the receipt is issued and printed; the printed receipt lists both KPJ with their outcomes.
  await close.click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  const printed = page.locator('#print-root');
  await expect(printed.getByTestId('print-case')).toHaveText(/\S/);
  await expect(printed.locator('tr', { hasText: K1.kpj })).toContainText('Dibayar');
  await expect(printed.locator('tr', { hasText: K2.kpj })).toContainText('Tertunda: Rekonsiliasi saldo dengan kantor cabang lain');
  await expect(printed.locator('tr', { hasText: K2.kpj })).not.toContainText('BALANCE_RECONCILIATION');
  // The tax on the lump sum, for information: Rp45.500.000 paid, 0% up to Rp50.000.000.
  await expect(printed.getByTestId('print-lump-sum')).toContainText('Rp45.500.000');
  await expect(printed.getByTestId('print-lump-sum')).toContainText('Rp0');
  await expectNoSeriousA11yIssues(page, 'JHT closed with receipt');
  await page.screenshot({ path: docScreenshot('jht-6-receipt'), fullPage: true });

  // Issue 16 pt 4: "not yet" ends with a date. The next person claims for age 56 nine days before
  // their 56th birthday: AGE_NOT_REACHED is the reason that holds, and the slip gives the birthday
  // and an appointment on the first open day from it.
  await page.getByRole('button', { name: 'Kembali ke antrean' }).click();
  await openJhtCase(page, person55);
  await answerIdentity(panel, { 'e-KTP asli ditunjukkan': true, 'NIK pada e-KTP sama dengan NIK kasus': true });
  await panel.getByRole('button', { name: 'Catat pemeriksaan identitas' }).click();
  await expect(panel).toHaveAttribute('data-step', 'cause');
  await panel.getByRole('radio', { name: /Mencapai usia 56 tahun/ }).check();
  await expect(panel).toContainText('Usia 56 tahun baru tercapai pada');
  const saveCause = panel.getByRole('button', { name: 'Simpan sebab klaim' });
  if (await saveCause.isEnabled()) await saveCause.click();
  const reasons = page.getByTestId('refusal-panel');
  await expect(reasons.locator('[data-code="AGE_NOT_REACHED"][data-available="true"]')).toBeVisible();
  await reasons.getByLabel(/Usia 56 tahun belum tercapai/).check();
  // A later date than the earliest one only at the person's request: the form says so and sends nothing.
  const firstOpen = nextOpenDay(turns56, NATIONAL_CALENDAR);
  const apptDate = reasons.locator('input[type="date"]');
  await expect(apptDate).toHaveValue(firstOpen);
  await apptDate.fill(nextOpenDay(addDays(firstOpen, 1), NATIONAL_CALENDAR));
  await expect(reasons.getByLabel(/Peserta sendiri meminta tanggal ini/)).not.toBeChecked();
  await reasons.getByRole('button', { name: 'Tolak dan cetak slip' }).click();
  await expect(reasons.getByRole('alert')).toContainText('hanya diberikan atas permintaan peserta');
  await apptDate.fill(firstOpen);
  await reasons.getByRole('button', { name: 'Tolak dan cetak slip' }).click();
  const slip = page.getByTestId('receipt');
  await expect(slip).toHaveAttribute('data-kind', 'refusalSlip');
  await expect(slip).toContainText('Usia 56 tahun belum tercapai');
  await expect(slip).toContainText(`Anda berusia 56 tahun pada ${formatDay(turns56, 'id')}`);
  await expect(slip).toContainText(`Jadwal Anda: ${formatDay(nextOpenDay(turns56, NATIONAL_CALENDAR), 'id')}`);
  await expect(page.locator('#print-root')).toContainText(formatDay(turns56, 'id'));
  await expectNoSeriousA11yIssues(page, 'JHT age 56 not reached, slip');
  await page.screenshot({ path: docScreenshot('jht-7-age-not-reached'), fullPage: true });

  // Issue 16 pt 3: the head decides on the KPJ left pending (K2) like a refusal review: an overturn
  // needs a note; the decision is saved (audited) and shown with who decided; an overturn opens a
  // follow-up (the case reopened by the follow-up date) in the Follow-ups tab, until marked done.
  await signOut(page);
  await signIn(page, head.id, head.pin);
  await page.getByRole('button', { name: 'Tinjauan', exact: true }).click();
  const review = page.getByTestId('review-page');
  await review.getByRole('tab', { name: 'KPJ tertunda (1)' }).click();
  const row = review.getByTestId('review-pending-kpjs-table').locator('tr', { hasText: K2.kpj });
  await row.getByRole('button', { name: `Tinjau KPJ tertunda ${K2.kpj}` }).click();
  const decide = review.getByTestId('pending-kpj-review');
  await decide.getByLabel(/^Dibatalkan/).check();
  await decide.getByRole('button', { name: 'Simpan keputusan' }).click();
  await expect(decide.getByRole('alert')).toContainText('Tulis pada catatan mengapa tertunda ini dibatalkan');
  await decide.getByLabel('Catatan', { exact: true }).fill('Rekonsiliasi dengan kantor cabang lain sudah selesai: bayarkan');
  await expectNoSeriousA11yIssues(page, 'pending KPJ decision form');
  await page.screenshot({ path: docScreenshot('review-pending-kpj-decision'), fullPage: true });
  await decide.getByRole('button', { name: 'Simpan keputusan' }).click();
  await expect(review.getByText(`Keputusan atas KPJ ${K2.kpj} tersimpan dan tercatat di log audit.`)).toBeVisible();
  const decision = row.getByTestId('pending-kpj-decision');
  await expect(decision).toContainText('Dibatalkan');
  await expect(decision).toContainText(head.name);
  await expect(decision).toContainText('Rekonsiliasi dengan kantor cabang lain sudah selesai: bayarkan');
  await page.screenshot({ path: docScreenshot('review-pending-kpj-decided'), fullPage: true });
  await review.getByRole('tab', { name: /^Tindak lanjut \(1\)/ }).click();
  const pendingFollowUp = review.getByTestId('review-pending-followup');
  await expect(pendingFollowUp).toContainText('Buka kembali kasus');
  await expect(pendingFollowUp).toContainText(`KPJ ${K2.kpj} tertunda tidak disetujui`);
  await pendingFollowUp.getByRole('button', { name: /^Tandai tindak lanjut kasus .+ selesai$/ }).click();
  await expect(review.getByTestId('review-pending-followup')).toHaveCount(0);

  expect(consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
});
