import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { docScreenshot } from './a11y';
import { expect, test } from './fixtures';
import { completeFirstRun, countPrints, printsOf } from './flows';

// Issue 21 pt 2: every document laid out for an 80 mm and a 58 mm thermal roll. The paper is chosen
// in Settings ("Printer PC ini", browser mode: paper only), the sample is printed through the real
// "Cetak contoh" button (printDocument, as every screen), and Chromium renders the page to PDF with
// the page's own CSS page size, as a printer receives it. Generated head and sample data only.
const head = { id: 'kepala.gulung', name: 'Kepala Uji Gulung', pin: '802417' };
const BRANCH = 'UJI02';
const MM_TO_PT = 72 / 25.4;

const SAMPLES = [
  { label: 'Tanda terima klaim JHT (dua KPJ)', name: 'receipt', expect: ['TANDA TERIMA LAYANAN', `${BRANCH}-CONTOH-0001`, '11000000002'], qr: `https://survei.bpjsketenagakerjaan.go.id/?case=${BRANCH}-CONTOH-0001` },
  { label: 'Slip penolakan', name: 'refusal', expect: ['SLIP PENOLAKAN LAYANAN', 'Dokumen belum lengkap', `${BRANCH}-CONTOH-0002`], qr: `https://survei.bpjsketenagakerjaan.go.id/?case=${BRANCH}-CONTOH-0002` },
  { label: 'Tiket antrean', name: 'ticket', expect: ['NOMOR ANTREAN', 'A1-017', 'Perkiraan waktu tunggu: ± 45 menit'], qr: null },
  // The appointment slip's QR is its reference only (branch:day:number), for the door's scanner.
  { label: 'Slip janji temu', name: 'appointment', expect: ['SLIP JANJI TEMU', 'Janji temu terjamin', '09.30'], qr: new RegExp(`^${BRANCH}:\\d{4}-\\d{2}-\\d{2}:B1-001$`) },
] as const;

function pdfInfo(pdf: string): { pages: number; widthPt: number; heightPt: number } {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  const pages = /Pages:\s+(\d+)/.exec(info);
  return { pages: Number(pages?.[1]), widthPt: Number(size?.[1]), heightPt: Number(size?.[2]) };
}

/** Rasterises the PDF at a thermal printer's resolution (203 dpi) and decodes its QR code. */
function decodeQr(pdf: string): string | null {
  const prefix = pdf.replace(/\.pdf$/, '');
  execFileSync('pdftoppm', ['-r', '203', '-png', '-singlefile', pdf, prefix]);
  const png = PNG.sync.read(fs.readFileSync(`${prefix}.png`));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

async function choosePaper(page: Page, paper: string): Promise<void> {
  const panel = page.getByRole('region', { name: 'Printer PC ini' });
  for (const kind of ['Tiket antrean', 'Slip (janji temu, penolakan)', 'Tanda terima']) {
    await panel.getByLabel(`Kertas: ${kind}`, { exact: true }).selectOption({ label: paper });
  }
  await panel.getByRole('button', { name: 'Simpan pilihan printer', exact: true }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Pilihan printer disimpan.' })).toBeVisible();
}

test('ticket, appointment slip, refusal slip and receipt on 80 mm and 58 mm rolls: page as wide as the roll, one page, the text, a QR that decodes', async ({ page, loket }) => {
  test.setTimeout(300_000); // eight renders to PDF, each rasterised, on a shared 2-core machine
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-rolls-'));
  await countPrints(page);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.setViewportSize({ width: 1280, height: 1900 });
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();

  for (const [paper, widthMm] of [['Gulungan 80 mm', 80], ['Gulungan 58 mm', 58]] as const) {
    await choosePaper(page, paper);
    const printPanel = page.getByRole('region', { name: 'Contoh cetakan' });
    for (const sample of SAMPLES) {
      await printPanel.getByLabel('Dokumen', { exact: true }).selectOption({ label: sample.label });
      const before = await printsOf(page);
      await printPanel.getByRole('button', { name: 'Cetak contoh', exact: true }).click();
      await expect.poll(() => printsOf(page)).toBe(before + 1);
      const pdf = path.join(dir, `${sample.name}-${widthMm}.pdf`);
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
      const info = pdfInfo(pdf);
      const what = `${sample.name} on ${widthMm} mm`;
      expect(info.widthPt, what).toBeCloseTo(widthMm * MM_TO_PT, 0);
      // One page, as long as the document: a roll is cut once, after it.
      expect(info.pages, what).toBe(1);
      expect(info.heightPt, what).toBeGreaterThan(60 * MM_TO_PT);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      for (const words of sample.expect) expect(text, what).toContain(words);
      for (const channel of ['175', 'LAPOR!', 'Ombudsman RI']) expect(text, what).toContain(channel);
      // Nothing cut at the roll's edge: the text lines fit the printable width.
      const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
      const right = Math.max(...[...bbox.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1])));
      expect(right, what).toBeLessThanOrEqual(info.widthPt);
      if (typeof sample.qr === 'string') expect(decodeQr(pdf), what).toBe(sample.qr);
      else if (sample.qr) expect(decodeQr(pdf), what).toMatch(sample.qr);
      if (sample.name === 'receipt') await page.screenshot({ path: docScreenshot(`print-roll-${widthMm}-settings`), fullPage: false });
    }
  }
  expect(consoleErrors).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});
