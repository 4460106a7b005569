// Issue 18 pt 6 (least privilege): RxDB's replication state of a collection ("rx-replication-meta-
// <hash>", schema 'RxReplicationProtocolMetaData') keeps HQ's copy of each replicated document in
// its `docData`, with the same personal fields. It must be sealed under the key of the collection it
// replicates: HQ's copy of a case under the case key, so a door session (queue key only) cannot open it.
import { getAllCollectionDocuments, randomToken, type RxCollection, type RxDatabase, type RxDocumentData, type RxJsonSchema, type RxStorage } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import { legacyRewriteOf, openDatabase, type LoketDatabase } from '../../../renderer/src/data/db/database';
import { deriveDocKey, openSealed, SEALED_FIELD, storedFormStorage, wrappedFieldEncryptionStorage, type RootKeys } from '../../../renderer/src/data/db/field-encryption';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { makeNik } from '../machines/fixtures';
import { fakeIdbStorage, rawIndexedDbDump, uniqueName } from './db-helpers';

const QUEUE_KEY = Buffer.alloc(32, 21).toString('base64');
const CASE_KEY = Buffer.alloc(32, 22).toString('base64');
const PERSON = { nik: makeNik('1979-02-03', 'male', 17), name: 'Peserta Salinan Pusat' };

