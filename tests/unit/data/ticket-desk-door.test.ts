import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { isSlotInServiceHours } from '@shared/policy/hours';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketCalls } from '../../../renderer/src/data/db/ticket-calls';
import { AppointmentTodayError, CapacityReachedError, SameDayTicketError, TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { doorDeclinesByStaff, rangeOf } from '../../../renderer/src/data/reports/dashboard';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

const guard = { staffId: security.staffId, role: security.role };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

// Generated NIKs (valid shape and birth date), never real people.
const nikOf = (i: number) => makeNik('1988-07-14', i % 2 ? 'male' : 'female', 200 + i);

async function door(clock: () => Date) {
  const db = await openTestDb(uniqueName('door'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-door-1');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 2, now: clock });
  return { db, audit, desk: new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock) };
}

const config = (jhtCapacity: number): QueueConfig => ({ ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': jhtCapacity } });

describe('the door: capacity, appointments, estimates', () => {
  it("refuses a walk-in ticket beyond today's capacity, even from callers racing each other", async () => {
    const { desk, db } = await door(() => new Date(wib('2026-03-02', '09:00')));
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => desk.issue({ service: 'jht-claim', nik: nikOf(i) }, guard, { dailyCapacity: 3 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.reason).toBeInstanceOf(CapacityReachedError);
    expect(await db.tickets.count().exec()).toBe(3);
    // Other services keep their own capacity.
    await expect(desk.issue({ service: 'jmo-reset', nik: nikOf(9) }, guard, { dailyCapacity: 3 })).resolves.toMatchObject({ number: 'C2-001' });
  });

  it('books concurrent appointments into distinct slots on later service days, off the walk-in queue, audited', async () => {
    const { desk, audit } = await door(() => new Date(wib('2026-03-06', '10:00'))); // a Friday
    const cfg = config(2);
    const booked = await Promise.all(Array.from({ length: 6 }, (_, i) => desk.bookAppointment({ service: 'jht-claim', nik: nikOf(i) }, guard, cfg)));
    const slots = booked.map((t) => `${t.appointment!.date} ${t.appointment!.time}`);
    expect(new Set(slots).size).toBe(6);
    // Capacity 2 a day: Monday, Tuesday and Wednesday get two each; never the weekend, never today.
    expect(slots).toEqual(['2026-03-09 08:00', '2026-03-09 08:20', '2026-03-10 08:00', '2026-03-10 08:20', '2026-03-11 08:00', '2026-03-11 08:20']);
    for (const t of booked) expect(isSlotInServiceHours(cfg.serviceHours, t.appointment!.date, t.appointment!.time)).toBe(true);
    expect(await desk.queue('jht-claim')).toEqual([]);
    const actions = (await audit.entries()).map((e) => e.action);
    expect(actions).toEqual(Array.from({ length: 6 }, () => 'appointment.booked'));
    expect(JSON.stringify(await audit.entries())).not.toContain(nikOf(0));
  });

  it('never hands out a slot a previous booking reserved, even when its ticket was never written', async () => {
    const clock = () => new Date(wib('2026-03-02', '11:00'));
    const { desk, db } = await door(clock);
    // A crash after the reservation and before the ticket write leaves only the reservation.
    await rxCounterStore(db.counters, clock).compareAndSet('UJI01/appointment/jmo-reset/2026-03-03/08:00', null, 1);
    const t = await desk.bookAppointment({ service: 'jmo-reset', nik: nikOf(1) }, guard, DEFAULT_QUEUE_CONFIG);
    expect(t.appointment).toEqual({ date: '2026-03-03', time: '08:10' });
  });

  it("counts today's appointments as places taken, and shows remaining places and the estimate on the board", async () => {
    let now = new Date(wib('2026-03-02', '09:00'));
    const { desk } = await door(() => now);
    await desk.bookAppointment({ service: 'jht-claim', nik: nikOf(1) }, guard, config(2));
    now = new Date(wib('2026-03-03', '07:30'));
    await desk.issue({ service: 'jht-claim', nik: nikOf(2) }, guard, { dailyCapacity: 2 });
    // The appointment booked for today holds the second place.
    await expect(desk.issue({ service: 'jht-claim', nik: nikOf(3) }, guard, { dailyCapacity: 2 })).rejects.toBeInstanceOf(CapacityReachedError);
    const board = await desk.board(config(2), 2);
    expect(board.day).toBe('2026-03-03');
    expect(board.services['jht-claim']).toMatchObject({ issued: 2, capacity: 2, remaining: 0, waiting: 1 });
    // One person × 20 min target ÷ the branch's 2 counters (only JHT has people waiting).
    expect(board.services['jht-claim'].estimate).toMatchObject({ ahead: 1, basis: 'target', counters: 2, minutes: 10 });
    expect(board.services.general).toMatchObject({ issued: 0, remaining: DEFAULT_QUEUE_CONFIG.dailyCapacity.general });
  });

  it('estimates a new ticket from the people issued before it', async () => {
    let minute = 0;
    const { desk } = await door(() => new Date(Date.parse(wib('2026-03-02', '08:00')) + minute++ * 60_000));
    const issued = [];
    for (let i = 0; i < 4; i++) issued.push(await desk.issue({ service: 'bpu-resignation', nik: nikOf(i) }, guard));
    const e = await desk.estimateFor(issued[3]!, DEFAULT_QUEUE_CONFIG, 1);
    expect(e).toMatchObject({ ahead: 3, minutes: 30, basis: 'target' });
  });
});

describe('the door: a person marked absent who comes back the same day (issue 16)', () => {
  it('gets no second ticket (no second place in capacity): the door names the ticket to serve them on', async () => {
    let now = Date.parse(wib('2026-03-02', '09:00'));
    const clock = () => new Date(now);
    const { desk, db, audit } = await door(clock);
    const first = await desk.issue({ service: 'jmo-reset', nik: nikOf(1) }, guard, { dailyCapacity: 10 });
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock);
    const officer = { staffId: 'petugas.satu', role: 'officer' as const };
    await calls.callNext(['jmo-reset'], '1', officer);
    now += 3 * 60_000;
    await calls.recall(first.id, officer);
    now += 3 * 60_000;
    expect((await calls.noShow(first.id, officer)).ok).toBe(true);

    now += 60 * 60_000;
    const again = desk.issue({ service: 'jmo-reset', nik: nikOf(1) }, guard, { dailyCapacity: 10 });
    await expect(again).rejects.toBeInstanceOf(SameDayTicketError);
    await expect(again).rejects.toMatchObject({ number: first.number, ticketId: first.id });
    expect(await db.tickets.count().exec()).toBe(1);
    // Another service, or another person, is issued as usual.
    await expect(desk.issue({ service: 'bpu-resignation', nik: nikOf(1) }, guard, { dailyCapacity: 10 })).resolves.toMatchObject({ status: 'waiting' });
    await expect(desk.issue({ service: 'jmo-reset', nik: nikOf(2) }, guard, { dailyCapacity: 10 })).resolves.toMatchObject({ status: 'waiting' });

    // The next day, the old no-show does not stand in the way.
    now += 24 * 60 * 60_000;
    await expect(desk.issue({ service: 'jmo-reset', nik: nikOf(1) }, guard, { dailyCapacity: 10 })).resolves.toMatchObject({ status: 'waiting' });
  });
});

describe('the door: appointment holders checked in by NIK, counted once (issue 16)', () => {
  it("an appointment holder gets no walk-in ticket on their day: the door checks them in, and today's places stay as they were", async () => {
    let now = new Date(wib('2026-03-02', '10:00'));
    const { desk } = await door(() => now);
    const nik = nikOf(40);
    const appt = await desk.bookAppointment({ service: 'jht-claim', nik }, guard, config(5));
    now = new Date(`${appt.appointment!.date}T07:45:00+07:00`);
    const before = (await desk.board(config(5), 2)).services['jht-claim'].issued;
    expect(before).toBe(1);
    const attempt = desk.issue({ service: 'jht-claim', nik }, guard, { dailyCapacity: 5 });
    await expect(attempt).rejects.toBeInstanceOf(AppointmentTodayError);
    await expect(attempt).rejects.toMatchObject({ ticketId: appt.id, number: appt.number, time: appt.appointment!.time });
    const checked = await desk.checkIn(appt.id, guard, { priority: 'disability' });
    expect(checked).toMatchObject({ id: appt.id, priority: 'disability', status: 'waiting' });
    expect((await desk.board(config(5), 2)).services['jht-claim'].issued).toBe(1);
    // Checked in, the holder is in today's waiting count.
    expect((await desk.board(config(5), 2)).services['jht-claim'].waiting).toBe(1);
  });

  it('a ticket stores the priority category only, and refuses an unknown one', async () => {
    const { desk } = await door(() => new Date(wib('2026-03-02', '09:00')));
    const t = await desk.issue({ service: 'jmo-reset', nik: nikOf(41), priority: 'smallChild' }, guard);
    expect(t.priority).toBe('smallChild');
    await expect(desk.issue({ service: 'jmo-reset', nik: nikOf(42), priority: 'vip' as never }, guard)).rejects.toThrow();
  });
});

describe('the door: "declined by the person" (issue 16 pt 7)', () => {
  it('is recorded in the audit chain with what was offered and the info given, no NIK, and counted per staff member for the head', async () => {
    const { desk, audit } = await door(() => new Date(wib('2026-03-02', '09:30')));
    const r = await desk.recordDecline({ service: 'jht-claim', offered: 'ticket', info: ['jhtDocuments'] }, guard);
    const entries = await audit.entries();
    expect(entries.map((e) => [e.action, e.subject.id, e.details])).toEqual([['visit.declined', r.id, { service: 'jht-claim', offered: 'ticket', info: ['jhtDocuments'] }]]);
    expect((await audit.verify()).ok).toBe(true);
    const range = rangeOf('today', new Date(wib('2026-03-02', '12:00')));
    expect(doorDeclinesByStaff(entries, range)).toEqual([{ staffId: guard.staffId, declined: 1, services: { 'jht-claim': 1 } }]);
    expect(doorDeclinesByStaff(entries, rangeOf('today', new Date(wib('2026-03-03', '12:00'))))).toEqual([]);
    await expect(desk.recordDecline({ service: 'jht-claim', offered: 'nothing' as never, info: [] }, guard)).rejects.toThrow();
  });
});
