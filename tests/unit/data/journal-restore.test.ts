// The renderer's write paths mirror every acknowledged write to main's journal (the real
// AckJournal, in a temp folder), and restoreFromJournal puts back what a database lost: all of it
// into a wiped database, the newer part into a rolled-back one (cases merged by the union of their
// events), nothing twice. A write main did not get on disk is not acknowledged. Generated NIKs only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AckJournal, journalKeyFrom } from '../../../main/storage/ack-journal';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { CaseDatabase, LoketDatabase } from '../../../renderer/src/data/db/database';
import { firstValueFrom } from 'rxjs';
import { acknowledgeRestoreNotice, restoreFromJournal, restoreNotice$, type JournalBridge, type SentinelCheck } from '../../../renderer/src/data/db/recovery';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { journalMirror, NotSavedError, setWriteMirror } from '../../../renderer/src/data/db/write-mirror';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { makeNik, officer, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

const open: LoketDatabase[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const clock = () => new Date(wib('2026-03-02', '09:00'));
const at = (time: string) => wib('2026-03-02', time);
const ev = (type: string, payload: object, time: string) => ({ type, at: at(time), actor: officer, ...payload });
const journey = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15'),
  ev('contact.updated', { email: 'peserta.uji@example.org', phone: '081234567890' }, '09:17'),
  ev('reset.requested', {}, '09:18'),
];
const person = { nik: makeNik('1985-04-12', 'female', 43), name: 'Peserta Uji Pulih' };
const guard = { staffId: security.staffId, role: security.role };
const CHECK: SentinelCheck = { database: 'loket-uji01', wiped: 'deleted', epoch: 'epoch-0001', known: 'epoch-0001', rewrite: false };

async function mainJournal(): Promise<AckJournal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-restore-'));
  dirs.push(dir);
  return AckJournal.open({ dir, key: journalKeyFrom(TEST_KEY) });
}

/** The device's data layer on one database, every write mirrored to `journal` as main would (`reachable` false: main does not answer). */
async function device(journal: AckJournal, reachable: () => boolean = () => true) {
  const db = await openTestDb(uniqueName('restore'));
  open.push(db);
  setWriteMirror(
    db,
    journalMirror(async ({ entries }) => (reachable() ? { ok: true, value: { seq: await journal.append(entries) } } : { ok: false, error: { code: 'UNAVAILABLE', message: 'main is not reachable' } })),
  );
  const hashNik = await createNikHasher(TEST_KEY);
  const audit = new AuditLog(db.audit, 'dev-uji-1');
  const cases = new CaseJournal(db, hashNik, 'UJI01', clock, audit);
  const tickets = new TicketDesk(db, hashNik, createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock }), audit, 'UJI01', clock);
  return { db, audit, cases, tickets };
}

const bridgeOf = (journal: AckJournal): JournalBridge => ({
  records: () => Promise.resolve({ ok: true, value: { records: journal.records() as never } }),
  sentinel: () => Promise.resolve({ ok: true, value: { epoch: null } }),
  setSentinel: () => Promise.resolve({ ok: true, value: null }),
});

async function everything(db: CaseDatabase) {
  return {
    tickets: (await db.tickets.find().exec()).map((d) => d.number).sort(),
    events: (await db.cases.findOne('CASE-PULIH-01').exec())?.events.length ?? -1,
    audit: (await db.audit.find().exec()).map((d) => d.seq).sort((a, b) => a - b),
    counters: (await db.counters.find().exec()).map((d) => [d.key, (d.value as { n: number }).n]),
  };
}

