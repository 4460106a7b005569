import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { TriageEvent } from '@shared/cases/schema';
import { triageMachine } from '@state-machines/triage.machine';
import type { LoketDatabase } from '../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../renderer/src/data/db/stores';
import { TicketDesk } from '../../renderer/src/data/db/ticket-desk';
import { serveSlip, type Offer } from '../../renderer/src/data/door-visit';
import { createNikHasher } from '../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../renderer/src/data/branch-clock';
import { makeNik, wib } from '../unit/machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from '../unit/data/db-helpers';
import { countRows, enrol, makeBranch, startHq, type Hq, type TestDevice } from './helpers';

// Issue 21 pt 4, on real PostgreSQL: what a door writes when it checks an appointment holder in on
// the scan of their slip alone (no NIK typed) reaches HQ like a check-in by NIK. HQ replays no door
// visit (the triage machine keeps no journal; only case flows are replayed): the check-in reaches
// HQ as the appointment's ticket (checkedInAt set) and the device's audit entry, marked via 'slip'.
// Both are accepted, and the entry's actor is staff of the branch, so nothing is flagged.

let hq: Hq;
let branch: string;
let device: TestDevice;
let db: LoketDatabase;
beforeAll(async () => {
  hq = await startHq('door_slip');
  branch = await makeBranch(hq.db);
  device = await enrol(hq.app, hq.db, branch);
}, 60_000);
afterAll(async () => {
  if (db && !db.closed) await db.close();
  await hq?.close();
});

const push = (collection: string, docs: Array<Record<string, unknown>>) =>
  hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: docs.map((doc) => ({ assumedMasterState: null, newDocumentState: doc })) });

describe('a check-in on the scan of an appointment slip, at HQ', () => {
  it('HQ stores the checked-in ticket and the audit entry marked via slip, and flags nothing', async () => {
    const now = { at: new Date(wib('2026-03-02', '09:00')) }; // Monday
    const clock = () => now.at;
    db = await openTestDb(uniqueName('hq-door-slip'));
    const audit = new AuditLog(db.audit, device.deviceId);
    const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: branch, slot: 1, now: clock });
    const tickets = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, branch, clock);
    const by = { staffId: `staf2.${branch.toLowerCase()}`, role: 'officer' as const };
    const booked = await tickets.bookAppointment({ service: 'jht-claim', nik: makeNik('1985-11-20', 'female', 225) }, by, DEFAULT_QUEUE_CONFIG);

    // Tuesday: the slip is scanned at this branch's door; the visit's machine takes the check-in.
    now.at = new Date(wib(booked.appointment!.date, '08:05'));
    const visit = createActor(triageMachine, { input: { config: DEFAULT_QUEUE_CONFIG, issuedToday: {}, branchCode: branch } }).start();
    const offer: Offer = (event) => {
      const parsed = TriageEvent.safeParse(event);
      return parsed.success && visit.getSnapshot().can(parsed.data) ? parsed.data : null;
    };
    const stamp = () => ({ at: clock().toISOString(), actor: { ...by, deviceId: device.deviceId } });
    const out = await serveSlip({ data: { tickets }, config: DEFAULT_QUEUE_CONFIG, by, stamp, offer, counters: 1 }, { reference: booked.id });
    expect(out.ok).toBe(true);
    if (out.ok) visit.send(out.event);
    expect(visit.getSnapshot().value).toBe('checkedIn');

    // What the door's replication pushes: its tickets and its audit chain, as stored (no RxDB bookkeeping).
    const ticketDocs = (await db.tickets.find().exec()).map((d) => d.toJSON() as Record<string, unknown>);
    const auditDocs = (await db.audit.find().exec()).map((d) => d.toJSON() as Record<string, unknown>).sort((x, y) => Number(x.seq) - Number(y.seq));
    expect(auditDocs.map((e) => e.action)).toEqual(['appointment.booked', 'appointment.checkedIn']);
    const pushedTickets = await push('tickets', ticketDocs);
    expect(pushedTickets.statusCode, pushedTickets.body).toBe(200);
    const pushedAudit = await push('audit', auditDocs);
    expect(pushedAudit.statusCode, pushedAudit.body).toBe(200);

    const stored = await hq.db.query<{ data: { checkedInAt?: string; nikHash: string } }>(`SELECT data FROM documents WHERE collection = 'tickets' AND branch_code = $1 AND id = $2`, [branch, booked.id]);
    expect(stored.rows[0]?.data).toMatchObject({ checkedInAt: now.at.toISOString(), nikHash: booked.nikHash });
    const entries = await hq.db.query<{ data: { action: string; details: Record<string, unknown> } }>(
      `SELECT data FROM documents WHERE collection = 'audit' AND branch_code = $1 AND (data ->> 'deviceId') = $2 ORDER BY (data ->> 'seq')::bigint`,
      [branch, device.deviceId],
    );
    expect(entries.rows.map((r) => r.data.action)).toEqual(['appointment.booked', 'appointment.checkedIn']);
    expect(entries.rows[1]?.data.details).toMatchObject({ number: booked.number, via: 'slip' });
    expect(await countRows(hq.db, 'audit_flags')).toBe(0);
    visit.stop();
  });
});
