import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/audit/chain';
import { signingPc, type SigningPc } from './audit-sign-pc';
import { ticket, twoBranches, type Hq, type TestDevice } from './helpers';
import { fresh, hqDocuments } from './hub-helpers';

// Issue 17, authorship when a PC pushes straight to HQ (its hub away, HQ up): the PC holds records
// it only pulled from the hub, some the hub never relayed (their writer pushed only to the hub).
// main marks them `pulled` on a direct push too (main/hub/push-marked.ts), and HQ treats a marked
// row as the hub does (hq/store.ts `PushOptions`): kept without an author, claimed only by its
// writer's own unmarked push, never taken from an author. HQ says it takes the mark (/v1/branch).

let hq: Hq;
let a: string;
let pc1: TestDevice;
let pc2: TestDevice;
let pcB: TestDevice;
beforeAll(async () => {
  const t = await twoBranches('hub_pulled_hq');
  hq = t.hq;
  a = t.a;
  pc1 = t.devA;
  pc2 = t.devA2;
  pcB = t.devB;
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const marked = (doc: Record<string, unknown>) => ({ ...fresh(doc), pulled: true });
const pushAsPc = (device: TestDevice, collection: string, rows: unknown[]) => hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows });
const rowAt = async (collection: string, id: string) => (await hqDocuments(hq.db, collection)).find((d) => d.id === id);

// An entry another PC relays is taken only signed by its author (tests/hq/audit-sign.test.ts): PC 1's are signed by its key, registered at HQ.
const signers = new Map<string, SigningPc>();
async function entryOf(deviceId: string, prev: AuditEntry | null = null): Promise<Record<string, unknown> & AuditEntry> {
  const device = [pc1, pc2, pcB].find((d) => d.deviceId === deviceId)!;
  let signer = signers.get(deviceId);
  if (!signer) {
    signer = signingPc(device);
    signers.set(deviceId, signer);
    await signer.register(async (body) => (await hq.app.inject({ method: 'POST', url: '/v1/audit/device', headers: device.auth, payload: body })).json());
  }
  return signer.entry(prev);
}

describe('rows a PC marks as pulled, pushed straight to HQ', () => {
  it('HQ says it takes the mark', async () => {
    const res = await hq.app.inject({ method: 'GET', url: '/v1/branch', headers: pc1.auth });
    expect(res.json()).toMatchObject({ pulledMarks: true });
  });

  it('are kept without an author; their writer’s own push makes them its (a new seq, so the branch hears it)', async () => {
    const doc = ticket(a);
    const id = String(doc.id);
    expect((await pushAsPc(pc2, 'tickets', [marked(doc)])).statusCode).toBe(200);
    const kept = await rowAt('tickets', id);
    expect(kept?.device_id).toBeNull();
    // Every PC of the branch gets it all the same: nothing is lost if its writer never comes back.
    const pulled = await hq.app.inject({ method: 'GET', url: '/v1/sync/tickets/pull?limit=1000', headers: pc1.auth });
    expect(pulled.json<{ documents: { id: string }[] }>().documents.map((d) => d.id)).toContain(id);

    expect((await pushAsPc(pc1, 'tickets', [fresh(doc)])).statusCode).toBe(200);
    const claimed = await rowAt('tickets', id);
    expect(claimed?.device_id).toBe(pc1.deviceId);
    expect(Number(claimed?.server_seq)).toBeGreaterThan(Number(kept?.server_seq));
  });

  it('never takes a record from its author: a marked or an unmarked push of the same version changes nothing', async () => {
    const doc = ticket(a);
    const id = String(doc.id);
    expect((await pushAsPc(pc1, 'tickets', [fresh(doc)])).statusCode).toBe(200);
    const before = await rowAt('tickets', id);
    expect((await pushAsPc(pc2, 'tickets', [marked(doc)])).statusCode).toBe(200);
    expect((await pushAsPc(pc2, 'tickets', [fresh(doc)])).statusCode).toBe(200);
    expect(await rowAt('tickets', id)).toEqual(before);
  });

  it('a marked edit is validated as any write and kept without an author', async () => {
    const doc = ticket(a);
    expect((await pushAsPc(pc1, 'tickets', [fresh(doc)])).statusCode).toBe(200);
    const called = { ...doc, status: 'called', updatedAt: '2026-01-01T08:05:00.000Z', history: [...(doc.history as unknown[]), { status: 'called', at: '2026-01-01T08:05:00.000Z' }] };
    const res = await pushAsPc(pc2, 'tickets', [{ assumedMasterState: doc, newDocumentState: called, pulled: true }]);
    expect(res.statusCode).toBe(200);
    expect((await rowAt('tickets', String(doc.id)))?.device_id).toBeNull();
    // Another branch's record stays refused, marked or not.
    expect((await pushAsPc(pcB, 'tickets', [marked(ticket(a))])).statusCode).toBe(403);
  });

  it('an audit entry of another PC: refused unmarked; marked, signed by that PC, it must continue that PC’s chain, is kept as no one’s, and only that PC claims it', async () => {
    const first = await entryOf(pc1.deviceId);
    const id = String(first.id);
    expect((await pushAsPc(pc2, 'audit', [fresh(first)])).statusCode).toBe(422);
    expect(await rowAt('audit', id)).toBeUndefined();

    expect((await pushAsPc(pc2, 'audit', [marked(first)])).statusCode).toBe(200);
    expect((await rowAt('audit', id))?.device_id).toBeNull();
    // Not claimed by another PC's unmarked retry (the claim of an audit entry is its chain's device's).
    expect((await pushAsPc(pc2, 'audit', [fresh(first)])).statusCode).toBe(200);
    expect((await rowAt('audit', id))?.device_id).toBeNull();
    // PC 1's chain goes on after it, and PC 1's own push makes it its.
    const second = await entryOf(pc1.deviceId, first);
    expect((await pushAsPc(pc1, 'audit', [fresh(first), fresh(second)])).statusCode).toBe(200);
    expect((await rowAt('audit', id))?.device_id).toBe(pc1.deviceId);
    expect((await rowAt('audit', String(second.id)))?.device_id).toBe(pc1.deviceId);

    // A marked entry that does not continue the chain it names is refused (quarantined), as any other.
    const gap = await entryOf(pc1.deviceId, { ...second, seq: second.seq + 1 });
    expect((await pushAsPc(pc2, 'audit', [marked(gap)])).statusCode).toBe(422);
    // One naming a device that is not of the pusher's branch is refused.
    expect((await pushAsPc(pc2, 'audit', [marked(await entryOf(pcB.deviceId))])).statusCode).toBe(422);
  });
});
