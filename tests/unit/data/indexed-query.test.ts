import { IDBIndex } from 'fake-indexeddb';
import type { MangoQuery } from 'rxdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVICES } from '@shared/cases/schema';
import type { CaseDatabase } from '../../../renderer/src/data/db/database';
import { TICKET_STATUSES, type TicketDoc } from '../../../renderer/src/data/db/schemas';
import { fakeIdbStorage, openTestDb, uniqueName } from './db-helpers';

// The app's database answers indexed queries with one IDBIndex.getAll (renderer/src/data/db/indexed-query.ts)
// instead of Dexie's cursor, and answers them with exactly the documents Dexie's own query gives.

const BRANCH = 'UJI01';
const DAYS = ['2026-03-02', '2026-03-03', '2026-03-04'];

function ticket(i: number): TicketDoc {
  const day = DAYS[i % DAYS.length]!;
  const issuedAt = new Date(Date.parse(`${day}T01:00:00Z`) + i * 61_000).toISOString();
  const service = SERVICES[(i * 7) % SERVICES.length]!;
  const status = TICKET_STATUSES[(i * 5) % TICKET_STATUSES.length]!;
  return {
    id: `T-${String(i).padStart(4, '0')}`,
    branchCode: i % 11 === 0 ? 'LAIN01' : BRANCH,
    service,
    status,
    number: `A1-${String(i).padStart(4, '0')}`,
    day,
    slot: 1 + (i % 3),
    seq: i + 1,
    nikHash: (i % 13).toString(16).padStart(64, '0'),
    issuedAt,
    updatedAt: issuedAt,
    history: [{ status: 'waiting', at: issuedAt }],
    ...(i % 4 === 0 ? { appointment: { date: DAYS[(i + 1) % DAYS.length]!, time: '09:00' } } : {}),
  };
}

let db: CaseDatabase | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await db?.close();
  db = null;
});

async function seeded(): Promise<CaseDatabase> {
  db = await openTestDb(uniqueName('indexed-query'));
  const r = await db.tickets.bulkInsert(Array.from({ length: 240 }, (_, i) => ticket(i)));
  expect(r.error).toEqual([]);
  return db;
}

const QUERIES: MangoQuery<TicketDoc>[] = [
  // The queue: equality on the index's first fields, a range on issuedAt, sorted by it, a limit.
  { selector: { branchCode: BRANCH, service: 'jht-claim', status: 'waiting', issuedAt: { $gte: '2026-03-02T02:00:00.000Z', $lt: '2026-03-04T03:00:00.000Z' } }, sort: [{ issuedAt: 'asc' }], limit: 5 },
  { selector: { branchCode: BRANCH, service: 'general', status: 'waiting' }, sort: [{ issuedAt: 'asc' }], limit: 3, skip: 2 },
  { selector: { branchCode: BRANCH, service: 'general', status: 'waiting' }, limit: 0 },
  { selector: { branchCode: BRANCH, service: 'jmo-reset', status: 'done' } },
  { selector: { branchCode: BRANCH, service: 'jmo-reset', status: 'done', issuedAt: { $gt: '2026-03-03T00:00:00.000Z' } }, sort: [{ issuedAt: 'desc' }] },
  // TicketCalls.waiting: a filter outside the index (day, the appointment's date).
  { selector: { branchCode: BRANCH, service: 'bpu-resignation', status: 'waiting', day: '2026-03-03' } },
  { selector: { branchCode: BRANCH, service: 'bpu-resignation', status: 'waiting', 'appointment.date': '2026-03-03' } as never },
  { selector: { branchCode: BRANCH, status: 'waiting' } },
  { selector: { branchCode: BRANCH, status: { $in: ['called', 'serving'] } } },
  { selector: { day: '2026-03-02' }, sort: [{ slot: 'asc' }, { seq: 'asc' }], limit: 7 },
  { selector: { day: { $gte: '2026-03-03' } }, sort: [{ seq: 'desc' }], skip: 4, limit: 9 },
  { selector: { nikHash: (3).toString(16).padStart(64, '0') } },
  { selector: { number: 'A1-0042' } },
  // A filter outside the index with a limit the index order serves: Dexie's cursor (it stops early).
  { selector: { branchCode: BRANCH, service: 'general', status: 'waiting', day: '2026-03-04' }, sort: [{ issuedAt: 'asc' }], limit: 2 },
  { selector: { branchCode: 'NONE' }, limit: 4 },
];

describe('indexed queries with one getAll', () => {
  it('answers every query with the documents of Dexie’s own query, in the same order', async () => {
    const d = await seeded();
    // Dexie's storage as RxDB ships it, on the same IndexedDB database.
    const plain = await fakeIdbStorage().createStorageInstance({
      databaseName: d.name,
      collectionName: 'tickets',
      schema: d.tickets.schema.jsonSchema,
      options: {},
      multiInstance: false,
      devMode: false,
      databaseInstanceToken: 'plain-dexie',
    });
    try {
      for (const q of QUERIES) {
        const prepared = d.tickets.find(q).getPreparedQuery();
        const ours = (await d.tickets.storageInstance.query(prepared)).documents;
        const dexie = (await plain.query(prepared)).documents;
        expect(ours, JSON.stringify(q)).toEqual(dexie);
      }
      expect((await d.tickets.find(QUERIES[0]).exec()).length).toBe(5);
    } finally {
      await plain.close();
    }
  });

  it('reads the queue with one getAll on the compound index, no cursor', async () => {
    const d = await seeded();
    const getAll = vi.spyOn(IDBIndex.prototype, 'getAll');
    const openCursor = vi.spyOn(IDBIndex.prototype, 'openCursor');
    const docs = await d.tickets.find(QUERIES[0]).exec();
    expect(docs.map((t) => t.id)).toEqual(
      Array.from({ length: 240 }, (_, i) => ticket(i))
        .filter((t) => t.branchCode === BRANCH && t.service === 'jht-claim' && t.status === 'waiting' && t.issuedAt >= '2026-03-02T02:00:00.000Z' && t.issuedAt < '2026-03-04T03:00:00.000Z')
        .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt))
        .slice(0, 5)
        .map((t) => t.id),
    );
    expect(openCursor).not.toHaveBeenCalled();
    expect(getAll).toHaveBeenCalledTimes(1);
    expect(getAll.mock.calls[0]![1]).toBe(5);
  });
});
