import { afterEach, describe, expect, it } from 'vitest';
import { setBranchZone } from '../../../renderer/src/data/branch-zone';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { TicketCalls } from '../../../renderer/src/data/db/ticket-calls';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { callOrder } from '../../../renderer/src/data/branch-clock';
import { csvFileName } from '../../../renderer/src/data/reports/csv';
import { ticketDay, waitingNow } from '../../../renderer/src/data/reports/dashboard';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { buildDisplaySnapshot, displayClock } from '../../../renderer/src/screens/display/snapshot';
import { openTestDb, TEST_KEY, uniqueName } from '../data/db-helpers';
import { makeNik, security } from '../machines/fixtures';

// Issue 16 (9): every place the renderer takes "today" or a clock time uses the branch's zone
// (profile: WIB/WITA/WIT), not WIB hard-coded. Each case sits on an instant where WIB and the
// branch's zone disagree on the day (or on whether a slot has come).

const open: LoketDatabase[] = [];
afterEach(async () => {
  setBranchZone(undefined);
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

// 00:30 on Tuesday 3 March in WITA (Makassar); still 23:30 on Monday 2 March in WIB.
const WITA_MIDNIGHT = '2026-03-02T16:30:00.000Z';
const walkIn = (number: string, day: string, issuedAt: string) => ({ number, status: 'waiting' as const, day, issuedAt, history: [] });

describe("the branch day and clock in a WITA/WIT branch (issue 16 pt 9)", () => {
  it('the call order takes the branch day: just after midnight WITA, the new day’s tickets are in the queue', () => {
    const tickets = [walkIn('C1-001', '2026-03-03', WITA_MIDNIGHT), walkIn('C1-900', '2026-03-02', '2026-03-02T08:00:00.000Z')];
    setBranchZone('WITA');
    expect(callOrder(tickets, WITA_MIDNIGHT).map((t) => t.number)).toEqual(['C1-001']);
    // A WIB branch at the same instant is still on Monday.
    setBranchZone('WIB');
    expect(callOrder(tickets, WITA_MIDNIGHT).map((t) => t.number)).toEqual(['C1-900']);
  });

  it("a checked-in appointment's slot has come by the branch clock (08:00 WIT is 06:00 WIB)", () => {
    const now = '2026-03-02T23:05:00.000Z'; // 08:05 WIT on 3 March, 06:05 WIB
    const early = { ...walkIn('A1-001', '2026-03-03', '2026-03-02T22:55:00.000Z') };
    const appt = { ...walkIn('A1-002', '2026-03-02', '2026-03-02T03:00:00.000Z'), appointment: { date: '2026-03-03', time: '08:00' }, checkedInAt: '2026-03-02T23:00:00.000Z' };
    expect(callOrder([early, appt], now, 'WIT').map((t) => t.number)).toEqual(['A1-002', 'A1-001']);
  });

  it("the counter calls the WITA branch's tickets issued after its midnight (not yesterday's WIB day)", async () => {
    setBranchZone('WITA');
    let minute = 0;
    const clock = () => new Date(Date.parse(WITA_MIDNIGHT) + minute++ * 60_000);
    const db = await openTestDb(uniqueName('wita-calls'));
    open.push(db);
    const audit = new AuditLog(db.audit, 'dev-counter-1');
    const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock });
    const door = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock);
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock);
    const t = await door.issue({ service: 'jmo-reset', nik: makeNik('1990-02-03', 'male', 411) }, { staffId: security.staffId, role: security.role });
    expect(t.day).toBe('2026-03-03');
    expect((await calls.waiting('jmo-reset')).map((w) => w.id)).toEqual([t.id]);
    const called = await calls.callNext(['jmo-reset'], '1', { staffId: 'petugas.satu', role: 'officer' });
    expect(called.ok && called.ticket.id).toBe(t.id);
  });

  it("the head's dashboard counts a WITA ticket on the WITA day, and the CSV stamp is the branch's clock", () => {
    setBranchZone('WITA');
    const tk = { service: 'jmo-reset', status: 'waiting', issuedAt: WITA_MIDNIGHT, history: [] };
    expect(ticketDay(tk as never)).toBe('2026-03-03');
    expect(waitingNow([tk as never], new Date(Date.parse(WITA_MIDNIGHT) + 10 * 60_000)).waiting).toBe(1);
    expect(csvFileName('antrean', 'UJI01', new Date(WITA_MIDNIGHT))).toBe('loket-antrean-UJI01-20260303-0030.csv');
  });

  it("the waiting-room display shows the branch's clock and day, and the publisher's day lists the WITA day's numbers", () => {
    expect(displayClock(new Date(WITA_MIDNIGHT), 'WITA')).toEqual({ time: '00:30', date: 'Selasa, 3 Maret 2026' });
    expect(displayClock(new Date(WITA_MIDNIGHT), 'WIT').time).toBe('01:30');
    expect(displayClock(new Date(WITA_MIDNIGHT), null)).toEqual({ time: '23:30', date: 'Senin, 2 Maret 2026' });
    setBranchZone('WITA');
    const snap = buildDisplaySnapshot([{ ...walkIn('C1-001', '2026-03-03', WITA_MIDNIGHT), service: 'jmo-reset' }], '2026-03-03', 'janji', new Date(WITA_MIDNIGHT));
    expect(JSON.stringify(snap)).toContain('C1-001');
  });
});
