import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import { AuditLog } from '../../renderer/src/data/db/stores';
import { createDevice, type SimDevice } from './device-sim';
import { makeBranch, startListeningHq, type ListeningHq } from './helpers';

// The replication sends a push batch as several calls, several at once, and RxDB itself may hand
// over several batches at once. Independent documents may arrive in any order; an audit chain may
// not: HQ checks each entry against the previous one it stores, so an entry that overtook its
// predecessor would be quarantined as a gap. Here a PC that was offline for a long day pushes
// 1,200 audit entries and 600 tickets in small calls, and HQ must take every one, in order.

let hq: ListeningHq;
let device: SimDevice;
let branch: string;

beforeAll(async () => {
  hq = await startListeningHq('push-order');
  branch = await makeBranch(hq.db);
  device = await createDevice({
    name: 'order',
    branch,
    slot: 1,
    hqUrl: hq.url,
    code: (await createEnrolCode(hq.db, branch)).code,
    collections: ['tickets', 'audit'],
    pollMs: 1_000,
    // Calls of ~10 KiB: each RxDB batch of 300 rows becomes dozens of calls, several in flight.
    sizes: { pushBatchSize: 300, maxPushBytes: 10 * 1024, pushConcurrency: 4 },
  });
}, 120_000);

afterAll(async () => {
  await device?.close();
  await hq?.close();
}, 60_000);

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await hq.db.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n);
}

describe('push order', () => {
  it('audit entries reach HQ in chain order whatever the call sizes; tickets in parallel calls all arrive', async () => {
    const log = new AuditLog(device.db.audit, device.deviceId);
    for (let i = 0; i < 1_200; i++) {
      await log.append({
        at: new Date(Date.UTC(2026, 0, 5, 1, 0, 0) + i * 1000).toISOString(),
        actor: { staffId: 'petugas01', role: 'officer' },
        action: 'case.event',
        subject: { kind: 'case', id: `CASE-ORDER-${i}` },
        details: { type: 'identity.checked', journalLength: 1 + (i % 5) },
      });
    }
    await device.writeTickets(600, 200);
    await device.startSync();
    await device.replication!.awaitInSync();
    const deadline = Date.now() + 60_000;
    let audit = 0;
    while (Date.now() < deadline) {
      audit = await count(`SELECT count(*)::text AS n FROM documents WHERE collection = 'audit' AND (data ->> 'deviceId') = $1`, [device.deviceId]);
      if (audit === 1_200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(audit).toBe(1_200);
    expect(await count(`SELECT count(*)::text AS n FROM documents WHERE collection = 'tickets' AND branch_code = $1`, [branch])).toBe(600);
    expect(await count('SELECT count(*)::text AS n FROM quarantine WHERE branch_code = $1', [branch])).toBe(0);
    expect(device.status.getSnapshot().pendingCount).toBe(0);
    expect(device.replication!.stats.pushes).toBeGreaterThan(50); // really many small calls
  }, 180_000);
});
