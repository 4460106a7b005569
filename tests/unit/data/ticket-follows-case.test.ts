import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketCalls } from '../../../renderer/src/data/db/ticket-calls';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { finishTicketsOfFinishedCases } from '../../../renderer/src/data/ticket-follows-case';
import { makeNik, officer, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// "A finished case finishes its ticket" is a data-layer rule (issue 19 pt 2): it holds with no case
// view on screen, and after a restart.
const at = (time: string) => wib('2026-03-02', time);
const ev = (type: string, payload: object, time: string) => ({ type, at: at(time), actor: officer, ...payload });
const resetJourney = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15'),
  ev('contact.updated', { email: 'peserta.uji@example.org', phone: '081234567890' }, '09:17'),
  ev('reset.requested', {}, '09:18'),
  ev('reset.confirmed', {}, '09:20'),
  ev('receipt.issued', {}, '09:21'),
];
const guard = { staffId: security.staffId, role: security.role };
const desk = { staffId: officer.staffId, role: officer.role };
const other = { staffId: 'petugas.dua', role: 'officer' as const };

const open: LoketDatabase[] = [];
const stops: { stop(): void }[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) s.stop();
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function servingCase(servedBy = desk) {
  let minute = 0;
  const clock = () => new Date(Date.parse(at('09:00')) + minute++ * 1000);
  const db = await openTestDb(uniqueName('follows'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-counter-1');
  const hasher = await createNikHasher(TEST_KEY);
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock });
  const door = new TicketDesk(db, hasher, allocator, audit, 'UJI01', clock);
  const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock);
  const nik = makeNik('1985-04-12', 'female', 42);
  const ticket = await door.issue({ service: 'jmo-reset', nik }, guard);
  const called = await calls.callNext(['jmo-reset'], '3', servedBy);
  if (!called.ok) throw new Error('not called');
  expect((await calls.startServing(ticket.id, servedBy)).ok).toBe(true);
  const journal = new CaseJournal(db, hasher, 'UJI01', clock);
  await journal.open({ id: 'CASE-UJI-0101', flow: 'jmo-reset', person: { nik, name: 'Peserta Uji Satu' }, ticketId: ticket.id });
  const close = async () => {
    for (const e of resetJourney) expect((await journal.append('CASE-UJI-0101', e)).ok).toBe(true);
  };
  const status = async () => (await calls.get(ticket.id))?.status;
  return { db, calls, close, status };
}

const watch = (db: LoketDatabase, calls: TicketCalls, by = desk) => {
  const w = finishTicketsOfFinishedCases(db, calls, by);
  stops.push(w);
  return w;
};

describe('a finished case finishes its ticket (data layer)', () => {
  it('finishes the serving ticket when its case reaches the final state, with no case view open', async () => {
    const { db, calls, close, status } = await servingCase();
    watch(db, calls);
    await close();
    await expect.poll(status, { timeout: 5_000 }).toBe('done');
  });

  it('leaves the ticket serving while the case is still open', async () => {
    const { db, calls, status } = await servingCase();
    watch(db, calls);
    await new Promise((r) => setTimeout(r, 300));
    expect(await status()).toBe('serving');
  });

  it('finishes it at the start when the case was closed before (a restart)', async () => {
    const { db, calls, close, status } = await servingCase();
    await close();
    expect(await status()).toBe('serving');
    watch(db, calls);
    await expect.poll(status, { timeout: 5_000 }).toBe('done');
  });

  it("leaves another officer's ticket to that officer's PC", async () => {
    const { db, calls, close, status } = await servingCase(other);
    watch(db, calls, desk);
    await close();
    await new Promise((r) => setTimeout(r, 300));
    expect(await status()).toBe('serving');
  });
});
