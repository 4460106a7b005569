import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { LaterDateError, TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { TicketRecord } from '@shared/records';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// Issue 16 pt 4 / DOMAIN "Queue": the door's appointment is the earliest free slot on an open day;
// a later date only when the person asks for it, then recorded as their choice (on the ticket, in
// the audit chain, and so on the slip), and never on a closed day. Generated NIKs only.

const guard = { staffId: security.staffId, role: security.role };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});
const nikOf = (i: number) => makeNik('1988-07-14', i % 2 ? 'male' : 'female', 500 + i);
const config: QueueConfig = { ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': 2 } };

async function door() {
  const clock = () => new Date(wib('2026-03-06', '10:00')); // Friday 6 March 2026
  const db = await openTestDb(uniqueName('later'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-door-1');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 2, now: clock });
  return { db, audit, desk: new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock) };
}

describe('the door: a later date only at the person’s request (issue 16)', () => {
  it('without a request the earliest free slot on an open day, not marked as chosen', async () => {
    const { desk } = await door();
    const t = await desk.bookAppointment({ service: 'jht-claim', nik: nikOf(1) }, guard, config);
    expect(t.appointment).toEqual({ date: '2026-03-09', time: '08:00' });
  });

  it('the date the person asks for: its first free slot, recorded as their choice on the ticket and in the audit chain; HQ’s record schema takes it', async () => {
    const { desk, db, audit } = await door();
    expect(await desk.proposeLaterDate('jht-claim', config, '2026-03-12')).toEqual({ ok: true, appointment: { date: '2026-03-12', time: '08:00', chosenByPerson: true } });
    const t = await desk.bookAppointment({ service: 'jht-claim', nik: nikOf(2), personAsked: '2026-03-12' }, guard, config);
    expect(t.appointment).toEqual({ date: '2026-03-12', time: '08:00', chosenByPerson: true });
    const stored = (await db.tickets.findOne(t.id).exec())!.toMutableJSON();
    expect(stored.appointment).toEqual({ date: '2026-03-12', time: '08:00', chosenByPerson: true });
    const entry = (await audit.entries()).find((e) => e.action === 'appointment.booked');
    expect(entry?.details).toMatchObject({ appointment: { date: '2026-03-12', chosenByPerson: true } });
    expect(TicketRecord.safeParse(stored).success).toBe(true);
    // The next person without a request still gets the earliest slot (Monday): the choice took nothing from them.
    expect((await desk.bookAppointment({ service: 'jht-claim', nik: nikOf(3) }, guard, config)).appointment).toEqual({ date: '2026-03-09', time: '08:00' });
  });

  it('never on a closed day: a Saturday, Nyepi, a joint leave day or the head’s local closure is refused with its reason and nothing is booked', async () => {
    const { desk, db } = await door();
    for (const date of ['2026-03-14', '2026-03-19', '2026-03-23']) {
      const p = await desk.proposeLaterDate('jht-claim', config, date);
      expect(p).toMatchObject({ ok: false, problem: { why: 'CLOSED_DAY' } });
      await expect(desk.bookAppointment({ service: 'jht-claim', nik: nikOf(4), personAsked: date }, guard, config)).rejects.toBeInstanceOf(LaterDateError);
    }
    expect(await desk.proposeLaterDate('jht-claim', config, '2026-03-19')).toMatchObject({ problem: { closedDay: { kind: 'holiday', name: 'Hari Suci Nyepi Tahun Baru Saka 1948' } } });
    const local = { ...config, localClosures: ['2026-03-11'] };
    expect(await desk.proposeLaterDate('jht-claim', local, '2026-03-11')).toMatchObject({ ok: false, problem: { why: 'CLOSED_DAY', closedDay: { kind: 'local' } } });
    expect(await db.tickets.count().exec()).toBe(0);
  });

  it('a date before the earliest free slot, or a full day, is refused with its reason', async () => {
    const { desk } = await door();
    expect(await desk.proposeLaterDate('jht-claim', config, '2026-03-06')).toEqual({ ok: false, problem: { why: 'TOO_EARLY', earliest: '2026-03-09' } });
    await desk.bookAppointment({ service: 'jht-claim', nik: nikOf(5), personAsked: '2026-03-10' }, guard, config);
    await desk.bookAppointment({ service: 'jht-claim', nik: nikOf(6), personAsked: '2026-03-10' }, guard, config);
    expect(await desk.proposeLaterDate('jht-claim', config, '2026-03-10')).toEqual({ ok: false, problem: { why: 'DAY_FULL' } });
    const refused = await desk.bookAppointment({ service: 'jht-claim', nik: nikOf(7), personAsked: '2026-03-10' }, guard, config).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LaterDateError);
    expect((refused as LaterDateError).problem).toEqual({ why: 'DAY_FULL' });
  });
});