const open: { close(): Promise<unknown>; closed: boolean }[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function session(name: string, caseKey: string | null): Promise<LoketDatabase> {
  const db = await openDatabase({ name, key: QUEUE_KEY, caseKey, storage: fakeIdbStorage() });
  open.push(db);
  return db;
}

/** Pushes `collection` once to a stand-in for HQ; answers what HQ was sent. */
async function pushOnce<T>(collection: RxCollection<T>) {
  const atHq: { newDocumentState: T; assumedMasterState?: T }[] = [];
  const replication = replicateRxCollection<T, unknown>({
    collection,
    replicationIdentifier: 'hq-test',
    live: false,
    push: { handler: (rows) => Promise.resolve((atHq.push(...(rows as never[])), [])) },
    pull: { handler: () => Promise.resolve({ documents: [], checkpoint: null }) },
  });
  await replication.awaitInitialReplication();
  await replication.cancel();
  return atHq;
}

type Meta = { collectionName: string; schema: RxJsonSchema<RxDocumentData<unknown>> };

/** RxDB's replication states of `collection`, as its internal store lists them. */
async function metasOf(db: Pick<RxDatabase, 'internalStore'>, collection: string): Promise<Meta[]> {
  const docs = await getAllCollectionDocuments(db.internalStore);
  return docs.filter((d) => d.data.name === collection).flatMap((d) => d.data.connectedStorages.map((c) => ({ collectionName: c.collectionName, schema: c.schema as Meta['schema'] })));
}

/** Every document of a stored meta, through `storage` (opened as RxDB opens it). */
async function readMeta(storage: RxStorage<unknown, unknown>, databaseName: string, meta: Meta): Promise<Record<string, unknown>[]> {
  const instance = await storage.createStorageInstance({
    databaseName,
    collectionName: meta.collectionName,
    schema: meta.schema,
    options: {},
    multiInstance: false,
    devMode: false,
    databaseInstanceToken: randomToken(10),
  });
  try {
    const ids = ['up|1', 'down|1', 'CASE-META-0001|0', 'N-1|0'];
    return (await instance.findDocumentsById(ids, true));
  } finally {
    await instance.close();
  }
}

/** The roots that open the meta's sealed values (read below the wrapper), each named once. */
async function rootsOpening(databaseName: string, meta: Meta): Promise<string[]> {
  const stored = (await readMeta(storedFormStorage(fakeIdbStorage()), databaseName, meta)).filter((d) => d[SEALED_FIELD] !== undefined);
  expect(stored.length).toBeGreaterThan(0);
  const roots: string[] = [];
  for (const doc of stored) {
    for (const [label, root] of [['queue', QUEUE_KEY], ['case', CASE_KEY]] as const) {
      const key = await deriveDocKey(root, meta.collectionName);
      const opened = await openSealed(key, { collection: meta.collectionName, id: String(doc.id) }, doc[SEALED_FIELD]).then(
        () => true,
        () => false,
      );
      if (opened) roots.push(label);
    }
  }
  return [...new Set(roots)];
}

const doorStorage = (keys: RootKeys = { queue: QUEUE_KEY, case: null }) => wrappedFieldEncryptionStorage({ storage: fakeIdbStorage(), keys });

/** An officer opens a case and pushes it: the replication state holds HQ's copy of it. */
async function officerPushedACase(name: string) {
  const officer = await session(name, CASE_KEY);
  const journal = new CaseJournal(officer, await createNikHasher(QUEUE_KEY), 'UJI01');
  await journal.open({ id: 'CASE-META-0001', flow: 'jmo-reset', person: PERSON });
  expect(await pushOnce(officer.cases!)).toHaveLength(1);
  const [meta] = await metasOf(officer, 'cases');
  await officer.close();
  return meta!;
}

describe("RxDB's replication state is sealed under the key of the collection it replicates", () => {
  it("HQ's copy of a case opens only with the case key: a door's queue key cannot read it", async () => {
    const name = uniqueName('meta-case');
    const meta = await officerPushedACase(name);
    expect(meta.schema.title).toBe('RxReplicationProtocolMetaData');
    expect(await rawIndexedDbDump(name)).not.toContain(PERSON.name);

    expect(await rootsOpening(name, meta)).toEqual(['case']);
    // The door's storage stack, handed the stored meta, gives none of it.
    await expect(readMeta(doorStorage(), name, meta)).rejects.toThrow(/case/);
    // A session with the case key reads HQ's copy.
    const copies = await readMeta(doorStorage({ queue: QUEUE_KEY, case: CASE_KEY }), name, meta);
    expect(JSON.stringify(copies)).toContain(PERSON.name);
  });

  it("an install whose replication state was sealed under the queue key is read, then re-sealed under the case key once; nothing is pushed again", async () => {
    const name = uniqueName('meta-reseal');
    const meta = await officerPushedACase(name);
    // What the build before this fix wrote: the same documents, sealed under the queue root.
    const plain = await readMeta(doorStorage({ queue: QUEUE_KEY, case: CASE_KEY }), name, meta);
    const before = await storedFormStorage(fakeIdbStorage()).createStorageInstance({
      databaseName: name,
      collectionName: meta.collectionName,
      schema: meta.schema,
      options: {},
      multiInstance: false,
      devMode: false,
      databaseInstanceToken: randomToken(10),
    });
    const stored = (await before.findDocumentsById(plain.map((d) => String(d.id)), true));
    await before.close();
    const oldBuild = await doorStorage({ queue: QUEUE_KEY, case: QUEUE_KEY }).createStorageInstance({
      databaseName: name,
      collectionName: meta.collectionName,
      schema: meta.schema,
      options: {},
      multiInstance: false,
      devMode: false,
      databaseInstanceToken: randomToken(10),
    });
    const byId = new Map(stored.map((d) => [String((d as unknown as { id: string }).id), d]));
    const written = await oldBuild.bulkWrite(
      plain.map((d) => ({ previous: byId.get(String(d.id)), document: d as RxDocumentData<unknown> })),
      'old-build',
    );
    expect(written.error).toEqual([]);
    await oldBuild.close();
    expect(await rootsOpening(name, meta)).toEqual(['queue']);

    // Meanwhile still read (HQ's copy is not lost) by a session with the case key...
    expect(JSON.stringify(await readMeta(doorStorage({ queue: QUEUE_KEY, case: CASE_KEY }), name, meta))).toContain(PERSON.name);

    // ...and sealed anew under the case key after the database opens, keeping the revisions.
    const officer = await session(name, CASE_KEY);
    const report = await legacyRewriteOf(officer);
    expect(report.error).toBeUndefined();
    expect(report.collections[meta.collectionName]).toEqual({ rewritten: plain.length, unreadable: 0 });
    expect(report.finished).toContain(`${meta.collectionName}@case-root`);
    expect(await rootsOpening(name, meta)).toEqual(['case']);
    const after = await storedFormStorage(fakeIdbStorage()).createStorageInstance({
      databaseName: name,
      collectionName: meta.collectionName,
      schema: meta.schema,
      options: {},
      multiInstance: false,
      devMode: false,
      databaseInstanceToken: randomToken(10),
    });
    const revs = (docs: RxDocumentData<unknown>[]) => docs.map((d) => [(d as unknown as { id: string }).id, d._rev]);
    expect(revs((await after.findDocumentsById([...byId.keys()], true)))).toEqual(revs(stored));
    await after.close();

    // The replication resumes where it stopped: nothing is pushed again, a change is pushed against HQ's copy.
    expect(await pushOnce(officer.cases!)).toEqual([]);
    const doc = await officer.cases!.findOne('CASE-META-0001').exec();
    await doc!.incrementalPatch({ updatedAt: '2026-12-07T03:00:00.000Z' });
    const pushed = await pushOnce(officer.cases!);
    expect(pushed).toHaveLength(1);
    expect((pushed[0]!.assumedMasterState as { person?: unknown } | undefined)?.person).toEqual(PERSON);
    await officer.close();

    // A second open finds nothing to do.
    const again = await session(name, CASE_KEY);
    expect((await legacyRewriteOf(again)).collections[meta.collectionName]).toBeUndefined();
    await again.close();
    await expect(readMeta(doorStorage(), name, meta)).rejects.toThrow(/case/);
  });

  it("a queue collection's replication state stays under the queue key: the door replicates it", async () => {
    interface NoteDoc {
      id: string;
      label: string;
      person: { nik: string; name: string };
    }
    const noteSchema: RxJsonSchema<NoteDoc> = {
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 100 },
        label: { type: 'string', maxLength: 20 },
        person: { type: 'object', properties: { nik: { type: 'string' }, name: { type: 'string' } }, required: ['nik', 'name'] },
      },
      required: ['id', 'label', 'person'],
      encrypted: ['person'],
    };
    const name = uniqueName('meta-queue');
    const door = (await openDatabase({ name, key: QUEUE_KEY, caseKey: null, storage: fakeIdbStorage(), collections: { notes: { schema: noteSchema } } })) as unknown as RxDatabase<{
      notes: RxCollection<NoteDoc>;
    }>;
    open.push(door);
    await door.notes.insert({ id: 'N-1', label: 'antrian', person: PERSON });
    expect(await pushOnce(door.notes)).toHaveLength(1);
    const [meta] = await metasOf(door, 'notes');
    await door.close();
    expect(await rootsOpening(name, meta!)).toEqual(['queue']);

    // The next door session resumes from it: nothing again, a change against HQ's copy.
    const next = (await openDatabase({ name, key: QUEUE_KEY, caseKey: null, storage: fakeIdbStorage(), collections: { notes: { schema: noteSchema } } })) as unknown as typeof door;
    open.push(next);
    expect(await pushOnce(next.notes)).toEqual([]);
    await (await next.notes.findOne('N-1').exec())!.incrementalPatch({ label: 'dipanggil' });
    const pushed = await pushOnce(next.notes);
    expect(pushed.map((r) => r.assumedMasterState?.person)).toEqual([PERSON]);
  });
});
