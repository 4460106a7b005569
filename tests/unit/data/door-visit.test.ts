import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import type { TriageEvent } from '@shared/cases/schema';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { declineNeed, serveNeed, type Offer } from '../../../renderer/src/data/door-visit';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// The door's orchestration below the screen (renderer/src/data/door-visit.ts): what it writes for a
// stated need, and that nothing is written when the visit's machine would not take the event.

const by = { staffId: security.staffId, role: security.role };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});
// Generated NIKs, never real people.
const nikOf = (i: number) => makeNik('1990-01-20', i % 2 ? 'male' : 'female', 300 + i);
const config = (jht: number): QueueConfig => ({ ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': jht } });

async function door(now: string) {
  const clock = () => new Date(now);
  const db = await openTestDb(uniqueName('door-visit'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-door-1');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 2, now: clock });
  const tickets = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock);
  const offered: unknown[] = [];
  const takesAll: Offer = (e) => (offered.push(e), e as TriageEvent);
  const stamp = () => ({ at: clock().toISOString(), actor: security });
  return { db, data: { tickets }, stamp, takesAll, offered };
}

describe('the door visit in the data layer', () => {
  it('issues a ticket while today has room, and gives the triage event with the number it got', async () => {
    const { db, data, stamp, takesAll } = await door(wib('2026-03-02', '09:00'));
    const out = await serveNeed({ data, config: config(5), by, stamp, offer: takesAll, counters: 2, deviceSlot: 2 }, { service: 'jht-claim', nik: nikOf(1), full: false, priority: null, personAsked: null });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result.kind).toBe('ticket');
    expect(out.event).toMatchObject({ type: 'ticket.issued', service: 'jht-claim', number: 'A2-001' });
    expect(await db.tickets.count().exec()).toBe(1);
  });

  it('writes nothing when the machine would not take the event', async () => {
    const { db, data, stamp } = await door(wib('2026-03-02', '09:00'));
    const out = await serveNeed({ data, config: config(5), by, stamp, offer: () => null, counters: 2, deviceSlot: 2 }, { service: 'jht-claim', nik: nikOf(2), full: false, priority: null, personAsked: null });
    expect(out).toEqual({ ok: false, problem: { why: 'notOffered' } });
    expect(await db.tickets.count().exec()).toBe(0);
  });

  it("books the earliest slot when today is full, and says 'capacityReached' when it filled meanwhile", async () => {
    const { data, stamp, takesAll } = await door(wib('2026-03-02', '09:00'));
    const ctx = { data, config: config(1), by, stamp, offer: takesAll, counters: 2, deviceSlot: 2 };
    expect((await serveNeed(ctx, { service: 'jht-claim', nik: nikOf(3), full: false, priority: null, personAsked: null })).ok).toBe(true);
    expect(await serveNeed(ctx, { service: 'jht-claim', nik: nikOf(4), full: false, priority: null, personAsked: null })).toEqual({ ok: false, problem: { why: 'capacityReached' } });
    const booked = await serveNeed(ctx, { service: 'jht-claim', nik: nikOf(4), full: true, priority: null, personAsked: null });
    expect(booked.ok && booked.result.kind).toBe('appointment');
    expect(booked.ok && booked.event.type).toBe('appointment.booked');
  });

  it('records a decline with what was offered', async () => {
    const { data, stamp, takesAll } = await door(wib('2026-03-02', '09:00'));
    const board = await data.tickets.board(config(5), 2);
    const out = await declineNeed({ data, config: config(5), by, stamp, offer: takesAll, board }, { service: 'jht-claim', full: false, info: [] });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result).toMatchObject({ kind: 'declined', service: 'jht-claim', offered: { kind: 'ticket' } });
    expect(out.event).toMatchObject({ type: 'visit.declined', offered: 'ticket' });
  });
});
