import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { jakartaDay, ticketSchemaV0, type TicketDocV0 } from '../../../renderer/src/data/db/migrations';
import { makeNik } from '../machines/fixtures';
import { openTestDb, uniqueName } from './db-helpers';

// A database written by the v0 build (tickets kept only the printed number), opened by this build.
const v0Tickets: TicketDocV0[] = [
  { id: 't-1', branchCode: 'UJI01', service: 'jht-claim', status: 'waiting', number: 'A2-017', nikHash: 'a'.repeat(64), person: { nik: makeNik('1980-01-02'), name: 'Peserta Uji A' }, issuedAt: '2026-03-01T23:30:00.000Z', updatedAt: '2026-03-01T23:30:00.000Z' },
  { id: 't-2', branchCode: 'UJI01', service: 'jmo-reset', status: 'done', number: 'C1-1204', nikHash: 'b'.repeat(64), person: { nik: makeNik('1991-07-30', 'female'), name: 'Peserta Uji B' }, issuedAt: '2026-03-02T03:00:00.000Z', updatedAt: '2026-03-02T04:00:00.000Z' },
];

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

describe('schema migration', () => {
  it('migrates v0 tickets to v2: day, slot and sequence from the number, history from the issue time, no person kept', async () => {
    const name = uniqueName('loket-migrate');
    const old = await openTestDb(name, { collections: { tickets: { schema: ticketSchemaV0 } } });
    await (old.collections as unknown as { tickets: { bulkInsert(d: TicketDocV0[]): Promise<unknown> } }).tickets.bulkInsert(v0Tickets);
    await old.close();

    const db = await openTestDb(name);
    open.push(db);
    const migrated = (await db.tickets.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON());
    expect(migrated).toMatchObject([
      { id: 't-1', number: 'A2-017', day: '2026-03-02', slot: 2, seq: 17, history: [{ status: 'waiting', at: '2026-03-01T23:30:00.000Z' }] },
      { id: 't-2', number: 'C1-1204', day: '2026-03-02', slot: 1, seq: 1204, status: 'done' },
    ]);
    // v2 drops the person from tickets: the NIK's keyed hash is all a ticket keeps.
    for (const t of migrated) expect(t).not.toHaveProperty('person');
    // The new index serves lookups by day/slot/seq.
    expect((await db.tickets.findOne({ selector: { day: '2026-03-02', slot: 2, seq: 17 } }).exec())?.id).toBe('t-1');
  });

  it('uses the branch day (UTC+7), not the UTC day', () => {
    expect(jakartaDay('2026-03-01T16:59:59.000Z')).toBe('2026-03-01');
    expect(jakartaDay('2026-03-01T17:00:00.000Z')).toBe('2026-03-02');
  });
});
