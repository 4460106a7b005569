// Issue 18 pts 6 and 8: a door (security) session gets no case key, so the case data a PC kept
// from before (case-working sessions on this PC, or the single-key build before the role split)
// is sealed data nobody signed in here can read. It stays on disk (IndexedDB: the `cases`
// collection's storage and RxDB's replication state of it, which holds HQ's copy of each case)
// until it is safe to delete, and then this deletes it, with an entry in the audit chain.
//
// Safe means, as the head's decommission decides it (main/retention.ts): no case record on this PC
// is waiting for HQ. Two checks, both on what a door session can see without the case key:
//  - main's journal of acknowledged writes holds no case record: a record leaves it only once the
//    upstream answered its push (main/journal.ts), and while it is there a case-working session on
//    this PC restores from it (./recovery.ts), so it must not be pulled from under that restore;
//  - every replication of the case collection has pushed past the newest case write (its upstream
//    checkpoint, in RxDB's plain bookkeeping, covers the newest document's last-write time), so a
//    write from before the journal existed is not lost either.
// When main cannot say (an older main, no answer) nothing is deleted. A later case-working session
// starts with an empty case collection and pulls the branch's cases from HQ again.
import {
  getAllCollectionDocuments,
  getPrimaryFieldOfPrimaryKey,
  prepareQuery,
  randomToken,
  removeCollectionStorages,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
} from 'rxdb';
import { holdsCaseData } from '@shared/staff/case-access';
import type { AuditActor } from '../audit-chain';
import { baseStorageOf, type LoketDatabase } from './database';
import { storedFormStorage } from './field-encryption';
import type { AuditLog } from './stores';

export interface DoorCasePurgeDeps {
  /** This session's database, opened without the case key. */
  db: LoketDatabase;
  /** How many case records main's journal holds (not yet answered by the upstream); null: main cannot say. */
  caseRecordsInJournal: () => Promise<number | null>;
  audit: AuditLog;
  actor: AuditActor;
  now?: () => Date;
}

export type DoorCasePurgeResult =
  | { purged: true; collections: string[]; records: number }
  | { purged: false; reason: 'case-session' | 'nothing-sealed' | 'journal-unknown' | 'journal-holds-cases' | 'not-pushed' };

type Stored = { collectionName: string; schema: RxJsonSchema<RxDocumentData<unknown>>; connected: { collectionName: string; schema: RxJsonSchema<RxDocumentData<unknown>> }[] };

/** Reads bookkeeping only (ids, last-write times, checkpoints): no sealed value is opened. */
async function rawInstance(storage: RxStorage<unknown, unknown>, db: LoketDatabase, collectionName: string, schema: RxJsonSchema<RxDocumentData<unknown>>): Promise<RxStorageInstance<RxDocumentData<unknown>, unknown, unknown>> {
  return (await storage.createStorageInstance({
    databaseName: db.name,
    collectionName,
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
    databaseInstanceToken: randomToken(10),
  })) as never;
}

/** The number of stored documents and the newest write, by last-write time then id. */
async function newestWrite(storage: RxStorage<unknown, unknown>, db: LoketDatabase, s: Stored): Promise<{ count: number; newest: { id: string; lwt: number } | null }> {
  const instance = await rawInstance(storage, db, s.collectionName, s.schema);
  try {
    const primary = getPrimaryFieldOfPrimaryKey(s.schema.primaryKey) as string;
    const all = await instance.query(prepareQuery(s.schema, { selector: {}, sort: [{ '_meta.lwt': 'desc' }, { [primary]: 'desc' }], skip: 0 } as never));
    const top = all.documents[0] as Record<string, unknown> | undefined;
    return { count: all.documents.length, newest: top ? { id: String(top[primary]), lwt: (top._meta as { lwt: number }).lwt } : null };
  } finally {
    await instance.close();
  }
}

/** Whether every replication of the collection has pushed past `newest` (false when one has no upstream checkpoint). */
async function pushedPast(storage: RxStorage<unknown, unknown>, db: LoketDatabase, s: Stored, newest: { id: string; lwt: number }): Promise<boolean> {
  if (s.connected.length === 0) return false; // never replicated: HQ may lack every one
  for (const meta of s.connected) {
    const instance = await rawInstance(storage, db, meta.collectionName, meta.schema);
    try {
      const [up] = await instance.findDocumentsById(['up|1'], false);
      const checkpoint = (up as { checkpointData?: { id?: unknown; lwt?: unknown } } | undefined)?.checkpointData;
      if (!checkpoint || typeof checkpoint.lwt !== 'number' || typeof checkpoint.id !== 'string') return false;
      if (checkpoint.lwt < newest.lwt || (checkpoint.lwt === newest.lwt && checkpoint.id < newest.id)) return false;
    } finally {
      await instance.close();
    }
  }
  return true;
}

/**
 * Deletes the sealed case data of a session without the case key once that is safe (above), after
 * writing `database.casesPurged` to the audit chain (counts only). Keeps it otherwise, and says why.
 */
export async function purgeDoorCases(d: DoorCasePurgeDeps): Promise<DoorCasePurgeResult> {
  const { db } = d;
  if (db.cases) return { purged: false, reason: 'case-session' };
  const sealed: Stored[] = (await getAllCollectionDocuments(db.internalStore))
    .filter((doc) => holdsCaseData(doc.data.name))
    .map((doc) => ({
      collectionName: doc.data.name,
      schema: doc.data.schema as RxJsonSchema<RxDocumentData<unknown>>,
      connected: doc.data.connectedStorages.map((c) => ({ collectionName: c.collectionName, schema: c.schema as RxJsonSchema<RxDocumentData<unknown>> })),
    }));
  if (sealed.length === 0) return { purged: false, reason: 'nothing-sealed' };
  const inJournal = await d.caseRecordsInJournal();
  if (inJournal === null) return { purged: false, reason: 'journal-unknown' };
  if (inJournal > 0) return { purged: false, reason: 'journal-holds-cases' };
  const storage = storedFormStorage(baseStorageOf(db));
  let records = 0;
  for (const s of sealed) {
    const { count, newest } = await newestWrite(storage, db, s);
    if (newest && !(await pushedPast(storage, db, s, newest))) return { purged: false, reason: 'not-pushed' };
    records += count;
  }
  const collections = sealed.map((s) => s.collectionName);
  // Written before anything is deleted: the chain says what went, and a failed append deletes nothing.
  await d.audit.append({
    at: (d.now ?? (() => new Date()))().toISOString(),
    actor: d.actor,
    action: 'database.casesPurged',
    subject: { kind: 'device', id: d.audit.deviceId },
    details: { collections: collections.join(','), records },
  });
  for (const name of new Set(collections)) {
    await removeCollectionStorages(storage, db.internalStore, db.token, db.name, name, db.multiInstance, undefined, db.hashFunction);
  }
  return { purged: true, collections, records };
}
