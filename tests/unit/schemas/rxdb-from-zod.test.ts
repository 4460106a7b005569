import { createRxSchema, type RxCollectionCreator, type RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS, type LoketDatabase } from '../../../renderer/src/data/db/database';
import * as schemas from '../../../renderer/src/data/db/schemas';
import { makeNik } from '../machines/fixtures';
import { openTestDb, uniqueName } from '../data/db-helpers';
import before from './rxdb-schemas-before-zod.json';

// The RxDB schemas are generated from the documents' zod schemas (shared/schemas). RxDB stores each
// collection's schema hash and refuses to open a collection whose schema changed without a version
// bump, so the generated JSON must be exactly what the hand-kept schemas were (pinned in
// rxdb-schemas-before-zod.json, written from the hand-kept schemas before the change).

const generated: Record<keyof typeof before, RxJsonSchema<never>> = {
  ticket: schemas.ticketSchema,
  case: schemas.caseSchemaV0,
  refusal: schemas.refusalSchemaV0,
  transfer: schemas.transferSchema,
  audit: schemas.auditSchemaV0,
  keyValue: schemas.keyValueSchemaV0,
  staff: schemas.staffSchemaV0,
  conflict: schemas.conflictSchemaV0,
};
const names = Object.keys(before) as (keyof typeof before)[];
const hashOf = (s: RxJsonSchema<never>) => createRxSchema(structuredClone(s), (x) => Promise.resolve(x as string)).hash;

describe('RxDB schemas generated from zod', () => {
  it.each(names)('%s: the same JSON schema as the hand-kept one', (name) => {
    expect(generated[name]).toEqual(before[name]);
  });

  it.each(names)('%s: the same RxDB schema hash, so no version bump is needed', async (name) => {
    expect(await hashOf(generated[name])).toBe(await hashOf(before[name] as never));
  });

  it('a database written with the hand-kept schemas opens with the generated ones and keeps its documents', async () => {
    const name = uniqueName('loket-zod-schemas');
    const pinned: Record<keyof typeof COLLECTIONS, keyof typeof before> = {
      config: 'keyValue', counters: 'keyValue', staff: 'staff', tickets: 'ticket', cases: 'case',
      refusals: 'refusal', transfers: 'transfer', audit: 'audit', conflicts: 'conflict',
    };
    const old: Record<string, RxCollectionCreator> = Object.fromEntries(
      Object.entries(COLLECTIONS).map(([c, creator]) => [c, { ...creator, schema: before[pinned[c as keyof typeof COLLECTIONS]] }]),
    );
    expect(Object.values(old).every((c) => c.schema)).toBe(true);
    const first = await openTestDb(name, { collections: old });
    const nik = makeNik('1985-04-12');
    await first.cases?.insert({
      id: 'c-1', branchCode: 'UJI01', flow: 'jht-claim', status: 'open', nikHash: 'a'.repeat(64),
      person: { nik, name: 'Peserta Uji' }, input: { nik }, events: [], snapshot: {}, journalLength: 0,
      openedAt: '2026-03-01T01:00:00.000Z', updatedAt: '2026-03-01T01:00:00.000Z',
    });
    await first.close();

    const db: LoketDatabase = await openTestDb(name);
    try {
      expect((await db.cases?.findOne('c-1').exec())?.person.nik).toBe(nik);
    } finally {
      await db.close();
    }
  });
});
