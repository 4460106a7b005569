import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { scanOf } from '../../../renderer/src/data/scanner';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// Issue 21: the door's scanner reads an appointment slip's QR (the ticket id); the desk says whether
// it is an appointment of this branch for today still to check in. Generated NIKs only.
const guard = { staffId: security.staffId, role: security.role };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});
const config: QueueConfig = { ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': 1 } };

async function door(now: { at: Date }, branchCode = 'UJI01') {
  const clock = () => now.at;
  const db = await openTestDb(uniqueName('scan'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-door-1');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode, slot: 2, now: clock });
  return new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, branchCode, clock);
}

describe('an appointment slip scanned at the door', () => {
  it("is found on its day, not before; once checked in it is done; a walk-in ticket or another branch's id is no appointment", async () => {
    const now = { at: new Date(wib('2026-03-02', '09:00')) }; // Monday
    const desk = await door(now);
    const nik = makeNik('1985-11-20', 'female', 222);
    const walkIn = await desk.issue({ service: 'jht-claim', nik: makeNik('1990-02-03', 'male', 111) }, guard);
    const booked = await desk.bookAppointment({ service: 'jht-claim', nik }, guard, config);
    // The slip's QR holds the ticket id, which the scanner takes as an appointment reference.
    expect(scanOf(booked.id)).toEqual({ kind: 'appointment', reference: booked.id });

    expect(await desk.scannedAppointment(booked.id)).toMatchObject({ ok: false, why: 'notToday', doc: { id: booked.id } });
    expect(await desk.scannedAppointment(walkIn.id)).toBeNull();
    expect(await desk.scannedAppointment('UJI09:2026-03-02:A2-001')).toBeNull();

    now.at = new Date(wib(booked.appointment!.date, '08:05'));
    expect(await desk.scannedAppointment(booked.id)).toMatchObject({ ok: true, doc: { id: booked.id, service: 'jht-claim' } });
    await desk.checkIn(booked.id, guard);
    expect(await desk.scannedAppointment(booked.id)).toMatchObject({ ok: false, why: 'done' });
  });
});
