import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { PENDING_KPJ_REVIEW_ACTION, PendingKpjReviews } from '../../../renderer/src/data/db/pending-kpj-reviews';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { K1, K2, NIK_56, ev, head, officer, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { LocalClosure } from '@shared/calendar';
import { BRANCH_CONFIG_KEY } from '@shared/sync/protocol';

// Issue 16 pt 3: a pending KPJ goes to the head's review like a refusal. The head records a
// decision on it — upheld or overturned, with a note — once per pending, audited; only a head.
// Generated people only.

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});
const at = (time: string) => wib('2026-03-02', time);
const byHead = { staffId: head.staffId, role: head.role };

async function setUp(ownClosures?: () => Promise<readonly LocalClosure[] | undefined>) {
  const db = await openTestDb(uniqueName('pending-review'));
  open.push(db);
  const clock = { now: new Date(at('09:00')) };
  const audit = new AuditLog(db.audit, 'dev-office-1');
  const journal = new CaseJournal(db, await createNikHasher(TEST_KEY), 'UJI01', () => clock.now, audit);
  await journal.open({ id: 'CASE-PKJ-0001', flow: 'jht-claim', person: { nik: NIK_56, name: 'Peserta Uji Tertunda' } });
  const events = [
    ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, officer, at('09:01')),
    ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }, officer, at('09:02')),
    ev('kpj.searched', { results: [K1, K2] }, officer, at('09:03')),
    ev('kpj.listConfirmed', {}, officer, at('09:04')),
    ev('document.presented', { documents: ['savingsBook', 'otherTerminationProof', 'npwp'] }, officer, at('09:05')),
    ev('documents.confirmed', {}, officer, at('09:06')),
    ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'pending', reason: 'EMPLOYER_DATA_CONFIRMATION', followUpOn: '2026-03-09', note: 'HRD dihubungi' } }, officer, at('09:07')),
  ];
  for (const e of events) {
    clock.now = new Date(e.at);
    const r = await journal.append('CASE-PKJ-0001', e);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }
  clock.now = new Date(at('11:00'));
  return { db, audit, reviews: new PendingKpjReviews(db, audit, () => clock.now, ownClosures) };
}

describe('the head decides on a pending KPJ (issue 16 pt 3)', () => {
  it('records "upheld" with a note in the audit chain, once; the decision is read back by pending', async () => {
    const { reviews, audit } = await setUp();
    expect((await reviews.decisions()).size).toBe(0);
    const r = await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'upheld', note: 'Konfirmasi HRD memang diperlukan' }, byHead);
    expect(r).toMatchObject({ ok: true, review: { decision: 'upheld', staffId: head.staffId } });
    const entry = (await audit.entries()).at(-1)!;
    expect(entry).toMatchObject({
      action: PENDING_KPJ_REVIEW_ACTION,
      actor: { staffId: head.staffId },
      subject: { kind: 'case', id: 'CASE-PKJ-0001' },
      details: { kpj: K1.kpj, followUpOn: '2026-03-09', reason: 'EMPLOYER_DATA_CONFIRMATION', decision: 'upheld', note: 'Konfirmasi HRD memang diperlukan', leftPendingBy: officer.staffId },
    });
    expect(JSON.stringify(entry)).not.toContain(NIK_56);
    expect((await audit.verify()).ok).toBe(true);
    expect([...(await reviews.decisions()).values()]).toMatchObject([{ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, decision: 'upheld' }]);
    // Decided once: a second decision on the same pending is refused.
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'x' }, byHead)).toMatchObject({ ok: false, reason: 'ALREADY_REVIEWED' });
  });

  it('"overturned" needs a note saying why; a note never holds a NIK', async () => {
    const { reviews, audit } = await setUp();
    const before = (await audit.entries()).length;
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned' }, byHead)).toMatchObject({ ok: false, reason: 'INVALID_INPUT' });
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: `NIK ${NIK_56}` }, byHead)).toMatchObject({ ok: false, reason: 'INVALID_INPUT' });
    expect((await audit.entries()).length).toBe(before);
    const r = await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Data pemberi kerja sudah lengkap: bayar hari ini' }, byHead);
    expect(r).toMatchObject({ ok: true, review: { decision: 'overturned' } });
  });

  it('only a head decides, and only on a KPJ pending now with that follow-up date', async () => {
    const { reviews, audit } = await setUp();
    const before = (await audit.entries()).length;
    const officerBy = { staffId: officer.staffId, role: officer.role };
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'upheld' }, officerBy)).toMatchObject({ ok: false, reason: 'NOT_ALLOWED' });
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K2.kpj, followUpOn: '2026-03-09', decision: 'upheld' }, byHead)).toMatchObject({ ok: false, reason: 'NOT_PENDING' });
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-10', decision: 'upheld' }, byHead)).toMatchObject({ ok: false, reason: 'NOT_PENDING' });
    expect(await reviews.record({ caseId: 'CASE-NONE', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'upheld' }, byHead)).toMatchObject({ ok: false, reason: 'NOT_PENDING' });
    expect((await audit.entries()).length).toBe(before);
  });
});

