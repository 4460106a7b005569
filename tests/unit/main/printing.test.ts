import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { electronPrinting } from '../../../main/printing';
import { tempDir } from './helpers';

function fakeContents(printResult: [boolean, string]) {
  return {
    print: vi.fn((_o: unknown, cb: (ok: boolean, reason: string) => void) => cb(...printResult)),
    printToPDF: vi.fn(() => Promise.resolve(Buffer.from('%PDF-1.4 test'))),
    isDestroyed: () => false,
  };
}

describe('printing in Electron', () => {
  it('prints the calling window, and reports a cancelled dialog as not printed', async () => {
    const ok = fakeContents([true, '']);
    const cancelled = fakeContents([false, 'cancelled']);
    const map: Record<string, unknown> = { 'window:1': ok, 'window:2': cancelled };
    const printing = electronPrinting({ contentsOf: (id) => map[id] as WebContents, dir: tempDir(), now: () => new Date() });
    expect(await printing.print('window:1')).toEqual({ printed: true, reason: null });
    expect(ok.print).toHaveBeenCalledTimes(1);
    expect(cancelled.print).not.toHaveBeenCalled();
    expect(await printing.print('window:2')).toEqual({ printed: false, reason: 'cancelled' });
  });

  it('saves a PDF copy under the receipts folder, readable by this user only', async () => {
    const dir = path.join(tempDir(), 'receipts');
    const contents = fakeContents([true, '']);
    const printing = electronPrinting({ contentsOf: () => contents, dir, now: () => new Date(2026, 10, 25, 9, 5, 7) });
    const { path: file } = await printing.savePdf('window:1', 'kwitansi-jkt01-c-123');
    expect(file).toBe(path.join(dir, '20261125-090507-kwitansi-jkt01-c-123.pdf'));
    expect(fs.readFileSync(file, 'utf8')).toContain('%PDF');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(contents.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ preferCSSPageSize: true }));
  });

  it('refuses a name that could leave the folder, and a window that is gone', async () => {
    const printing = electronPrinting({ contentsOf: () => undefined, dir: tempDir(), now: () => new Date() });
    await expect(printing.savePdf('window:1', '../x')).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(printing.savePdf('window:1', 'ok')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(printing.print('window:1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
