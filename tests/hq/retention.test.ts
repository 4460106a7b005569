import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeHq, scheduleHqPurge } from '../../hq/retention';
import fs from 'node:fs';
import path from 'node:path';
import { decommissionPc } from '../../main/retention';
import { DEFAULT_RETENTION } from '@shared/records/retention';
import { IpcFailure } from '@shared/ipc/result';
import type { PushRow, WritableCollection } from '@shared/sync/protocol';
import { enrol, makeBranch, pushValidCase, startHq, ticket, type Hq, type TestDevice } from './helpers';
import { memoryLog, tempDir } from '../unit/main/helpers';

const NOW = new Date('2036-12-06T12:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();

let hq: Hq;
let branch: string;
let device: TestDevice;

beforeAll(async () => {
  hq = await startHq('retention');
  branch = await makeBranch(hq.db);
  device = await enrol(hq.app, hq.db, branch);
});
afterAll(async () => hq.close());

async function pushTicket(doc: Record<string, unknown>): Promise<number> {
  const res = await hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });
  return res.statusCode;
}
const age = (collection: string, id: string, days: number) =>
  hq.db.query('UPDATE documents SET received_at = $3 WHERE collection = $1 AND id = $2', [collection, id, daysAgo(days)]);
const exists = async (collection: string, id: string) =>
  (await hq.db.query('SELECT 1 FROM documents WHERE collection = $1 AND id = $2', [collection, id])).rows.length === 1;

describe('retention at HQ (issue 18 pt 8, real PostgreSQL)', () => {
  it('deletes tickets, cases and quarantined pushes past their windows and keeps the rest', async () => {
    const oldTicket = randomUUID();
    const newTicket = randomUUID();
    expect(await pushTicket(ticket(branch, oldTicket))).toBe(200);
    expect(await pushTicket(ticket(branch, newTicket))).toBe(200);
    await age('tickets', oldTicket, DEFAULT_RETENTION.tickets.hqDays! + 1);
    await age('tickets', newTicket, DEFAULT_RETENTION.tickets.hqDays! - 1);
    const oldCase = await pushValidCase(hq.app, hq.db, device);
    const keptCase = await pushValidCase(hq.app, hq.db, device);
    await age('cases', oldCase, DEFAULT_RETENTION.cases.hqDays! + 1);
    await age('cases', keptCase, DEFAULT_RETENTION.tickets.hqDays! + 1); // a case outlives a ticket's window
    // A refused push lands in quarantine; an old one goes, a recent one stays.
    expect(await pushTicket({ id: randomUUID(), branchCode: branch })).toBe(422);
    expect(await pushTicket({ id: randomUUID(), branchCode: branch, status: 'nonsense' })).toBe(422);
    const q = await hq.db.query<{ qid: string }>('SELECT qid::text FROM quarantine WHERE branch_code = $1 ORDER BY qid', [branch]);
    expect(q.rows).toHaveLength(2);
    await hq.db.query('UPDATE quarantine SET last_received_at = $2 WHERE qid = $1', [q.rows[0]!.qid, daysAgo(DEFAULT_RETENTION.quarantine.hqDays! + 1)]);
    await hq.db.query('UPDATE quarantine SET last_received_at = $2 WHERE qid = $1', [q.rows[1]!.qid, daysAgo(1)]);

    const report = await purgeHq(hq.db, { now: NOW });

    expect(report).toMatchObject({ documents: { tickets: 1, cases: 1 }, quarantine: 1 });
    expect(await exists('tickets', oldTicket)).toBe(false);
    expect(await exists('tickets', newTicket)).toBe(true);
    expect(await exists('cases', oldCase)).toBe(false);
    expect(await exists('cases', keptCase)).toBe(true);
    expect((await hq.db.query('SELECT qid::text FROM quarantine WHERE branch_code = $1', [branch])).rows).toEqual([{ qid: q.rows[1]!.qid }]);
    // A second run finds nothing more.
    expect(await purgeHq(hq.db, { now: NOW })).toEqual({ documents: {}, quarantine: 0, deviceAudit: 0, auditFlags: 0 });
  });

  it("keeps each device's newest audit entry past the window: its chain goes on from it", async () => {
    const ids = ['a1', 'a2', 'a3'].map(() => randomUUID());
    for (const [i, id] of ids.entries()) {
      await hq.db.query(
        `INSERT INTO documents (collection, id, branch_code, server_seq, data, data_bytes, received_at, device_id)
         VALUES ('audit', $1, $2, nextval('documents_seq'), $3::jsonb, octet_length($3::text), $4, $5)`,
        [id, branch, JSON.stringify({ id, n: i }), daysAgo(DEFAULT_RETENTION.audit.hqDays! + 10 - i), device.deviceId],
      );
    }
    const report = await purgeHq(hq.db, { now: NOW });
    expect(report.documents.audit).toBe(2);
    expect(await exists('audit', ids[2]!)).toBe(true);
    expect(await exists('audit', ids[0]!)).toBe(false);
  });
});

