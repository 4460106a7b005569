import { describe, expect, it } from 'vitest';
import { DisplaySnapshot } from '@shared/ipc/contract';
import { buildDisplaySnapshot, callsOf, sameDisplay, type DisplayTicket } from '../../../renderer/src/screens/display/snapshot';

// The renderer's publisher turns today's tickets into the display snapshot main fans out.
// Generated tickets: numbers and times only (tickets carry no name or NIK).
const actor = { staffId: 'petugas.a', role: 'officer', deviceId: 'pc-1' };
const ticket = (number: string, service: DisplayTicket['service'], issuedAt: string, history: DisplayTicket['history'] = [], extra: Partial<DisplayTicket> = {}): DisplayTicket => ({
  number,
  service,
  status: history.length ? history[history.length - 1]!.status : 'waiting',
  day: '2026-11-25',
  issuedAt,
  history: [{ status: 'waiting', at: issuedAt }, ...history],
  ...extra,
});
const called = (at: string, counter: string) => ({ status: 'called' as const, at, event: { type: 'ticket.called', at, actor, counter } });
const recalled = (at: string) => ({ status: 'called' as const, at, event: { type: 'ticket.recalled', at, actor } });

describe('the waiting-room snapshot', () => {
  const tickets = [
    ticket('A1-001', 'jht-claim', '2026-11-25T01:00:00.000Z', [called('2026-11-25T01:20:00.000Z', '2'), { status: 'serving', at: '2026-11-25T01:22:00.000Z' }]),
    ticket('A1-002', 'jht-claim', '2026-11-25T01:05:00.000Z', [called('2026-11-25T01:35:00.000Z', '3'), recalled('2026-11-25T01:40:00.000Z')]),
    ticket('A1-003', 'jht-claim', '2026-11-25T01:10:00.000Z'),
    ticket('C1-001', 'jmo-reset', '2026-11-25T01:12:00.000Z'),
    ticket('A1-004', 'jht-claim', '2026-11-25T01:11:00.000Z'),
    // Yesterday's ticket and tomorrow's appointment are not on today's display.
    ticket('A1-099', 'jht-claim', '2026-11-24T01:00:00.000Z', [], { day: '2026-11-24' }),
    ticket('B1-001', 'bpu-resignation', '2026-11-20T01:00:00.000Z', [], { day: '2026-11-20', appointment: { date: '2026-11-26', time: '09:00' } }),
  ];
  const snap = buildDisplaySnapshot(tickets, '2026-11-25', 'Maklumat.', new Date('2026-11-25T01:41:00.000Z'));

  it('passes the contract main checks (no personal data fields at all)', () => {
    expect(DisplaySnapshot.safeParse(snap).success).toBe(true);
  });

  it('lists the latest call first; a recall puts the number back on top at the same counter', () => {
    expect(snap.called.map((c) => [c.number, c.counter, c.at])).toEqual([
      ['A1-002', '3', '2026-11-25T01:40:00.000Z'],
      ['A1-001', '2', '2026-11-25T01:20:00.000Z'],
    ]);
  });

  it('shows the next waiting numbers per service, oldest first, for today only', () => {
    expect(snap.nextUp).toEqual([
      { service: 'jht-claim', numbers: ['A1-003', 'A1-004'] },
      { service: 'jmo-reset', numbers: ['C1-001'] },
    ]);
  });

  it('shows priority numbers first in the next list and marked on calls, with no category or personal data (issue 16)', () => {
    const withPriority = [
      ...tickets,
      ticket('A1-005', 'jht-claim', '2026-11-25T01:30:00.000Z', [], { priority: 'pregnant' }),
      ticket('C1-002', 'jmo-reset', '2026-11-25T01:31:00.000Z', [called('2026-11-25T01:41:00.000Z', '4')], { priority: 'disability' }),
      // An appointment for today: in the list only once its holder has checked in.
      ticket('A2-004', 'jht-claim', '2026-11-20T01:00:00.000Z', [], { day: '2026-11-20', appointment: { date: '2026-11-25', time: '09:00' } }),
    ];
    const s = buildDisplaySnapshot(withPriority, '2026-11-25', 'Maklumat.', new Date('2026-11-25T01:42:00.000Z'));
    expect(DisplaySnapshot.safeParse(s).success).toBe(true);
    expect(s.nextUp.find((n) => n.service === 'jht-claim')).toEqual({ service: 'jht-claim', numbers: ['A1-005', 'A1-003', 'A1-004'], priority: ['A1-005'] });
    expect(s.called[0]).toMatchObject({ number: 'C1-002', priority: true });
    expect(JSON.stringify(s)).not.toMatch(/pregnant|disability/);
  });

  it("averages today's wait from issue to first call (20 and 30 minutes → 25)", () => {
    expect(snap.averageWaitMinutes).toBe(25);
    expect(buildDisplaySnapshot([], '2026-11-25', 'M', new Date()).averageWaitMinutes).toBeNull();
  });

  it('a call without a known counter is not shown (the display never says "go to counter ?")', () => {
    const legacy = ticket('D1-001', 'general', '2026-11-25T01:00:00.000Z', [{ status: 'called', at: '2026-11-25T01:02:00.000Z' }]);
    expect(callsOf(legacy)).toEqual([]);
    expect(callsOf({ ...legacy, counter: '4' })).toEqual([{ number: 'D1-001', counter: '4', service: 'general', at: '2026-11-25T01:02:00.000Z' }]);
  });

  it('republishes only when something on screen changed', () => {
    const later = buildDisplaySnapshot(tickets, '2026-11-25', 'Maklumat.', new Date('2026-11-25T01:42:00.000Z'));
    expect(sameDisplay(snap, later)).toBe(true);
    expect(sameDisplay(snap, { ...later, averageWaitMinutes: 26 })).toBe(false);
    expect(sameDisplay(null, later)).toBe(false);
  });
});

