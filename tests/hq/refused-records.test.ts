import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import { collectPendingRecords } from '../../renderer/src/data/handcarry-collect';
import { fingerprint } from '../../renderer/src/sync/fingerprint';
import { createDevice, type SimDevice } from './device-sim';
import { makeBranch, startListeningHq, type ListeningHq } from './helpers';

// Issue 14 point 1: a record HQ refuses (403 FORBIDDEN_BRANCH / 422 DOCUMENT_REFUSED, the rest of the
// push stored) is never shown as sent. The device runs the app's own replication code against a
// real HQ on PostgreSQL; "restart" is a new replication and a fresh status store over the same
// database, as when the app starts again. A refused record stays pending with HQ's reason, stays in
// the hand-carry export, is never taken as HQ's master by RxDB, and is acknowledged normally once an
// edit of it is accepted.

let hq: ListeningHq;
let url = '';
let a = '';
let b = '';
let device: SimDevice;

beforeAll(async () => {
  hq = await startListeningHq('refused');
  url = hq.url;
  a = await makeBranch(hq.db);
  b = await makeBranch(hq.db);
  device = await createDevice({ name: 'refused', branch: a, slot: 1, hqUrl: url, code: (await createEnrolCode(hq.db, a)).code, pollMs: 1_000 });
  await device.startSync();
}, 60_000);

afterAll(async () => {
  await device?.close();
  await hq?.close();
}, 60_000);

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

const pendingOf = (id: string) => device.status.getSnapshot().pending.find((p) => p.id === id);

async function localDoc(id: string): Promise<Record<string, unknown>> {
  const d = await device.db.tickets.findOne(id).exec();
  if (!d) throw new Error(`no ticket ${id}`);
  return d.toMutableJSON() as unknown as Record<string, unknown>;
}

/** What RxDB's replication meta instance takes as HQ's copy of this ticket (null: none). */
async function assumedMaster(id: string): Promise<Record<string, unknown> | null> {
  const meta = device.replication?.states.get('tickets')?.metaInstance;
  if (!meta) throw new Error('replication not running');
  const [m] = await meta.findDocumentsById([`${id}|0`], true);
  return (m?.docData as Record<string, unknown> | undefined) ?? null;
}

async function hqCopy(id: string): Promise<Record<string, unknown> | null> {
  const { rows } = await hq.db.query<{ data: Record<string, unknown> }>("SELECT data FROM documents WHERE collection = 'tickets' AND id = $1", [id]);
  return rows[0]?.data ?? null;
}

async function expectStillRefused(id: string, reason: RegExp): Promise<void> {
  const refused = fingerprint(await localDoc(id));
  expect(device.status.isAcknowledged('tickets', id)).toBe(false);
  expect(pendingOf(id)?.error ?? '').toMatch(reason);
  expect(device.status.pendingKeys()).toContainEqual({ collection: 'tickets', id });
  // In the hand-carry export set, with its current (refused) content.
  const records = await collectPendingRecords(device.status.pendingKeys(), { tickets: device.db.tickets });
  expect(records.find((r) => r.id === id)?.doc).toMatchObject({ id, branchCode: (await localDoc(id)).branchCode });
  // Never recorded as HQ's master.
  const master = await assumedMaster(id);
  expect(master === null || fingerprint(master) !== refused).toBe(true);
  // The status bar's last error carries HQ's reason.
  expect(device.status.getSnapshot().lastError?.message ?? '').toMatch(reason);
}

