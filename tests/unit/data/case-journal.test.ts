import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { makeNik, officer, security, wib } from '../machines/fixtures';
import { openTestDb, rawIndexedDbDump, TEST_KEY, uniqueName } from './db-helpers';

const NIK = makeNik('1985-04-12', 'female', 42);
const at = (time: string) => wib('2026-03-02', time);
const ev = (type: string, payload: object, time: string, actor = officer) => ({ type, at: at(time), actor, ...payload });

const resetJourney = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15'),
  ev('contact.updated', { email: 'peserta.uji@example.org', phone: '081234567890' }, '09:17'),
  ev('reset.requested', {}, '09:18'),
  ev('reset.confirmed', {}, '09:20'),
  ev('receipt.issued', {}, '09:21'),
];

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function setUp(name = uniqueName()) {
  const db = await openTestDb(name);
  open.push(db);
  const journal = new CaseJournal(db, await createNikHasher(TEST_KEY), 'UJI01', () => new Date(at('09:30')));
  return { db, journal, name };
}

const person = { nik: NIK, name: 'Peserta Uji Satu', phone: '081234567890' };

describe('cases as journals', () => {
  it('appends each accepted event with its snapshot in one write, and closes on the final state', async () => {
    const { journal } = await setUp();
    await journal.open({ id: 'CASE-UJI-0001', flow: 'jmo-reset', person });
    for (const [i, event] of resetJourney.entries()) {
      const r = await journal.append('CASE-UJI-0001', event);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) expect(r.doc.journalLength).toBe(i + 1);
    }
    const doc = await journal.get('CASE-UJI-0001');
    expect(doc).toMatchObject({ status: 'closed', journalLength: 5, snapshot: { status: 'done' } });
  });

  it('rejects an event the machine does not accept, and the journal stays as it was', async () => {
    const { journal } = await setUp();
    await journal.open({ id: 'CASE-UJI-0002', flow: 'jmo-reset', person });
    // Security staff cannot act in a case.
    const bySecurity = await journal.append('CASE-UJI-0002', ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15', security));
    expect(bySecurity).toMatchObject({ ok: false, rejection: { reason: 'ROLE_NOT_ALLOWED' } });
    // Out of order in the flow: a reset before identity was verified.
    expect(await journal.append('CASE-UJI-0002', ev('reset.requested', {}, '09:16'))).toMatchObject({ ok: false });
    expect((await journal.get('CASE-UJI-0002'))?.journalLength).toBe(0);
  });

  it('journals an invented refusal as an attempt for the head; the case is not refused', async () => {
    const { journal } = await setUp();
    await journal.open({ id: 'CASE-UJI-0007', flow: 'jmo-reset', person });
    const invented = await journal.append('CASE-UJI-0007', ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS' }, '09:15'));
    expect(invented.ok).toBe(true);
    const doc = await journal.get('CASE-UJI-0007');
    expect(doc?.status).toBe('open');
    expect((doc?.snapshot as { context: { invalidRefusals: unknown[]; refusal: unknown } }).context).toMatchObject({ refusal: null, invalidRefusals: [{ code: 'OUTSIDE_SERVICE_HOURS' }] });
  });

  it('restores open cases after a restart exactly where they were', async () => {
    const first = await setUp();
    await first.journal.open({ id: 'CASE-UJI-0003', flow: 'jmo-reset', person });
    await first.journal.append('CASE-UJI-0003', resetJourney[0]);
    await first.journal.append('CASE-UJI-0003', resetJourney[1]);
    const before = await first.journal.get('CASE-UJI-0003');
    await first.db.close();

    const again = await setUp(first.name);
    expect(await again.journal.restoreOpen()).toEqual({ restored: ['CASE-UJI-0003'], flagged: [] });
    const after = await again.journal.get('CASE-UJI-0003');
    expect(after?.snapshot).toEqual(before?.snapshot);
    // And the officer continues from there.
    expect((await again.journal.append('CASE-UJI-0003', resetJourney[2])).ok).toBe(true);
  });

  it('flags a case whose snapshot does not match its journal, and does not overwrite either', async () => {
    const { db, journal } = await setUp();
    await journal.open({ id: 'CASE-UJI-0004', flow: 'jmo-reset', person });
    await journal.append('CASE-UJI-0004', resetJourney[0]);
    const doc = await db.cases.findOne('CASE-UJI-0004').exec();
    const tampered = { ...(doc!.toJSON().snapshot as Record<string, unknown>), value: 'confirmed' };
    await doc!.incrementalPatch({ snapshot: tampered });

    const report = await journal.restoreOpen();
    expect(report.flagged).toEqual([{ id: 'CASE-UJI-0004', reason: 'snapshot differs from the replay of the journal' }]);
    const flagged = await journal.get('CASE-UJI-0004');
    expect(flagged).toMatchObject({ status: 'conflict', flag: { reason: expect.stringContaining('snapshot differs') as string } });
    expect(flagged?.snapshot).toEqual(tampered);
    expect(flagged?.journalLength).toBe(1);
  });

  it('keeps the NIK and contact data encrypted at rest; lookups go through the keyed hash', async () => {
    const { journal, name } = await setUp();
    await journal.open({ id: 'CASE-UJI-0005', flow: 'jmo-reset', person });
    await journal.append('CASE-UJI-0005', resetJourney[0]);
    await journal.append('CASE-UJI-0005', resetJourney[1]);
    const raw = await rawIndexedDbDump(name);
    expect(raw).toContain('CASE-UJI-0005');
    for (const secret of [NIK, person.name, person.phone, 'peserta.uji@example.org']) expect(raw).not.toContain(secret);
    expect((await journal.findByNik(NIK)).map((c) => c.id)).toEqual(['CASE-UJI-0005']);
    expect(await journal.findByNik(makeNik('1985-04-12', 'female', 43))).toEqual([]);
  });

  it('refuses a malformed person before anything is written', async () => {
    const { journal, db } = await setUp();
    await expect(journal.open({ id: 'CASE-UJI-0006', flow: 'jmo-reset', person: { ...person, nik: '1234' } })).rejects.toThrow();
    expect(await db.cases.count().exec()).toBe(0);
  });
});

describe('records derived from journals', () => {
  it('a valid refusal lands in the head review queue once; an invalid attempt is kept for the head too', async () => {
    const { db, journal } = await setUp();
    await journal.open({ id: 'CASE-UJI-0008', flow: 'jmo-reset', person });
    // Identity not verified: the e-KTP does not match the NIK, so IDENTITY_NOT_VERIFIED holds.
    await journal.append('CASE-UJI-0008', ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS' }, '09:14'));
    await journal.append('CASE-UJI-0008', ev('identity.checked', { ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true }, '09:15'));
    const refused = await journal.append('CASE-UJI-0008', ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' }, '09:16'));
    expect(refused.ok, JSON.stringify(refused)).toBe(true);
    const docs = (await db.refusals.find({ sort: [{ at: 'asc' }] }).exec()).map((d) => d.toJSON());
    expect(docs).toMatchObject([
      { caseId: 'CASE-UJI-0008', code: 'OUTSIDE_SERVICE_HOURS', status: 'attempted' },
      { caseId: 'CASE-UJI-0008', code: 'IDENTITY_NOT_VERIFIED', status: 'pending' },
    ]);
    // A restart derives again: nothing doubles, and a head's decision is not overwritten.
    await db.refusals.findOne(docs[1]!.id).exec().then((d) => d!.incrementalPatch({ status: 'upheld' }));
    await db.cases.findOne('CASE-UJI-0008').exec().then((d) => d!.incrementalPatch({ status: 'open' }));
    await journal.restoreOpen();
    const again = (await db.refusals.find({ sort: [{ at: 'asc' }] }).exec()).map((d) => d.toJSON());
    expect(again.map((d) => d.status)).toEqual(['attempted', 'upheld']);
  });
});

it('a transfer at the person request gets its own record with the SLA deadline', async () => {
  const { db, journal } = await setUp();
  await journal.open({ id: 'CASE-UJI-0009', flow: 'jmo-reset', person });
  const r = await journal.append('CASE-UJI-0009', ev('transfer.requested', { targetBranch: 'SBY01', reason: 'PERSON_REQUESTED', slaDeadline: wib('2026-03-03', '15:00') }, '09:20'));
  expect(r.ok, JSON.stringify(r)).toBe(true);
  expect((await db.transfers.findOne('CASE-UJI-0009:transfer').exec())?.toJSON()).toMatchObject({ fromBranch: 'UJI01', toBranch: 'SBY01', status: 'requested', slaDeadline: wib('2026-03-03', '15:00') });
});
