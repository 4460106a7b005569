// Printing for Electron: the renderer lays the document out (print CSS); main prints the calling
// window silently to the printer chosen for that kind of document (issue 21), or asks with the print
// dialog when none is chosen, and saves it as a PDF under userData/receipts/ (a copy to hand over or
// print later). A printer that is away, offline or out of paper never blocks the case: the answer
// says why in a word the renderer turns into plain Indonesian, with the PDF copy saved instead.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PrinterInfo as ElectronPrinterInfo, WebContents, WebContentsPrintOptions } from 'electron';
import {
  PrinterSetup,
  type PaperSize,
  type PrinterInfo,
  type PrinterSetup as PrinterSetupType,
  type PrintKind,
  type PrintProblem,
  type PrintResult,
} from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import { JsonFile } from './store';

/** What `print.page` asks: the document's kind, its PDF name and its height (a roll page is as long as the document). */
export interface PrintRequest {
  kind: PrintKind;
  name: string;
  heightMm: number;
}

export interface Printing {
  /**
   * Prints the calling window: silently to the printer chosen for `request.kind`, else with the print
   * dialog. A printer problem comes back as `problem` with the PDF copy saved (`pdf`), never as a failure.
   */
  print(clientId: string, request?: PrintRequest): Promise<PrintResult>;
  /** Saves the calling window's print layout as a PDF; returns the file's full path. */
  savePdf(clientId: string, name: string): Promise<{ path: string }>;
  /** The printers this PC knows (OS names, with what the OS says of their state). */
  printers(clientId: string): Promise<PrinterInfo[]>;
}

type PrintableContents = Pick<WebContents, 'print' | 'printToPDF' | 'isDestroyed' | 'getPrintersAsync'>;

export interface PrintingDeps {
  contentsOf(clientId: string): PrintableContents | undefined;
  /** userData/receipts */
  dir: string;
  now: () => Date;
  /** This PC's printer per document kind (main/printing.ts PrinterSetupStore). */
  setup: () => PrinterSetupType;
}

/** Until someone chooses: the print dialog (as before issue 21), laid out for an 80 mm roll. */
export const DEFAULT_PRINTER_SETUP: PrinterSetupType = {
  ticket: { printer: null, paper: 'roll80' },
  slip: { printer: null, paper: 'roll80' },
  receipt: { printer: null, paper: 'roll80' },
};

/**
 * This PC's printer setup, kept in `<userData>/printers.json` (per PC: each PC has its own printers).
 * Read from the file each time (a print is rare), so main's printing and the handlers never disagree.
 */
export class PrinterSetupStore {
  private readonly file: JsonFile<typeof PrinterSetup>;

  constructor(userDataDir: string) {
    this.file = new JsonFile(path.join(userDataDir, 'printers.json'), PrinterSetup);
  }

  read(): PrinterSetupType {
    try {
      return this.file.read() ?? structuredClone(DEFAULT_PRINTER_SETUP);
    } catch {
      return structuredClone(DEFAULT_PRINTER_SETUP); // kept aside by JsonFile: the print dialog until someone chooses again
    }
  }

