// RxDB's Dexie storage answers every query with an IndexedDB cursor inside a Dexie transaction: one
// request, one event and one `continue()` per document read. The queue's indexed queries read tens
// to hundreds of documents, so most of their time went there: on 20,000 tickets in Chromium the
// storage's query took p50 ~3 ms where one IDBIndex.getAll with the same key range on the same
// database took ~0.8 ms (tests/bench/local-db.bench.ts, `queueQueryBreakdown`). This wrapper answers
// a query whose selector the index range satisfies, or that has to read its whole range anyway, with
// ONE getAll on the index RxDB's query plan chose, with the same key range, the same filter, order,
// skip and limit, so the documents are the same. Any other query (a filter outside the index with
// an early stop on the limit) keeps Dexie's cursor, which stops as soon as it has enough.

import { getQueryMatcher, getSortComparator, type PreparedQuery, type RxDocumentData, type RxStorage, type RxStorageInstance, type RxStorageInstanceCreationParams } from 'rxdb';
import { DEXIE_DOCS_TABLE_NAME, RX_STORAGE_NAME_DEXIE, dexieReplaceIfStartsWithPipe, fromDexieToStorage, getKeyRangeByQueryPlan, type RxStorageInstanceDexie } from 'rxdb/plugins/storage-dexie';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** The documents of `preparedQuery` read with one getAll; null when Dexie's cursor should answer it. */
export async function getAllQuery<RxDocType>(instance: RxStorageInstanceDexie<RxDocType>, preparedQuery: PreparedQuery<RxDocType>): Promise<{ documents: RxDocumentData<RxDocType>[] } | null> {
  const query = preparedQuery.query;
  const plan = preparedQuery.queryPlan;
  const skip = query.skip ?? 0;
  const limit = typeof query.limit === 'number' ? query.limit : Infinity;
  const upTo = skip + limit;
  if (limit === 0) return { documents: [] };
  if ((instance as { closed?: unknown }).closed) return null; // Dexie's query says it is closed
  const filtered = !plan.selectorSatisfiedByIndex;
  // A filter outside the index with a limit the index order serves: the cursor stops early, getAll would read the whole range.
  if (filtered && plan.sortSatisfiedByIndex && Number.isFinite(upTo)) return null;
  const state = await instance.internals;
  let range: IDBKeyRange;
  try {
    range = getKeyRangeByQueryPlan(state.booleanIndexes, plan, (state.dexieDb as unknown as { _options: { IDBKeyRange?: typeof IDBKeyRange } })._options.IDBKeyRange) as IDBKeyRange;
  } catch (err) {
    if ((err as { name?: string }).name === 'DataError') return { documents: [] };
    throw err;
  }
  const indexName = `[${plan.index.map((field) => dexieReplaceIfStartsWithPipe(field)).join('+')}]`;
  const store = state.dexieDb.backendDB().transaction(DEXIE_DOCS_TABLE_NAME, 'readonly').objectStore(DEXIE_DOCS_TABLE_NAME);
  // Only when every document read is an answer, in order, does the limit bound the read.
  const count = !filtered && plan.sortSatisfiedByIndex && Number.isFinite(upTo) ? upTo : undefined;
  const stored = await request(store.index(indexName).getAll(range, count));
  let rows = stored.map((d: unknown) => fromDexieToStorage<RxDocType>(state.booleanIndexes, d));
  if (filtered) {
    const matches = getQueryMatcher(instance.schema, query);
    rows = rows.filter((d) => matches(d));
  }
  if (!plan.sortSatisfiedByIndex) rows.sort(getSortComparator(instance.schema, query));
  return { documents: rows.slice(skip, upTo) };
}

/**
 * RxDB's Dexie storage with queries answered by getAll where that reads no more than the cursor
 * would (getAllQuery). Everything else (writes, changes, count, cleanup) is Dexie's own.
 */
export function withGetAllQueries<Internals, Options>(storage: RxStorage<Internals, Options>): RxStorage<Internals, Options> {
  if (storage.name !== RX_STORAGE_NAME_DEXIE) return storage; // another storage (tests: memory) answers as it does
  return {
    ...storage,
    async createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, Options>) {
      const instance: RxStorageInstance<RxDocType, Internals, Options> = await storage.createStorageInstance(params);
      const cursorQuery = instance.query.bind(instance);
      instance.query = async (preparedQuery) => (await getAllQuery(instance as unknown as RxStorageInstanceDexie<RxDocType>, preparedQuery)) ?? cursorQuery(preparedQuery);
      return instance;
    },
  };
}
