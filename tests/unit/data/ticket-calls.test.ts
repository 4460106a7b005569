import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import type { TicketDoc } from '../../../renderer/src/data/db/schemas';
import { setBranchZone } from '../../../renderer/src/data/branch-zone';
import { BRANCH_ZONES, branchInstant, localDateOf, type BranchZone } from '@shared/dates';
import { noShowStatus, TicketCalls, ticketCan, ticketEvents, viewTicket } from '../../../renderer/src/data/db/ticket-calls';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { makeNik, officer, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

const guard = { staffId: security.staffId, role: security.role };
const desk1 = { staffId: 'petugas.satu', role: 'officer' as const };
const desk2 = { staffId: 'petugas.dua', role: 'officer' as const };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function branch(start = wib('2026-03-02', '08:00')) {
  let minute = 0;
  const clock = () => new Date(Date.parse(start) + minute++ * 60_000);
  const db = await openTestDb(uniqueName('calls'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-counter-1');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock });
  const door = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock);
  const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock);
  const issue = (service: 'jht-claim' | 'jmo-reset' | 'bpu-resignation', i: number) => door.issue({ service, nik: makeNik('1990-02-03', 'male', 300 + i) }, guard);
  return { db, audit, door, calls, issue, clock };
}

describe('ticket calls at the counter', () => {
  it('calls the oldest waiting ticket of the chosen services to this counter, through the ticket machine, audited', async () => {
    const { calls, issue, audit } = await branch();
    const jmo = await issue('jmo-reset', 1);
    await issue('jht-claim', 2);
    const bpu = await issue('bpu-resignation', 3);

    const first = await calls.callNext(['bpu-resignation', 'jmo-reset'], '4', desk1);
    expect(first.ok && first.ticket.id).toBe(jmo.id);
    if (!first.ok) throw new Error('not called');
    expect(first.ticket.status).toBe('called');
    const view = viewTicket(first.ticket);
    expect(view.state).toBe('called');
    expect(view.context.counter).toBe('4');
    expect(view.context.calls).toBe(1);
    expect(ticketEvents(first.ticket)).toHaveLength(1);

    const second = await calls.callNext(['bpu-resignation', 'jmo-reset'], '4', desk1);
    expect(second.ok && second.ticket.id).toBe(bpu.id);
    expect((await calls.callNext(['bpu-resignation', 'jmo-reset'], '4', desk1)).ok).toBe(false);

    const actions = (await audit.entries()).map((e) => e.action);
    expect(actions.filter((a) => a === 'ticket.called')).toHaveLength(2);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('lets only one of two desks racing for the same ticket call it; the other gets the next one', async () => {
    const { db, calls, issue, clock } = await branch();
    const a = await issue('jmo-reset', 1);
    const b = await issue('jmo-reset', 2);
    const other = new TicketCalls(db, null, 'UJI01', 'dev-counter-2', clock);
    const [r1, r2] = await Promise.all([calls.callNext(['jmo-reset'], '1', desk1), other.callNext(['jmo-reset'], '2', desk2)]);
    expect(r1.ok && r2.ok).toBe(true);
    if (!r1.ok || !r2.ok) return;
    expect(new Set([r1.ticket.id, r2.ticket.id])).toEqual(new Set([a.id, b.id]));
    // Each ticket carries exactly one call, by the desk that got it.
    for (const id of [a.id, b.id]) {
      const t = (await calls.get(id))!;
      expect(ticketEvents(t).filter((e) => e.type === 'ticket.called')).toHaveLength(1);
    }
  });

  it('refuses to call a ticket another desk already called', async () => {
    const { db, calls, issue, clock } = await branch();
    const a = await issue('jmo-reset', 1);
    const other = new TicketCalls(db, null, 'UJI01', 'dev-counter-2', clock);
    expect((await other.callNext(['jmo-reset'], '2', desk2)).ok).toBe(true);
    const r = await calls.callNext(['jmo-reset'], '1', desk1);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('QUEUE_EMPTY');
    expect((await calls.get(a.id))!.history.filter((h) => h.status === 'called')).toHaveLength(1);
  });

  it('marks a no-show only after the configured calls spaced by the configured gap (DOMAIN.md: 2 calls, 3 minutes), with the reason for the desk', async () => {
    const { db, issue, audit } = await branch();
    const t = await issue('jht-claim', 1);
    let now = Date.parse(wib('2026-03-02', '09:00'));
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', () => new Date(now));
    const actor = { ...officer, staffId: desk1.staffId };
    const at = () => new Date(now).toISOString();
    await calls.callNext(['jht-claim'], '1', desk1);
    now += 60_000;
    expect(ticketCan((await calls.get(t.id))!, 'ticket.noShowMarked', actor, at())).toBe(false);
    const early = await calls.noShow(t.id, desk1);
    expect(!early.ok && early.rejection?.reason).toBe('GUARD_FAILED');
    expect(noShowStatus((await calls.get(t.id))!, at())).toMatchObject({ ok: false, counted: 1, needed: 2, gapMinutes: 3, earliestAt: new Date(wib('2026-03-02', '09:06')).toISOString() });

    // A recall two minutes after the first call is made but does not count.
    now += 60_000;
    expect((await calls.recall(t.id, desk1)).ok).toBe(true);
    now += 5 * 60_000;
    expect((await calls.noShow(t.id, desk1)).ok).toBe(false);
    // A spaced recall counts; the person still gets three minutes after it.
    expect((await calls.recall(t.id, desk1)).ok).toBe(true);
    now += 2 * 60_000;
    expect(ticketCan((await calls.get(t.id))!, 'ticket.noShowMarked', actor, at())).toBe(false);
    now += 60_000;
    expect(ticketCan((await calls.get(t.id))!, 'ticket.noShowMarked', actor, at())).toBe(true);
    const marked = await calls.noShow(t.id, desk1);
    expect(marked.ok && marked.ticket.status).toBe('no-show');
    // The call times are in the ticket's history.
    const stored = (await calls.get(t.id))!;
    expect(stored.history.filter((h) => h.status === 'called').map((h) => h.at.slice(11, 16))).toEqual(['02:00', '02:02', '02:07']);
    expect((await audit.entries()).filter((e) => e.action === 'ticket.noShowMarked')).toHaveLength(1);
  });

  it('keeps a ticket valid whose history has a no-show written under the previous rule', async () => {
    const { db, issue } = await branch();
    const t = await issue('jmo-reset', 1);
    const actor = { ...officer, staffId: desk1.staffId };
    const e = (type: string, minute: number, extra = {}) => ({ type, at: new Date(Date.parse(wib('2026-03-02', '09:00')) + minute * 20_000).toISOString(), actor, ...extra });
    const old = [e('ticket.called', 0, { counter: '1' }), e('ticket.recalled', 1), e('ticket.recalled', 2), e('ticket.noShowMarked', 3)];
    const history = [...t.history, ...old.map((ev, i) => ({ status: i === 3 ? ('no-show' as const) : ('called' as const), at: ev.at, event: ev }))];
    await (await db.tickets.findOne(t.id).exec())!.incrementalPatch({ status: 'no-show', history });
    const view = viewTicket((await db.tickets.findOne(t.id).exec())!.toMutableJSON());
    expect(view.broken).toBeNull();
    expect(view.state).toBe('noShow');
  });

  it('serves a person who returns the same day on the same ticket, not counted again for capacity', async () => {
    const { db, door, issue, audit } = await branch();
    const t = await issue('jmo-reset', 1);
    let now = Date.parse(wib('2026-03-02', '09:00'));
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', () => new Date(now));
    await calls.callNext(['jmo-reset'], '1', desk1);
    now += 3 * 60_000;
    await calls.recall(t.id, desk1);
    now += 3 * 60_000;
    expect((await calls.noShow(t.id, desk1)).ok).toBe(true);
    const before = (await door.board(DEFAULT_QUEUE_CONFIG, 1)).services['jmo-reset'].issued;
    expect((await calls.noShowsToday()).map((x) => x.id)).toEqual([t.id]);

    now += 60 * 60_000;
    const back = await calls.returned(t.id, desk2);
    expect(back.ok && back.ticket.status).toBe('waiting');
    expect(back.ok && back.ticket.number).toBe(t.number);
    expect((await door.board(DEFAULT_QUEUE_CONFIG, 1)).services['jmo-reset'].issued).toBe(before);
    const again = await calls.callNext(['jmo-reset'], '2', desk2);
    expect(again.ok && again.ticket.id).toBe(t.id);
    expect(await calls.noShowsToday()).toEqual([]);
    expect((await audit.entries()).filter((e) => e.action === 'ticket.returned')).toHaveLength(1);

    // Not on another day.
    const other = await issue('jmo-reset', 2);
    const tomorrow = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', () => new Date(now));
    await tomorrow.callNext(['jmo-reset'], '1', desk1);
    now += 3 * 60_000;
    await tomorrow.recall(other.id, desk1);
    now += 3 * 60_000;
    expect((await tomorrow.noShow(other.id, desk1)).ok).toBe(true);
    now += 24 * 60 * 60_000;
    const late = await tomorrow.returned(other.id, desk1);
    expect(!late.ok && late.rejection?.reason).toBe('GUARD_FAILED');
  });

  it('serves a called ticket to the end and keeps it among this officer’s own until done', async () => {
    const { calls, issue } = await branch();
    const t = await issue('bpu-resignation', 1);
    expect((await calls.finish(t.id, desk1)).ok).toBe(false); // waiting: nothing to finish
    await calls.callNext(['bpu-resignation'], '3', desk1);
    expect((await calls.mine(desk1)).map((x) => x.id)).toEqual([t.id]);
    expect(await calls.mine(desk2)).toEqual([]);
    // Security staff cannot work a ticket at the counter (the machine's role guard).
    const bySecurity = await calls.startServing(t.id, guard);
    expect(!bySecurity.ok && bySecurity.rejection?.reason).toBe('ROLE_NOT_ALLOWED');
    expect((await calls.startServing(t.id, desk1)).ok).toBe(true);
    const done = await calls.finish(t.id, desk1);
    expect(done.ok && done.ticket.status).toBe('done');
    expect(await calls.mine(desk1)).toEqual([]);
    expect(viewTicket((await calls.get(t.id))!).context.timeline.map((s) => s.state)).toEqual(['waiting', 'called', 'serving', 'done']);
  });

  it('does not call yesterday’s leftover tickets', async () => {
    const { db, calls, issue } = await branch(wib('2026-03-01', '14:00'));
    await issue('jmo-reset', 1);
    const today = new TicketCalls(db, null, 'UJI01', 'dev-counter-1', () => new Date(wib('2026-03-02', '08:30')));
    expect((await today.callNext(['jmo-reset'], '1', desk1)).ok).toBe(false);
    expect((await calls.callNext(['jmo-reset'], '1', desk1)).ok).toBe(true);
  });
});

describe('call order: priority first, appointments at their slot ahead of walk-ins (issue 16)', () => {
  it('calls priority tickets first (earliest first among them), never an appointment holder who has not checked in', async () => {
    const { calls, door, issue } = await branch(wib('2026-03-02', '08:00'));
    const walkIn = await issue('jht-claim', 1);
    const elderly = await door.issue({ service: 'jht-claim', nik: makeNik('1950-01-01', 'male', 301), priority: 'elderly' }, guard);
    const pregnant = await door.issue({ service: 'jht-claim', nik: makeNik('1994-05-05', 'female', 302), priority: 'pregnant' }, guard);
    expect(elderly.priority).toBe('elderly');
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await calls.callNext(['jht-claim'], '1', desk1);
      if (r.ok) order.push(r.ticket.id);
    }
    expect(order).toEqual([elderly.id, pregnant.id, walkIn.id]);
  });

  it('serves a checked-in appointment holder at their slot ahead of walk-ins, and not before check-in', async () => {
    // Booked on Friday for Monday 08:00 (the first slot).
    let now = new Date(wib('2026-02-27', '10:00'));
    const clock = () => now;
    const db = await openTestDb(uniqueName('calls-appt'));
    open.push(db);
    const audit = new AuditLog(db.audit, 'dev-door-1');
    const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock });
    const door = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock);
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock);
    const holderNik = makeNik('1980-08-08', 'female', 310);
    const appt = await door.bookAppointment({ service: 'jht-claim', nik: holderNik }, guard, DEFAULT_QUEUE_CONFIG);
    expect(appt.appointment).toEqual({ date: '2026-03-02', time: '08:00' });

    now = new Date(wib('2026-03-02', '07:40'));
    const walkIn = await door.issue({ service: 'jht-claim', nik: makeNik('1990-02-03', 'male', 311) }, guard);
    now = new Date(wib('2026-03-02', '07:50'));
    // Not checked in: never called, even though the appointment is for today.
    expect((await calls.waiting('jht-claim')).map((t) => t.id)).toEqual([walkIn.id]);

    // The door finds today's appointment by the NIK (keyed hash) and checks the holder in.
    const found = await door.appointmentToday(holderNik, 'jht-claim');
    expect(found?.id).toBe(appt.id);
    expect(await door.appointmentToday(makeNik('1990-02-03', 'male', 311), 'jht-claim')).toBeNull();
    const checked = await door.checkIn(appt.id, guard);
    expect(checked.checkedInAt).toBe(now.toISOString());
    expect((await audit.entries()).map((e) => e.action)).toContain('appointment.checkedIn');
    // Checked in once: a second check-in is refused.
    await expect(door.checkIn(appt.id, guard)).rejects.toThrow(/already checked in/);
    // Before the slot: in line by check-in time (after the earlier walk-in).
    expect((await calls.waiting('jht-claim')).map((t) => t.id)).toEqual([walkIn.id, appt.id]);
    // At the slot: ahead of walk-ins.
    now = new Date(wib('2026-03-02', '08:00'));
    const first = await calls.callNext(['jht-claim'], '2', desk1);
    expect(first.ok && first.ticket.id).toBe(appt.id);
  });
});

