import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { LinkStatus } from '../../renderer/src/components/StatusBar';
import { SyncStatusStore } from '../../renderer/src/sync/status';
import type { HqStatus, HubStatus } from '@shared/ipc/contract';

// Issue 17 pt 7 in the status bar: the branch hub link and the HQ link are shown apart, with how
// many records are only on this PC and how many are in the branch but not yet at HQ. A PC without
// a hub shows no hub part. Rendered server-side from a real status store.

const NOW = new Date('2026-03-02T03:00:00.000Z');
const hqLink = (connected: boolean): HqStatus =>
  ({ enrolled: true, url: 'https://hq.example.test', branchCode: 'UJI01', connected, lastContactAt: null, lastError: null });
const hub = (over: Partial<HubStatus> = {}): HubStatus => ({
  role: 'client',
  hub: { url: 'https://192.168.1.20:47600', fingerprint: 'AB', source: 'hq' },
  connected: true,
  lastContactAt: null,
  lastError: null,
  hosting: null,
  ...over,
});

/** A store with 2 records only on this PC, 3 at the hub only and 1 at HQ. */
function store(o: { hub: HubStatus | null; hqConnected: boolean }): SyncStatusStore {
  const s = new SyncStatusStore(() => NOW.getTime() - 12 * 60_000);
  for (let i = 0; i < 6; i++) s.observe('tickets', `t${i}`, `f${i}`);
  for (const i of [2, 3, 4]) s.acknowledge('tickets', `t${i}`, `f${i}`, 'hub');
  s.acknowledge('tickets', 't5', 'f5', 'hq');
  s.setLink(hqLink(o.hqConnected));
  s.setHub(o.hub);
  s.setRunning(true);
  return s;
}

const render = (s: SyncStatusStore) =>
  renderToStaticMarkup(<LinkStatus t={i18n.t} sync={s.getSnapshot()} fallback={null} zone="WIB" now={NOW} />).replace(/<!-- -->/g, '');
const text = (html: string, testid: string) => new RegExp(`data-testid="${testid}"[^>]*>(.*?)</span>`, 's').exec(html)?.[1]?.replace(/<[^>]+>/g, '');

describe('status bar: the hub link and the HQ link apart, records per level', () => {
  it('hub reachable, HQ not (the WAN is down): says both, and what is only here and what only the branch has', async () => {
    await i18n.changeLanguage('id');
    const html = render(store({ hub: hub(), hqConnected: false }));
    expect(text(html, 'status-hub-link')).toBe('Hub cabang: terhubung');
    expect(text(html, 'status-hq-link')).toBe('HQ: tidak terhubung');
    expect(html).toContain('class="status-bar__item status-bar__hub is-online"');
    expect(html).toContain('class="status-bar__item status-bar__hq is-offline"');
    expect(html).toContain('data-local="2" data-branch="3"');
    expect(html).toContain('2 hanya di PC ini · 3 di cabang, belum di HQ · tertua 12 menit');
  });

  it('the hub unreachable on the hub PC itself, HQ connected; in English too', async () => {
    await i18n.changeLanguage('id');
    const hosting = { state: 'restarting' as const, crashes: 1, shortCode: null, hqLink: 'ok' };
    const s = store({ hub: hub({ role: 'host', connected: false, hosting, lastError: { code: 'HUB_UNREACHABLE', message: 'ECONNREFUSED', at: NOW.toISOString() } }), hqConnected: true });
    let html = render(s);
    expect(text(html, 'status-hub-link')).toBe('Hub cabang: tidak terjangkau (PC ini)');
    expect(html).toContain('title="ECONNREFUSED"');
    expect(text(html, 'status-hq-link')).toBe('HQ: terhubung');
    await i18n.changeLanguage('en');
    html = render(s);
    expect(text(html, 'status-hub-link')).toBe('Branch hub: unreachable (this PC)');
    expect(html).toContain('2 only on this PC · 3 in the branch, not yet at HQ');
    await i18n.changeLanguage('id');
  });

  it('a PC without a hub shows no hub part and counts what HQ has not received, as before', async () => {
    await i18n.changeLanguage('id');
    for (const none of [null, hub({ role: 'none', hub: null, connected: false })]) {
      const s = new SyncStatusStore(() => NOW.getTime());
      s.observe('tickets', 't1', 'f1');
      s.setLink(hqLink(true));
      s.setHub(none);
      s.setRunning(true);
      const html = render(s);
      expect(html).not.toContain('status-hub');
      expect(html).not.toContain('Hub cabang');
      expect(text(html, 'status-hq-pending')).toBe(' · 1 menunggu kirim (tertua &lt;1 menit)');
    }
  });
});