describe("the publisher's live query", () => {
  it("sees today's walk-ins and today's appointments, not other days, and follows a call", async () => {
    const { openTestDb, uniqueName } = await import('../data/db-helpers');
    const { watchTodaysTickets } = await import('../../../renderer/src/screens/display/snapshot');
    const db = await openTestDb(uniqueName('display'));
    const doc = (number: string, day: string, appointment?: { date: string; time: string }) => ({
      id: `TST01:${day}:${number}`,
      branchCode: 'TST01',
      service: 'jht-claim' as const,
      status: 'waiting' as const,
      number,
      day,
      slot: 1,
      seq: Number(number.slice(3)),
      nikHash: 'h'.repeat(64),
      issuedAt: `${day}T01:00:00.000Z`,
      updatedAt: `${day}T01:00:00.000Z`,
      history: [{ status: 'waiting' as const, at: `${day}T01:00:00.000Z` }],
      ...(appointment ? { appointment } : {}),
    });
    await db.tickets.bulkInsert([doc('A1-001', '2026-11-25'), doc('A1-002', '2026-11-24'), doc('B1-003', '2026-11-20', { date: '2026-11-25', time: '09:00' })]);
    const seen: string[][] = [];
    let latest: DisplayTicket[] = [];
    const stop = watchTodaysTickets(db, '2026-11-25', (tickets) => {
      latest = tickets;
      seen.push(tickets.map((t) => t.number).sort());
    });
    await expect.poll(() => seen.at(-1)).toEqual(['A1-001', 'B1-003']);
    const at = '2026-11-25T01:30:00.000Z';
    await db.tickets.findOne('TST01:2026-11-25:A1-001').exec().then((d) =>
      d!.incrementalPatch({ status: 'called', history: [...d!.history, { status: 'called', at, event: { type: 'ticket.called', at, counter: '2' } } as never] }),
    );
    await expect
      .poll(() => buildDisplaySnapshot(latest, '2026-11-25', 'M', new Date(at)).called)
      .toEqual([{ number: 'A1-001', counter: '2', service: 'jht-claim', at }]);
    stop();
    await db.close();
  });
});
