import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDevice } from './helpers';
import { branchWithHub, fresh, hqDocuments, type Branch } from './hub-helpers';
import { signedBy, signingPc, type SigningPc } from './audit-sign-pc';

// Issue 17 (audit-id squatting) at the branch hub: the hub learns the branch's device keys from HQ
// with its device list (and the signed roster), and takes an audit entry of another PC's chain,
// pushed marked as pulled, only when that PC signed it. A forged one never takes the PC's id at the
// hub, so the PC's own entry is not turned into a conflict there; a genuine one is relayed to HQ,
// which keeps it in its author's chain.

let br: Branch;
let pc1: SigningPc;
let pc2: SigningPc;
beforeAll(async () => {
  br = await branchWithHub('hub_audit_sign');
  pc1 = signingPc(br.pc1);
  pc2 = signingPc(br.pc2);
  for (const pc of [pc1, pc2]) {
    await pc.register(async (body) => (await br.hq.app.inject({ method: 'POST', url: '/v1/audit/device', headers: pc.device.auth, payload: body })).json());
  }
  await br.hub.upstream.syncOnce(); // the hub learns the keys with the device list
}, 180_000);
afterAll(async () => {
  await br?.close();
});

const marked = (doc: Record<string, unknown>) => ({ ...fresh(doc), pulled: true });
const push = (device: TestDevice, rows: unknown[]) => br.atHub(device, 'POST', '/v1/sync/audit/push', rows);
const reasonOf = (res: { status: number; json: unknown }) => {
  expect(res.status).toBe(422);
  return ((res.json as { error: { details?: { rejected?: { reason: string }[] } } }).error.details?.rejected ?? []).map((r) => r.reason).join('; ');
};

describe("audit entries of another PC's chain at the hub", () => {
  it('the hub holds the device keys HQ registered', async () => {
    const { rows } = await br.hub.db.query<{ public_key: unknown }>('SELECT public_key FROM devices WHERE device_id::text = $1', [br.pc1.deviceId]);
    expect(rows[0]?.public_key).toEqual(pc1.key.publicKey);
  });

  it("squatting: PC 2 pushes, marked, an entry it made up as PC 1's next one: refused at the hub; PC 1's own entry then takes its id", async () => {
    const forged = await pc1.entry(null, { signed: false });
    expect(reasonOf(await push(br.pc2, [marked(forged)]))).toMatch(/must be signed by/);
    expect(reasonOf(await push(br.pc2, [marked(signedBy(pc2.key, forged))]))).toMatch(/signature is not by device/);
    expect((await hqDocuments(br.hub.db, 'audit')).map((d) => d.id)).not.toContain(forged.id);

    const own = await pc1.entry(null);
    expect((await push(br.pc1, [fresh(own)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    expect((await hqDocuments(br.hq.db, 'audit')).find((d) => d.id === own.id)?.device_id).toBe(br.pc1.deviceId);
  });

  it('a genuine entry, signed by its author, relayed by another PC: taken at the hub, relayed to HQ into its author’s chain; a tampered signature is refused', async () => {
    const { rows } = await br.hub.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM documents WHERE collection = 'audit' AND data ->> 'deviceId' = $1 ORDER BY (data ->> 'seq')::bigint DESC LIMIT 1`,
      [br.pc1.deviceId],
    );
    const genuine = await pc1.entry(rows[0]!.data as never);
    const tampered = { ...genuine, signature: `${genuine.signature!.slice(0, 20)}${genuine.signature![20] === 'A' ? 'B' : 'A'}${genuine.signature!.slice(21)}` };
    expect(reasonOf(await push(br.pc2, [marked(tampered)]))).toMatch(/signature is not by device/);
    expect((await push(br.pc2, [marked(genuine)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    const atHq = await br.hq.db.query<{ data: Record<string, unknown>; device_id: string | null }>(
      `SELECT data, device_id::text AS device_id FROM documents WHERE collection = 'audit' AND id = $1`,
      [genuine.id],
    );
    expect(atHq.rows[0]?.data).toMatchObject({ deviceId: br.pc1.deviceId, seq: genuine.seq, signature: genuine.signature });
    const { rows: q } = await br.hq.db.query(`SELECT 1 FROM quarantine WHERE id = $1`, [genuine.id]);
    expect(q).toHaveLength(0);
    // PC 1's own push of it is a no-op at the hub, and makes it PC 1's.
    expect((await push(br.pc1, [fresh(genuine)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    expect((await hqDocuments(br.hq.db, 'audit')).find((d) => d.id === genuine.id)?.device_id).toBe(br.pc1.deviceId);
  });

  it('an unsigned entry from its own device is still taken (older PCs)', async () => {
    const first = await pc2.entry(null, { signed: false });
    expect((await push(br.pc2, [fresh(first)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    expect((await hqDocuments(br.hq.db, 'audit')).find((d) => d.id === first.id)?.device_id).toBe(br.pc2.deviceId);
  });
});
