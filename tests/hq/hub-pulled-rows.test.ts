import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticket, type TestDevice } from './helpers';
import { signingPc } from './audit-sign-pc';
import { branchWithHub, fresh, hqDocuments } from './hub-helpers';
import type { Branch } from './hub-helpers';

// Issue 17, authorship at a hub: a PC marks the versions it holds from a pull (`pulled: true`,
// main/hub/pulled-versions.ts). The hub keeps a marked row without an author and relays it to HQ
// marked (HQ keeps it without an author too: nothing is lost if its writer never comes back); once
// its writer pushes the same version unmarked it is the writer's, at the hub and then at HQ. A PC
// never makes another PC the author, and never takes a version another PC is already the author of.

let br: Branch;
beforeAll(async () => {
  br = await branchWithHub('hub_pulled_rows');
}, 180_000);
afterAll(async () => {
  await br?.close();
});

const marked = (doc: Record<string, unknown>) => ({ ...fresh(doc), pulled: true });
const authorAt = async (db: Branch['hq']['db'], collection: string, id: string) => (await hqDocuments(db, collection)).find((d) => d.id === id)?.device_id;

/** PC 1's first entry, signed by PC 1 (main, device key registered at HQ): another PC relays it only so (tests/hq/hub-audit-sign.test.ts). */
async function entryOf(device: TestDevice): Promise<Record<string, unknown>> {
  const pc = signingPc(device);
  await pc.register(async (body) => (await br.hq.app.inject({ method: 'POST', url: '/v1/audit/device', headers: device.auth, payload: body })).json());
  await br.hub.upstream.syncOnce(); // the hub learns the key with the device list
  return pc.entry(null);
}

describe('rows a PC marks as pulled, at the hub', () => {
  it('are kept without an author, at the hub and at HQ; their writer’s own push makes them its, and they reach HQ as its', async () => {
    const doc = ticket(br.a);
    const id = String(doc.id);
    // PC 2 pulled PC 1's ticket from the old hub and re-seeds this one with it.
    expect((await br.atHub(br.pc2, 'POST', '/v1/sync/tickets/push', [marked(doc)])).status).toBe(200);
    expect(await authorAt(br.hub.db, 'tickets', id)).toBeNull();
    // Relayed marked: HQ holds it, as no one's (nor the hub PC's), should PC 1 never come back.
    await br.hub.upstream.syncOnce();
    expect(await authorAt(br.hq.db, 'tickets', id)).toBeNull();
    expect(await authorAt(br.hub.db, 'tickets', id)).toBeNull();
    // The other PCs get it from the hub all the same.
    const pulled = await br.atHub(br.pc1, 'GET', '/v1/sync/tickets/pull?limit=1000');
    expect((pulled.json as { documents: { id: string }[] }).documents.map((d) => d.id)).toContain(id);

    // PC 1, its writer, pushes it unmarked: now its write, relayed to HQ as PC 1's.
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(doc)])).status).toBe(200);
    expect(await authorAt(br.hub.db, 'tickets', id)).toBe(br.pc1.deviceId);
    await br.hub.upstream.syncOnce();
    expect(await authorAt(br.hq.db, 'tickets', id)).toBe(br.pc1.deviceId);
  });

  it('never takes a record from its author: a marked or an unmarked push of the same version changes nothing', async () => {
    const doc = ticket(br.a);
    const id = String(doc.id);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(doc)])).status).toBe(200);
    const seq = (await hqDocuments(br.hub.db, 'tickets')).find((d) => d.id === id)?.server_seq;
    expect((await br.atHub(br.pc2, 'POST', '/v1/sync/tickets/push', [marked(doc)])).status).toBe(200);
    expect((await br.atHub(br.pc2, 'POST', '/v1/sync/tickets/push', [fresh(doc)])).status).toBe(200);
    const atHub = (await hqDocuments(br.hub.db, 'tickets')).find((d) => d.id === id);
    expect(atHub).toMatchObject({ device_id: br.pc1.deviceId, server_seq: seq });
    await br.hub.upstream.syncOnce();
    expect(await authorAt(br.hq.db, 'tickets', id)).toBe(br.pc1.deviceId);
  });

  it('a version the hub took from HQ: its writer’s push is relayed, a no-op at HQ, which keeps its author', async () => {
    const doc = ticket(br.a);
    const id = String(doc.id);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(doc)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    const atHq = (await hqDocuments(br.hq.db, 'tickets')).find((d) => d.id === id);
    // The hub learns it from HQ as HQ's (no author at the hub), as a new hub would.
    await br.hub.db.query(`UPDATE documents SET device_id = NULL WHERE collection = 'tickets' AND id = $1`, [id]);
    // PC 2 pushes it unmarked (a PC that lost track of what it pulled): at HQ it stays PC 1's.
    expect((await br.atHub(br.pc2, 'POST', '/v1/sync/tickets/push', [fresh(doc)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    expect((await hqDocuments(br.hq.db, 'tickets')).find((d) => d.id === id)).toEqual(atHq);
  });

  it('a version HQ holds without an author (pushed there marked while the hub was away): its writer’s push at the hub makes it its at HQ', async () => {
    const doc = ticket(br.a);
    const id = String(doc.id);
    // PC 2, its hub away, pushed PC 1's ticket straight to HQ, marked; the hub then pulls it from HQ.
    const direct = await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pc2.auth, payload: [marked(doc)] });
    expect(direct.statusCode).toBe(200);
    await br.hub.upstream.syncOnce();
    expect(await authorAt(br.hub.db, 'tickets', id)).toBeNull();
    expect(await authorAt(br.hq.db, 'tickets', id)).toBeNull();
    // PC 1 comes back and pushes it to the hub.
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(doc)])).status).toBe(200);
    expect(await authorAt(br.hub.db, 'tickets', id)).toBe(br.pc1.deviceId);
    await br.hub.upstream.syncOnce();
    expect(await authorAt(br.hq.db, 'tickets', id)).toBe(br.pc1.deviceId);
  });

  it('an audit entry of another PC’s chain: refused unmarked; marked and signed by that PC, kept as no one’s until that PC pushes it, then HQ takes it in its chain', async () => {
    const entry = await entryOf(br.pc1);
    const id = String(entry.id);
    const unmarked = await br.atHub(br.pc2, 'POST', '/v1/sync/audit/push', [fresh(entry)]);
    expect(unmarked.status).toBe(422);
    expect((await hqDocuments(br.hub.db, 'audit')).map((d) => d.id)).not.toContain(id);
    expect((await br.atHub(br.pc2, 'POST', '/v1/sync/audit/push', [marked(entry)])).status).toBe(200);
    expect(await authorAt(br.hub.db, 'audit', id)).toBeNull();
    await br.hub.upstream.syncOnce();
    expect(await authorAt(br.hq.db, 'audit', id)).toBeNull(); // HQ checked it continues PC 1's chain
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/audit/push', [fresh(entry)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    expect(await authorAt(br.hq.db, 'audit', id)).toBe(br.pc1.deviceId);
    const { rows } = await br.hq.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM quarantine WHERE id = $1`, [id]);
    expect(rows[0]!.n).toBe(0);
  });
});
