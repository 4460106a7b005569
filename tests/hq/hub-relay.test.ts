import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDevice } from '../../hq/admin';
import { createLogger } from '../../hq/log';
import { Upstream } from '../../hq/hub/upstream';
import { StreamHub } from '../../hq/stream';
import { nodeSha256Hex } from '../../hq/validate';
import { hubRequest } from '../../main/hub/pinned';
import { appendEntry, type AuditEntry } from '@shared/audit/chain';
import type { PullResponse } from '@shared/sync/protocol';
import { countRows, enrol, ticket } from './helpers';
import { branchWithHub, fresh, hqDocuments, validCaseDoc } from './hub-helpers';
import type { Branch } from './hub-helpers';

// Issue 17 pt 2 (relay): the hub pushes what the branch's PCs pushed to it on to HQ, each record
// as its ORIGINAL device's, so HQ validates it as today (journal replay, that device's audit
// chain) and holds it once; HQ takes relays only from its branch's hub and only for that branch's
// devices; the hub takes in what PCs pushed to HQ directly; HQ stays the authority.

let br: Branch;
beforeAll(async () => {
  br = await branchWithHub('hub_relay');
}, 180_000);
afterAll(async () => {
  await br?.close();
});

const relay = (device: { auth: { authorization: string } }, collection: string, origin: string, rows: unknown[]) =>
  br.hq.app.inject({ method: 'POST', url: `/v1/hub/relay/${collection}/push`, headers: { ...device.auth, 'x-loket-origin-device': origin }, payload: rows });

async function chainOf(deviceId: string, n: number): Promise<Record<string, unknown>[]> {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await appendEntry(nodeSha256Hex, out.at(-1) ?? null, {
        deviceId,
        at: `2026-03-02T09:1${i}:00+07:00`,
        actor: { staffId: 'officer01', role: 'officer' },
        action: 'case.event',
        subject: { kind: 'case', id: `CASE-A-${i}` },
        details: { type: 'identity.checked', journalLength: i + 1 },
      }),
    );
  }
  return out.map((e) => ({ id: `${e.deviceId}:${String(e.seq).padStart(10, '0')}`, ...e }));
}

