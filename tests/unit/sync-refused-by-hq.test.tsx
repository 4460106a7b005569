import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { LinkStatus } from '../../renderer/src/components/StatusBar';
import { SyncStatusStore } from '../../renderer/src/sync/status';
import type { HqStatus, HubStatus } from '@shared/ipc/contract';

// Issue 17 pt 7: a record the hub relayed and HQ refused. Once the hub reports the refusal (the
// answer of sync.atHq), the PC shows it as refused by HQ with HQ's reason: not as "in the branch,
// not yet at HQ", never as received by HQ; it is not asked about again, and an edit (new content)
// is pending again like any other.

const NOW = new Date('2026-03-02T03:00:00.000Z');
const hqLink: HqStatus = { enrolled: true, url: 'https://hq.example.test', branchCode: 'UJI01', connected: false, lastContactAt: null, lastError: null };
const hub: HubStatus = { role: 'client', hub: { url: 'https://192.168.1.20:47600', fingerprint: 'AB', source: 'hq' }, connected: true, lastContactAt: null, lastError: null, hosting: null };
const REASON = 'audit: gap in seq (expected 1, got 3)';

function store(): SyncStatusStore {
  const s = new SyncStatusStore(() => NOW.getTime() - 5 * 60_000);
  for (const i of [1, 2, 3]) {
    s.observe('tickets', `t${i}`, `f${i}`);
    s.acknowledge('tickets', `t${i}`, `f${i}`, 'hub');
  }
  s.setLink(hqLink);
  s.setHub(hub);
  s.setRunning(true);
  return s;
}

const render = (s: SyncStatusStore) =>
  renderToStaticMarkup(<LinkStatus t={i18n.t} sync={s.getSnapshot()} fallback={null} zone="WIB" now={NOW} />).replace(/<!-- -->/g, '');

describe('a record HQ refused after the hub relayed it', () => {
  it('is counted refused with the reason, not in the branch, and is not asked about again', () => {
    const s = store();
    expect(s.branchRecords(10).map((r) => r.id)).toEqual(['t1', 't2', 't3']);
    s.reject('tickets', 't2', 'f2', REASON);
    const snap = s.getSnapshot();
    expect(snap.levels).toEqual({ local: 0, branch: 2, hq: 0 });
    expect(snap).toMatchObject({ pendingCount: 3, refusedCount: 1, lastRefusal: { collection: 'tickets', id: 't2', reason: REASON } });
    expect(snap.pending.find((p) => p.id === 't2')).toMatchObject({ error: REASON });
    expect(s.levelOf('tickets', 't2')).not.toBe('hq');
    expect(s.isAcknowledged('tickets', 't2')).toBe(false);
    expect(s.branchRecords(10).map((r) => r.id)).toEqual(['t1', 't3']);

    // The officer edits it: new content, pending and asked about again once the hub has it.
    s.observe('tickets', 't2', 'f2b');
    s.acknowledge('tickets', 't2', 'f2b', 'hub');
    expect(s.getSnapshot()).toMatchObject({ refusedCount: 0, levels: { local: 0, branch: 3, hq: 0 } });
    expect(s.branchRecords(10).map((r) => r.id)).toContain('t2');
  });

  it('the status bar says it was refused by HQ, with the reason, in Indonesian and English', async () => {
    const s = store();
    s.reject('tickets', 't2', 'f2', REASON);
    await i18n.changeLanguage('id');
    let html = render(s);
    expect(html).toContain('0 hanya di PC ini · 2 di cabang, belum di HQ');
    expect(html).toMatch(/data-testid="status-hq-refused"[^>]*>[^<]*1 ditolak HQ: audit: gap in seq/);
    await i18n.changeLanguage('en');
    html = render(s);
    expect(html).toMatch(/data-testid="status-hq-refused"[^>]*>[^<]*1 refused by HQ/);
    await i18n.changeLanguage('id');
  });
});
