// `LoketDatabase.cases` is absent for a session without case access (the door; issue 18 pt 6): the
// type says so, and code that needs a case reads it through casesOf, which names the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { casesOf, NoCaseAccessError, openDatabase, type LoketDatabase } from '../../../renderer/src/data/db/database';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import { fakeIdbStorage, TEST_KEY, uniqueName } from './db-helpers';

const open: LoketDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

describe('casesOf', () => {
  it('gives the case collection of a session with the case key', async () => {
    const db = await openDatabase({ name: uniqueName('cases-of'), key: TEST_KEY, caseKey: `${TEST_KEY}-case`, storage: fakeIdbStorage() });
    open.push(db);
    expect(casesOf(db)).toBe(db.cases);
    expect(await casesOf(db).count().exec()).toBe(0);
  });

  it('refuses with a clear error in a door session, whose database has no case collection', async () => {
    const db: LoketDatabase = await openDatabase({ name: uniqueName('cases-of-door'), key: TEST_KEY, caseKey: null, storage: fakeIdbStorage() });
    open.push(db);
    expect(db.cases).toBeUndefined();
    expect(() => casesOf(db)).toThrow(NoCaseAccessError);
    expect(() => casesOf(db)).toThrow('Case data is not open in this session: its role does not work cases (no case key).');
    // The data layer asks for a case through it: a door session gets the same clear error, not a TypeError.
    const journal = new CaseJournal(db, (nik) => Promise.resolve(`h-${nik}`), 'UJI02');
    await expect(journal.get('c-1')).rejects.toThrow(NoCaseAccessError);
  });
});
