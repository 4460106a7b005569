import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { RxStorage } from 'rxdb';
import { openDatabase, type OpenOptions } from '../../../renderer/src/data/db/database';

// Dexie on fake-indexeddb: fine for logic tests (it is quadratic on range scans, see TOOLCHAIN.md).
export const fakeIdbStorage = () => getRxStorageDexie({ indexedDB, IDBKeyRange }) as RxStorage<unknown, unknown>;

let counter = 0;
export const uniqueName = (prefix = 'loket-test') => `${prefix}-${process.pid}-${++counter}`;

/** A fixed test key (base64 of 32 bytes); real keys come from secrets.dbKey. */
export const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

/** Opened with the case key (`cases` present); a door's database: openDatabase with `caseKey: null`. */
export function openTestDb(name: string, extra: Partial<OpenOptions> & { caseKey?: string } = {}) {
  return openDatabase({ name, key: TEST_KEY, storage: fakeIdbStorage(), ...extra });
}

/** Every value stored in every fake IndexedDB database whose name contains `name`, as one string. */
export async function rawIndexedDbDump(name: string): Promise<string> {
  const dbs = (await indexedDB.databases()).filter((d) => d.name?.includes(name));
  const parts: string[] = [];
  for (const info of dbs) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(info.name!);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new Error(String(req.error)));
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(store, 'readonly').objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as unknown[]);
        req.onerror = () => reject(new Error(String(req.error)));
      });
      parts.push(JSON.stringify(values));
    }
    db.close();
  }
  return parts.join('\n');
}
