// After an unclean shutdown: was the local database wiped (Chromium deletes a corrupt origin's
// IndexedDB and starts empty) or rolled back (a power cut takes writes IndexedDB never fsync'd)?
// Before RxDB opens anything, a sentinel database says whether this is the database main knows;
// after it opens, every record in main's journal (./write-mirror.ts) that the database lacks or has
// older is put back through the sync conflict handlers (cases merge by the union of their events,
// tickets by status precedence), so a restore is the same code path as a pull from HQ.
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import type { JournalCollection, JournalRecords } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import { conflictHandlerFor, type ConflictSink } from '../../sync/conflicts';
import { sameContent } from '../../sync/fingerprint';
import { casesOf, type LoketDatabase } from './database';

/** IndexedDB database holding one epoch per local database, opened before RxDB. */
export const SENTINEL_DB = 'loket-epochs';
const STORE = 'epochs';

type Doc = Record<string, unknown>;

export interface JournalBridge {
  sentinel(request: { database: string }): Promise<IpcResult<{ epoch: string | null }>>;
  setSentinel(request: { database: string; epoch: string }): Promise<IpcResult<null>>;
  records(): Promise<IpcResult<JournalRecords>>;
}

/**
 * `deleted`: main knows this database but IndexedDB has no trace of it. `replaced`: IndexedDB holds
 * another database under the name. `corrupt`: Chromium itself reported that it deleted the store.
 */
export type WipeKind = 'deleted' | 'replaced' | 'corrupt';

export interface SentinelCheck {
  database: string;
  wiped: WipeKind | null;
  /** The epoch this database has (or gets now). */
  epoch: string;
  /** The epoch main had on record; null the first time. */
  known: string | null;
  /** IndexedDB's own copy differs from main's: write it after the restore. */
  rewrite: boolean;
}

export interface RecoveryReport {
  wiped: WipeKind | null;
  /** Records put back from main's journal (missing or older in the database). */
  restored: number;
  byCollection: Partial<Record<JournalCollection, number>>;
  /** Ids of restored cases (their derived records are written again). */
  restoredCases: string[];
  /** Restores that could not merge (kept both, flagged): never dropped. */
  conflicts: { collection: string; id: string; reason: string }[];
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Reads the epoch IndexedDB holds for `database`, and whether Chromium reported data loss. */
async function readSentinel(database: string): Promise<{ epoch: string | null; dataLoss: boolean }> {
  let dataLoss = false;
  const open = indexedDB.open(SENTINEL_DB, 1);
  open.onupgradeneeded = (e) => {
    // Chromium-only: `dataLoss: 'total'` on the first open after it deleted a corrupt store.
    const ev = e as IDBVersionChangeEvent & { dataLoss?: string };
    if (ev.dataLoss === 'total') dataLoss = true;
    open.result.createObjectStore(STORE);
  };
  const idb = await request(open);
  try {
    const epoch = (await request(idb.transaction(STORE).objectStore(STORE).get(database))) as unknown;
    return { epoch: typeof epoch === 'string' ? epoch : null, dataLoss };
  } finally {
    idb.close();
  }
}

async function writeSentinel(database: string, epoch: string): Promise<void> {
  const idb = await request(indexedDB.open(SENTINEL_DB, 1));
  try {
    // Strict: this one small write is worth an fsync.
    const tx = idb.transaction(STORE, 'readwrite', { durability: 'strict' });
    tx.objectStore(STORE).put(epoch, database);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('sentinel write failed'));
    });
  } finally {
    idb.close();
  }
}

function value<T>(r: IpcResult<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
  return r.value;
}

/** Step 1, before RxDB opens `database`: compare IndexedDB's sentinel with main's. */
export async function checkSentinel(database: string, bridge: JournalBridge): Promise<SentinelCheck> {
  const local = await readSentinel(database);
  const { epoch: known } = value(await bridge.sentinel({ database }), 'journal.sentinel');
  let wiped: WipeKind | null = local.dataLoss ? 'corrupt' : null;
  if (known && !wiped) wiped = local.epoch === null ? 'deleted' : local.epoch !== known ? 'replaced' : null;
  const epoch = known ?? local.epoch ?? globalThis.crypto.randomUUID();
  if (!known) {
    // IndexedDB first: a crash in between then reads as "first start", never as a false wipe.
    if (local.epoch !== epoch) await writeSentinel(database, epoch);
    value(await bridge.setSentinel({ database, epoch }), 'journal.setSentinel');
  }
  return { database, wiped, epoch, known, rewrite: !!known && local.epoch !== known };
}

const strip = (doc: Doc): Doc => withoutBookkeeping(doc);

const COLLECTION_ORDER: JournalCollection[] = ['counters', 'tickets', 'cases', 'audit'];

