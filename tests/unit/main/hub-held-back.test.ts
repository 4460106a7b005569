import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../../renderer/src/i18n';
import { LinkStatus } from '../../../renderer/src/components/StatusBar';
import { startReplication, type Replication, type SyncBridge } from '../../../renderer/src/sync/replication';
import { SyncStatusStore } from '../../../renderer/src/sync/status';
import type { HqStatus, ResponseOf } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import type { PushRow } from '@shared/sync/protocol';

// Issue 17 pt 7: "received by HQ" never before HQ has it. Rows main holds back from an upstream too
// old to take them marked (versions this PC only pulled: main/hub/push-marked.ts) were answered like
// the rest of the push, so the renderer counted them as acknowledged there: "received by HQ" for
// records HQ never got. main now names them (`heldBack`), and the renderer keeps them pending, says
// why, and never seeds them as acknowledged after a restart.

interface Doc {
  id: string;
  branchCode: string;
  status: string;
  updatedAt: string;
}
const schema: RxJsonSchema<Doc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, branchCode: { type: 'string' }, status: { type: 'string' }, updatedAt: { type: 'string' } },
  required: ['id', 'branchCode', 'status', 'updatedAt'],
};

const NOW = new Date('2026-03-02T03:00:00.000Z');
const doc = (id: string): Doc => ({ id, branchCode: 'UJI01', status: 'waiting', updatedAt: '2026-03-02T02:00:00.000Z' });

let db: RxDatabase<{ tickets: RxCollection<Doc> }> | null = null;
let replication: Replication | null = null;
afterEach(async () => {
  await replication?.stop();
  replication = null;
  await db?.close();
  db = null;
});

/** HQ (as main answers for it): `written` is this PC's own; anything else main held back (pulled, old HQ). */
function bridge(written: Set<string>): SyncBridge & { pushed: string[] } {
  const pushed: string[] = [];
  return {
    pushed,
    pull: () => Promise.resolve({ ok: true, value: { documents: [], checkpoint: null } }),
    push: ({ rows }: { rows: PushRow[] }) => {
      const ids = rows.map((r) => String(r.newDocumentState.id));
      pushed.push(...ids);
      const heldBack = ids.filter((id) => !written.has(id));
      const value: ResponseOf<'sync.push'> = heldBack.length > 0 ? { conflicts: [], heldBack } : [];
      return Promise.resolve({ ok: true, value } as IpcResult<ResponseOf<'sync.push'>>);
    },
    onChanged: () => () => undefined,
  };
}

async function start(status: SyncStatusStore, b: SyncBridge): Promise<Replication> {
  db ??= await createRxDatabase<{ tickets: RxCollection<Doc> }>({ name: `held-${crypto.randomUUID()}`, storage: getRxStorageMemory() });
  if (!db.collections.tickets) await db.addCollections({ tickets: { schema } });
  replication = await startReplication({
    collections: { tickets: db.collections.tickets },
    bridge: b,
    status,
    identifier: 'hq:test',
    conflicts: { record: () => undefined },
    retry: { minMs: 50, maxMs: 200 },
  });
  return replication;
}

const hqLink: HqStatus = { enrolled: true, url: 'https://hq.example.test', branchCode: 'UJI01', connected: true, lastContactAt: null, lastError: null };

describe('rows held back from an old upstream', () => {
  it('are not received by HQ, are counted as waiting (with why on the status bar), and stay so after a restart', async () => {
    const status = new SyncStatusStore(() => NOW.getTime());
    const b = bridge(new Set(['mine']));
    const r = await start(status, b);
    await db!.collections.tickets.bulkInsert([doc('mine'), doc('theirs')]);
    await r.awaitInSync();
    expect(b.pushed.sort()).toEqual(['mine', 'theirs']);

    expect(status.levelOf('tickets', 'mine')).toBe('hq');
    expect(status.levelOf('tickets', 'theirs')).toBe('local');
    expect(status.isAcknowledged('tickets', 'theirs')).toBe(false);
    const snap = status.getSnapshot();
    expect(snap).toMatchObject({ pendingCount: 1, heldBackCount: 1, levels: { local: 1, branch: 0, hq: 1 } });
    expect(snap.pending).toEqual([expect.objectContaining({ id: 'theirs', level: 'local', heldBack: true })]);

    status.setLink(hqLink);
    status.setRunning(true);
    await i18n.changeLanguage('id');
    const html = renderToStaticMarkup(createElement(LinkStatus, { t: i18n.t, sync: status.getSnapshot(), fallback: null, zone: 'WIB', now: NOW })).replace(/<!-- -->/g, '');
    expect(html).toMatch(/data-testid="status-held-back"[^>]*>[^<]*1 ditulis di PC lain, belum di HQ: menunggu PC itu mengirimnya, atau HQ yang diperbarui/);
    await i18n.changeLanguage('en');
    expect(renderToStaticMarkup(createElement(LinkStatus, { t: i18n.t, sync: status.getSnapshot(), fallback: null, zone: 'WIB', now: NOW }))).toContain('waiting for that PC to send them, or for an upgraded HQ');
    await i18n.changeLanguage('id');

    // A restart: what the replication kept as HQ's copy is not the held-back content.
    await r.stop();
    const again = new SyncStatusStore(() => NOW.getTime());
    const b2 = bridge(new Set(['mine']));
    await (await start(again, b2)).awaitInSync();
    expect(again.levelOf('tickets', 'mine')).toBe('hq');
    expect(again.levelOf('tickets', 'theirs')).not.toBe('hq');
    expect(again.isAcknowledged('tickets', 'theirs')).toBe(false);
  });

  it('an edit of a held-back record is new content: no longer counted as held back', () => {
    const s = new SyncStatusStore(() => 0);
    s.observe('tickets', 't1', 'v1');
    s.holdBack('tickets', 't1', 'v1');
    expect(s.getSnapshot()).toMatchObject({ heldBackCount: 1, pendingCount: 1 });
    s.observe('tickets', 't1', 'v2');
    expect(s.getSnapshot()).toMatchObject({ heldBackCount: 0, pendingCount: 1 });
    s.acknowledge('tickets', 't1', 'v2');
    expect(s.getSnapshot()).toMatchObject({ heldBackCount: 0, pendingCount: 0 });
  });
});