  write(setup: PrinterSetupType): PrinterSetupType {
    this.file.write(setup);
    return PrinterSetup.parse(setup);
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "20261125-143205" in local time: saved copies sort by when they were made. */
function stamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Roll widths in mm; the page is as long as the document (a thermal printer cuts after it). */
const ROLL_WIDTH_MM: Record<Exclude<PaperSize, 'a4'>, number> = { roll80: 80, roll58: 58 };

/** Electron's pageSize for a paper: A4, or a roll page in microns as wide as the roll and as long as the document. */
export function pageSizeFor(paper: PaperSize, heightMm: number): WebContentsPrintOptions['pageSize'] {
  if (paper === 'a4') return 'A4';
  return { width: ROLL_WIDTH_MM[paper] * 1000, height: Math.ceil(Math.max(heightMm, 30)) * 1000 };
}

// Options are per platform: CUPS says printer-state (3 idle, 4 printing, 5 stopped) and
// printer-state-reasons; the Windows spooler a status bit field (PRINTER_STATUS_*).
const WIN_OFFLINE = 0x80;
const WIN_PAPER_OUT = 0x10;
const WIN_ERROR = 0x2;
type Options = Record<string, string | undefined>;

/** What the OS says of a printer's state, in our words. */
export function printerState(p: Pick<ElectronPrinterInfo, 'options'> & { status?: number }): PrinterInfo['state'] {
  const o = (p.options ?? {}) as Options;
  const reasons = (o['printer-state-reasons'] ?? '').toLowerCase();
  if (/media-(empty|needed)|paper/.test(reasons)) return 'noPaper';
  if (/offline|shutdown|connecting-to-device/.test(reasons) || o['printer-state'] === '5') return 'offline';
  const status = Number(o.status ?? p.status ?? Number.NaN);
  if (Number.isInteger(status)) {
    if (status & WIN_PAPER_OUT) return 'noPaper';
    if (status & (WIN_OFFLINE | WIN_ERROR)) return 'offline';
    return 'ready';
  }
  if (o['printer-state'] === '3' || o['printer-state'] === '4') return 'ready';
  return 'unknown';
}

function isDefault(p: ElectronPrinterInfo & { isDefault?: boolean }): boolean {
  const o = (p.options ?? {}) as Options;
  return p.isDefault === true || o['is-default'] === 'true' || o.isDefault === 'true';
}

/** Electron's failureReason in our words: a cancelled dialog, or the printer failed. */
function problemOf(reason: string): PrintProblem {
  const r = reason.toLowerCase();
  if (r.includes('cancel')) return 'cancelled';
  if (r.includes('paper')) return 'noPaper';
  if (r.includes('devicename') || r.includes('not found')) return 'notFound';
  if (r.includes('offline')) return 'offline';
  return 'failed';
}

export function electronPrinting(d: PrintingDeps): Printing {
  const contents = (clientId: string): PrintableContents => {
    const c = d.contentsOf(clientId);
    if (!c || c.isDestroyed()) throw new IpcFailure('NOT_FOUND', 'The window to print is gone.');
    return c;
  };
  const listPrinters = async (c: PrintableContents): Promise<PrinterInfo[]> =>
    (await c.getPrintersAsync()).slice(0, 100).map((p) => ({
      name: p.name.slice(0, 200),
      displayName: (p.displayName || p.name).slice(0, 200),
      isDefault: isDefault(p),
      state: printerState(p),
    }));
  const savePdf = async (clientId: string, name: string): Promise<{ path: string }> => {
    // The name was checked by the contract (lowercase, digits, dashes): no path can escape `dir`.
    if (!/^[a-z0-9][a-z0-9-]{0,59}$/.test(name)) throw new IpcFailure('INVALID_PAYLOAD', 'Bad file name.');
    // preferCSSPageSize: the renderer's @page gives the roll's width and the document's length.
    const pdf = await contents(clientId).printToPDF({ printBackground: true, preferCSSPageSize: true });
    await fs.mkdir(d.dir, { recursive: true, mode: 0o700 });
    const file = path.join(d.dir, `${stamp(d.now())}-${name}.pdf`);
    // Receipts carry case and KPJ numbers: readable by this user only.
    await fs.writeFile(file, pdf, { mode: 0o600 });
    return { path: file };
  };
  const printWith = (c: PrintableContents, options: WebContentsPrintOptions): Promise<{ printed: boolean; reason: string | null }> =>
    new Promise((resolve) => {
      c.print(options, (printed, reason) => resolve({ printed, reason: printed ? null : (reason || 'cancelled').slice(0, 200) }));
    });

  return {
    print: async (clientId, request) => {
      const c = contents(clientId);
      const choice = request ? d.setup()[request.kind] : null;
      const pageSize = request && choice ? pageSizeFor(choice.paper, request.heightMm) : undefined;
      if (!request || !choice?.printer) {
        // No printer chosen for this kind: the dialog lets the officer pick one (a cancel is not an error).
        const r = await printWith(c, { silent: false, printBackground: true, ...(pageSize ? { pageSize } : {}) });
        return { ...r, problem: r.printed ? null : problemOf(r.reason ?? ''), pdf: null };
      }
      // Silent: the printer the PC chose for this kind. Ask the OS first, so an unplugged or
      // out-of-paper printer is said in words instead of a job stuck in the spooler.
      let problem: PrintProblem;
      let reason: string | null = null;
      const known = (await listPrinters(c).catch(() => [])).find((p) => p.name === choice.printer);
      if (!known) problem = 'notFound';
      else if (known.state === 'offline' || known.state === 'noPaper') problem = known.state;
      else {
        const r = await printWith(c, {
          silent: true,
          deviceName: choice.printer,
          printBackground: true,
          margins: { marginType: 'none' },
          ...(pageSize ? { pageSize } : {}),
        });
        if (r.printed) return { printed: true, reason: null, problem: null, pdf: null };
        reason = r.reason;
        problem = problemOf(r.reason ?? '');
      }
      // The case goes on: the document is kept as a PDF to hand over or print later.
      const pdf = await savePdf(clientId, request.name).then(
        (saved) => saved.path,
        () => null,
      );
      return { printed: false, reason: reason ?? problem, problem, pdf };
    },
    savePdf,
    printers: async (clientId) => listPrinters(contents(clientId)),
  };
}
