import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { KioskExitView, type KioskExitViewProps } from '../../renderer/src/screens/kiosk/KioskExit';

// The head's way out of kiosk mode on the door PC (issue 21 pt 3): a discreet button, then a dialog
// for a head's staff id and PIN, main's refusal said in words. Rendered server-side; the whole flow
// (main's check, the lockout, the button gone afterwards) runs in Chromium: tests/e2e/hardware-settings.spec.ts.

const noop = () => undefined;
function render(p: Partial<KioskExitViewProps>): string {
  return renderToStaticMarkup(
    <KioskExitView open={false} done={false} staffId="" pin="" errors={{}} alert={null} busy={false} onOpen={noop} onCancel={noop} onDismiss={noop} onStaffId={noop} onPin={noop} onSubmit={noop} {...p} />,
  );
}

afterEach(async () => {
  await i18n.changeLanguage('id');
});

describe('kiosk exit dialog', () => {
  it('closed: one discreet button, nothing else', () => {
    const html = render({});
    expect(html).toBe('<button type="button" class="kiosk-exit__open" data-testid="kiosk-exit-open">Keluar dari mode kios</button>');
  });

  it('open: a modal dialog asking for the head\u2019s staff id and a masked PIN', () => {
    const html = render({ open: true });
    expect(html).toMatch(/role="dialog" aria-modal="true" aria-labelledby="kiosk-exit-title"/);
    expect(html).toContain('Hanya Kepala Cabang');
    expect(html).toMatch(/<label for="kiosk-exit-staff-id"[^>]*>ID staf/);
    expect(html).toMatch(/<input[^>]*type="password"[^>]*id="kiosk-exit-pin"|<input[^>]*id="kiosk-exit-pin"[^>]*type="password"/);
    expect(html).toContain('Keluar dari mode kios</button>');
    expect(html).toContain('Batal</button>');
  });

  it('main\u2019s refusal is shown as the form\u2019s alert; a bad field is marked', () => {
    const html = render({ open: true, alert: 'ID staf atau PIN salah, atau akun sedang terkunci atau nonaktif.', errors: { pin: 'PIN harus 6 angka.' } });
    expect(html).toMatch(/role="alert"[^>]*>ID staf atau PIN salah/);
    expect(html).toContain('PIN harus 6 angka.');
    expect(render({ open: true, busy: true })).toMatch(/<button type="submit" class="button button--primary" disabled="">/);
  });

  it('done: says kiosk mode ended and that whoever is signed in stays, in Indonesian and English', async () => {
    expect(render({ done: true })).toContain('Mode kios berakhir');
    await i18n.changeLanguage('en');
    expect(render({ done: true })).toContain('Kiosk mode ended');
    expect(render({})).toContain('Leave kiosk mode</button>');
  });
});
