// Issue 21: the paper each kind of document prints on (this PC's choice, kept by main), and the page
// laid out for it: a thermal roll page is as wide as the roll and as long as the document, A4 a page.
// The @page rule depends on the document's measured length, so it is set through a constructed
// stylesheet (CSSOM: allowed by the CSP's style-src 'self', unlike a <style> element).
import type { PaperSize, PrintKind, PrinterSetup } from '@shared/ipc/contract';
import { loket } from '../bridge';
import type { PrintDoc } from './types';

/** Which printer setting a document uses: tickets; slips (appointment, refusal, declined); receipts. */
export function printKindOf(doc: PrintDoc): PrintKind {
  if (doc.kind === 'ticket') return 'ticket';
  if (doc.kind === 'appointment' || doc.kind === 'declined') return 'slip';
  if (doc.kind === 'receipt' && doc.receipt.kind === 'refusalSlip') return 'slip';
  return 'receipt';
}

/** Page width and side margins in mm: the printable width of an 80 mm roll is 72 mm, of a 58 mm roll 48 mm. */
export const PAPER: Record<PaperSize, { widthMm: number; sideMm: number; endMm: number }> = {
  roll80: { widthMm: 80, sideMm: 4, endMm: 3 },
  roll58: { widthMm: 58, sideMm: 5, endMm: 3 },
  a4: { widthMm: 210, sideMm: 10, endMm: 10 },
};

const MM_PER_PX = 25.4 / 96;

/** The @page rule for a paper and a document of `contentMm` (roll: that long plus its ends; A4: A4). */
export function pageRule(paper: PaperSize, contentMm: number): string {
  const p = PAPER[paper];
  if (paper === 'a4') return `@page { size: A4 portrait; margin: ${p.endMm}mm ${p.sideMm}mm; }`;
  const height = Math.ceil(contentMm + 2 * p.endMm + 2);
  return `@page { size: ${p.widthMm}mm ${height}mm; margin: ${p.endMm}mm ${p.sideMm}mm; }`;
}

let sheet: CSSStyleSheet | null = null;

/**
 * Lays the print host out for `paper` (html[data-paper] in styles/print.css), measures the document
 * and sets the page; returns its length in mm (main's roll page for a silent print).
 */
export function applyPaper(paper: PaperSize, host: HTMLElement): number {
  const html = document.documentElement;
  html.dataset.paper = paper;
  // Measured off screen at the paper's printable width (styles/print.css: html.loket-measuring).
  html.classList.add('loket-measuring');
  const contentMm = host.getBoundingClientRect().height * MM_PER_PX;
  html.classList.remove('loket-measuring');
  // (A DOM without constructed stylesheets, as in unit tests, keeps print.css's default page.)
  if (typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype && Array.isArray(document.adoptedStyleSheets)) {
    sheet ??= new CSSStyleSheet();
    sheet.replaceSync(pageRule(paper, contentMm));
    if (!document.adoptedStyleSheets.includes(sheet)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  return paper === 'a4' ? 297 : Math.ceil(contentMm + 2 * PAPER[paper].endMm + 2);
}

/** This PC's printer setup (main keeps it); the 80 mm roll and the dialog when it cannot be read. */
export async function printerSetup(): Promise<PrinterSetup> {
  try {
    const r = await loket().print.printers();
    if (r.ok) return r.value.setup;
  } catch {
    // no bridge answer: the defaults below
  }
  const roll = { printer: null, paper: 'roll80' } as const;
  return { ticket: roll, slip: roll, receipt: roll };
}
