import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { DEFAULT_PRINTER_SETUP, electronPrinting, PrinterSetupStore } from '../../../main/printing';
import type { PrinterSetup } from '@shared/ipc/contract';
import { makeCore, setupPayload, tempDir } from './helpers';

type FakePrinter = { name: string; displayName: string; description: string; options: Record<string, string> };

/** A fake of Electron's webContents: the printers the OS lists, print() with its callback, printToPDF. */
function fakeContents(printResult: [boolean, string], printers: FakePrinter[] = []) {
  return {
    print: vi.fn((_o: unknown, cb: (ok: boolean, reason: string) => void) => cb(...printResult)),
    printToPDF: vi.fn(() => Promise.resolve(Buffer.from('%PDF-1.4 test'))),
    getPrintersAsync: vi.fn(() => Promise.resolve(printers)),
    isDestroyed: () => false,
  };
}

const cups = (name: string, state: string, reasons = 'none', extra: Record<string, string> = {}): FakePrinter => ({
  name,
  displayName: name.replace(/_/g, ' '),
  description: 'thermal',
  options: { 'printer-state': state, 'printer-state-reasons': reasons, ...extra },
});

const setupWith = (patch: Partial<PrinterSetup>): PrinterSetup => ({ ...DEFAULT_PRINTER_SETUP, ...patch });

describe('printing in Electron', () => {
  it('prints the calling window, and reports a cancelled dialog as not printed', async () => {
    const ok = fakeContents([true, '']);
    const cancelled = fakeContents([false, 'cancelled']);
    const map: Record<string, unknown> = { 'window:1': ok, 'window:2': cancelled };
    const printing = electronPrinting({ contentsOf: (id) => map[id] as WebContents, dir: tempDir(), now: () => new Date(), setup: () => DEFAULT_PRINTER_SETUP });
    expect(await printing.print('window:1')).toMatchObject({ printed: true, reason: null });
    expect(ok.print).toHaveBeenCalledTimes(1);
    expect(cancelled.print).not.toHaveBeenCalled();
    expect(await printing.print('window:2')).toMatchObject({ printed: false, reason: 'cancelled', problem: 'cancelled' });
  });

  it('saves a PDF copy under the receipts folder, readable by this user only', async () => {
    const dir = path.join(tempDir(), 'receipts');
    const contents = fakeContents([true, '']);
    const printing = electronPrinting({ contentsOf: () => contents, dir, now: () => new Date(2026, 10, 25, 9, 5, 7), setup: () => DEFAULT_PRINTER_SETUP });
    const { path: file } = await printing.savePdf('window:1', 'kwitansi-jkt01-c-123');
    expect(file).toBe(path.join(dir, '20261125-090507-kwitansi-jkt01-c-123.pdf'));
    expect(fs.readFileSync(file, 'utf8')).toContain('%PDF');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(contents.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ preferCSSPageSize: true }));
  });

  it('refuses a name that could leave the folder, and a window that is gone', async () => {
    const printing = electronPrinting({ contentsOf: () => undefined, dir: tempDir(), now: () => new Date(), setup: () => DEFAULT_PRINTER_SETUP });
    await expect(printing.savePdf('window:1', '../x')).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(printing.savePdf('window:1', 'ok')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(printing.print('window:1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists the PC\'s printers with what the OS says of them (CUPS and the Windows spooler)', async () => {
    const contents = fakeContents([true, ''], [
      cups('EPSON_TM_T82', '3', 'none', { 'is-default': 'true' }),
      cups('Xprinter_58', '5', 'offline-report'),
      cups('POS80', '3', 'media-empty-error'),
      { name: 'Kasir-Win', displayName: 'Kasir Win', description: '', options: { status: String(0x80) } },
      { name: 'Lain', displayName: 'Lain', description: '', options: {} },
    ]);
    const printing = electronPrinting({ contentsOf: () => contents, dir: tempDir(), now: () => new Date(), setup: () => DEFAULT_PRINTER_SETUP });
    expect(await printing.printers('window:1')).toEqual([
      { name: 'EPSON_TM_T82', displayName: 'EPSON TM T82', isDefault: true, state: 'ready' },
      { name: 'Xprinter_58', displayName: 'Xprinter 58', isDefault: false, state: 'offline' },
      { name: 'POS80', displayName: 'POS80', isDefault: false, state: 'noPaper' },
      { name: 'Kasir-Win', displayName: 'Kasir Win', isDefault: false, state: 'offline' },
      { name: 'Lain', displayName: 'Lain', isDefault: false, state: 'unknown' },
    ]);
  });

  it('prints silently to the printer chosen for the kind, on a roll page as wide as the roll and as long as the document', async () => {
    const contents = fakeContents([true, ''], [cups('EPSON_TM_T82', '3'), cups('Xprinter_58', '3')]);
    const setup = setupWith({ ticket: { printer: 'Xprinter_58', paper: 'roll58' }, receipt: { printer: 'EPSON_TM_T82', paper: 'roll80' } });
    const printing = electronPrinting({ contentsOf: () => contents, dir: tempDir(), now: () => new Date(), setup: () => setup });
    expect(await printing.print('window:1', { kind: 'ticket', name: 'tiket-a1-017', heightMm: 120.4 })).toEqual({ printed: true, reason: null, problem: null, pdf: null });
    expect(contents.print).toHaveBeenLastCalledWith(
      expect.objectContaining({ silent: true, deviceName: 'Xprinter_58', pageSize: { width: 58_000, height: 121_000 }, margins: { marginType: 'none' } }),
      expect.any(Function),
    );
    await printing.print('window:1', { kind: 'receipt', name: 'kwitansi-x', heightMm: 300 });
    expect(contents.print).toHaveBeenLastCalledWith(expect.objectContaining({ silent: true, deviceName: 'EPSON_TM_T82', pageSize: { width: 80_000, height: 300_000 } }), expect.any(Function));
    // No printer chosen for slips: the dialog, as before (A4 paper: Electron's A4).
    const a4 = electronPrinting({ contentsOf: () => contents, dir: tempDir(), now: () => new Date(), setup: () => setupWith({ slip: { printer: null, paper: 'a4' } }) });
    await a4.print('window:1', { kind: 'slip', name: 'slip', heightMm: 100 });
    expect(contents.print).toHaveBeenLastCalledWith(expect.objectContaining({ silent: false, pageSize: 'A4' }), expect.any(Function));
    expect(contents.print.mock.lastCall?.[0]).not.toHaveProperty('deviceName');
  });

  it('a printer that is gone, offline, out of paper or fails: not printed, said why, and the PDF copy saved instead', async () => {
    const dir = tempDir();
    const cases: { printers: FakePrinter[]; result: [boolean, string]; problem: string; tried: boolean }[] = [
      { printers: [], result: [true, ''], problem: 'notFound', tried: false },
      { printers: [cups('POS80', '5', 'offline-report')], result: [true, ''], problem: 'offline', tried: false },
      { printers: [cups('POS80', '3', 'media-empty-error')], result: [true, ''], problem: 'noPaper', tried: false },
      { printers: [cups('POS80', '3')], result: [false, 'Print job failed'], problem: 'failed', tried: true },
      { printers: [cups('POS80', '3')], result: [false, 'Invalid deviceName provided'], problem: 'notFound', tried: true },
    ];
    for (const c of cases) {
      const contents = fakeContents(c.result, c.printers);
      const printing = electronPrinting({ contentsOf: () => contents, dir, now: () => new Date(2026, 11, 6, 20, 1, 2), setup: () => setupWith({ receipt: { printer: 'POS80', paper: 'roll80' } }) });
      const r = await printing.print('window:1', { kind: 'receipt', name: 'kwitansi-jkt01-c-9', heightMm: 200 });
      expect(r, c.problem).toMatchObject({ printed: false, problem: c.problem, pdf: path.join(dir, '20261206-200102-kwitansi-jkt01-c-9.pdf') });
      expect(fs.existsSync(r.pdf ?? ''), c.problem).toBe(true);
      expect(contents.print).toHaveBeenCalledTimes(c.tried ? 1 : 0);
      expect(contents.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ preferCSSPageSize: true }));
    }
  });

  it('a PDF copy that cannot be saved either still answers (the case is never blocked by a printer)', async () => {
    const contents = fakeContents([false, 'failed'], [cups('POS80', '3')]);
    contents.printToPDF.mockRejectedValue(new Error('disk full'));
    const printing = electronPrinting({ contentsOf: () => contents, dir: tempDir(), now: () => new Date(), setup: () => setupWith({ ticket: { printer: 'POS80', paper: 'roll80' } }) });
    expect(await printing.print('window:1', { kind: 'ticket', name: 'tiket', heightMm: 90 })).toMatchObject({ printed: false, problem: 'failed', pdf: null });
  });
});

