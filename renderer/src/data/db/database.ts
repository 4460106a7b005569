import {
  addRxPlugin,
  createRevision,
  createRxDatabase,
  getAllCollectionDocuments,
  getPrimaryKeyOfInternalDocument,
  getSingleDocument,
  hasEncryption,
  now,
  type InternalStoreDocType,
  type RxCollection,
  type RxCollectionCreator,
  type RxDatabase,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { checkLimits } from '@shared/records/limits';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import { WRITABLE_COLLECTIONS } from '@shared/sync/protocol';
import { holdsCaseData } from '@shared/staff/case-access';
import { rewriteLegacyDocuments, rootsFor, wrappedFieldEncryptionStorage, type LegacyRewriteResult, type RootKeys } from './field-encryption';
import { auditMigrations, ticketMigrations, transferMigrations } from './migrations';
import { withGetAllQueries } from './indexed-query';
import { wrappedValidateCompiledZSchemaStorage } from './schema-validation';
import {
  auditSchema,
  caseSchemaV0,
  conflictSchemaV0,
  keyValueSchemaV0,
  refusalSchemaV0,
  staffSchemaV0,
  ticketSchema,
  transferSchema,
  type AuditDoc,
  type CaseDoc,
  type ConflictDoc,
  type KeyValueDoc,
  type RefusalDoc,
  type StaffDirectoryDoc,
  type TicketDoc,
  type TransferDoc,
} from './schemas';

addRxPlugin(RxDBMigrationSchemaPlugin);

/** `cases` is absent when the session has no case key (the door): read it through `casesOf`. */
export interface LoketCollections {
  config: RxCollection<KeyValueDoc>;
  counters: RxCollection<KeyValueDoc>;
  staff: RxCollection<StaffDirectoryDoc>;
  tickets: RxCollection<TicketDoc>;
  cases?: RxCollection<CaseDoc>;
  refusals: RxCollection<RefusalDoc>;
  transfers: RxCollection<TransferDoc>;
  audit: RxCollection<AuditDoc>;
  /** Sync conflicts for the head (local only, never replicated). */
  conflicts: RxCollection<ConflictDoc>;
}

export type LoketDatabase = RxDatabase<LoketCollections>;
/** A database opened with the case key (every role but the door; tests): `cases` is there. */
export type CaseDatabase = LoketDatabase & { cases: RxCollection<CaseDoc> };

/** Case data asked for in a session whose role does not work cases (the door has no case key). */
export class NoCaseAccessError extends Error {
  override name = 'NoCaseAccessError';
  constructor() {
    super('Case data is not open in this session: its role does not work cases (no case key).');
  }
}

/** The case collection, where a case is required; a clear error for a session without case access. */
export function casesOf(db: LoketDatabase): RxCollection<CaseDoc> {
  if (!db.cases) throw new NoCaseAccessError();
  return db.cases;
}

export const COLLECTIONS = {
  config: { schema: keyValueSchemaV0 },
  counters: { schema: keyValueSchemaV0 },
  staff: { schema: staffSchemaV0 },
  tickets: { schema: ticketSchema, migrationStrategies: ticketMigrations },
  cases: { schema: caseSchemaV0 },
  refusals: { schema: refusalSchemaV0 },
  transfers: { schema: transferSchema, migrationStrategies: transferMigrations },
  audit: { schema: auditSchema, migrationStrategies: auditMigrations },
  conflicts: { schema: conflictSchemaV0 },
} as const;

export interface OpenOptions {
  /** One database per branch device, e.g. `loket-jkt01`. */
  name: string;
  /** From `secrets.dbKey`: the queue root key, for every collection but case data. */
  key: string;
  /**
   * From `secrets.caseKey`: the root key of case data (shared/staff/case-access.ts). Null for a role
   * that does not work cases (the door): the case collections are then not opened at all, and
   * `db.cases` is absent. Unset: `key` serves both (tests, simulations).
   */
  caseKey?: string | null;
  /** Storage under the encryption and validation layers; Dexie (IndexedDB) by default. */
  storage?: RxStorage<unknown, unknown>;
  /** Tests pass the collection set of an older build to create a "v0" database. */
  collections?: Record<string, RxCollectionCreator>;
  /** Progress of the one-time rewrite of earlier builds' values (legacyRewriteOf), per collection. */
  onLegacyRewrite?: (progress: { collection: string; done: number }) => void;
}

/**
 * Storage stack: schema validation (z-schema, compiled once: ./schema-validation) over
 * field encryption (WebCrypto AES-GCM, ./field-encryption) over IndexedDB. Validation sees
 * plaintext; IndexedDB sees only ciphertext for personal fields.
 */
export function loketStorage(keys: RootKeys, base: RxStorage<unknown, unknown> = getRxStorageDexie()): RxStorage<unknown, unknown> {
  return wrappedValidateCompiledZSchemaStorage({ storage: wrappedFieldEncryptionStorage({ storage: base, keys }) });
}

export function openDatabase(o: OpenOptions & { caseKey?: string }): Promise<CaseDatabase>;
export function openDatabase(o: OpenOptions): Promise<LoketDatabase>;
export async function openDatabase(o: OpenOptions): Promise<LoketDatabase> {
  const keys: RootKeys = { queue: o.key, case: o.caseKey === undefined ? o.key : o.caseKey };
  // No RxDB password: the keys go to the encryption layer (./field-encryption), and a wrong key
  // fails every read there; RxDB's one stored password hash cannot serve sessions of two roles.
  // Indexed queries read with one getAll rather than Dexie's cursor (./indexed-query.ts).
  const base = withGetAllQueries(o.storage ?? getRxStorageDexie());
  const db = await createRxDatabase<LoketCollections>({
    name: o.name,
    storage: loketStorage(keys, base),
    multiInstance: false,
    eventReduce: true,
    // A second open of the same database in this page (e.g. after a hot reload) closes the first.
    closeDuplicates: true,
  });
  const wanted = Object.entries(o.collections ?? COLLECTIONS).filter(([name]) => keys.case !== null || !holdsCaseData(name));
  await db.addCollections(Object.fromEntries(wanted) as Record<keyof LoketCollections, RxCollectionCreator>);
  checkLimitsOnWrite(db);
  baseStorages.set(db, base);
  // In the background: the screens open at once; a value not yet rewritten is still read as before.
  legacyRewrites.set(
    db,
    rewriteLegacyCiphers(db, base, keys, o.onLegacyRewrite).catch((e: unknown) => ({ collections: {}, finished: [], error: e instanceof Error ? e.message : String(e) })),
  );
  return db;
}

const baseStorages = new WeakMap<LoketDatabase, RxStorage<unknown, unknown>>();

/** The storage under the encryption and validation layers (raw stored documents: ./door-case-purge.ts). */
export function baseStorageOf(db: LoketDatabase): RxStorage<unknown, unknown> {
  const base = baseStorages.get(db);
  if (!base) throw new Error(`database ${db.name} was not opened with openDatabase`);
  return base;
}

/** What the one-time rewrite of earlier builds' values did in this session. */
export interface LegacyRewriteReport {
  /** Per collection (and RxDB replication state) it went through. */
  collections: Record<string, LegacyRewriteResult>;
  /**
   * Collections now known to hold no value of an earlier build (recorded: never scanned again); the
   * replication state of case data as `<name>@case-root` (sealed under the case root).
   */
  finished: string[];
  /** The rewrite stopped (the database closed meanwhile, say); it runs again at the next open. */
  error?: string;
}

const legacyRewrites = new WeakMap<LoketDatabase, Promise<LegacyRewriteReport>>();

/** The rewrite openDatabase started for `db` (issue 18 pt 11); resolves, never rejects. */
export function legacyRewriteOf(db: LoketDatabase): Promise<LegacyRewriteReport> {
  return legacyRewrites.get(db) ?? Promise.resolve({ collections: {}, finished: [] });
}

/**
 * Where a database records the collections the rewrite finished: RxDB's internal store, which
 * nothing replicates and no screen reads (an app collection would reach HQ or the head's views).
 */
const LEGACY_DONE = { context: 'OTHER', key: 'loket-legacy-ciphers' } as const;

async function legacyDone(db: LoketDatabase): Promise<{ doc: RxDocumentData<InternalStoreDocType<{ done: string[] }>> | undefined; done: Set<string> }> {
  const doc = await getSingleDocument<InternalStoreDocType<{ done: string[] }>>(db.internalStore as never, getPrimaryKeyOfInternalDocument(LEGACY_DONE.key, LEGACY_DONE.context));
  const done = doc && Array.isArray(doc.data.done) ? doc.data.done.filter((c): c is string => typeof c === 'string') : [];
  return { doc, done: new Set(done) };
}

/**
 * Earlier builds' values (crypto-js, then one AES-GCM value per field) are sealed anew, once, in
 * every collection this session opened and in RxDB's replication state of those collections
 * (its "connected storages", which hold HQ's copy of each document, encrypted the same way). A
 * collection that still had an unreadable value is not recorded: it is looked at again next time.
 * A door session does not open case data, so case collections wait for a session with the case key.
 */
async function rewriteLegacyCiphers(db: LoketDatabase, base: RxStorage<unknown, unknown>, keys: RootKeys, onProgress?: OpenOptions['onLegacyRewrite']): Promise<LegacyRewriteReport> {
  const report: LegacyRewriteReport = { collections: {}, finished: [] };
  const { done } = await legacyDone(db);
  // `parents`: for a replication state, the collection it replicates, whose key seals it (rootsFor).
  // Its mark names the root too: the states of case data finished before they were keyed by their
  // collection are looked at once more (issue 18 pt 6).
  const targets: { name: string; mark: string; schema: RxJsonSchema<RxDocumentData<unknown>>; parents?: string[] }[] = [];
  for (const doc of await getAllCollectionDocuments(db.internalStore)) {
    const collection = db.collections[doc.data.name as keyof LoketCollections] as RxCollection | undefined;
    if (!collection || collection.schema.version !== doc.data.schema.version) continue;
    targets.push({ name: collection.name, mark: collection.name, schema: collection.schema.jsonSchema });
    for (const connected of doc.data.connectedStorages) {
      const name = connected.collectionName;
      targets.push({ name, mark: holdsCaseData(collection.name) ? `${name}@case-root` : name, schema: connected.schema as RxJsonSchema<RxDocumentData<unknown>>, parents: [collection.name] });
    }
  }
  for (const t of targets) {
    if (done.has(t.mark) || !hasEncryption(t.schema) || rootsFor(keys, t.name, t.parents ?? null).root === null) continue;
    const result = await rewriteLegacyDocuments({
      storage: base,
      keys,
      databaseName: db.name,
      collectionName: t.name,
      schema: t.schema,
      parents: t.parents,
      options: {},
      onProgress: (n) => onProgress?.({ collection: t.name, done: n }),
    });
    report.collections[t.name] = result;
    if (result.unreadable === 0) report.finished.push(t.mark);
  }
  if (report.finished.length > 0) {
    const latest = await legacyDone(db); // re-read: the write below must not lose another session's entries
    const data = { done: [...new Set([...latest.done, ...report.finished])].sort() };
    const id = getPrimaryKeyOfInternalDocument(LEGACY_DONE.key, LEGACY_DONE.context);
    const document = latest.doc
      ? { ...latest.doc, data, _rev: createRevision(db.token, latest.doc), _meta: { lwt: now() } }
      : { id, ...LEGACY_DONE, data, _deleted: false, _attachments: {}, _rev: createRevision(db.token), _meta: { lwt: now() } };
    await db.internalStore.bulkWrite([{ previous: latest.doc, document }], 'loket-legacy-rewrite');
  }
  return report;
}

/** A local write HQ would refuse for its size or its text: refused here, before it is saved. */
export class RecordLimitError extends Error {
  override name = 'RecordLimitError';
}

/**
 * The record limits HQ enforces (shared/records/limits.ts) hold for every local write of the
 * collections that sync to HQ, so a record is refused while the officer is still there to fix
 * it, not later at HQ. Replication writes skip hooks: what HQ sends is not checked again.
 */
function checkLimitsOnWrite(db: LoketDatabase): void {
  for (const name of WRITABLE_COLLECTIONS) {
    const collection = db.collections[name as keyof LoketCollections] as RxCollection | undefined;
    if (!collection) continue;
    const check = (data: Record<string, unknown>) => {
      const limits = checkLimits(name, withoutBookkeeping(data));
      if (!limits.ok) throw new RecordLimitError(`${name}: ${limits.problems.join('; ')}`);
    };
    collection.preInsert(check, false);
    collection.preSave(check, false);
  }
}
