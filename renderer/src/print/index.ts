import i18next from 'i18next';
import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { loket } from '../bridge';
import { PrintableDocument } from './PrintableDocument';
import { qrImage, receiptQrPayload, type QrImage } from './qr';
import type { PrintDoc } from './types';
import { applyPaper, printerSetup, printKindOf } from './paper';

export type { PrintDoc } from './types';
export { receiptQrPayload } from './qr';

/**
 * How a print ended: Electron reports a cancelled dialog or a printer error (in plain words, with
 * the PDF copy saved instead: `pdf`); a browser cannot tell.
 */
export type PrintOutcome = { printed: boolean; reason: string | null; pdf?: string | null };

// The print host sits outside the app's #root: print CSS (`html.loket-printing`) hides the app and
// shows only this element, so the document is what comes out of the printer, not the screen.
const HOST_ID = 'print-root';
let root: Root | null = null;
let last: PrintDoc | null = null;
const listeners = new Set<(doc: PrintDoc | null) => void>();

function host(): Root {
  if (root) return root;
  let el = document.getElementById(HOST_ID);
  if (!el) {
    el = document.createElement('div');
    el.id = HOST_ID;
    el.className = 'print-root';
    document.body.appendChild(el);
  }
  root = createRoot(el);
  return root;
}

/**
 * The QR image for a document: a receipt's survey link with its case number; an appointment slip's
 * reference (issue 21: scanned at the door to check the holder in; no personal data). Others: none.
 */
export async function qrFor(doc: PrintDoc): Promise<QrImage | null> {
  if (doc.kind === 'appointment') return qrImage(doc.ticketId);
  return doc.kind === 'receipt' ? qrImage(receiptQrPayload(doc.receipt.surveyUrl, doc.receipt.caseId)) : null;
}

/** Lays the document out in the print host and waits until its QR image is decoded. */
async function render(doc: PrintDoc): Promise<HTMLElement> {
  const qr = await qrFor(doc);
  const r = host();
  flushSync(() => r.render(createElement(PrintableDocument, { doc, qr, sample: doc.sample === true })));
  const img = document.querySelector<HTMLImageElement>(`#${HOST_ID} img`);
  // A QR that is still loading would print as an empty box.
  await img?.decode().catch(() => undefined);
  document.documentElement.classList.add('loket-printing');
  return document.getElementById(HOST_ID) as HTMLElement;
}

function remember(doc: PrintDoc): void {
  last = doc;
  for (const l of listeners) l(doc);
}

/**
 * Prints a document: Electron asks main to print this window (print.page: the printer dialog);
 * browser mode uses Chromium's own dialog. The document stays the last printed one of this window,
 * for "Cetak ulang".
 */
export async function printDocument(doc: PrintDoc): Promise<PrintOutcome> {
  // Issue 21: this PC's printer and paper for the kind; the page is laid out for that paper.
  const kind = printKindOf(doc);
  const setup = await printerSetup();
  const heightMm = applyPaper(setup[kind].paper, await render(doc));
  remember(doc);
  if (window.loket) {
    const result = await loket().print.page({ kind, name: fileStem(doc), heightMm });
    if (!result.ok) return { printed: false, reason: result.error.message };
    const r = result.value;
    if (r.printed || !r.problem) return r;
    // A printer problem in plain words, and where the PDF copy went: the case is never blocked by a printer.
    const words = i18next.t(`print.problems.${r.problem}`);
    return { printed: false, reason: r.pdf ? `${words} ${i18next.t('print.problems.pdf', { path: r.pdf })}` : words, pdf: r.pdf ?? null };
  }
  window.print();
  return { printed: true, reason: null };
}

/**
 * Electron: saves the document as a PDF under userData/receipts/ (a copy to print later when the
 * printer is out of paper) and returns where. Browser mode: null, use "Save as PDF" in the dialog.
 */
export async function savePdfCopy(doc: PrintDoc): Promise<{ path: string } | { error: string } | null> {
  if (!window.loket) return null;
  applyPaper((await printerSetup())[printKindOf(doc)].paper, await render(doc));
  remember(doc);
  const result = await loket().print.pdf({ name: fileStem(doc) });
  return result.ok ? result.value : { error: result.error.message };
}

/** "kwitansi-jkt01-...", "tiket-a1-017": lowercase, digits and dashes, as main accepts. */
export function fileStem(doc: PrintDoc): string {
  const raw =
    doc.kind === 'receipt'
      ? `${doc.receipt.kind === 'refusalSlip' ? 'slip-penolakan' : 'kwitansi'}-${doc.receipt.caseId}`
      : doc.kind === 'ticket'
        ? `tiket-${doc.ticket.number}`
        : doc.kind === 'served'
          ? `layanan-${doc.ticketNumber}`
        : doc.kind === 'declined'
          ? `informasi-${doc.service}-${doc.at.slice(0, 10)}`
          : `janji-temu-${doc.appointment.date}-${doc.appointment.time}`;
  const stem = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return stem.length > 0 ? stem : 'dokumen';
}

/** The last document printed from this window, or null. */
export function lastPrinted(): PrintDoc | null {
  return last;
}

/** Prints the last document again ("Cetak ulang"); null when nothing was printed yet. */
export async function reprintLast(): Promise<PrintOutcome | null> {
  return last ? printDocument(last) : null;
}

/** Called whenever the last printed document changes; returns the unsubscribe function. */
export function onLastPrinted(listener: (doc: PrintDoc | null) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
