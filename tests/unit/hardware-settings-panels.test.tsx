import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { PrintersPanelView, type PrintersPanelViewProps } from '../../renderer/src/screens/settings/PrintersPanel';
import { DisplayHostPanelView, type DisplayHostPanelViewProps } from '../../renderer/src/screens/settings/DisplayHostPanel';
import type { PrinterSetup, ScreenSetup } from '@shared/ipc/contract';

// The two hardware panels of Settings (issue 21), each on its own: "Printer PC ini" (the PC's printers
// listed with their state, printer and paper per kind of document, the error said in words) and
// "Layar PC ini" (display host on/off, its monitor, kiosk mode). Rendered server-side; their loading
// and saving (useMainSetting) run in Chromium: tests/e2e/hardware-settings.spec.ts.

const noop = () => undefined;
const DIALOG_ONLY: PrinterSetup = { ticket: { printer: null, paper: 'roll80' }, slip: { printer: null, paper: 'roll80' }, receipt: { printer: null, paper: 'a4' } };

function printers(p: Partial<PrintersPanelViewProps>): string {
  return renderToStaticMarkup(<PrintersPanelView desktop printers={[]} setup={DIALOG_ONLY} error={null} saved={false} saving={false} onChange={noop} onSave={noop} {...p} />);
}

/** The options of one select, in order, with the selected one marked. */
function options(html: string, id: string): string[] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>(.*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)].map((m) => `${m[2] ? '* ' : ''}${m[3]}`);
}

afterEach(async () => {
  await i18n.changeLanguage('id');
});