describe('relay from the hub to HQ', () => {
  it('a relay whose answer is lost (HQ applied it, the hub timed out) is sent again, and HQ keeps each record once', async () => {
    // Written at the hub as pc1's (straight into its database, so no push wakes the hub's own link).
    const docs = [ticket(br.a), ticket(br.a)];
    const ids = docs.map((d) => String(d.id));
    for (const d of docs) {
      const text = JSON.stringify(d);
      await br.hub.db.query(
        `INSERT INTO documents (collection, id, branch_code, server_seq, deleted, data, received_at, device_id, data_bytes)
         VALUES ('tickets', $1, $2, nextval('documents_seq'), false, $3::jsonb, now(), $4, $5)`,
        [d.id, br.a, text, br.pc1.deviceId, Buffer.byteLength(text)],
      );
    }
    let lost = 0;
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if ((input instanceof URL ? input.href : typeof input === 'string' ? input : input.url).includes('/v1/hub/relay/') && lost === 0) {
        lost++;
        await res.text();
        throw new Error('timeout: the answer was lost');
      }
      return res;
    };
    const link = new Upstream({ db: br.hub.db, log: createLogger({ level: 'silent' }), branchCode: br.a, url: br.hqUrl, deviceToken: br.hubDevice.token, streams: new StreamHub(), fetch: lossy });
    const first = await link.syncOnce();
    expect(first.hq).toBe('unreachable');
    expect(lost).toBe(1);
    const applied = (await hqDocuments(br.hq.db, 'tickets')).filter((d) => ids.includes(d.id));
    expect(applied.map((d) => [d.id, d.device_id]).sort()).toEqual(ids.map((id) => [id, br.pc1.deviceId]).sort());
    const second = await link.syncOnce();
    expect(second.hq).toBe('ok');
    expect((await hqDocuments(br.hq.db, 'tickets')).filter((d) => ids.includes(d.id))).toEqual(applied);
  });

  it('gives HQ each record once, authored by the PC that wrote it, never by the hub', async () => {
    const t1 = [ticket(br.a), ticket(br.a), ticket(br.a)];
    const t2 = [ticket(br.a), ticket(br.a)];
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', t1.map(fresh))).status).toBe(200);
    expect((await br.atHub(br.pc2, 'POST', '/v1/sync/tickets/push', t2.map(fresh))).status).toBe(200);
    const status = await br.hub.upstream.syncOnce();
    expect(status.hq).toBe('ok');
    const atHq = new Map((await hqDocuments(br.hq.db, 'tickets')).map((d) => [d.id, d.device_id]));
    for (const t of t1) expect(atHq.get(String(t.id))).toBe(br.pc1.deviceId);
    for (const t of t2) expect(atHq.get(String(t.id))).toBe(br.pc2.deviceId);
    expect([...atHq.values()]).not.toContain(br.hubDevice.deviceId);
  });

  it("validates as today: a case's journal replays at HQ and audit entries continue the PC's own chain", async () => {
    const theCase = await validCaseDoc(br.hq.db, br.pc1);
    const chain = await chainOf(br.pc1.deviceId, 3);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/cases/push', [fresh(theCase)])).status).toBe(200);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/audit/push', chain.map(fresh))).status).toBe(200);
    await br.hub.upstream.syncOnce();
    expect((await hqDocuments(br.hq.db, 'cases')).map((d) => [d.id, d.device_id])).toContainEqual([theCase.id, br.pc1.deviceId]);
    expect((await hqDocuments(br.hq.db, 'audit')).map((d) => d.device_id)).toEqual(chain.map(() => br.pc1.deviceId));
    expect(await countRows(br.hq.db, 'quarantine')).toBe(0);
  });

  it('a record HQ refuses is in its quarantine under the PC that wrote it; the hub goes on', async () => {
    // A broken chain: seq 5 after 3 (the hub checks only the shape; HQ checks the chain).
    const chain = await chainOf(br.pc1.deviceId, 5);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/audit/push', [fresh(chain[4]!)])).status).toBe(200);
    const status = await br.hub.upstream.syncOnce();
    expect(status.hq).toBe('ok');
    expect(status.refused).toBe(1);
    const { rows } = await br.hq.db.query<{ device_id: string; reason: string }>('SELECT device_id::text AS device_id, reason FROM quarantine');
    expect(rows).toEqual([{ device_id: br.pc1.deviceId, reason: expect.stringMatching(/^audit: gap in seq/) as unknown }]);
  });

  it('a retry after a lost answer doubles nothing: HQ keeps each record once, with its seq', async () => {
    const before = await hqDocuments(br.hq.db, 'tickets');
    // The same relay again, as after a timeout (the hub never heard HQ's answer).
    const doc = ticket(br.a);
    const rows = [fresh(doc)];
    expect((await relay(br.hubDevice, 'tickets', br.pc1.deviceId, rows)).json()).toEqual([]);
    const once = await hqDocuments(br.hq.db, 'tickets');
    expect((await relay(br.hubDevice, 'tickets', br.pc1.deviceId, rows)).json()).toEqual([]);
    expect(await hqDocuments(br.hq.db, 'tickets')).toEqual(once);
    expect(once).toHaveLength(before.length + 1);

    // The hub forgetting every answer it had (cursor and assumed masters gone) and relaying all again.
    await br.hub.db.query(`DELETE FROM hub_state WHERE key LIKE 'relay:%'`);
    await br.hub.db.query('DELETE FROM hub_upstream');
    const fingerprint = await hqDocuments(br.hq.db, 'tickets');
    const status = await br.hub.upstream.syncOnce();
    expect(status.hq).toBe('ok');
    expect(await hqDocuments(br.hq.db, 'tickets')).toEqual(fingerprint);
  });

  it('HQ takes relays only from the branch hub, only for devices of its branch, never for a revoked one', async () => {
    const rows = [fresh(ticket(br.a))];
    const code = async (p: ReturnType<typeof relay>) => (await p).json<{ error: { code: string } }>().error.code;
    expect(await code(relay(br.pc1, 'tickets', br.pc2.deviceId, rows))).toBe('NOT_BRANCH_HUB');
    expect(await code(relay(br.hubDevice, 'tickets', br.pcB.deviceId, [fresh(ticket(br.b))]))).toBe('FORBIDDEN_BRANCH');
    expect(await code(relay(br.hubDevice, 'tickets', randomUUID(), rows))).toBe('ORIGIN_DEVICE_REFUSED');
    expect(await code(relay(br.hubDevice, 'tickets', 'not-a-device', rows))).toBe('INVALID_PAYLOAD');
    const gone = await enrol(br.hq.app, br.hq.db, br.a);
    await revokeDevice(br.hq.db, gone.deviceId);
    expect(await code(relay(br.hubDevice, 'tickets', gone.deviceId, rows))).toBe('ORIGIN_DEVICE_REFUSED');
    const written = await hqDocuments(br.hq.db, 'tickets');
    expect(written.map((d) => d.id)).not.toContain(String(rows[0]!.newDocumentState.id));
  });

  it('a PC cannot make another PC the author through the hub: the hub records the PC that pushed, and refuses its entry in another PC’s chain', async () => {
    // Whatever a PC sends along, the hub takes the author from the token that pushed (the origin
    // header is the hub's, to HQ, and only the branch's hub may send it there).
    const doc = ticket(br.a);
    const forged = await hubRequest(`${br.hub.url}/v1/sync/tickets/push`, br.hub.fingerprint, {
      method: 'POST',
      headers: { ...br.pc2.auth, 'x-loket-origin-device': br.pc1.deviceId },
      body: [fresh(doc)],
    });
    expect(forged.status).toBe(200);
    // PC 2 writes the next entry of PC 1's audit chain (it can compute it: the chain is hashed, not signed).
    const { id: _id, ...last } = (await chainOf(br.pc1.deviceId, 3))[2]!;
    const entry = await appendEntry(nodeSha256Hex, last as unknown as AuditEntry, {
      deviceId: br.pc1.deviceId,
      at: '2026-03-02T09:30:00+07:00',
      actor: { staffId: 'officer01', role: 'officer' },
      action: 'case.event',
      subject: { kind: 'case', id: 'CASE-A-9' },
      details: { type: 'identity.checked', journalLength: 9 },
    });
    const rehashed = { id: `${entry.deviceId}:${String(entry.seq).padStart(10, '0')}`, ...entry };
    // The hub refuses it itself (hq/hub/validate-hub.ts): it would take PC 1's next id at the hub.
    const refused = await br.atHub(br.pc2, 'POST', '/v1/sync/audit/push', [fresh(rehashed)]);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.json)).toContain('not the pushing device’s own chain');
    await br.hub.upstream.syncOnce();

    const atHq = await hqDocuments(br.hq.db, 'tickets');
    expect(atHq.find((d) => d.id === doc.id)?.device_id).toBe(br.pc2.deviceId);
    const atHub = await br.hub.db.query<{ device_id: string }>(`SELECT device_id::text AS device_id FROM quarantine WHERE id = $1`, [rehashed.id]);
    expect(atHub.rows).toEqual([{ device_id: br.pc2.deviceId }]);
    expect((await hqDocuments(br.hub.db, 'audit')).map((d) => d.id)).not.toContain(rehashed.id);
    expect((await hqDocuments(br.hq.db, 'audit')).map((d) => d.id)).not.toContain(rehashed.id);
    // PC 1's chain at HQ is untouched: it still ends where PC 1 left it.
    const pc1Chain = (await hqDocuments(br.hq.db, 'audit')).filter((d) => d.id.startsWith(`${br.pc1.deviceId}:`));
    expect(pc1Chain.map((d) => d.id).sort()).toEqual((await chainOf(br.pc1.deviceId, 3)).map((e) => String(e.id)));
  });

  it('takes in what a PC pushed to HQ directly (the hub was away), without relaying it back', async () => {
    const direct = ticket(br.a);
    const res = await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pc2.auth, payload: [fresh(direct)] });
    expect(res.statusCode).toBe(200);
    const seqAtHq = (await hqDocuments(br.hq.db, 'tickets')).find((d) => d.id === direct.id)!.server_seq;
    await br.hub.upstream.syncOnce();
    const pulled = await br.atHub(br.pc1, 'GET', '/v1/sync/tickets/pull?limit=1000');
    expect((pulled.json as PullResponse).documents.map((d) => d.id)).toContain(direct.id);
    await br.hub.upstream.syncOnce();
    expect((await hqDocuments(br.hq.db, 'tickets')).find((d) => d.id === direct.id)!.server_seq).toBe(seqAtHq);
  });

  it('HQ stays the authority: a relayed change that conflicts with HQ is replaced at the hub by HQ’s version, and kept', async () => {
    const base = ticket(br.a);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(base)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    const atHqVersion = { ...base, status: 'called', updatedAt: '2026-01-01T08:05:00.000Z' };
    const direct = await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pc2.auth, payload: [{ assumedMasterState: { ...base, _deleted: false }, newDocumentState: atHqVersion }] });
    expect(direct.json()).toEqual([]);
    const atHubVersion = { ...base, status: 'no-show', updatedAt: '2026-01-01T08:06:00.000Z' };
    const local = await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [{ assumedMasterState: { ...base, _deleted: false }, newDocumentState: atHubVersion }]);
    expect(local).toEqual({ status: 200, json: [] });

    const before = br.hub.status().conflicts;
    await br.hub.upstream.syncOnce();
    expect(br.hub.status().conflicts).toBe(before + 1);
    const { rows: hqRow } = await br.hq.db.query<{ data: { status: string } }>(`SELECT data FROM documents WHERE collection = 'tickets' AND id = $1`, [base.id]);
    expect(hqRow[0]!.data.status).toBe('called');
    const { rows: hubRow } = await br.hub.db.query<{ data: { status: string }; device_id: string | null }>(
      `SELECT data, device_id::text AS device_id FROM documents WHERE collection = 'tickets' AND id = $1`,
      [base.id],
    );
    expect(hubRow[0]).toEqual({ data: expect.objectContaining({ status: 'called' }) as unknown, device_id: null });
    const { rows: kept } = await br.hub.db.query<{ device_id: string; data: { status: string } }>('SELECT device_id::text AS device_id, data FROM hub_conflicts WHERE id = $1', [base.id]);
    expect(kept).toEqual([{ device_id: br.pc1.deviceId, data: expect.objectContaining({ status: 'no-show' }) as unknown }]);
  });

  it('says HQ is unreachable when it is, and the hub goes on serving its PCs', async () => {
    const upstream = new Upstream({
      db: br.hub.db,
      log: createLogger({ level: 'silent' }),
      branchCode: br.a,
      url: 'http://127.0.0.1:9', // nothing listens there
      deviceToken: br.hubDevice.token,
      streams: new StreamHub(),
      timeoutMs: 2_000,
    });
    const status = await upstream.syncOnce();
    expect(status.hq).toBe('unreachable');
    expect(status.lastError).toMatch(/HQ unreachable/);
    expect((await br.atHub(br.pc1, 'GET', '/v1/sync/tickets/pull')).status).toBe(200);
  });
});
