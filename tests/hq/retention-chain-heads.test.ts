import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeHq } from '../../hq/retention';
import { DEFAULT_RETENTION } from '@shared/records/retention';
import { enrol, makeBranch, startHq, type Hq, type TestDevice } from './helpers';

// Issue 18 pt 8 with issue 17's authorship: HQ keeps the head of each device's renderer audit chain
// past the retention window (the next entry of that device is checked against it, hq/validate.ts).
// A chain's entries may be stored without an author (pulled rows another PC pushed or a hub
// relayed: device_id NULL) or claimed by their writer later (a new server_seq), so the head is the
// highest seq of the chain the entries name (deviceId), not the newest row of an author.

const NOW = new Date('2036-12-06T12:00:00.000Z');
const OLD = new Date(NOW.getTime() - (DEFAULT_RETENTION.audit.hqDays! + 10) * 86_400_000).toISOString();

let hq: Hq;
let branch: string;
let pcA: TestDevice;
let pcB: TestDevice;
beforeAll(async () => {
  hq = await startHq('retention_heads');
  branch = await makeBranch(hq.db);
  pcA = await enrol(hq.app, hq.db, branch);
  pcB = await enrol(hq.app, hq.db, branch);
});
afterAll(async () => hq.close());

/** An old audit entry of `chain`'s device at `seq`, stored with `author` (null: authorless); rows get server_seq in call order. */
async function put(chain: string, seq: number, author: string | null): Promise<string> {
  const id = `${chain}:${String(seq).padStart(10, '0')}`;
  await hq.db.query(
    `INSERT INTO documents (collection, id, branch_code, server_seq, data, data_bytes, received_at, device_id)
     VALUES ('audit', $1, $2, nextval('documents_seq'), $3::jsonb, octet_length($3::text), $4, $5)`,
    [id, branch, JSON.stringify({ id, deviceId: chain, seq, hash: randomUUID() }), OLD, author],
  );
  return id;
}
const left = async () =>
  (await hq.db.query<{ id: string }>(`SELECT id FROM documents WHERE collection = 'audit' AND branch_code = $1 ORDER BY id`, [branch])).rows.map((r) => r.id);

describe("retention keeps every chain's head, whoever is recorded as the entry's author", () => {
  it('keeps an authorless head of one device when another device has a newer authorless row, and no non-head', async () => {
    const a1 = await put(pcA.deviceId, 1, pcA.deviceId);
    const a2 = await put(pcA.deviceId, 2, pcA.deviceId);
    const a3 = await put(pcA.deviceId, 3, null); // A's head reached HQ only through another PC
    const b1 = await put(pcB.deviceId, 1, null); // B's only entry, authorless too, a newer row
    const report = await purgeHq(hq.db, { now: NOW });
    expect(await left()).toEqual([a3, b1].sort());
    expect(report.documents.audit).toBe(2);
    expect(await left()).not.toContain(a1);
    expect(await left()).not.toContain(a2);
  });

  it('keeps the highest seq of a chain even when an older entry was claimed (a newer row) later', async () => {
    const dev = await enrol(hq.app, hq.db, branch);
    const d4 = await put(dev.deviceId, 4, dev.deviceId);
    const d5 = await put(dev.deviceId, 5, dev.deviceId); // the head
    // seq 3, first stored authorless, claimed by its writer afterwards: a new server_seq.
    const d3 = await put(dev.deviceId, 3, dev.deviceId);
    await purgeHq(hq.db, { now: NOW });
    const mine = (await left()).filter((id) => id.startsWith(dev.deviceId));
    expect(mine).toEqual([d5]);
    expect(mine).not.toContain(d4);
    expect(mine).not.toContain(d3);
  });
});
