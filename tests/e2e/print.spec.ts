import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { docScreenshot, expectNoSeriousA11yIssues } from './a11y';
import { expect, test } from './fixtures';
import { completeFirstRun, countPrints, printsOf } from './flows';

// Generated head (no real person). The documents are the Settings printer test ("Contoh cetakan"),
// which prints generated sample data through the same printDocument() every screen uses.
const head = { id: 'kepala.cetak', name: 'Kepala Uji Cetak', pin: '802417' };
const BRANCH = 'UJI02';

/** Prints the chosen sample through the real "Cetak contoh" button, then renders the page to PDF as Chromium prints it. */
async function printSample(page: Page, label: string, dir: string, name: string): Promise<{ text: string; pdf: string }> {
  await page.getByLabel('Dokumen', { exact: true }).selectOption({ label });
  const prints = await printsOf(page);
  await page.getByRole('button', { name: 'Cetak contoh', exact: true }).click();
  await expect.poll(() => printsOf(page)).toBe(prints + 1);
  await expect(page.getByRole('status').filter({ hasText: 'Contoh dikirim ke printer.' })).toBeVisible();
  // The page the document sets (issue 21: this PC's paper, by default an 80 mm roll as long as the
  // document), as main's PDF copy and the printer get it; a given paper size would scale it down.
  const pdf = path.join(dir, `${name}.pdf`);
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  return { text, pdf };
}

/** Rasterises the printed PDF and decodes the QR code on it (as a phone would from paper). */
function decodeQrFromPdf(pdf: string): string | null {
  const prefix = pdf.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', '200', '-png', pdf, prefix]);
  const pages = fs.readdirSync(path.dirname(pdf)).filter((f) => f.startsWith(path.basename(prefix) + '-') && f.endsWith('.png')).sort();
  for (const file of pages) {
    const png = PNG.sync.read(fs.readFileSync(path.join(path.dirname(pdf), file)));
    const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    if (code) return code.data;
  }
  return null;
}

/** The preview scrolled to the top of the viewport, clear of the fixed status bar at the bottom. */
async function previewShot(page: Page, name: string): Promise<void> {
  const preview = page.getByTestId('print-preview');
  await preview.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await preview.screenshot({ path: docScreenshot(name) });
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Codes a person must never read on paper: SCREAMING_CASE codes and dotted event names or login ids (web addresses aside). */
function noRawCodes(text: string): string[] {
  const words = text.replace(/https?:\/\/\S+/g, ' ');
  const screaming = [...words.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0]);
  const dotted = [...words.matchAll(/\b[a-z]+\.[a-z]+\b/g)].map((m) => m[0]).filter((w) => !/\.(go|id|com|org)\b/.test(w));
  return [...screaming, ...dotted];
}

