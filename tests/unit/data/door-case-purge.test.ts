// Issue 18 pts 6 and 8: the sealed case data a door PC kept from case-working sessions is deleted
// once HQ holds every case record (main's journal holds none, and the replication pushed past the
// newest case write), and kept otherwise.
import { getAllCollectionDocuments } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import { openDatabase, type LoketDatabase } from '../../../renderer/src/data/db/database';
import { purgeDoorCases } from '../../../renderer/src/data/db/door-case-purge';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { makeNik } from '../machines/fixtures';
import { fakeIdbStorage, rawIndexedDbDump, TEST_KEY, uniqueName } from './db-helpers';

const CASE_KEY = Buffer.alloc(32, 12).toString('base64');
const guard = { staffId: 'S-DOOR-1', role: 'security' as const };
const person = { nik: makeNik('1985-04-12', 'female', 42), name: 'Peserta Uji Satu' };

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function session(name: string, caseKey: string | null) {
  const db = await openDatabase({ name, key: TEST_KEY, caseKey, storage: fakeIdbStorage() });
  open.push(db);
  return db;
}

/** An officer's session on this PC: one case, pushed to a stand-in for HQ when `push` is set. */
async function officerWorkedHere(name: string, o: { push: boolean; laterCase?: boolean }) {
  const db = await session(name, CASE_KEY);
  const journal = new CaseJournal(db, await createNikHasher(TEST_KEY), 'UJI01');
  await journal.open({ id: 'CASE-UJI-0001', flow: 'jmo-reset', person });
  if (o.push) {
    const atHq: unknown[] = [];
    const replication = replicateRxCollection({
      collection: db.cases!,
      replicationIdentifier: 'hq-test',
      live: false,
      push: { handler: (rows) => Promise.resolve((atHq.push(...rows), [])) },
      pull: { handler: () => Promise.resolve({ documents: [], checkpoint: null }) },
    });
    await replication.awaitInitialReplication();
    await replication.cancel();
    expect(atHq).toHaveLength(1);
  }
  if (o.laterCase) await journal.open({ id: 'CASE-UJI-0002', flow: 'jmo-reset', person });
  await db.close();
}

async function doorPurge(name: string, caseRecordsInJournal: number | null) {
  const db = await session(name, null);
  const audit = new AuditLog(db.audit, 'dev-door-1');
  const result = await purgeDoorCases({ db, caseRecordsInJournal: () => Promise.resolve(caseRecordsInJournal), audit, actor: guard });
  return { db, audit, result };
}

const caseStorages = async (db: LoketDatabase) => (await getAllCollectionDocuments(db.internalStore)).filter((d) => d.data.name === 'cases');

describe('purging the door PC\'s sealed cases', () => {
  it('deletes them once HQ holds every case record, after an audit entry; a later officer session starts empty', async () => {
    const name = uniqueName('purge-safe');
    await officerWorkedHere(name, { push: true });
    expect(await rawIndexedDbDump(name)).toContain('CASE-UJI-0001');

    const { db, audit, result } = await doorPurge(name, 0);
    expect(result).toEqual({ purged: true, collections: ['cases'], records: 1 });
    expect(await rawIndexedDbDump(name)).not.toContain('CASE-UJI-0001');
    expect(await caseStorages(db)).toEqual([]);
    const entries = await audit.entries();
    expect(entries.map((e) => ({ action: e.action, actor: e.actor, details: e.details }))).toEqual([
      { action: 'database.casesPurged', actor: guard, details: { collections: 'cases', records: 1 } },
    ]);
    expect(await audit.verify()).toMatchObject({ ok: true });
    await db.close();

    const officer = await session(name, CASE_KEY);
    expect(await officer.cases!.count().exec()).toBe(0);
  });

  it('keeps them while main\'s journal holds a case record (a case-working session would restore it)', async () => {
    const name = uniqueName('purge-journal');
    await officerWorkedHere(name, { push: true });
    const { db, audit, result } = await doorPurge(name, 1);
    expect(result).toEqual({ purged: false, reason: 'journal-holds-cases' });
    expect(await rawIndexedDbDump(name)).toContain('CASE-UJI-0001');
    expect(await caseStorages(db)).toHaveLength(1);
    expect(await audit.entries()).toEqual([]);
  });

  it('keeps them when main cannot say what its journal holds', async () => {
    const name = uniqueName('purge-unknown');
    await officerWorkedHere(name, { push: true });
    expect((await doorPurge(name, null)).result).toEqual({ purged: false, reason: 'journal-unknown' });
    expect(await rawIndexedDbDump(name)).toContain('CASE-UJI-0001');
  });

  it('keeps them when a case was written after the last push, or never pushed at all', async () => {
    const later = uniqueName('purge-later');
    await officerWorkedHere(later, { push: true, laterCase: true });
    const first = await doorPurge(later, 0);
    expect(first.result).toEqual({ purged: false, reason: 'not-pushed' });
    expect(await rawIndexedDbDump(later)).toContain('CASE-UJI-0002');
    await first.db.close(); // RxDB's open core allows 16 collections open at once

    const never = uniqueName('purge-never');
    await officerWorkedHere(never, { push: false });
    expect((await doorPurge(never, 0)).result).toEqual({ purged: false, reason: 'not-pushed' });
    expect(await rawIndexedDbDump(never)).toContain('CASE-UJI-0001');
  });

  it('does nothing in a session with the case key, or where no case was ever kept', async () => {
    const name = uniqueName('purge-officer');
    await officerWorkedHere(name, { push: true });
    const officer = await session(name, CASE_KEY);
    const audit = new AuditLog(officer.audit, 'dev-office-1');
    expect(await purgeDoorCases({ db: officer, caseRecordsInJournal: () => Promise.resolve(0), audit, actor: guard })).toEqual({ purged: false, reason: 'case-session' });
    await officer.close(); // RxDB's open core allows 16 collections open at once

    expect((await doorPurge(uniqueName('purge-fresh'), 0)).result).toEqual({ purged: false, reason: 'nothing-sealed' });
  });
});