describe('an overturned pending KPJ opens a follow-up so the person is served (issue 16 pt 3)', () => {
  it('overturning opens a follow-up (the case reopened by the pending follow-up date), audited, listed until done', async () => {
    const { reviews, audit } = await setUp();
    expect(await reviews.openFollowUps()).toEqual([]);
    const r = await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Data pemberi kerja sudah lengkap' }, byHead);
    expect(r).toMatchObject({ ok: true, review: { decision: 'overturned', followUp: { kind: 'reopenCase', dueDate: '2026-03-09', dueTime: null } } });
    const entries = await audit.entries();
    expect(entries.at(-2)).toMatchObject({ action: PENDING_KPJ_REVIEW_ACTION, details: { decision: 'overturned', followUp: 'reopenCase', dueDate: '2026-03-09' } });
    expect(entries.at(-1)).toMatchObject({ action: 'followUp.opened', subject: { kind: 'case', id: 'CASE-PKJ-0001' }, details: { caseId: 'CASE-PKJ-0001', kpj: K1.kpj, kind: 'reopenCase', dueDate: '2026-03-09' } });
    expect((await audit.verify()).ok).toBe(true);
    expect(await reviews.openFollowUps()).toEqual([
      { caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', followUp: { kind: 'reopenCase', dueDate: '2026-03-09', dueTime: null }, reviewedAt: new Date(at('11:00')).toISOString(), reviewedBy: head.staffId },
    ]);

    // The head may set the follow-up: an appointment needs a date from today and a time.
    expect(await reviews.completeFollowUp({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09' }, byHead)).toEqual({ ok: true });
    expect(entries.length + 1).toBe((await audit.entries()).length);
    expect((await audit.entries()).at(-1)).toMatchObject({ action: 'followUp.completed', subject: { kind: 'case', id: 'CASE-PKJ-0001' }, details: { kpj: K1.kpj, followUpOn: '2026-03-09' } });
    expect(await reviews.openFollowUps()).toEqual([]);
    expect(await reviews.completeFollowUp({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09' }, byHead)).toEqual({ ok: false, reason: 'NOT_OPEN' });
  });

  it('the head can choose an appointment instead (a date from today, with a time)', async () => {
    const { reviews } = await setUp();
    expect(
      await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Bayar', followUp: 'appointment', dueDate: '2026-03-03' }, byHead),
    ).toMatchObject({ ok: false, reason: 'INVALID_INPUT' });
    expect(
      await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Bayar', followUp: 'appointment', dueDate: '2026-03-01', dueTime: '09:00' }, byHead),
    ).toMatchObject({ ok: false, reason: 'INVALID_INPUT' });
    const r = await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Bayar', followUp: 'appointment', dueDate: '2026-03-03', dueTime: '09:00' }, byHead);
    expect(r).toMatchObject({ ok: true });
    expect((await reviews.openFollowUps()).map((f) => f.followUp)).toEqual([{ kind: 'appointment', dueDate: '2026-03-03', dueTime: '09:00' }]);
  });

  it('a call back is taken only when the case recorded a phone number, which the form asks first (issue 16 pt 15)', async () => {
    const { db, audit, reviews } = await setUp();
    expect(await reviews.phoneRecorded('CASE-PKJ-0001')).toBe(false);
    expect(await reviews.phoneRecorded('CASE-NONE')).toBe(false);
    const before = (await audit.entries()).length;
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Telepon peserta', followUp: 'callBack' }, byHead)).toMatchObject({ ok: false, reason: 'NO_PHONE' });
    expect((await audit.entries()).length).toBe(before);
    // Generated number; the same case with a phone recorded.
    await (await db.cases.findOne('CASE-PKJ-0001').exec())!.incrementalPatch({ person: { ...(await db.cases.findOne('CASE-PKJ-0001').exec())!.toJSON().person, phone: '081200000001' } });
    expect(await reviews.phoneRecorded('CASE-PKJ-0001')).toBe(true);
    const r = await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Telepon peserta', followUp: 'callBack', dueDate: '2026-03-04' }, byHead);
    expect(r).toMatchObject({ ok: true, review: { followUp: { kind: 'callBack', dueDate: '2026-03-04', dueTime: null } } });
  });

  it('an upheld pending opens no follow-up and takes none', async () => {
    const { reviews } = await setUp();
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'upheld', followUp: 'reopenCase' }, byHead)).toMatchObject({ ok: false, reason: 'INVALID_INPUT' });
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'upheld' }, byHead)).toMatchObject({ ok: true, review: { followUp: null } });
    expect(await reviews.openFollowUps()).toEqual([]);
  });
});

describe('the data layer never sets a follow-up appointment on a closed day (issue 16 pts 4 and 10)', () => {
  const appointmentOn = (dueDate: string) => ({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned' as const, note: 'Bayar', followUp: 'appointment' as const, dueDate, dueTime: '09:00' });

  it('refuses a weekend and a national holiday or joint leave day, records nothing, and names the day', async () => {
    const { reviews, audit } = await setUp();
    const before = (await audit.entries()).length;
    // Saturday 7 and Sunday 8 March 2026.
    expect(await reviews.record(appointmentOn('2026-03-07'), byHead)).toMatchObject({ ok: false, reason: 'CLOSED_DAY', closedDay: null });
    expect(await reviews.record(appointmentOn('2026-03-08'), byHead)).toMatchObject({ ok: false, reason: 'CLOSED_DAY', closedDay: null });
    // Thursday 19 March 2026: Nyepi; Tuesday 24 March: joint leave after Idul Fitri.
    expect(await reviews.record(appointmentOn('2026-03-19'), byHead)).toMatchObject({ ok: false, reason: 'CLOSED_DAY', closedDay: { date: '2026-03-19', kind: 'holiday' } });
    expect(await reviews.record(appointmentOn('2026-03-24'), byHead)).toMatchObject({ ok: false, reason: 'CLOSED_DAY', closedDay: { date: '2026-03-24', kind: 'jointLeave' } });
    expect((await audit.entries()).length).toBe(before);
    expect(await reviews.openFollowUps()).toEqual([]);
    // The working day before is taken.
    expect(await reviews.record(appointmentOn('2026-03-17'), byHead)).toMatchObject({ ok: true, review: { followUp: { kind: 'appointment', dueDate: '2026-03-17', dueTime: '09:00' } } });
  });

  it("refuses a day the branch itself is closed, as HQ sent it in the branch's rules", async () => {
    const { db, reviews } = await setUp();
    await db.config.insert({
      key: BRANCH_CONFIG_KEY,
      value: { rules: { base: { ...DEFAULT_CASE_CONFIG, branchCode: 'UJI01' }, versions: [{ effectiveFrom: '2026-03-01', config: { localClosures: ['2026-03-04'] } }] } },
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(await reviews.record(appointmentOn('2026-03-04'), byHead)).toMatchObject({ ok: false, reason: 'CLOSED_DAY', closedDay: { date: '2026-03-04', kind: 'local' } });
    expect(await reviews.record(appointmentOn('2026-03-05'), byHead)).toMatchObject({ ok: true });
  });

  it("refuses a day closed on this PC's own calendar (settings), before HQ knows it, with its note", async () => {
    const { reviews } = await setUp(() => Promise.resolve([{ date: '2026-03-05', note: 'Renovasi ruang layanan' }]));
    expect(await reviews.record(appointmentOn('2026-03-05'), byHead)).toMatchObject({ ok: false, reason: 'CLOSED_DAY', closedDay: { date: '2026-03-05', kind: 'local', name: 'Renovasi ruang layanan' } });
    expect(await reviews.record(appointmentOn('2026-03-06'), byHead)).toMatchObject({ ok: true });
  });

  it("another branch's rules do not close this branch's days", async () => {
    const { db, reviews } = await setUp();
    await db.config.insert({
      key: BRANCH_CONFIG_KEY,
      value: { rules: { base: { ...DEFAULT_CASE_CONFIG, branchCode: 'LAIN1' }, versions: [{ effectiveFrom: '2026-03-01', config: { localClosures: ['2026-03-04'] } }] } },
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(await reviews.record(appointmentOn('2026-03-04'), byHead)).toMatchObject({ ok: true });
  });
});

describe("the data layer never sets a follow-up appointment outside the branch's service hours (issue 16)", () => {
  const appointmentAt = (dueTime: string, dueDate = '2026-03-03') => ({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned' as const, note: 'Bayar', followUp: 'appointment' as const, dueDate, dueTime });

  it('refuses a time before opening or from closing on (default hours 08:00–15:00), records nothing; takes the opening minute and the minute before closing', async () => {
    const { reviews, audit } = await setUp();
    const before = (await audit.entries()).length;
    for (const time of ['07:00', '07:59', '15:00', '16:30']) {
      expect(await reviews.record(appointmentAt(time), byHead), time).toMatchObject({ ok: false, reason: 'OUTSIDE_HOURS' });
    }
    expect((await audit.entries()).length).toBe(before);
    expect(await reviews.openFollowUps()).toEqual([]);
    expect(await reviews.record(appointmentAt('08:00'), byHead)).toMatchObject({ ok: true, review: { followUp: { kind: 'appointment', dueDate: '2026-03-03', dueTime: '08:00' } } });
  });

  it('the minute before closing is a slot', async () => {
    const { reviews } = await setUp();
    expect(await reviews.record(appointmentAt('14:59'), byHead)).toMatchObject({ ok: true });
  });

  it("judges by the hours HQ holds for the branch that day, once pulled (here Tuesdays 10:00–12:00)", async () => {
    const { db, reviews } = await setUp();
    const serviceHours = { ...DEFAULT_CASE_CONFIG.serviceHours, tue: { open: '10:00', close: '12:00' } };
    await db.config.insert({
      key: BRANCH_CONFIG_KEY,
      value: { rules: { base: { ...DEFAULT_CASE_CONFIG, branchCode: 'UJI01', serviceHours }, versions: [] } },
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(await reviews.record(appointmentAt('09:00'), byHead)).toMatchObject({ ok: false, reason: 'OUTSIDE_HOURS' });
    expect(await reviews.record(appointmentAt('12:00'), byHead)).toMatchObject({ ok: false, reason: 'OUTSIDE_HOURS' });
    // Another weekday keeps its own hours.
    expect(await reviews.record(appointmentAt('09:00', '2026-03-04'), byHead)).toMatchObject({ ok: true });
  });

  it('a follow-up that is not an appointment carries no time and is not judged by the hours', async () => {
    const { reviews } = await setUp();
    expect(await reviews.record({ caseId: 'CASE-PKJ-0001', kpj: K1.kpj, followUpOn: '2026-03-09', decision: 'overturned', note: 'Bayar', followUp: 'reopenCase', dueDate: '2026-03-03' }, byHead)).toMatchObject({ ok: true });
  });
});
