// A bulk write or read of many sealed documents (a pull of 1,000 cases) must not start one WebCrypto
// call per document all at once: Node's crypto thread pool (and Chromium's WebCrypto worker) then
// take ~25× longer per call than with a few in flight (issue 19 pt 4, measured in the sync bench).
import { createRxDatabase, type RxCollection, type RxJsonSchema } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CRYPTO_IN_FLIGHT, wrappedFieldEncryptionStorage } from '../../../renderer/src/data/db/field-encryption';
import { TEST_KEY, uniqueName } from './db-helpers';

interface NoteDoc {
  id: string;
  person: { nik: string; name: string };
}
const schema: RxJsonSchema<NoteDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    person: { type: 'object', properties: { nik: { type: 'string' }, name: { type: 'string' } }, required: ['nik', 'name'] },
  },
  required: ['id', 'person'],
  encrypted: ['person'],
};

/** Counts WebCrypto encrypt/decrypt calls in flight, and the most at once. */
function watchSubtle() {
  const subtle = globalThis.crypto.subtle;
  const original = { encrypt: subtle.encrypt.bind(subtle), decrypt: subtle.decrypt.bind(subtle) };
  const seen = { now: 0, most: 0, calls: 0 };
  for (const name of ['encrypt', 'decrypt'] as const) {
    const call = original[name];
    subtle[name] = async (...args: Parameters<SubtleCrypto['encrypt']>) => {
      seen.now++;
      seen.calls++;
      seen.most = Math.max(seen.most, seen.now);
      try {
        return await call(...args);
      } finally {
        seen.now--;
      }
    };
  }
  return { seen, restore: () => Object.assign(subtle, original) };
}

const opened: { close(): Promise<unknown> }[] = [];
let restore = () => {};
afterEach(async () => {
  restore();
  for (const db of opened.splice(0)) await db.close();
});

describe('field encryption keeps few WebCrypto calls in flight', () => {
  it('a bulk insert of 600 documents seals every one, never more than the cap at once', async () => {
    const watch = watchSubtle();
    restore = watch.restore;
    const db = await createRxDatabase<{ notes: RxCollection<NoteDoc> }>({
      name: uniqueName('inflight'),
      storage: wrappedFieldEncryptionStorage({ storage: getRxStorageMemory(), keys: { queue: TEST_KEY, case: TEST_KEY } }),
      multiInstance: false,
    });
    opened.push(db);
    await db.addCollections({ notes: { schema } });
    const docs = Array.from({ length: 600 }, (_, i) => ({ id: `n${i}`, person: { nik: `3175${String(i).padStart(12, '0')}`, name: `Peserta Uji ${i}` } }));
    const result = await db.notes.bulkInsert(docs);
    expect(result.error).toEqual([]);
    expect(watch.seen.calls).toBeGreaterThanOrEqual(600);
    expect(watch.seen.most).toBeGreaterThan(1); // still concurrent, just bounded
    expect(watch.seen.most).toBeLessThanOrEqual(MAX_CRYPTO_IN_FLIGHT);
    const back = await db.notes.findByIds(docs.map((d) => d.id)).exec();
    expect([...back.values()].map((d) => d.person.name).sort()).toEqual(docs.map((d) => d.person.name).sort());
  });
});
