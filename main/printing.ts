// Printing for Electron: the renderer lays the document out (print CSS); main only asks the calling
// window to print itself, or saves it as a PDF under userData/receipts/ (a copy to hand over or
// print later when the printer is out of paper).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { WebContents } from 'electron';
import { IpcFailure } from '../shared/ipc/result';

export interface Printing {
  /** Opens the print dialog of the calling window; resolves when it is closed. */
  print(clientId: string): Promise<{ printed: boolean; reason: string | null }>;
  /** Saves the calling window's print layout as a PDF; returns the file's full path. */
  savePdf(clientId: string, name: string): Promise<{ path: string }>;
}

type PrintableContents = Pick<WebContents, 'print' | 'printToPDF' | 'isDestroyed'>;

export interface PrintingDeps {
  contentsOf(clientId: string): PrintableContents | undefined;
  /** userData/receipts */
  dir: string;
  now: () => Date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "20261125-143205" in local time: saved copies sort by when they were made. */
function stamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

export function electronPrinting(d: PrintingDeps): Printing {
  const contents = (clientId: string): PrintableContents => {
    const c = d.contentsOf(clientId);
    if (!c || c.isDestroyed()) throw new IpcFailure('NOT_FOUND', 'The window to print is gone.');
    return c;
  };
  return {
    print: async (clientId) => {
      const c = contents(clientId);
      return new Promise((resolve) => {
        // The print dialog lets the officer pick the receipt printer; the callback reports a
        // cancel or a printer error as a reason instead of a failure.
        c.print({ silent: false, printBackground: true }, (printed, reason) =>
          resolve({ printed, reason: printed ? null : (reason || 'cancelled').slice(0, 200) }),
        );
      });
    },
    savePdf: async (clientId, name) => {
      // The name was checked by the contract (lowercase, digits, dashes): no path can escape `dir`.
      if (!/^[a-z0-9][a-z0-9-]{0,59}$/.test(name)) throw new IpcFailure('INVALID_PAYLOAD', 'Bad file name.');
      const pdf = await contents(clientId).printToPDF({ printBackground: true, preferCSSPageSize: true });
      await fs.mkdir(d.dir, { recursive: true, mode: 0o700 });
      const file = path.join(d.dir, `${stamp(d.now())}-${name}.pdf`);
      // Receipts carry case and KPJ numbers: readable by this user only.
      await fs.writeFile(file, pdf, { mode: 0o600 });
      return { path: file };
    },
  };
}
