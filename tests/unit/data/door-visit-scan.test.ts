import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { TriageEvent } from '@shared/cases/schema';
import { triageMachine } from '@state-machines/triage.machine';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { serveSlip, type Offer } from '../../../renderer/src/data/door-visit';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// Issue 21 pt 4: an appointment slip's QR scanned at the door checks its holder in on the scan alone,
// through the visit's own triage machine (no NIK typed). Generated NIKs only.
const by = { staffId: security.staffId, role: security.role };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});
// One JHT place a day: Monday's walk-in fills it, so the holder gets Tuesday's first slot.
const config: QueueConfig = { ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': 1 } };

async function door(branchCode = 'UJI01') {
  const now = { at: new Date(wib('2026-03-02', '09:00')) }; // Monday
  const clock = () => now.at;
  const db = await openTestDb(uniqueName('door-scan'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-door-1');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode, slot: 2, now: clock });
  const tickets = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, branchCode, clock);
  const stamp = () => ({ at: clock().toISOString(), actor: security });
  return { now, db, data: { tickets }, stamp };
}

/** A fresh visit's machine at a door of `branchCode`: the event if it takes it now, as the door screen asks. */
function visit(branchCode: string | undefined, issuedToday = {}) {
  const actor = createActor(triageMachine, { input: { config, issuedToday, ...(branchCode ? { branchCode } : {}) } }).start();
  const offer: Offer = (event) => {
    const parsed = TriageEvent.safeParse(event);
    return parsed.success && actor.getSnapshot().can(parsed.data) ? parsed.data : null;
  };
  return { actor, offer };
}

describe('an appointment slip scanned at the door, checked in on the scan alone', () => {
  it('on its day: the holder is checked in with the NIK hash of the booking, the visit records it, nothing is counted again', async () => {
    const { now, db, data, stamp } = await door();
    await data.tickets.issue({ service: 'jht-claim', nik: makeNik('1990-02-03', 'male', 111) }, by, { dailyCapacity: 1 });
    const booked = await data.tickets.bookAppointment({ service: 'jht-claim', nik: makeNik('1985-11-20', 'female', 222) }, by, config);
    now.at = new Date(wib(booked.appointment!.date, '08:05'));
    const taken = (await data.tickets.board(config, 2)).services['jht-claim'].issued;
    expect(taken).toBe(1); // the appointment took Tuesday's place when it was booked

    const { actor, offer } = visit('UJI01');
    const out = await serveSlip({ data, config, by, stamp, offer, counters: 2 }, { reference: booked.id });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result.kind).toBe('checkedIn');
    expect(out.result).toMatchObject({ doc: { id: booked.id, number: booked.number, checkedInAt: now.at.toISOString() } });
    expect(out.event).toMatchObject({ type: 'appointment.checkedInBySlip', service: 'jht-claim', reference: booked.id, number: booked.number, nikHash: booked.nikHash, held: 'waiting' });
    expect('nik' in out.event).toBe(false);
    actor.send(out.event);
    expect(actor.getSnapshot().value).toBe('checkedIn');
    expect(actor.getSnapshot().context.ticket).toMatchObject({ number: booked.number, nikHash: booked.nikHash, slip: booked.id, checkedIn: true });

    expect((await db.tickets.findOne(booked.id).exec())?.checkedInAt).toBe(now.at.toISOString());
    expect((await data.tickets.board(config, 2)).services['jht-claim'].issued).toBe(taken);
    const last = (await db.audit.find().exec()).map((d) => d.toMutableJSON()).sort((a, b) => a.seq - b.seq).at(-1);
    expect(last).toMatchObject({ action: 'appointment.checkedIn', subject: { id: booked.id }, details: { number: booked.number, via: 'slip' } });
  });

  it('refused by the machine, nothing written: before its day, once checked in, or unknown here', async () => {
    const { now, db, data, stamp } = await door();
    const booked = await data.tickets.bookAppointment({ service: 'jht-claim', nik: makeNik('1985-11-20', 'female', 223) }, by, config);
    const ctx = () => ({ data, config, by, stamp, offer: visit('UJI01').offer, counters: 2 });

    expect(await serveSlip(ctx(), { reference: booked.id })).toEqual({ ok: false, problem: { why: 'slipNotToday', date: booked.appointment!.date } });
    expect((await db.tickets.findOne(booked.id).exec())?.checkedInAt).toBeUndefined();
    expect(await serveSlip(ctx(), { reference: 'UJI01:2026-03-02:A2-099' })).toEqual({ ok: false, problem: { why: 'slipUnknown' } });

    now.at = new Date(wib(booked.appointment!.date, '08:05'));
    expect((await serveSlip(ctx(), { reference: booked.id })).ok).toBe(true);
    expect(await serveSlip(ctx(), { reference: booked.id })).toEqual({ ok: false, problem: { why: 'slipDone', number: booked.number } });
  });

  it("a door that is not the slip's branch does not check the holder in, and writes nothing", async () => {
    const { now, db, data, stamp } = await door();
    const booked = await data.tickets.bookAppointment({ service: 'jht-claim', nik: makeNik('1985-11-20', 'female', 224) }, by, config);
    now.at = new Date(wib(booked.appointment!.date, '08:05'));
    for (const branch of ['UJI02', undefined]) {
      expect(await serveSlip({ data, config, by, stamp, offer: visit(branch).offer, counters: 2 }, { reference: booked.id })).toEqual({ ok: false, problem: { why: 'notOffered' } });
    }
    expect((await db.tickets.findOne(booked.id).exec())?.checkedInAt).toBeUndefined();
  });
});