describe('the printer setup of this PC', () => {
  it('is kept per PC across restarts; a damaged file falls back to the print dialog', () => {
    const dir = tempDir();
    const store = new PrinterSetupStore(dir);
    expect(store.read()).toEqual(DEFAULT_PRINTER_SETUP);
    const chosen = setupWith({ ticket: { printer: 'POS80', paper: 'roll58' } });
    store.write(chosen);
    expect(new PrinterSetupStore(dir).read()).toEqual(chosen);
    fs.writeFileSync(path.join(dir, 'printers.json'), '{"ticket":');
    expect(new PrinterSetupStore(dir).read()).toEqual(DEFAULT_PRINTER_SETUP);
  });

  it('print.setup saves a valid choice for any signed-in user; print.printers answers it (no printers in a browser)', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const chosen = setupWith({ slip: { printer: 'EPSON_TM_T82', paper: 'roll80' }, receipt: { printer: null, paper: 'a4' } });
    expect(await core.dispatch('head', 'print.setup', chosen)).toEqual({ ok: true, value: chosen });
    expect(await core.dispatch('head', 'print.printers', undefined)).toEqual({ ok: true, value: { printers: [], setup: chosen } });
    for (const bad of [{ ...chosen, ticket: { printer: '', paper: 'roll80' } }, { ...chosen, ticket: { printer: 'x', paper: 'roll76' } }, { ticket: chosen.ticket }]) {
      expect(await core.dispatch('head', 'print.setup', bad)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await core.dispatch('stranger', 'print.setup', chosen)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
