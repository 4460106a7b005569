import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '@shared/sync/fingerprint';
import { MAX_AT_HQ_RECORDS } from '@shared/sync/protocol';
import { ticket } from './helpers';
import { branchWithHub, fresh } from './hub-helpers';
import type { Branch } from './hub-helpers';

// Issue 17 pt 7: the hub tells a PC which of its records HQ holds in the PC's version
// (POST /v1/hub/at-hq). Only what HQ itself acknowledged to the hub counts: a record the hub holds
// but has not relayed, or relayed while HQ was unreachable, is not "at HQ".

let br: Branch;
beforeAll(async () => {
  br = await branchWithHub('hub_at_hq');
}, 180_000);
afterAll(async () => {
  await br?.close();
});

const ask = (records: { id: string; fp: string }[], collection = 'tickets', device = br.pc1) => br.atHub(device, 'POST', '/v1/hub/at-hq', { collection, records });
const fpOf = (doc: Record<string, unknown>) => fingerprint({ ...doc, _deleted: false });

describe('POST /v1/hub/at-hq', () => {
  it('answers a record only once HQ acknowledged exactly that version to the hub', async () => {
    const t = ticket(br.a);
    const id = String(t.id);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(t)])).status).toBe(200);
    // At the hub, not yet at HQ (the test hub relays only when told to).
    expect(await ask([{ id, fp: fpOf(t) }])).toEqual({ status: 200, json: { atHq: [] } });
    expect((await br.hub.upstream.syncOnce()).hq).toBe('ok');
    expect(await ask([{ id, fp: fpOf(t) }])).toEqual({ status: 200, json: { atHq: [id] } });

    // An edit the hub holds but HQ has not received: the new version is not at HQ, the old one is.
    const edited = { ...t, status: 'called', updatedAt: '2026-01-01T08:05:00.000Z' };
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [{ assumedMasterState: { ...t, _deleted: false }, newDocumentState: edited }])).status).toBe(200);
    expect((await ask([{ id, fp: fpOf(edited) }])).json).toEqual({ atHq: [] });
    await br.hub.upstream.syncOnce();
    expect((await ask([{ id, fp: fpOf(edited) }])).json).toEqual({ atHq: [id] });
    expect((await ask([{ id, fp: fpOf(t) }])).json).toEqual({ atHq: [] });
  });

  it('with HQ unreachable the hub holds records but never says they are at HQ', async () => {
    const t = ticket(br.a);
    const id = String(t.id);
    expect((await br.atHub(br.pc2, 'POST', '/v1/sync/tickets/push', [fresh(t)])).status).toBe(200);
    // A round that cannot reach HQ (the hub's link pointed at a closed port for this round).
    const { Upstream } = await import('../../hq/hub/upstream');
    const { StreamHub } = await import('../../hq/stream');
    const { createLogger } = await import('../../hq/log');
    const cut = new Upstream({ db: br.hub.db, log: createLogger({ level: 'silent' }), branchCode: br.a, url: 'http://127.0.0.1:9', deviceToken: br.hubDevice.token, streams: new StreamHub(), timeoutMs: 1_000 });
    expect((await cut.syncOnce()).hq).toBe('unreachable');
    expect((await ask([{ id, fp: fpOf(t) }], 'tickets', br.pc2)).json).toEqual({ atHq: [] });
    await br.hub.upstream.syncOnce();
    expect((await ask([{ id, fp: fpOf(t) }], 'tickets', br.pc2)).json).toEqual({ atHq: [id] });
  });

  it('knows what PCs pushed to HQ directly once the hub pulled it', async () => {
    const t = ticket(br.a);
    const res = await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pc2.auth, payload: [fresh(t)] });
    expect(res.statusCode).toBe(200);
    expect((await ask([{ id: String(t.id), fp: fpOf(t) }])).json).toEqual({ atHq: [] });
    await br.hub.upstream.syncOnce();
    expect((await ask([{ id: String(t.id), fp: fpOf(t) }])).json).toEqual({ atHq: [String(t.id)] });
  });

  it('refuses bad requests clearly, devices of other branches, and exists only at a hub', async () => {
    const bad = async (body: unknown) => {
      const r = await br.atHub(br.pc1, 'POST', '/v1/hub/at-hq', body);
      return [r.status, (r.json as { error: { code: string } }).error.code];
    };
    expect(await bad({ collection: 'staff', records: [{ id: 'x', fp: 'y' }] })).toEqual([400, 'INVALID_PAYLOAD']);
    expect(await bad({ collection: 'tickets', records: [] })).toEqual([400, 'INVALID_PAYLOAD']);
    expect(await bad({ collection: 'tickets', records: Array.from({ length: MAX_AT_HQ_RECORDS + 1 }, (_, i) => ({ id: `t${i}`, fp: 'f' })) })).toEqual([400, 'INVALID_PAYLOAD']);
    expect(await bad({ collection: 'tickets', ids: ['x'] })).toEqual([400, 'INVALID_PAYLOAD']);
    expect((await br.atHub(br.pcB, 'POST', '/v1/hub/at-hq', { collection: 'tickets', records: [{ id: 'x', fp: 'y' }] })).status).toBe(401);
    expect((await br.atHub(null, 'POST', '/v1/hub/at-hq', { collection: 'tickets', records: [{ id: 'x', fp: 'y' }] })).status).toBe(401);
    const atHqItself = await br.hq.app.inject({ method: 'POST', url: '/v1/hub/at-hq', headers: br.pc1.auth, payload: { collection: 'tickets', records: [{ id: 'x', fp: 'y' }] } });
    expect(atHqItself.statusCode).toBe(404);
  });
});
