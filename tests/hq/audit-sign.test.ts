import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqErrorBody } from '@shared/sync/protocol';
import { twoBranches, type Hq, type TestDevice } from './helpers';
import { fresh, hqDocuments } from './hub-helpers';
import { signedBy, signingPc, type SigningPc } from './audit-sign-pc';

// Issue 17 (audit-id squatting) / issue 18 pt 7, at HQ on real PostgreSQL. A PC pushes entries it
// pulled marked `pulled`, so that an entry whose writer never comes back still reaches HQ. Such an
// entry must carry its author's signature (the device key main holds; HQ registered its public
// part with main's chain): otherwise any PC of the branch could write "the next entry of PC 1's
// chain" and take PC 1's ids. An unsigned entry is still taken from its own device (older PCs).

let hq: Hq;
let pc1: SigningPc;
let pc2: SigningPc;
let pc3: TestDevice; // enrolled, its key never registered
beforeAll(async () => {
  const t = await twoBranches('audit_sign');
  hq = t.hq;
  pc1 = signingPc(t.devA);
  pc2 = signingPc(t.devA2);
  const { enrol } = await import('./helpers');
  pc3 = await enrol(hq.app, hq.db, t.a);
  for (const pc of [pc1, pc2]) {
    await pc.register(async (body) => (await hq.app.inject({ method: 'POST', url: '/v1/audit/device', headers: pc.device.auth, payload: body })).json());
  }
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const marked = (doc: Record<string, unknown>) => ({ ...fresh(doc), pulled: true });
const push = (device: TestDevice, rows: unknown[]) => hq.app.inject({ method: 'POST', url: '/v1/sync/audit/push', headers: device.auth, payload: rows });
const rowAt = async (id: string) => (await hqDocuments(hq.db, 'audit')).find((d) => d.id === id);
/** The refusal of one pushed entry: 422, and the reason HQ gives (and keeps in quarantine). */
function refusedReason(res: { statusCode: number; body: string; json(): unknown }): string {
  expect(res.statusCode, res.body).toBe(422);
  const body = HqErrorBody.parse(res.json());
  const rejected = (body.error.details as { rejected?: { reason: string }[] } | undefined)?.rejected ?? [];
  expect(rejected).toHaveLength(1);
  return rejected[0]!.reason;
}
async function quarantined(id: string): Promise<string[]> {
  const { rows } = await hq.db.query<{ reason: string }>(`SELECT reason FROM quarantine WHERE collection = 'audit' AND id = $1`, [id]);
  return rows.map((r) => r.reason);
}

describe("audit entries of another PC's chain at HQ", () => {
  it("squatting: PC 2 pushes, marked, an entry it made up as PC 1's next one: refused and quarantined, PC 1's id stays free", async () => {
    const forged = await pc1.entry(null, { signed: false }); // PC 2 can hash an entry as PC 1's; it cannot sign it
    const reason = refusedReason(await push(pc2.device, [marked(forged)]));
    expect(reason).toMatch(/must be signed by/);
    expect(await rowAt(forged.id)).toBeUndefined();
    expect(await quarantined(forged.id)).toEqual([reason]);
    // Signed with PC 2's own key (a valid signature, by the wrong device): refused too.
    const resigned = signedBy(pc2.key, forged);
    expect(refusedReason(await push(pc2.device, [marked(resigned)]))).toMatch(/signature is not by device/);
    expect(await rowAt(forged.id)).toBeUndefined();
    // PC 1's own first entry then takes its id, as if nothing had happened.
    const own = await pc1.entry(null);
    const res = await push(pc1.device, [fresh(own)]);
    expect(res.statusCode, res.body).toBe(200);
    expect((await rowAt(own.id))?.device_id).toBe(pc1.device.deviceId);
  });

  it('a genuine entry relayed by another PC, signed by its author: taken in its author’s chain, then claimed by its author', async () => {
    const { rows } = await hq.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM documents WHERE collection = 'audit' AND data ->> 'deviceId' = $1 ORDER BY (data ->> 'seq')::bigint DESC LIMIT 1`,
      [pc1.device.deviceId],
    );
    const head = rows[0]!.data as never;
    const genuine = await pc1.entry(head);
    const relayed = await push(pc2.device, [marked(genuine)]);
    expect(relayed.statusCode, relayed.body).toBe(200);
    const kept = (await hq.db.query<{ data: Record<string, unknown>; device_id: string | null }>(`SELECT data, device_id::text AS device_id FROM documents WHERE collection = 'audit' AND id = $1`, [genuine.id])).rows[0];
    expect(kept?.data).toMatchObject({ deviceId: pc1.device.deviceId, seq: genuine.seq, signature: genuine.signature });
    expect(kept?.device_id).toBeNull(); // not PC 2's
    // PC 1 comes back: its own push of the same entry makes it its.
    expect((await push(pc1.device, [fresh(genuine)])).statusCode).toBe(200);
    expect((await rowAt(genuine.id))?.device_id).toBe(pc1.device.deviceId);

    // Its chain goes on from there; a tampered signature on the next one is refused, relayed or not.
    const next = await pc1.entry(genuine);
    const flipped = { ...next, signature: `${next.signature!.slice(0, 10)}${next.signature![10] === 'A' ? 'B' : 'A'}${next.signature!.slice(11)}` };
    expect(refusedReason(await push(pc2.device, [marked(flipped)]))).toMatch(/signature is not by device/);
    expect(refusedReason(await push(pc1.device, [fresh(flipped)]))).toMatch(/signature is not by device/);
    // The entry edited under its genuine signature: its hash no longer holds.
    const edited = { ...next, details: { type: 'identity.checked', journalLength: 2 } };
    expect(refusedReason(await push(pc2.device, [marked(edited)]))).toMatch(/hash does not match/);
    expect((await push(pc1.device, [fresh(next)])).statusCode).toBe(200);
  });

  it('an unsigned entry is still taken from its own device (older PCs), and a signed one of a device whose key HQ has not registered', async () => {
    const first = await pc2.entry(null, { signed: false });
    const res = await push(pc2.device, [fresh(first)]);
    expect(res.statusCode, res.body).toBe(200);
    const second = await pc2.entry(first);
    expect((await push(pc2.device, [fresh(second)])).statusCode).toBe(200);
    expect((await rowAt(second.id))?.device_id).toBe(pc2.device.deviceId);

    // PC 3 never uploaded main's chain: its own signed entry is taken as an unsigned one would be,
    // but relayed by another PC it cannot be checked, so it is refused.
    const three = signingPc(pc3);
    const own = await three.entry(null);
    expect(refusedReason(await push(pc1.device, [marked(own)]))).toMatch(/no public key of device/);
    expect((await push(pc3, [fresh(own)])).statusCode).toBe(200);
  });
});