describe("the counter's queue read", () => {
  afterEach(() => setBranchZone(null));

  /** A waiting walk-in issued at `issuedAt`, on the branch day of that instant in `zone`. */
  const walkIn = (n: number, issuedAt: string, zone: BranchZone): TicketDoc => ({
    id: `UJI01:${localDateOf(issuedAt, zone)}:A1-${String(n).padStart(3, '0')}`,
    branchCode: 'UJI01',
    service: 'jht-claim',
    status: 'waiting',
    number: `A1-${String(n).padStart(3, '0')}`,
    day: localDateOf(issuedAt, zone),
    slot: 1,
    seq: n,
    nikHash: String(n).padStart(64, '0'),
    issuedAt,
    updatedAt: issuedAt,
    history: [{ status: 'waiting', at: issuedAt }],
  });

  it.each(BRANCH_ZONES)("holds every walk-in of the branch day in %s, from its first minute to its last, and none of the days around it", async (zone) => {
    setBranchZone(zone);
    const db = await openTestDb(uniqueName('queue-read'));
    open.push(db);
    const at = (day: string, time: string) => new Date(branchInstant(day, time, zone)).toISOString();
    const tickets = [
      walkIn(1, at('2026-03-01', '23:59'), zone),
      walkIn(2, at('2026-03-02', '00:00'), zone),
      walkIn(3, at('2026-03-02', '08:00'), zone),
      walkIn(4, at('2026-03-02', '23:59'), zone),
      walkIn(5, at('2026-03-03', '00:00'), zone),
    ];
    await db.tickets.bulkInsert(tickets);
    const calls = new TicketCalls(db, null, 'UJI01', 'dev-counter-1', () => new Date(at('2026-03-02', '23:59')));
    expect((await calls.waiting('jht-claim')).map((t) => t.number)).toEqual(['A1-002', 'A1-003', 'A1-004']);
  });
});