describe('a record HQ refused is never shown as sent', () => {
  it('a new ticket claiming another branch: pending with the reason after a restart, in the export; a fixed edit is acknowledged', async () => {
    const [id] = await device.writeTickets(1);
    await until('first ticket acknowledged', () => device.status.isAcknowledged('tickets', id!));
    // A second, new ticket that claims branch B: HQ refuses it (403 FORBIDDEN_BRANCH) and quarantines it.
    const doc = await localDoc(id!);
    const foreignId = `${id!.slice(0, -4)}f00d`;
    await device.db.tickets.insert({ ...doc, id: foreignId, branchCode: b, number: 'D1-0999', seq: 999 } as never);
    await until('refusal reported', () => Boolean(pendingOf(foreignId)?.error));
    expect(pendingOf(foreignId)?.error).toMatch(/^branch:/);
    expect(await hqCopy(foreignId)).toBeNull();
    await device.replication!.awaitInSync();
    await expectStillRefused(foreignId, /branch:/);

    // The app restarts: still pending, still refused, with HQ's reason; the accepted one stays acknowledged.
    await device.restartSync();
    await device.replication!.awaitInSync();
    await until('status after restart', () => device.status.getSnapshot().pendingCount === 1);
    await expectStillRefused(foreignId, /branch:/);
    expect(device.status.isAcknowledged('tickets', id!)).toBe(true);
    // A second restart does not push it again (no retry loop): HQ counted one attempt.
    const { rows } = await hq.db.query<{ attempts: number }>("SELECT attempts FROM quarantine WHERE collection = 'tickets' AND id = $1", [foreignId]);
    expect(rows.map((r) => r.attempts)).toEqual([1]);

    // The officer corrects it: HQ stores it and the device acknowledges it; the refusal is gone, also after a restart.
    const fixed = await device.db.tickets.findOne(foreignId).exec();
    await fixed!.incrementalPatch({ branchCode: a, updatedAt: '2026-01-05T02:00:00.000Z' });
    await until('fixed ticket acknowledged', () => device.status.isAcknowledged('tickets', foreignId));
    expect(await hqCopy(foreignId)).toMatchObject({ branchCode: a });
    await device.restartSync();
    await device.replication!.awaitInSync();
    expect(device.status.isAcknowledged('tickets', foreignId)).toBe(true);
    expect(device.status.getSnapshot().pendingCount).toBe(0);
  });

  it('an accepted ticket edited into a refused state keeps HQ’s copy as the master: the next good edit goes through without a conflict', async () => {
    const [id] = await device.writeTickets(1);
    await until('ticket acknowledged', () => device.status.isAcknowledged('tickets', id!));
    const accepted = await hqCopy(id!);
    expect(accepted).toMatchObject({ branchCode: a, status: 'waiting' });

    const row = await device.db.tickets.findOne(id).exec();
    await row!.incrementalPatch({ branchCode: b, updatedAt: '2026-01-05T03:00:00.000Z' });
    await until('refusal reported', () => Boolean(pendingOf(id!)?.error));
    await device.replication!.awaitInSync();
    await expectStillRefused(id!, /branch:/);
    // RxDB still takes HQ's accepted copy as the master.
    expect(fingerprint((await assumedMaster(id!))!)).toBe(fingerprint(accepted!));

    await device.restartSync();
    await device.replication!.awaitInSync();
    await until('status after restart', () => pendingOf(id!) !== undefined);
    await expectStillRefused(id!, /branch:/);
    expect(fingerprint((await assumedMaster(id!))!)).toBe(fingerprint(accepted!));

    // The officer puts it right and calls the ticket: HQ stores it as a plain update (its master was the assumed one).
    const conflictsBefore = device.replication!.stats.conflicts;
    const again = await device.db.tickets.findOne(id).exec();
    await again!.incrementalPatch({
      branchCode: a,
      status: 'called',
      updatedAt: '2026-01-05T04:00:00.000Z',
      history: [{ status: 'waiting', at: String(accepted!.issuedAt) }, { status: 'called', at: '2026-01-05T04:00:00.000Z' }],
    });
    await until('edit acknowledged', () => device.status.isAcknowledged('tickets', id!));
    expect(device.replication!.stats.conflicts).toBe(conflictsBefore);
    expect(device.conflicts).toEqual([]);
    expect(await hqCopy(id!)).toMatchObject({ branchCode: a, status: 'called' });
    expect(device.status.getSnapshot().pending.find((p) => p.id === id)).toBeUndefined();
  });
});
