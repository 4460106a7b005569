import fc from 'fast-check';
import { createRxDatabase, getProperty, setProperty, wrapRxStorageInstance, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedKeyEncryptionCryptoJsStorage } from 'rxdb/plugins/encryption-crypto-js';
import { wrappedValidateZSchemaStorage } from 'rxdb/plugins/validate-z-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '@shared/base64';
import { legacyRewriteOf, openDatabase, type LoketDatabase } from '../../../renderer/src/data/db/database';
import { wrappedValidateCompiledZSchemaStorage } from '../../../renderer/src/data/db/schema-validation';
import {
  cryptoJsReadCount,
  decryptField,
  deriveDocKey,
  deriveFieldKey,
  DOC_CIPHER_PREFIX,
  encryptField,
  FIELD_CIPHER_PREFIX,
  FieldDecryptionError,
  openSealed,
  RecentFields,
  sealFields,
  wrappedFieldEncryptionStorage,
} from '../../../renderer/src/data/db/field-encryption';
import { fakeIdbStorage, rawIndexedDbDump, TEST_KEY, uniqueName } from './db-helpers';

// A small collection with the shapes the app encrypts (an object and an array) next to plain fields.
interface NoteDoc {
  id: string;
  label: string;
  person: { nik: string; name: string };
  events: { type: string; at: string }[];
}
const noteSchema: RxJsonSchema<NoteDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    label: { type: 'string', maxLength: 20 },
    person: { type: 'object', properties: { nik: { type: 'string' }, name: { type: 'string' } }, required: ['nik', 'name'] },
    events: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, at: { type: 'string' } }, required: ['type', 'at'] } },
  },
  required: ['id', 'label', 'person', 'events'],
  encrypted: ['person', 'events'],
};
const collections = { notes: { schema: noteSchema } };
type NotesDb = RxDatabase<{ notes: RxCollection<NoteDoc> }>;

const SECRET_NIK = '3175091204850007';
const SECRET_NAME = 'Peserta Rahasia Uji';
const note = (id: string, label = 'loket'): NoteDoc => ({
  id,
  label,
  person: { nik: SECRET_NIK, name: SECRET_NAME },
  events: [{ type: 'identity.checked', at: '2026-03-02T01:00:00.000Z' }],
});