describe('Printer PC ini', () => {
  it('lists the PC\u2019s printers with their state for each kind of document, and the paper of each', () => {
    const html = printers({
      printers: [
        { name: 'EPSON_TM_T82', displayName: 'EPSON TM-T82', isDefault: false, state: 'ready' },
        { name: 'XP-58', displayName: 'XP-58', isDefault: false, state: 'noPaper' },
      ],
      setup: { ...DIALOG_ONLY, ticket: { printer: 'EPSON_TM_T82', paper: 'roll80' }, slip: { printer: 'XP-58', paper: 'roll58' } },
    });
    expect(options(html, 'printer-ticket')).toEqual(['Tanya setiap kali (dialog cetak)', '* EPSON TM-T82 (siap)', 'XP-58 (kertas habis)']);
    expect(options(html, 'printer-slip')).toEqual(['Tanya setiap kali (dialog cetak)', 'EPSON TM-T82 (siap)', '* XP-58 (kertas habis)']);
    expect(options(html, 'printer-receipt')).toEqual(['* Tanya setiap kali (dialog cetak)', 'EPSON TM-T82 (siap)', 'XP-58 (kertas habis)']);
    expect(options(html, 'paper-ticket')).toEqual(['* Gulungan 80 mm', 'Gulungan 58 mm', 'A4']);
    expect(options(html, 'paper-slip')).toEqual(['Gulungan 80 mm', '* Gulungan 58 mm', 'A4']);
    expect(options(html, 'paper-receipt')).toEqual(['Gulungan 80 mm', 'Gulungan 58 mm', '* A4']);
    expect(html).toMatch(/<label for="printer-ticket"[^>]*>Printer: Tiket antrean/);
    expect(html).toMatch(/<label for="paper-receipt"[^>]*>Kertas: Tanda terima/);
    expect(html).toContain('Simpan pilihan printer</button>');
    expect(html).not.toContain('Tidak ada printer terpasang');
  });

  it('a printer chosen earlier that the PC no longer lists stays chosen, marked as not found', () => {
    const html = printers({ setup: { ...DIALOG_ONLY, receipt: { printer: 'Gone_Printer', paper: 'a4' } } });
    expect(options(html, 'printer-receipt').at(-1)).toMatch(/^\* Gone_Printer \(Printer yang dipilih untuk dokumen ini tidak ditemukan/);
    expect(html).toContain('Tidak ada printer terpasang di PC ini.');
  });

  it('in a browser: paper only, and it says the printer is chosen in the print dialog', () => {
    const html = printers({ desktop: false });
    expect(html).not.toContain('id="printer-ticket"');
    expect(options(html, 'paper-ticket')).toHaveLength(3);
    expect(html).toContain('Di peramban, printer dipilih di dialog cetak');
    expect(html).not.toContain('Tidak ada printer terpasang');
  });

  it('a save that failed is said in words (and follows the language), with the choices kept on screen; a save that worked says so', async () => {
    const failed = printers({ error: { code: 'INTERNAL', message: 'EACCES: permission denied, open printers.json' } });
    expect(failed).toMatch(/role="alert"[^>]*>[^<]*Terjadi kesalahan di aplikasi\. Coba lagi/);
    expect(failed).not.toContain('EACCES');
    expect(failed).toContain('id="paper-ticket"');
    expect(printers({ saved: true })).toContain('Pilihan printer disimpan.');
    expect(printers({ saving: true })).toMatch(/<button type="button" class="button button--primary" disabled="">Simpan pilihan printer/);
    await i18n.changeLanguage('en');
    expect(printers({ error: { code: 'UNAVAILABLE', message: 'x' } })).toContain('role="alert"');
    expect(printers({ error: { code: 'UNAVAILABLE', message: 'x' } })).not.toContain('Layanan Loket di komputer ini');
  });

  it('when main\u2019s setup could not be read, the reason is shown and nothing is offered to save', () => {
    const html = printers({ setup: null, error: { code: 'UNAVAILABLE', message: 'x' } });
    expect(html).toContain('Layanan Loket di komputer ini tidak menjawab');
    expect(html).not.toContain('<select');
    expect(html).not.toContain('Simpan pilihan printer');
  });
});

const SCREENS: ScreenSetup = { displayHost: false, monitor: null, kiosk: false };
const MONITORS = [
  { id: 1, label: 'Dell P2419H', primary: true, width: 1920, height: 1080 },
  { id: 2, label: 'LG TV', primary: false, width: 1366, height: 768 },
];

function screens(p: Partial<DisplayHostPanelViewProps>): string {
  return renderToStaticMarkup(<DisplayHostPanelView desktop monitors={MONITORS} setup={SCREENS} error={null} saved={false} saving={false} onChange={noop} onSave={noop} {...p} />);
}

describe('Layar PC ini', () => {
  it('display host off: the monitor choice is disabled; kiosk mode off, with how it ends', () => {
    const html = screens({});
    expect(html).toMatch(/<input type="checkbox"\/><span>PC ini menampilkan layar ruang tunggu/);
    expect(html).toMatch(/<select[^>]*id="display-monitor"[^>]*disabled=""/);
    expect(html).toMatch(/<input type="checkbox"\/><span>Mode kios \(PC pintu masuk\)/);
    expect(html).toContain('tombol “Keluar dari mode kios”');
  });

  it('display host on a chosen monitor, kiosk on: both ticked, the monitor selected and named with its size', () => {
    const html = screens({ setup: { displayHost: true, monitor: 2, kiosk: true } });
    expect(html).toMatch(/<input type="checkbox" checked=""\/><span>PC ini menampilkan layar ruang tunggu/);
    expect(html).toMatch(/<input type="checkbox" checked=""\/><span>Mode kios/);
    expect(html).not.toMatch(/id="display-monitor"[^>]*disabled/);
    expect(options(html, 'display-monitor')).toEqual(['Monitor kedua (bukan monitor utama)', 'Dell P2419H (1920 × 1080, monitor utama)', '* LG TV (1366 × 768)']);
    expect(html).not.toContain('Baru satu monitor tersambung');
  });

  it('a chosen monitor that is unplugged stays chosen, said as not connected; one monitor only is said', () => {
    const html = screens({ monitors: [MONITORS[0]!], setup: { displayHost: true, monitor: 2, kiosk: false } });
    expect(options(html, 'display-monitor').at(-1)).toBe('* Monitor yang dipilih sedang tidak tersambung');
    expect(html).toContain('Baru satu monitor tersambung');
  });

  it('in a browser: no monitor or kiosk choice, it says how to open the display there', () => {
    const html = screens({ desktop: false });
    expect(html).not.toContain('<select');
    expect(html).not.toContain('type="checkbox"');
    expect(html).toContain('buka layar ruang tunggu di tab baru');
  });

  it('a save that failed is said in words; a save that worked says so', () => {
    expect(screens({ error: { code: 'FORBIDDEN_ROLE', message: 'x' } })).toContain('Peran Anda tidak berwenang melakukan ini');
    expect(screens({ saved: true })).toContain('Pengaturan layar disimpan.');
  });
});