describe('retention of the PCs’ main audit chains at HQ (device_audit, migration 011)', () => {
  it('deletes entries and flags past the audit window, keeping each device’s newest entry and the rest', async () => {
    const other = await enrol(hq.app, hq.db, branch);
    const put = async (deviceId: string, seq: number, days: number) =>
      hq.db.query('INSERT INTO device_audit (device_id, seq, branch_code, data, received_at) VALUES ($1, $2, $3, $4::jsonb, $5)', [
        deviceId,
        seq,
        branch,
        JSON.stringify({ deviceId, seq }),
        daysAgo(days),
      ]);
    const window = DEFAULT_RETENTION.audit.hqDays!;
    // device: 1 and 2 past the window, 3 within it; other: its only (newest) entry past the window.
    await put(device.deviceId, 1, window + 10);
    await put(device.deviceId, 2, window + 5);
    await put(device.deviceId, 3, window - 1);
    await put(other.deviceId, 1, window + 10);
    const flag = (deviceId: string, seq: number, days: number) =>
      hq.db.query(`INSERT INTO audit_flags (branch_code, device_id, chain, seq, reason, flagged_at) VALUES ($1, $2, 'main', $3, 'test', $4)`, [branch, deviceId, seq, daysAgo(days)]);
    await flag(device.deviceId, 1, window + 10);
    await flag(device.deviceId, 3, window - 1);

    const report = await purgeHq(hq.db, { now: NOW });
    expect(report).toMatchObject({ deviceAudit: 2, auditFlags: 1 });
    const left = await hq.db.query<{ device_id: string; seq: string }>('SELECT device_id, seq::text FROM device_audit WHERE branch_code = $1 ORDER BY device_id, seq', [branch]);
    expect(left.rows.filter((r) => r.device_id === device.deviceId).map((r) => r.seq)).toEqual(['3']);
    expect(left.rows.filter((r) => r.device_id === other.deviceId).map((r) => r.seq)).toEqual(['1']);
    const flags = await hq.db.query<{ seq: string }>('SELECT seq::text FROM audit_flags WHERE device_id = $1', [device.deviceId]);
    expect(flags.rows).toEqual([{ seq: '3' }]);
  });
});

describe('scheduled purge at HQ', () => {
  it('runs at start (and daily after) in the HQ process', async () => {
    const id = randomUUID();
    expect(await pushTicket(ticket(branch, id))).toBe(200);
    await age('tickets', id, DEFAULT_RETENTION.tickets.hqDays! + 1);
    const stop = scheduleHqPurge(hq.db, hq.app.log as never, { now: () => NOW });
    try {
      for (let i = 0; i < 100 && (await exists('tickets', id)); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await exists('tickets', id)).toBe(false);
    } finally {
      stop();
    }
    const main = fs.readFileSync(path.join(__dirname, '../../hq/main.ts'), 'utf8');
    expect(main).toContain('scheduleHqPurge(db, log)');
  });
});

describe('decommission against a real HQ (issue 18 pt 8)', () => {
  const push = (collection: WritableCollection, rows: PushRow[]) =>
    hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows }).then((res) => {
      if (res.statusCode !== 200) throw new IpcFailure('HQ_REJECTED', `HQ answered ${res.statusCode}`);
      return res.json<Record<string, unknown>[]>() as never;
    });

  it('erases once HQ holds every record (storing one it lacked), refuses while HQ holds another version', async () => {
    const held = ticket(branch);
    const lacking = ticket(branch);
    const changed = ticket(branch);
    expect(await pushTicket(held)).toBe(200);
    expect(await pushTicket({ ...changed, status: 'called', updatedAt: '2026-01-01T08:05:00.000Z', history: [...(changed.history as unknown[]), { status: 'called', at: '2026-01-01T08:05:00.000Z' }] })).toBe(200);
    const dir = tempDir();
    const records = [held, lacking, changed].map((doc) => ({ collection: 'tickets', id: String(doc.id), doc }));

    const refused = await decommissionPc({ userDataDir: dir, records: () => Promise.resolve(records), push, audit: () => Promise.resolve(), log: memoryLog() }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { notAtHq: 1, checked: 3 } });
    expect(await exists('tickets', String(lacking.id))).toBe(true); // delivered on the way

    const done = await decommissionPc({ userDataDir: dir, records: () => Promise.resolve(records.slice(0, 2)), push, audit: () => Promise.resolve(), log: memoryLog() });
    expect(done.checked).toBe(2);
  });
});