const open: { close(): Promise<unknown>; closed: boolean }[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function openNotes(name: string, key = TEST_KEY): Promise<NotesDb> {
  const db = (await openDatabase({ name, key, storage: fakeIdbStorage(), collections })) as unknown as NotesDb;
  open.push(db);
  return db;
}

/** The storage stack of builds before 0.1.0's AES-GCM fields: RxDB's crypto-js plugin. */
async function openNotesAsCryptoJsBuild(name: string): Promise<NotesDb> {
  const db = await createRxDatabase<{ notes: RxCollection<NoteDoc> }>({
    name,
    storage: wrappedValidateZSchemaStorage({ storage: wrappedKeyEncryptionCryptoJsStorage({ storage: fakeIdbStorage() }) }),
    password: TEST_KEY,
    multiInstance: false,
  });
  await db.addCollections(collections);
  open.push(db);
  return db;
}

/**
 * The storage stack of the builds before sealed documents: one AES-GCM value per field ("g1:",
 * encryptField), the field's schema a string below the wrapper.
 */
function perFieldStorage(base: RxStorage<unknown, unknown>): RxStorage<unknown, unknown> {
  return {
    ...base,
    async createStorageInstance(params) {
      const paths = params.schema.encrypted ?? [];
      const key = await deriveFieldKey(params.password as string);
      const schema = structuredClone(params.schema) as typeof params.schema & { properties: Record<string, unknown> };
      delete schema.encrypted;
      for (const p of paths) (schema.properties as Record<string, unknown>)[p] = { type: 'string' };
      const instance = await base.createStorageInstance({ ...params, schema });
      return wrapRxStorageInstance(
        params.schema,
        instance,
        async (doc) => {
          const out = { ...doc };
          for (const p of paths) setProperty(out, p, await encryptField(key, String((doc as unknown as { id: string }).id), p, getProperty(doc, p)));
          return out;
        },
        async (doc: Record<string, unknown>) => {
          const out = { ...doc };
          for (const p of paths) setProperty(out, p, await decryptField(key, params.password as string, { collection: params.collectionName, id: String((doc as unknown as { id: string }).id), path: p }, getProperty(doc, p)));
          return out as never;
        },
      );
    },
  };
}

async function openNotesAsPerFieldBuild(name: string): Promise<NotesDb> {
  const db = await createRxDatabase<{ notes: RxCollection<NoteDoc> }>({
    name,
    storage: wrappedValidateCompiledZSchemaStorage({ storage: perFieldStorage(fakeIdbStorage()) }),
    password: TEST_KEY,
    multiInstance: false,
  });
  await db.addCollections(collections);
  open.push(db);
  return db;
}

const sealedIn = (raw: string) => raw.match(new RegExp(`"${DOC_CIPHER_PREFIX}[A-Za-z0-9+/=]+"`, 'g')) ?? [];

describe('field encryption at rest (AES-GCM)', () => {
  it('IndexedDB holds the personal fields only as ciphertext; reads give them back as written', async () => {
    const name = uniqueName('fields');
    const db = await openNotes(name);
    await db.notes.bulkInsert([note('N-1'), note('N-2', 'kedua')]);
    const raw = await rawIndexedDbDump(name);
    expect(raw).toContain('N-1');
    expect(raw).toContain('kedua'); // not listed in `encrypted`: stays queryable
    expect(raw).not.toContain(SECRET_NIK);
    expect(raw).not.toContain(SECRET_NAME);
    expect(raw).not.toContain('identity.checked');
    // One sealed value per document holds all its personal fields.
    expect(sealedIn(raw)).toHaveLength(2);
    expect(raw).not.toContain(`"${FIELD_CIPHER_PREFIX}`);
    await db.close();

    const again = await openNotes(name);
    const docs = (await again.notes.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
    expect(docs.map(({ id, label, person, events }) => ({ id, label, person, events }))).toEqual([note('N-1'), note('N-2', 'kedua')]);
  });

  it('the same value encrypts differently every time (random IV)', async () => {
    const key = await deriveFieldKey(TEST_KEY);
    const a = await encryptField(key, 'N-1', 'person', { nik: SECRET_NIK });
    const b = await encryptField(key, 'N-1', 'person', { nik: SECRET_NIK });
    expect(a).not.toBe(b);
  });

  it('reads a database written by the crypto-js build, and writes each document anew in AES-GCM when it changes', async () => {
    const name = uniqueName('legacy');
    const legacy = await openNotesAsCryptoJsBuild(name);
    await legacy.notes.bulkInsert([note('N-1'), note('N-2')]);
    await legacy.close();
    const before = await rawIndexedDbDump(name);
    expect(before).toContain('U2FsdGVkX1'); // OpenSSL "Salted__": crypto-js ciphertext
    expect(before).not.toContain(FIELD_CIPHER_PREFIX);

    const db = await openNotes(name);
    const docs = await db.notes.find({ sort: [{ id: 'asc' }] }).exec();
    expect(docs.map((d) => d.person)).toEqual([note('N-1').person, note('N-2').person]);
    await docs[0]!.incrementalPatch({ label: 'diubah' });
    await legacyRewriteOf(db as unknown as LoketDatabase); // N-2, unchanged, is sealed anew by the one-time rewrite
    const after = await rawIndexedDbDump(name);
    expect(sealedIn(after)).toHaveLength(2);
    expect(after).not.toContain('U2FsdGVkX1');
    expect(after).not.toContain(SECRET_NIK);
    expect((await db.notes.findOne('N-1').exec())?.toMutableJSON()).toMatchObject({ label: 'diubah', person: note('N-1').person });
    expect((await db.notes.findOne('N-2').exec())?.person).toEqual(note('N-2').person);
  });

  it('reads a database of the per-field build ("g1:") and seals each document when it is next written', async () => {
    const name = uniqueName('perfield');
    const before = await openNotesAsPerFieldBuild(name);
    await before.notes.bulkInsert([note('N-1'), note('N-2')]);
    await before.close();
    expect((await rawIndexedDbDump(name)).match(new RegExp(`"${FIELD_CIPHER_PREFIX}`, 'g'))).toHaveLength(4);

    const db = await openNotes(name);
    const docs = await db.notes.find({ sort: [{ id: 'asc' }] }).exec();
    expect(docs.map((d) => d.toMutableJSON()).map(({ id, label, person, events }) => ({ id, label, person, events }))).toEqual([note('N-1'), note('N-2')]);
    await docs[0]!.incrementalPatch({ label: 'diubah' });
    await legacyRewriteOf(db as unknown as LoketDatabase); // N-2, unchanged, is sealed anew by the one-time rewrite
    const after = await rawIndexedDbDump(name);
    expect(sealedIn(after)).toHaveLength(2);
    expect(after).not.toContain(`"${FIELD_CIPHER_PREFIX}`);
    expect(after).not.toContain(SECRET_NIK);
    await db.close();
    const again = await openNotes(name);
    expect((await again.notes.findOne('N-1').exec())?.toMutableJSON()).toMatchObject({ label: 'diubah', person: note('N-1').person, events: note('N-1').events });
  });

  it('one encryption per document written, whatever the number of encrypted fields', async () => {
    const db = await openNotes(uniqueName('onecall'));
    const subtle = globalThis.crypto.subtle;
    const encrypt = subtle.encrypt.bind(subtle);
    let calls = 0;
    subtle.encrypt = (...a: Parameters<SubtleCrypto['encrypt']>) => {
      calls++;
      return encrypt(...a);
    };
    try {
      await db.notes.bulkInsert(Array.from({ length: 20 }, (_, i) => note(`N-${i}`)));
    } finally {
      subtle.encrypt = encrypt;
    }
    expect(calls).toBe(20);
  });

  it('a sealed value opens only in its own collection and document', async () => {
    const notes = await deriveDocKey(TEST_KEY, 'notes');
    const cases = await deriveDocKey(TEST_KEY, 'cases');
    const json = JSON.stringify({ person: note('N-1').person });
    const stored = await sealFields(notes, { collection: 'notes', id: 'N-1' }, json);
    expect(stored.startsWith(DOC_CIPHER_PREFIX)).toBe(true);
    await expect(openSealed(notes, { collection: 'notes', id: 'N-1' }, stored)).resolves.toBe(json);
    await expect(openSealed(notes, { collection: 'notes', id: 'N-2' }, stored)).rejects.toThrow(FieldDecryptionError);
    // Another collection's key, and this key told it is another collection: neither opens it.
    await expect(openSealed(cases, { collection: 'notes', id: 'N-1' }, stored)).rejects.toThrow(FieldDecryptionError);
    await expect(openSealed(notes, { collection: 'cases', id: 'N-1' }, stored)).rejects.toThrow(/cases\.sealed of N-1: wrong database key or damaged data/);
    await expect(openSealed(notes, { collection: 'notes', id: 'N-1' }, stored.replace(DOC_CIPHER_PREFIX, FIELD_CIPHER_PREFIX))).rejects.toThrow(FieldDecryptionError);
  });

  it('refuses another key: reading fails instead of showing wrong data', async () => {
    const name = uniqueName('wrongkey');
    const db = await openNotes(name);
    await db.notes.insert(note('N-1'));
    await db.close();
    // The key is checked by the encryption (AES-GCM) on every read, no longer by RxDB's password hash
    // at open: one database serves a door session (queue key only) and an officer's (both keys).
    const other = await openNotes(name, Buffer.alloc(32, 9).toString('base64'));
    await expect(other.notes.findOne('N-1').exec()).rejects.toThrow(FieldDecryptionError);
  });

  it('a value moved to another document or field, edited, or read with another key is an error, never garbage', async () => {
    const key = await deriveFieldKey(TEST_KEY);
    const other = await deriveFieldKey(Buffer.alloc(32, 9).toString('base64'));
    const stored = await encryptField(key, 'N-1', 'person', note('N-1').person);
    const at = (id: string, path: string) => ({ collection: 'notes', id, path });
    await expect(decryptField(key, TEST_KEY, at('N-1', 'person'), stored)).resolves.toEqual(note('N-1').person);
    await expect(decryptField(key, TEST_KEY, at('N-2', 'person'), stored)).rejects.toThrow(FieldDecryptionError);
    await expect(decryptField(key, TEST_KEY, at('N-1', 'events'), stored)).rejects.toThrow(FieldDecryptionError);
    await expect(decryptField(other, TEST_KEY, at('N-1', 'person'), stored)).rejects.toThrow(/notes\.person of N-1: wrong database key or damaged data/);
    const bytes = base64ToBytes(stored.slice(FIELD_CIPHER_PREFIX.length));
    bytes[20]! ^= 1;
    await expect(decryptField(key, TEST_KEY, at('N-1', 'person'), FIELD_CIPHER_PREFIX + bytesToBase64(bytes))).rejects.toThrow(FieldDecryptionError);
    await expect(decryptField(key, TEST_KEY, at('N-1', 'person'), 'not a ciphertext')).rejects.toThrow(FieldDecryptionError);
    await expect(decryptField(key, TEST_KEY, at('N-1', 'person'), 42)).rejects.toThrow(FieldDecryptionError);
  });

  it('an update that leaves the personal fields as they were keeps the sealed value; a change seals anew, even one made in place', async () => {
    const name = uniqueName('reuse');
    const db = await openNotes(name);
    await db.notes.insert(note('N-1'));
    const ciphertexts = async () => sealedIn(await rawIndexedDbDump(name));
    const [first] = await ciphertexts();
    await (await db.notes.findOne('N-1').exec())!.incrementalPatch({ label: 'kedua' });
    expect(await ciphertexts()).toEqual([first]);
    const doc = (await db.notes.findOne('N-1').exec())!;
    const events = [...doc.events, { type: 'reset.requested', at: '2026-03-02T01:05:00.000Z' }];
    await doc.incrementalPatch({ events });
    const after = await ciphertexts();
    expect(after).toHaveLength(1);
    expect(after).not.toContain(first);
    // In place: the same array object, one more element. Its text differs, so it is encrypted again.
    const current = (await db.notes.findOne('N-1').exec())!.toMutableJSON();
    current.events.push({ type: 'reset.confirmed', at: '2026-03-02T01:06:00.000Z' });
    await db.notes.upsert(current);
    await db.close();
    const reopened = await openNotes(name);
    expect((await reopened.notes.findOne('N-1').exec())?.events.map((e) => e.type)).toEqual(['identity.checked', 'reset.requested', 'reset.confirmed']);
    expect((await reopened.notes.findOne('N-1').exec())?.person).toEqual(note('N-1').person);
  });

  it('change events and reads of the very objects the storage was given carry the current plaintext', async () => {
    // Memory storage keeps (and answers with) the objects it was given, the path with no decryption.
    const db = (await openDatabase({ name: uniqueName('echo'), key: TEST_KEY, storage: getRxStorageMemory(), collections })) as unknown as NotesDb;
    open.push(db);
    const seen: NoteDoc['person'][] = [];
    const sub = db.notes.$.subscribe((e) => seen.push((e.documentData as NoteDoc).person));
    await db.notes.insert(note('N-1'));
    for (const name of ['Nama Kedua', 'Nama Ketiga']) {
      const doc = (await db.notes.findOne('N-1').exec())!;
      await doc.incrementalPatch({ person: { ...doc.person, name } });
    }
    sub.unsubscribe();
    expect(seen.map((p) => p.name)).toEqual([SECRET_NAME, 'Nama Kedua', 'Nama Ketiga']);
    expect((await db.notes.findOne('N-1').exec())?.person).toEqual({ nik: SECRET_NIK, name: 'Nama Ketiga' });
    const stored = [...(db.notes.storageInstance.internals as { documents: Map<string, unknown> }).documents.values()];
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).toContain(DOC_CIPHER_PREFIX);
    expect(JSON.stringify(stored)).not.toContain(SECRET_NIK);
  });

  it('remembers a bounded number of fields, forgetting the least recently used', () => {
    const recent = new RecentFields(2);
    recent.remember('A', 'person', '{"a":1}', 'g1:A');
    recent.remember('B', 'person', '{"b":1}', 'g1:B');
    expect(recent.jsonFor('A', 'person', 'g1:A')).toBe('{"a":1}'); // A used again: B is now the oldest
    recent.remember('A', 'person', '{"a":1}', 'g1:A');
    recent.remember('C', 'person', '{"c":1}', 'g1:C');
    expect(recent.size).toBe(2);
    expect(recent.storedFor('B', 'person', '{"b":1}')).toBeUndefined();
    expect(recent.storedFor('A', 'person', '{"a":1}')).toBe('g1:A');
    expect(recent.storedFor('A', 'person', '{"a":2}')).toBeUndefined();
    expect(recent.storedFor('A', 'events', '{"a":1}')).toBeUndefined();
    expect(recent.jsonFor('C', 'person', 'g1:other')).toBeUndefined();
  });

  it('round-trips any JSON value under any id and path', async () => {
    const key = await deriveFieldKey(TEST_KEY);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.jsonValue(), async (id, path, value) => {
        const stored = await encryptField(key, id, path, value);
        expect(stored.startsWith(FIELD_CIPHER_PREFIX)).toBe(true);
        // JSON text is the stored form: compare with what JSON keeps (-0 becomes 0).
        expect(await decryptField(key, TEST_KEY, { collection: 'c', id, path }, stored)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the one-time rewrite of earlier builds\' values (issue 18 pt 11)', () => {
  const revisions = async (db: NotesDb) => new Map((await db.notes.find().exec()).map((d) => [d.id, { rev: d.toJSON(true)._rev, lwt: d.toJSON(true)._meta.lwt }]));
  const ids = Array.from({ length: 120 }, (_, i) => `N-${String(i).padStart(3, '0')}`); // more than one page

  it('seals every crypto-js document in place after open, same revision and no change event, records it, and never reads crypto-js again', async () => {
    const name = uniqueName('rewrite');
    const legacy = await openNotesAsCryptoJsBuild(name);
    await legacy.notes.bulkInsert(ids.map((id) => note(id)));
    const before = await revisions(legacy);
    await legacy.close();
    expect(await rawIndexedDbDump(name)).toContain('U2FsdGVkX1');

    const progress: { collection: string; done: number }[] = [];
    const db = (await openDatabase({ name, key: TEST_KEY, storage: fakeIdbStorage(), collections, onLegacyRewrite: (p) => progress.push(p) })) as unknown as NotesDb;
    open.push(db);
    // What the replication watches (its fork is the collection's storage instance): nothing may reach it.
    const events: unknown[] = [];
    const sub = db.notes.storageInstance.changeStream().subscribe((e) => events.push(e));
    const report = await legacyRewriteOf(db as never);
    sub.unsubscribe();
    expect(report).toEqual({ collections: { notes: { rewritten: 120, unreadable: 0 } }, finished: ['notes'] });
    expect(events).toEqual([]);
    expect(progress.at(-1)).toEqual({ collection: 'notes', done: 120 });
    const raw = await rawIndexedDbDump(name);
    expect(raw).not.toContain('U2FsdGVkX1');
    expect(sealedIn(raw)).toHaveLength(120);
    expect(raw).not.toContain(SECRET_NIK);
    // The same document: revision and last-write time as they were, so nothing is pushed to HQ.
    expect(await revisions(db)).toEqual(before);
    await db.close();

    const reads = cryptoJsReadCount();
    const again = await openNotes(name);
    expect(await legacyRewriteOf(again as never)).toEqual({ collections: {}, finished: [] }); // recorded: not looked at again
    const docs = (await again.notes.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
    expect(docs.map(({ id, label, person, events: e }) => ({ id, label, person, events: e }))).toEqual(ids.map((id) => note(id)));
    expect(cryptoJsReadCount()).toBe(reads);
  });

  it('a value that does not open is left as it was and the collection is not recorded as finished', async () => {
    const name = uniqueName('rewrite-wrongkey');
    const legacy = await openNotesAsCryptoJsBuild(name);
    await legacy.notes.insert(note('N-1'));
    await legacy.close();
    const other = Buffer.alloc(32, 9).toString('base64');
    const db = await openNotes(name, other);
    expect(await legacyRewriteOf(db as never)).toEqual({ collections: { notes: { rewritten: 0, unreadable: 1 } }, finished: [] });
    expect(await rawIndexedDbDump(name)).toContain('U2FsdGVkX1');
    await db.close();
    const right = await openNotes(name);
    expect((await legacyRewriteOf(right as never)).finished).toEqual(['notes']);
    expect((await right.notes.findOne('N-1').exec())?.person).toEqual(note('N-1').person);
  });

  it('a write RxDB makes while the rewrite runs is kept', async () => {
    const name = uniqueName('rewrite-race');
    const legacy = await openNotesAsCryptoJsBuild(name);
    await legacy.notes.bulkInsert(ids.map((id) => note(id)));
    await legacy.close();
    const db = await openNotes(name);
    const last = ids.at(-1)!;
    await (await db.notes.findOne(last).exec())!.incrementalPatch({ label: 'diubah', person: { nik: SECRET_NIK, name: 'Nama Baru' } });
    await legacyRewriteOf(db as never);
    await db.close();
    const again = await openNotes(name);
    expect((await again.notes.findOne(last).exec())?.toMutableJSON()).toMatchObject({ label: 'diubah', person: { name: 'Nama Baru' } });
    expect(await again.notes.count().exec()).toBe(120);
    expect(await rawIndexedDbDump(name)).not.toContain('U2FsdGVkX1');
  });
});

describe('a queue key and a case key (issue 18 pt 6)', () => {
  const QUEUE_KEY = Buffer.alloc(32, 11).toString('base64');
  const CASE_KEY = Buffer.alloc(32, 12).toString('base64');
  // `notes` stands for queue data, `cases` for case data (shared/staff/case-access.ts); same shape.
  const both = { notes: { schema: noteSchema }, cases: { schema: noteSchema } };
  type BothDb = RxDatabase<{ notes: RxCollection<NoteDoc>; cases?: RxCollection<NoteDoc> }>;
  const openBoth = async (name: string, key: string, caseKey: string | null) => {
    const db = (await openDatabase({ name, key, caseKey, storage: fakeIdbStorage(), collections: both })) as unknown as BothDb;
    open.push(db);
    return db;
  };

  it('case data is sealed under the case key: the queue key does not open it; a door session never opens the collection', async () => {
    const name = uniqueName('twokeys');
    const officer = await openBoth(name, QUEUE_KEY, CASE_KEY);
    await officer.notes.insert(note('N-1'));
    await officer.cases!.insert(note('C-1'));
    await officer.close();

    const door = await openBoth(name, QUEUE_KEY, null);
    expect(door.cases).toBeUndefined();
    expect((await door.notes.findOne('N-1').exec())?.person.name).toBe(SECRET_NAME);
    await door.notes.insert(note('N-2'));
    await door.close();

    // Handed the queue key in place of the case key, the case does not open.
    const wrong = await openBoth(name, QUEUE_KEY, QUEUE_KEY);
    await expect(wrong.cases!.findOne('C-1').exec()).rejects.toThrow(FieldDecryptionError);
    await wrong.close();

    const again = await openBoth(name, QUEUE_KEY, CASE_KEY);
    expect((await again.cases!.findOne('C-1').exec())?.person).toEqual(note('C-1').person);
    expect((await again.notes.findOne('N-2').exec())?.person).toEqual(note('N-2').person);
  });

  it('a database of the single-key build opens with its old key as the case key, for an officer and for the door', async () => {
    const name = uniqueName('onekey');
    // The single-key build: one root for every collection, and RxDB's password hash stored with it.
    const OLD_KEY = Buffer.alloc(32, 13).toString('base64');
    const old = await createRxDatabase<{ cases: RxCollection<NoteDoc> }>({
      name,
      storage: wrappedValidateCompiledZSchemaStorage({ storage: wrappedFieldEncryptionStorage({ storage: fakeIdbStorage(), keys: { queue: OLD_KEY, case: OLD_KEY } }) }),
      password: OLD_KEY,
      multiInstance: false,
    });
    await old.addCollections({ cases: { schema: noteSchema } });
    await old.cases.insert(note('C-1'));
    await old.close();

    const officer = await openBoth(name, QUEUE_KEY, OLD_KEY);
    expect((await officer.cases!.findOne('C-1').exec())?.person).toEqual(note('C-1').person);
    await officer.close();
    const door = await openBoth(name, QUEUE_KEY, null);
    await door.notes.insert(note('N-1'));
    expect(await door.notes.count().exec()).toBe(1);
  });
});

describe('schema validation (z-schema compiled once per schema)', () => {
  it('refuses a document that breaks its own collection schema, naming the field, and writes nothing', async () => {
    const name = uniqueName('validate');
    const db = await openNotes(name);
    const bad = { ...note('N-1'), label: 'x'.repeat(21) };
    await expect(db.notes.insert(bad)).rejects.toMatchObject({ code: 'VD2', parameters: { writeError: { validationErrors: [expect.objectContaining({ path: '#/label' })] } } });
    const missing = { ...note('N-2'), person: { nik: SECRET_NIK } } as unknown as NoteDoc;
    await expect(db.notes.insert(missing)).rejects.toMatchObject({ code: 'VD2', parameters: { writeError: { validationErrors: [expect.objectContaining({ path: '#/person', message: expect.stringContaining('name') as string })] } } });
    expect(await db.notes.count().exec()).toBe(0);
  });

  it('validates each collection against its own schema', async () => {
    const name = uniqueName('validate2');
    const other: RxJsonSchema<{ id: string; n: number }> = {
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: { id: { type: 'string', maxLength: 100 }, n: { type: 'integer', minimum: 0 } },
      required: ['id', 'n'],
    };
    const db = await openDatabase({ name, key: TEST_KEY, storage: fakeIdbStorage(), collections: { ...collections, counts: { schema: other } } });
    open.push(db);
    const counts = (db as unknown as { counts: RxCollection<{ id: string; n: number }> }).counts;
    await counts.insert({ id: 'C-1', n: 3 });
    await expect(counts.insert({ id: 'C-2', n: -1 })).rejects.toMatchObject({ code: 'VD2' });
    await (db as unknown as NotesDb).notes.insert(note('N-1'));
    expect(await counts.count().exec()).toBe(1);
  });
});
