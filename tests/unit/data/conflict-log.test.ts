import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { importLegacyConflicts, listConflicts, recordConflict, resolveConflict } from '../../../renderer/src/sync/conflict-log';
import { openTestDb, uniqueName } from './db-helpers';

// Sync conflicts in their own collection: recorded once per open conflict (repeats counted), listed
// for the head, resolved by the head with a note (audited), and moved over from the config
// documents of earlier builds without losing any.

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function setUp() {
  const db = await openTestDb(uniqueName('loket-conflicts'));
  open.push(db);
  return { db, audit: new AuditLog(db.audit, 'dev-office-1') };
}

const head = { staffId: 'kepala01', role: 'head' as const };
const c = (at: string, id = 'CASE-UJI-0001') => ({ collection: 'cases', id, reason: 'JOURNAL_DIVERGED: replay rejected', kept: 'hq' as const, at });

describe('conflict records', () => {
  it('keeps one open record per conflicting document and counts repeats', async () => {
    const { db } = await setUp();
    await recordConflict(db, c('2026-03-02T03:00:00.000Z'));
    await recordConflict(db, c('2026-03-02T03:05:00.000Z'));
    await recordConflict(db, c('2026-03-02T03:01:00.000Z', 'CASE-UJI-0002'));
    const list = await listConflicts(db);
    expect(list.map((x) => [x.docId, x.occurrences, x.lastAt])).toEqual([
      ['CASE-UJI-0001', 2, '2026-03-02T03:05:00.000Z'],
      ['CASE-UJI-0002', 1, '2026-03-02T03:01:00.000Z'],
    ]);
  });

  it('the head resolves one with a note: audited, no longer open, a new conflict on the same record opens a new one', async () => {
    const { db, audit } = await setUp();
    const first = await recordConflict(db, c('2026-03-02T03:00:00.000Z'));
    const resolved = await resolveConflict(db, first.id, head, 'Salinan lokal diperiksa, HQ benar', audit, () => new Date('2026-03-02T04:00:00.000Z'));
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { by: head, at: '2026-03-02T04:00:00.000Z', note: 'Salinan lokal diperiksa, HQ benar' } });
    expect(await listConflicts(db)).toEqual([]);
    expect((await listConflicts(db, { status: 'resolved' })).map((x) => x.id)).toEqual([first.id]);
    const entries = await audit.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'conflict.resolved', actor: head, subject: { kind: 'conflict', id: first.id }, details: { collection: 'cases', docId: 'CASE-UJI-0001' } });

    await recordConflict(db, c('2026-03-03T03:00:00.000Z'));
    const again = await listConflicts(db);
    expect(again).toHaveLength(1);
    expect(again[0]!.id).not.toBe(first.id);
    expect(await listConflicts(db, { status: 'all' })).toHaveLength(2);
  });

  it('refuses a resolution without a note, by an officer, twice, or of an unknown id; nothing is audited', async () => {
    const { db, audit } = await setUp();
    const x = await recordConflict(db, c('2026-03-02T03:00:00.000Z'));
    await expect(resolveConflict(db, x.id, head, ' ok ', audit)).rejects.toMatchObject({ code: 'INVALID' });
    await expect(resolveConflict(db, x.id, { staffId: 'petugas01', role: 'officer' }, 'Sudah dicek benar', audit)).rejects.toMatchObject({ code: 'INVALID' });
    await expect(resolveConflict(db, 'nope', head, 'Sudah dicek benar', audit)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await audit.entries()).toEqual([]);
    await resolveConflict(db, x.id, head, 'Sudah dicek benar', audit);
    await expect(resolveConflict(db, x.id, head, 'Sudah dicek benar', audit)).rejects.toMatchObject({ code: 'ALREADY_RESOLVED' });
    expect(await audit.entries()).toHaveLength(1);
  });

  it('moves config-document conflicts of earlier builds into the collection; an unreadable one stays', async () => {
    const { db } = await setUp();
    await db.config.bulkInsert([
      { key: 'sync:conflict:cases:CASE-UJI-0001', value: c('2026-03-01T03:00:00.000Z'), updatedAt: '2026-03-01T03:00:00.000Z' },
      { key: 'sync:conflict:tickets:T-1', value: { collection: 'tickets', id: 'T-1', reason: 'both changed', kept: 'local', at: '2026-03-01T04:00:00.000Z' }, updatedAt: '2026-03-01T04:00:00.000Z' },
      { key: 'sync:conflict:broken', value: { nonsense: true }, updatedAt: '2026-03-01T04:00:00.000Z' },
      { key: 'hq:branch', value: { code: 'UJI01' }, updatedAt: '2026-03-01T04:00:00.000Z' },
    ]);
    expect(await importLegacyConflicts(db)).toEqual({ moved: 2, kept: ['sync:conflict:broken'] });
    expect((await listConflicts(db)).map((x) => [x.sourceCollection, x.docId, x.kept])).toEqual([
      ['cases', 'CASE-UJI-0001', 'hq'],
      ['tickets', 'T-1', 'local'],
    ]);
    expect((await db.config.find().exec()).map((d) => d.key).sort()).toEqual(['hq:branch', 'sync:conflict:broken']);
    // Idempotent.
    expect(await importLegacyConflicts(db)).toEqual({ moved: 0, kept: ['sync:conflict:broken'] });
    expect(await listConflicts(db)).toHaveLength(2);
  });
});
