import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, auditId, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { makeNik, officer, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

const guard = { staffId: security.staffId, role: security.role };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

/** One branch PC: its own database, its slot, its audit chain. */
async function pc(name: string, slot: number, clock: () => Date) {
  const db = await openTestDb(name);
  open.push(db);
  const audit = new AuditLog(db.audit, `dev-pc-${slot}`);
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot, now: clock });
  const desk = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock);
  return { db, audit, desk };
}

const person = (i: number) => ({ nik: makeNik('1990-02-03', i % 2 ? 'male' : 'female', 100 + i), name: `Peserta Uji ${i}` });
const nikOf = (i: number) => person(i).nik;

describe('tickets across two PCs, with restarts', () => {
  it('never issues the same number twice, offline, across PCs and restarts; a new day starts again at 001', async () => {
    let now = new Date(wib('2026-03-02', '07:05'));
    const clock = () => now;
    const names = [uniqueName('pc1'), uniqueName('pc2')];
    const issued: string[] = [];
    // RxDB's open-source build allows 13 open collections per process, so the two PCs take turns;
    // every turn is a restart of that PC (its database opened again).
    for (let round = 0; round < 3; round++) {
      for (const [k, name] of names.entries()) {
        const p = await pc(name, k + 1, clock);
        for (let i = 0; i < 6; i++) {
          issued.push((await p.desk.issue({ service: i % 2 ? 'jmo-reset' : 'jht-claim', nik: nikOf(round * 20 + i * 2 + k) }, guard)).number);
        }
        await p.db.close();
      }
    }
    expect(new Set(issued).size).toBe(issued.length);
    expect(issued.filter((n) => n.startsWith('A1-'))).toEqual(['A1-001', 'A1-002', 'A1-003', 'A1-004', 'A1-005', 'A1-006', 'A1-007', 'A1-008', 'A1-009']);
    expect(issued.filter((n) => n.startsWith('C2-')).at(-1)).toBe('C2-009');

    now = new Date(wib('2026-03-03', '07:01'));
    const next = await pc(names[0]!, 1, clock);
    expect((await next.desk.issue({ service: 'jht-claim', nik: nikOf(99) }, guard)).number).toBe('A1-001');
  });

  it('serves the queue oldest first from the index', async () => {
    let minute = 0;
    const clock = () => new Date(Date.parse(wib('2026-03-02', '08:00')) + minute++ * 60_000);
    const { desk } = await pc(uniqueName('queue'), 3, clock);
    for (let i = 0; i < 5; i++) await desk.issue({ service: 'bpu-resignation', nik: nikOf(i) }, guard);
    await desk.issue({ service: 'jht-claim', nik: nikOf(9) }, guard);
    expect((await desk.queue('bpu-resignation', 'waiting', 3)).map((t) => t.number)).toEqual(['B3-001', 'B3-002', 'B3-003']);
  });

  it('refuses a ticket without a valid NIK, writing nothing', async () => {
    const { desk, db } = await pc(uniqueName('bad'), 1, () => new Date());
    await expect(desk.issue({ service: 'jht-claim', nik: '31710101019' }, guard)).rejects.toThrow();
    expect(await db.tickets.count().exec()).toBe(0);
    expect(await db.audit.count().exec()).toBe(0);
  });
});

describe('the audit chain in the database', () => {
  it('records issues, case events and reads of a person; holds no NIK; verifies; reports the first tampered entry', async () => {
    const clock = () => new Date(wib('2026-03-02', '09:15'));
    const { db, audit, desk } = await pc(uniqueName('audit'), 1, clock);
    const who = person(1);
    await desk.issue({ service: 'jmo-reset', nik: who.nik }, guard);
    const journal = new CaseJournal(db, await createNikHasher(TEST_KEY), 'UJI01', clock, audit);
    const by = { staffId: officer.staffId, role: officer.role };
    await journal.open({ id: 'CASE-AUD-0001', flow: 'jmo-reset', person: who, openedBy: by });
    await journal.append('CASE-AUD-0001', { type: 'identity.checked', at: wib('2026-03-02', '09:16'), actor: officer, ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true });
    await journal.get('CASE-AUD-0001', by);
    await journal.findByNik(who.nik, by);

    const entries = await audit.entries();
    expect(entries.map((e) => e.action)).toEqual(['ticket.issued', 'case.opened', 'case.event', 'person.viewed', 'person.searched']);
    expect(JSON.stringify(entries)).not.toContain(who.nik);
    expect(await audit.verify()).toEqual({ ok: true, count: 5 });

    const third = await db.audit.findOne(auditId(audit.deviceId, 3)).exec();
    await third!.incrementalPatch({ details: { type: 'reset.confirmed', journalLength: 1 } });
    expect(await audit.verify()).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });
  });

  it('appends from concurrent callers in one page without forking the chain', async () => {
    const { audit } = await pc(uniqueName('audit-conc'), 1, () => new Date());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => audit.append({ at: new Date().toISOString(), actor: guard, action: 'staff.signIn', subject: { kind: 'staff', id: `s${i}` }, details: {} })),
    );
    expect(await audit.verify()).toEqual({ ok: true, count: 20 });
  });
});