describe('restore from main’s journal', () => {
  it('puts every acknowledged write back into a wiped database, once', async () => {
    const journal = await mainJournal();
    const a = await device(journal);
    await a.tickets.issue({ service: 'jht-claim', nik: makeNik('1990-01-02', 'male', 11) }, guard);
    await a.tickets.issue({ service: 'jht-claim', nik: makeNik('1990-01-02', 'male', 12) }, guard);
    await a.cases.open({ id: 'CASE-PULIH-01', flow: 'jmo-reset', person, openedBy: officer });
    for (const e of journey) expect((await a.cases.append('CASE-PULIH-01', e)).ok).toBe(true);
    const before = await everything(a.db);
    expect(before.events).toBe(3);

    // The wiped database: a fresh store (RxDB's free build allows 13 collections open at once: close the old one first).
    await a.db.close();
    const b = await device(journal);
    const report = await restoreFromJournal(b.db, CHECK, bridgeOf(journal));
    expect(await everything(b.db)).toEqual(before);
    // 1 counter, 2 tickets, 1 case, and the audit entries (2 tickets, 1 open, 3 events).
    expect(report.byCollection).toEqual({ counters: 1, tickets: 2, cases: 1, audit: 6 });
    expect(report.restored).toBe(10);
    expect(report.restoredCases).toEqual(['CASE-PULIH-01']);
    expect(await b.audit.verify()).toEqual({ ok: true, count: 6 });
    // The notice for the head is kept in the database until a head has seen it.
    expect(await firstValueFrom(restoreNotice$(b.db))).toMatchObject({ restored: 10, wiped: 'deleted', conflicts: 0 });
    // Idempotent: a second pass finds nothing missing (and the notice stays as it was).
    expect((await restoreFromJournal(b.db, CHECK, bridgeOf(journal))).restored).toBe(0);
    expect(await firstValueFrom(restoreNotice$(b.db))).toMatchObject({ restored: 10 });
    await acknowledgeRestoreNotice(b.db);
    expect(await firstValueFrom(restoreNotice$(b.db))).toBeNull();
    // The next ticket continues the restored counter.
    expect((await b.tickets.issue({ service: 'jht-claim', nik: makeNik('1990-01-02', 'male', 13) }, guard)).number).toBe('A1-003');
  });

  it('brings a rolled-back database forward: the case merges by the union of its events', async () => {
    const journal = await mainJournal();
    const a = await device(journal);
    await a.cases.open({ id: 'CASE-PULIH-01', flow: 'jmo-reset', person, openedBy: officer });
    await a.cases.append('CASE-PULIH-01', journey[0]);
    // What the disk still had after the power cut: the case at one event (the journal has three).
    const older = (await a.db.cases.findOne('CASE-PULIH-01').exec())!.toMutableJSON();
    for (const e of journey.slice(1)) await a.cases.append('CASE-PULIH-01', e);
    await a.db.close();
    const b = await device(journal);
    await b.db.cases.insert(older);
    const report = await restoreFromJournal(b.db, { ...CHECK, wiped: null }, bridgeOf(journal));
    const doc = (await b.db.cases.findOne('CASE-PULIH-01').exec())!;
    expect(doc.events.map((e) => e.type)).toEqual(journey.map((e) => e.type));
    expect(doc.journalLength).toBe(3);
    expect(report.byCollection.cases).toBe(1);
    expect(report.conflicts).toEqual([]);
  });

  it('a case write that fails in IndexedDB after main has its journal entry is taken back: no restore brings it back', async () => {
    const journal = await mainJournal();
    const a = await device(journal);
    await a.cases.open({ id: 'CASE-PULIH-01', flow: 'jmo-reset', person, openedBy: officer });
    expect((await a.cases.append('CASE-PULIH-01', journey[0])).ok).toBe(true);
    // The database refuses the next writes (a full disk, a quota) after the journal append has started.
    a.db.cases.preSave(() => {
      throw new Error('QuotaExceededError (test)');
    }, false);
    a.db.cases.preInsert(() => {
      throw new Error('QuotaExceededError (test)');
    }, false);
    await expect(a.cases.append('CASE-PULIH-01', journey[1])).rejects.toThrow(/QuotaExceeded/);
    await expect(a.cases.open({ id: 'CASE-PULIH-02', flow: 'jmo-reset', person, openedBy: officer })).rejects.toThrow(/QuotaExceeded/);
    // The journal's latest state of each case is what the database holds: one event, and no second case.
    const cases = journal.records().filter((r) => r.collection === 'cases');
    expect(cases.map((r) => [r.id, r.doc.journalLength])).toEqual([['CASE-PULIH-01', 1]]);
    // The same after main restarts (the undo records are in the file), and a restore into a wiped database.
    const dir = path.dirname(journal.file);
    await journal.close();
    const reopened = await AckJournal.open({ dir, key: journalKeyFrom(TEST_KEY) });
    await a.db.close();
    const b = await device(reopened);
    await restoreFromJournal(b.db, CHECK, bridgeOf(reopened));
    expect((await b.db.cases.findOne('CASE-PULIH-01').exec())?.journalLength).toBe(1);
    expect(await b.db.cases.findOne('CASE-PULIH-02').exec()).toBeNull();
    await reopened.close();
  });

  it('an undo main could not take at once goes first with the next append', async () => {
    const journal = await mainJournal();
    let calls = 0;
    let downAt = -1;
    const a = await device(journal, () => ++calls !== downAt);
    await a.cases.open({ id: 'CASE-PULIH-01', flow: 'jmo-reset', person });
    let refuse = true;
    a.db.cases.preSave(() => {
      if (refuse) throw new Error('QuotaExceededError (test)');
    }, false);
    // The entry reaches the journal; the undo that follows does not (main is away for that one call).
    downAt = calls + 2;
    await expect(a.cases.append('CASE-PULIH-01', journey[0])).rejects.toThrow(/QuotaExceeded/);
    expect(journal.records().find((r) => r.id === 'CASE-PULIH-01')?.doc.journalLength).toBe(1);
    // The next write sends the owed undo first; then its own entry.
    refuse = false;
    await a.tickets.issue({ service: 'jht-claim', nik: makeNik('1990-01-02', 'male', 15) }, guard);
    expect(journal.records().find((r) => r.id === 'CASE-PULIH-01')?.doc.journalLength).toBe(0);
  });

  it('a write main did not get on disk is not acknowledged', async () => {
    const journal = await mainJournal();
    const a = await device(journal);
    setWriteMirror(
      a.db,
      journalMirror(() => Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'disk full' } })),
    );
    await expect(a.tickets.issue({ service: 'jht-claim', nik: makeNik('1990-01-02', 'male', 14) }, guard)).rejects.toBeInstanceOf(NotSavedError);
    await expect(a.cases.open({ id: 'CASE-PULIH-02', flow: 'jmo-reset', person })).rejects.toBeInstanceOf(NotSavedError);
  });
});