test('printed receipt, refusal slip, ticket and appointment slip: Indonesian text, complaint channels and a QR that decodes', async ({ page, loket }) => {
  test.setTimeout(180_000); // four renders to PDF and axe on a shared 2-core machine
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-print-'));
  // Stub the browser's print dialog (headless Chromium has none) to count the calls; our code is unchanged.
  await countPrints(page);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  // Tall enough that a whole receipt preview fits above the fixed status bar in the screenshots.
  await page.setViewportSize({ width: 1280, height: 1900 });
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Contoh cetakan' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Cetak ulang', exact: true })).toBeDisabled();

  // 1. JHT receipt with two KPJ outcomes.
  const receipt = await printSample(page, 'Tanda terima klaim JHT (dua KPJ)', dir, 'receipt');
  const r = flat(receipt.text);
  expect(r).toContain('TANDA TERIMA LAYANAN');
  expect(r).toContain(`${BRANCH}-CONTOH-0001`);
  expect(r).toContain('Langkah berikutnya'.toUpperCase());
  expect(r).toContain('Saldo JHT dibayarkan ke rekening atas nama Anda paling lambat 5 hari kerja.');
  expect(r).toContain('11000000001');
  expect(r).toContain('Dibayar');
  expect(r).toContain('11000000002');
  // Issue 16 pt 14: the pending reason in the catalog's words, the officer by name, the date the Indonesian way.
  expect(r).toContain('Tertunda: Konfirmasi data kepesertaan kepada pemberi kerja');
  expect(r).toContain('Petugas Contoh');
  expect(r).not.toContain('contoh.petugas');
  expect(r).toMatch(/(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ 20\d\d, \d{2}\.\d{2}/);
  expect(noRawCodes(r)).toEqual([]);
  expect(r).toContain('https://survei.bpjsketenagakerjaan.go.id/');
  expect(r).toContain('175');
  expect(r).toContain('LAPOR!');
  expect(r).toContain('Ombudsman RI');
  expect(r).toContain('CONTOH — bukan dokumen resmi');
  // Only the document is printed, not the settings screen around it.
  expect(r).not.toContain('Pengaturan perangkat');
  expect(decodeQrFromPdf(receipt.pdf)).toBe(`https://survei.bpjsketenagakerjaan.go.id/?case=${BRANCH}-CONTOH-0001`);
  await previewShot(page, 'print-receipt');

  // "Cetak ulang" prints the same document again.
  const reprint = panel.getByRole('button', { name: 'Cetak ulang', exact: true });
  await expect(reprint).toBeEnabled();
  const before = await printsOf(page);
  await reprint.click();
  await expect.poll(() => printsOf(page)).toBe(before + 1);
  await expect(page.locator('#print-root')).toContainText(`${BRANCH}-CONTOH-0001`);

  // 2. Refusal slip: the code's title, what to do, the head's review, complaint channels, QR.
  const refusal = await printSample(page, 'Slip penolakan', dir, 'refusal');
  const f = flat(refusal.text);
  expect(f).toContain('SLIP PENOLAKAN LAYANAN');
  expect(f).toContain(`${BRANCH}-CONTOH-0002`);
  expect(f).toContain('Dokumen belum lengkap');
  // The reason in words only: no code on what the person takes home.
  expect(f).not.toContain('DOCUMENT_MISSING');
  expect(noRawCodes(f)).toEqual([]);
  expect(f).toContain('YANG PERLU ANDA LAKUKAN');
  expect(f).toContain('buku tabungan atas nama Anda');
  expect(f).toContain('Setiap penolakan ditinjau oleh Kepala Cabang');
  for (const channel of ['175', 'LAPOR!', 'Ombudsman RI']) expect(f).toContain(channel);
  expect(decodeQrFromPdf(refusal.pdf)).toBe(`https://survei.bpjsketenagakerjaan.go.id/?case=${BRANCH}-CONTOH-0002`);
  await previewShot(page, 'print-refusal-slip');

  // 3. Queue ticket: the number, the service, people ahead and the estimate ("perkiraan").
  const ticket = await printSample(page, 'Tiket antrean', dir, 'ticket');
  const tk = flat(ticket.text);
  expect(tk).toContain('NOMOR ANTREAN');
  expect(tk).toContain('A1-017');
  expect(tk).toContain('Klaim JHT');
  expect(tk).toMatch(/pukul \d{2}\.\d{2}/);
  expect(noRawCodes(tk)).toEqual([]);
  expect(tk).toContain('6 orang di depan Anda');
  expect(tk).toContain('Perkiraan waktu tunggu: ± 45 menit');
  for (const channel of ['175', 'LAPOR!', 'Ombudsman RI']) expect(tk).toContain(channel);
  // The number is the biggest thing on the ticket.
  const numberSize = await page.getByTestId('print-preview').getByTestId('print-number').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(numberSize).toBeGreaterThan(40);
  await previewShot(page, 'print-ticket');

  // 4. Appointment slip: date, time slot, service, "Janji temu terjamin".
  const appt = await printSample(page, 'Slip janji temu', dir, 'appointment');
  const a = flat(appt.text);
  expect(a).toContain('SLIP JANJI TEMU');
  expect(a).toContain('Janji temu terjamin');
  expect(a).toContain('09.30');
  expect(a).not.toContain('09:30');
  expect(noRawCodes(a)).toEqual([]);
  expect(a).toContain('Berhenti kepesertaan BPU');
  expect(a).toMatch(/(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ 20\d\d/);
  for (const channel of ['175', 'LAPOR!', 'Ombudsman RI']) expect(a).toContain(channel);
  await previewShot(page, 'print-appointment');

  // Browser mode has no PDF saving in main: the panel says to use the dialog's "Save as PDF".
  await panel.getByRole('button', { name: 'Simpan sebagai PDF', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Simpan sebagai PDF' })).toBeVisible();

  await expectNoSeriousA11yIssues(page, 'settings with the print sample');
  expect(consoleErrors).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});
