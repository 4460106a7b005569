import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import i18n from '../../renderer/src/i18n';
import { HubPanelView, hubErrorText, type HubPanelViewProps } from '../../renderer/src/screens/settings/HubPanel';
import type { HubStatus } from '@shared/ipc/contract';

// The branch hub in Settings (issue 17): what this PC is, one step to make it the hub (with a
// confirmation), the pairing code in large type on the hub PC only, hubs seen on the LAN with
// "pair" for unknown ones, and the address + code form; errors say what to do. Rendered server-side.

const none: HubStatus = { role: 'none', hub: null, connected: false, lastContactAt: null, lastError: null, hosting: null };
const FP = 'AB:'.repeat(31) + 'AB';

function render(p: Partial<HubPanelViewProps>): string {
  const noop = () => undefined;
  return renderToStaticMarkup(
    <HubPanelView
      status={none}
      discovered={[]}
      lanAddresses={[]}
      busy={false}
      confirming={null}
      error={null}
      notice={null}
      host=""
      port="47600"
      code=""
      fieldErrors={{}}
      onHost={noop}
      onPort={noop}
      onCode={noop}
      onBecome={noop}
      onRelease={noop}
      onConfirm={noop}
      onCancel={noop}
      onSearch={noop}
      onPick={noop}
      onConnect={noop}
      onForget={noop}
      {...p}
    />,
  );
}

describe('hub panel', () => {
  it('a PC without a hub: says so, offers to become the hub, lists none seen and asks for address and code', () => {
    const html = render({});
    expect(html).toContain('PC ini belum memakai hub cabang');
    expect(html).toContain('Jadikan PC ini hub cabang</button>');
    expect(html).not.toContain('Berhenti menjadi hub');
    expect(html).toContain('Belum ada hub cabang ini yang terlihat di jaringan');
    expect(html).toMatch(/<label for="hub-host"[^>]*>Alamat hub \(IP atau nama PC\)/);
    expect(html).toMatch(/<label for="hub-code"[^>]*>Kode pasangan/);
    expect(html).not.toContain('data-testid="hub-short-code"');
  });

  it('a PC using the hub: where, how it was learnt, whether it is connected; unknown hubs on the LAN offer pairing', () => {
    const html = render({
      status: { ...none, role: 'client', hub: { url: 'https://192.168.1.20:47600', fingerprint: FP, source: 'paired' }, connected: false },
      discovered: [
        { name: 'a', host: '192.168.1.20', port: 47600, fingerprint: FP, trusted: true, lastSeenAt: '2026-03-02T02:00:00Z' },
        { name: 'b', host: '192.168.1.31', port: 47600, fingerprint: 'CD:'.repeat(31) + 'CD', trusted: false, lastSeenAt: '2026-03-02T02:00:00Z' },
      ],
    });
    expect(html).toContain('PC ini memakai hub cabang di 192.168.1.20:47600 (dipasangkan dengan kode)');
    expect(html).toContain('data-connected="false"');
    expect(html).toContain('PC ini tetap melayani');
    expect(html).toContain('Dikenal: dipakai otomatis');
    expect(html).toContain('Pasangkan dengan 192.168.1.31:47600</button>');
    expect(html).not.toContain('Pasangkan dengan 192.168.1.20:47600');
    expect(html).toContain('Lupakan hub ini</button>');
    // A client never shows a pairing code: the code is read from the hub PC's own screen.
    expect(html).not.toContain('data-testid="hub-short-code"');
  });

  it('the hub PC: its code in large type, its link to HQ, and "stop being the hub"; no pairing form', () => {
    const html = render({
      status: {
        ...none,
        role: 'host',
        hub: { url: 'https://192.168.1.20:47600', fingerprint: FP, source: 'hq' },
        connected: true,
        hosting: { state: 'running', crashes: 0, shortCode: '4821-0937', hqLink: 'unreachable' },
      },
      lanAddresses: ['192.168.1.20'],
    });
    expect(html).toContain('Alamat hub ini untuk PC lain: 192.168.1.20:47600.');
    expect(html).toContain('PC ini adalah hub cabang');
    expect(html).toMatch(/class="hub-code__value"[^>]*>4821-0937</);
    expect(html).toContain('Hub tidak dapat menghubungi HQ');
    expect(html).toContain('Berhenti menjadi hub</button>');
    expect(html).not.toContain('Jadikan PC ini hub cabang</button>');
    expect(html).not.toContain('data-testid="hub-connect"');
  });

  it('becoming the hub asks first; moving the role from another PC says so', () => {
    const fresh = render({ confirming: 'become' });
    expect(fresh).toContain('role="alertdialog"');
    expect(fresh).toContain('harus tetap menyala selama jam layanan');
    expect(fresh).toContain('Ya, jadikan PC ini hub</button>');
    expect(fresh).toContain('Batal</button>');
    const move = render({ confirming: 'become', status: { ...none, role: 'client', hub: { url: 'https://192.168.1.20:47600', fingerprint: FP, source: 'hq' } } });
    expect(move).toContain('Peran hub akan pindah dari hub yang sekarang ke PC ini');
  });

  it('errors say what happened and what to do, in Indonesian and English', async () => {
    const t = i18n.t.bind(i18n) as TFunction;
    const wrong = { code: 'HUB_CODE_WRONG' as const, message: 'x' };
    const other = { code: 'HUB_REJECTED' as const, message: 'x', details: { hq: { status: 200, code: 'OTHER_BRANCH', details: { hubBranch: 'BDG02' } } } };
    const away = { code: 'HUB_UNREACHABLE' as const, message: 'x', details: { hq: { status: 0 } } };
    const notPaired = { code: 'HUB_REJECTED' as const, message: 'x', details: { hq: { status: 0, code: 'NOT_PAIRED' } } };
    await i18n.changeLanguage('id');
    expect(hubErrorText(t, wrong, '')).toContain('Baca ulang kode di layar PC hub');
    expect(hubErrorText(t, other, '')).toContain('milik cabang BDG02');
    expect(hubErrorText(t, away, '192.168.1.20:47600')).toContain('Tidak ada hub yang menjawab di 192.168.1.20:47600');
    expect(hubErrorText(t, notPaired, '')).toContain('Isi kode pasangan');
    await i18n.changeLanguage('en');
    try {
      expect(hubErrorText(t, wrong, '')).toContain("Read the code again on the hub PC's screen");
      expect(render({})).toContain('Make this PC the branch hub</button>');
    } finally {
      await i18n.changeLanguage('id');
    }
  });
});