/**
 * Step 2, after RxDB opened the database and before anything else uses it: put back every journal
 * record the database lacks or holds older, then mark IndexedDB with the epoch.
 */
export async function restoreFromJournal(db: LoketDatabase, check: SentinelCheck, bridge: JournalBridge): Promise<RecoveryReport> {
  const { records } = value(await bridge.records(), 'journal.records');
  const report: RecoveryReport = { wiped: check.wiped, restored: 0, byCollection: {}, restoredCases: [], conflicts: [] };
  const count = (c: JournalCollection) => {
    report.restored++;
    report.byCollection[c] = (report.byCollection[c] ?? 0) + 1;
  };
  const sink: ConflictSink = {
    record: (c) => report.conflicts.push({ collection: c.collection, id: c.id, reason: c.reason }),
    keepLocalCopy: async (_collection, doc) => {
      await casesOf(db).upsert(strip(doc));
    },
  };
  for (const collection of COLLECTION_ORDER) {
    const mine = records.filter((r) => r.collection === collection).sort((a, b) => a.seq - b.seq);
    if (!mine.length) continue;
    const col = db.collections[collection];
    if (!col) continue; // case data on a session without the case key: main does not hand it out
    const found = await col.findByIds(mine.map((r) => r.id)).exec();
    for (const r of mine) {
      const stored = found.get(r.id);
      const journal = strip(r.doc);
      if (!stored) {
        await col.insert(journal as never);
        count(collection);
        if (collection === 'cases') report.restoredCases.push(r.id);
        continue;
      }
      const local = strip(stored.toMutableJSON() as unknown as Doc);
      if (sameContent(local, journal)) continue;
      let next: Doc;
      if (collection === 'counters') {
        // A counter only grows: the larger reservation wins.
        const n = (d: Doc) => ((d.value as { n?: number } | undefined)?.n ?? 0);
        if (n(local) >= n(journal)) continue;
        next = journal;
      } else if (collection === 'audit') {
        // Audit entries never change: a different copy under the same id is reported, not replaced.
        sink.record({ collection, id: r.id, reason: 'audit entry differs from the journal copy', kept: 'local', at: new Date().toISOString() });
        continue;
      } else {
        // The journal's copy plays HQ's part in the sync conflict handler.
        next = strip(await conflictHandlerFor(collection, sink).resolve({ newDocumentState: local, realMasterState: journal } as never, 'restore'));
        if (sameContent(local, next)) continue;
      }
      await col.upsert(next);
      count(collection);
      if (collection === 'cases') report.restoredCases.push(r.id);
    }
  }
  if (check.rewrite) await writeSentinel(check.database, check.epoch);
  await keepRestoreNotice(db, report);
  return report;
}

/**
 * The restore notice waits in the local `config` collection (config only pulls from HQ, so it never
 * leaves the device) until a branch head has seen it: whoever signs in first after the restart may be
 * a guard. A second restore before the head looks adds to it.
 */
export const RESTORE_NOTICE_KEY = 'recovery:notice';
export const RestoreNotice = z.object({
  restored: z.number().int().nonnegative(),
  wiped: z.enum(['deleted', 'replaced', 'corrupt']).nullable(),
  conflicts: z.number().int().nonnegative(),
  /** The first restore this notice reports, and the latest. */
  since: z.string(),
  at: z.string(),
});
export type RestoreNotice = z.infer<typeof RestoreNotice>;

async function keepRestoreNotice(db: LoketDatabase, report: RecoveryReport, now = new Date()): Promise<void> {
  if (report.restored === 0 && !report.wiped) return;
  const existing = await db.config.findOne(RESTORE_NOTICE_KEY).exec();
  const before = existing ? RestoreNotice.safeParse(existing.value) : null;
  const prev = before?.success ? before.data : null;
  const value: RestoreNotice = {
    restored: (prev?.restored ?? 0) + report.restored,
    wiped: report.wiped ?? prev?.wiped ?? null,
    conflicts: (prev?.conflicts ?? 0) + report.conflicts.length,
    since: prev?.since ?? now.toISOString(),
    at: now.toISOString(),
  };
  await db.config.upsert({ key: RESTORE_NOTICE_KEY, value, updatedAt: now.toISOString() });
}

/** The notice a branch head has not yet seen (null when there is none, or it cannot be read). */
export function restoreNotice$(db: LoketDatabase): Observable<RestoreNotice | null> {
  return db.config.findOne(RESTORE_NOTICE_KEY).$.pipe(
    map((doc) => {
      const parsed = doc ? RestoreNotice.safeParse(doc.toMutableJSON().value) : null;
      return parsed?.success ? parsed.data : null;
    }),
  );
}

/** A branch head has seen the notice: it goes. */
export async function acknowledgeRestoreNotice(db: LoketDatabase): Promise<void> {
  await db.config.findOne(RESTORE_NOTICE_KEY).remove();
}
