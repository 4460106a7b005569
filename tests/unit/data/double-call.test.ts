import i18next from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import '../../../renderer/src/i18n';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import type { TicketDoc } from '../../../renderer/src/data/db/schemas';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { ticketCan, ticketEvents, viewTicket } from '../../../renderer/src/data/db/ticket-calls';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { listConflicts, resolveConflict } from '../../../renderer/src/sync/conflict-log';
import { conflictHandlerFor } from '../../../renderer/src/sync/conflicts';
import { doubleCallWords, flagDoubleCalls } from '../../../renderer/src/sync/double-calls';
import { doubleCallsOf } from '@shared/queue/call-order';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// Issue 17 pt 5: with the hub unreachable, counters 1 and 3 (two PCs) call the same ticket issued
// before the outage. At merge neither call is lost (the ticket's histories are united), and the
// head's conflict log says so in words, once per ticket, until the head resolves it.

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const strip = (t: TicketDoc) => Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('_'))) as unknown as TicketDoc;

function calledOn(t: TicketDoc, counter: string, deviceId: string, at: string): TicketDoc {
  const event = { type: 'ticket.called', counter, at, actor: { staffId: `petugas.${counter}`, role: 'officer', deviceId } };
  return { ...strip(t), status: 'called', updatedAt: at, history: [...t.history, { status: 'called', at, event } as TicketDoc['history'][number]] };
}

async function setup() {
  const clock = () => new Date(Date.parse(wib('2026-03-02', '08:00')));
  const db = await openTestDb(uniqueName('doublecall'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-head');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock });
  const door = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock);
  const waiting = await door.issue({ service: 'jmo-reset', nik: makeNik('1990-02-03', 'male', 321) }, { staffId: security.staffId, role: security.role });
  return { db, audit, waiting };
}

const merge = (local: TicketDoc, remote: TicketDoc) =>
  conflictHandlerFor('tickets', { record: () => undefined }).resolve({ newDocumentState: local, realMasterState: remote, assumedMasterState: undefined } as never, 'test') as unknown as Promise<TicketDoc>;

describe('a ticket called twice while the hub was unreachable', () => {
  it('keeps both calls at merge, whichever side merges, and the head sees it once in words', async () => {
    const { db, audit, waiting } = await setup();
    // Called a few minutes ago (the head's log looks at recent tickets).
    const one = calledOn(waiting, '1', 'pc-loket-1', minutesAgo(6));
    const three = calledOn(waiting, '3', 'pc-loket-3', minutesAgo(5));
    // PC 3 pushes after PC 1: its copy meets PC 1's as the master; and the other way round.
    const at3 = await merge(three, one);
    const at1 = await merge(one, three);
    for (const merged of [at3, at1]) {
      // The stored history keeps both calls as they were made.
      const calls = merged.history.flatMap((h) => ((h as { event?: { type: string; counter?: string } }).event?.type === 'ticket.called' ? [(h as unknown as { event: { counter: string } }).event.counter] : []));
      expect(calls).toEqual(['1', '3']);
    }
    expect(strip(at3)).toEqual(strip(at1));
    expect(doubleCallsOf(at3)).toHaveLength(1);
    // The desk can still work it: the first call holds it, the later one replays as a recall.
    const view = viewTicket(at3);
    expect(view.broken).toBeNull();
    expect(view.state).toBe('called');
    expect(view.context.counter).toBe('1');
    expect(view.context.calls).toBe(2);
    const holders = ticketEvents(at3).filter((e) => e.type === 'ticket.called');
    expect(holders.map((e) => (e.actor as { staffId: string }).staffId)).toEqual(['petugas.1']);
    expect(ticketCan(at3, 'service.started', { staffId: 'petugas.1', role: 'officer', deviceId: 'pc-loket-1' }, minutesAgo(1))).toBe(true);

    // The merged ticket on the head's PC (pulled like any other): the conflict log flags it.
    await db.tickets.upsert(at3);
    const flagged = await listConflicts(db);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ sourceCollection: 'tickets', docId: waiting.id, kept: 'merged', status: 'open' });
    const id = i18next.getFixedT('id');
    const en = i18next.getFixedT('en');
    expect(doubleCallWords(flagged[0]!.reason, id)).toBe(`Tiket ${waiting.number} dipanggil dua kali: loket 1 dan loket 3, saat hub tidak terjangkau`);
    expect(doubleCallWords(flagged[0]!.reason, en)).toBe(`Ticket ${waiting.number} was called twice: counter 1 and counter 3, while the hub was unreachable`);
    // No personal data in the record.
    expect(JSON.stringify(flagged[0])).not.toContain(waiting.nikHash);

    // Seen again: still one record. Resolved by the head: not raised again.
    expect(await flagDoubleCalls(db)).toEqual([]);
    expect(await listConflicts(db)).toHaveLength(1);
    await resolveConflict(db, flagged[0]!.id, { staffId: 'kepala.cabang', role: 'head' }, 'Peserta dilayani di loket 1; loket 3 mencatat tidak hadir.', audit);
    expect(await listConflicts(db)).toEqual([]);
    expect(await flagDoubleCalls(db)).toEqual([]);
  });

  it('flags nothing for a recall or a call after the person returned', async () => {
    const { db, waiting } = await setup();
    const one = calledOn(waiting, '1', 'pc-loket-1', minutesAgo(6));
    const recalled = { ...one, history: [...one.history, { status: 'called', at: minutesAgo(2), event: { type: 'ticket.recalled', at: minutesAgo(2), actor: { staffId: 'petugas.1', role: 'officer', deviceId: 'pc-loket-1' } } } as TicketDoc['history'][number]] };
    await db.tickets.upsert(recalled);
    expect(await flagDoubleCalls(db)).toEqual([]);
    expect(doubleCallWords('both changed; kept the later update (HQ)', i18next.getFixedT('id'))).toBe('both changed; kept the later update (HQ)');
  });
});
