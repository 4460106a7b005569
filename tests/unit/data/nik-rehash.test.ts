import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { createNikHasher, ensureNikHashKey } from '../../../renderer/src/data/nik-hash';
import { makeNik } from '../machines/fixtures';
import { openTestDb, uniqueName } from './db-helpers';

// A PC that hashed NIKs with its local key joins HQ and gets the branch key: its own cases are
// hashed again so lookups by NIK still find them; a case transferred from another branch is not
// touched (it is read-only here).

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

const key = () => randomBytes(32).toString('base64');
const NIK = makeNik('1990-06-15', 'female', 3);

describe('NIK hash key change', () => {
  it('re-hashes this branch’s cases once when the key changes, and leaves other branches’ cases alone', async () => {
    const db = await openTestDb(uniqueName('loket-rehash'));
    open.push(db);
    const dbKey = key();
    const local = await createNikHasher({ key: dbKey, nikKey: { key: key(), scope: 'local' } });
    const journal = new CaseJournal(db, local, 'UJI01', () => new Date('2026-03-02T02:00:00.000Z'));
    await journal.open({ id: 'CASE-UJI-0201', flow: 'jmo-reset', person: { nik: NIK, name: 'Peserta Uji Dua' } });
    // A case of another branch, as it arrives with a transfer.
    const foreign = await new CaseJournal(db, local, 'SBY01').open({ id: 'CASE-SBY-0001', flow: 'jmo-reset', person: { nik: NIK, name: 'Peserta Uji Dua' } });
    expect(await ensureNikHashKey(db, local, { branchCode: 'UJI01', scope: 'local' })).toEqual({ changed: false, rehashed: 0 });

    const branch = await createNikHasher({ key: dbKey, nikKey: { key: key(), scope: 'branch' } });
    expect(await ensureNikHashKey(db, branch, { branchCode: 'UJI01', scope: 'branch' })).toEqual({ changed: true, rehashed: 1 });
    const lookup = new CaseJournal(db, branch, 'UJI01');
    expect((await lookup.findByNik(NIK)).map((c) => c.id)).toEqual(['CASE-UJI-0201']);
    expect((await db.cases.findOne('CASE-SBY-0001').exec())!.nikHash).toBe(foreign.nikHash);
    // Once done, a restart does nothing more.
    expect(await ensureNikHashKey(db, branch, { branchCode: 'UJI01', scope: 'branch' })).toEqual({ changed: false, rehashed: 0 });
    expect((await db.config.findOne('nik-hash:key').exec())!.value).toMatchObject({ scope: 'branch' });
  });
});
