import { afterEach, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { RefusalReviews, storedReview } from '../../../renderer/src/data/db/refusal-reviews';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { refusalReviewMachine, replay } from '@state-machines';
import { admin, head, makeNik, officer, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// Generated people only: a composed NIK and an invented name.
const NIK = makeNik('1990-07-21', 'male', 17);
const person = { nik: NIK, name: 'Peserta Uji Tinjau' };
const at = (time: string) => wib('2026-03-02', time);
const ev = (type: string, payload: object, time: string, actor = officer) => ({ type, at: at(time), actor, ...payload });

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

/** A jmo-reset case refused with IDENTITY_NOT_VERIFIED after an invented "08:00–08:30" attempt. */
async function setUp() {
  const db = await openTestDb(uniqueName('loket-review'));
  open.push(db);
  const clock = { now: new Date(at('10:00')) };
  const audit = new AuditLog(db.audit, 'dev-office-1');
  const journal = new CaseJournal(db, await createNikHasher(TEST_KEY), 'UJI01', () => clock.now, audit);
  const reviews = new RefusalReviews(db, audit, () => clock.now);
  await journal.open({ id: 'CASE-REV-0001', flow: 'jmo-reset', person });
  await journal.append('CASE-REV-0001', ev('refusal.requested', { code: 'RESET_ONLY_0800_0830' }, '09:14'));
  await journal.append('CASE-REV-0001', ev('identity.checked', { ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true }, '09:15'));
  const refused = await journal.append('CASE-REV-0001', ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' }, '09:16'));
  expect(refused.ok, JSON.stringify(refused)).toBe(true);
  const [pending] = await reviews.pending();
  return { db, audit, reviews, clock, journal, pendingId: pending!.id };
}

describe('the head reviews refusals', () => {
  it('lists pending refusals oldest first and attempts with why the catalog refused them', async () => {
    const { reviews, journal } = await setUp();
    await journal.open({ id: 'CASE-REV-0000', flow: 'jmo-reset', person });
    await journal.append('CASE-REV-0000', ev('identity.checked', { ektpPresented: false, ektpMatchesNik: false, kpjMatchesNik: true }, '08:40'));
    await journal.append('CASE-REV-0000', ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' }, '08:41'));
    expect((await reviews.pending()).map((r) => r.caseId)).toEqual(['CASE-REV-0000', 'CASE-REV-0001']);
    const attempts = await reviews.attempts();
    expect(attempts).toMatchObject([{ refusal: { code: 'RESET_ONLY_0800_0830', actor: { staffId: 'officer01' } }, why: 'UNKNOWN_CODE' }]);
  });

  it('shows the facts the officer saw, and audits that the head read the case', async () => {
    const { reviews, audit, pendingId } = await setUp();
    const before = (await audit.entries()).length;
    const view = await reviews.underReview(pendingId, head);
    expect(view?.record?.facts.identity).toEqual({ ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true });
    const entries = await audit.entries();
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({ action: 'person.viewed', actor: { staffId: 'head01' }, details: { via: 'refusal.review' } });
  });

  it('upholds: status upheld, the review journal replays, the decision is audited', async () => {
    const { reviews, audit, pendingId } = await setUp();
    const r = await reviews.review(pendingId, { kind: 'upheld', note: 'Sesuai katalog' }, head);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.refusal.status).toBe('upheld');
    const review = storedReview(r.refusal)!;
    expect(review).toMatchObject({ decision: 'upheld', note: 'Sesuai katalog', followUp: null, actor: { staffId: 'head01' } });
    expect(review.events).toHaveLength(1);
    expect(await reviews.pending()).toEqual([]);
    expect(await reviews.openFollowUps()).toEqual([]);
    const last = (await audit.entries()).at(-1);
    expect(last).toMatchObject({ action: 'refusal.reviewed', subject: { kind: 'refusal', id: pendingId }, details: { decision: 'upheld', code: 'IDENTITY_NOT_VERIFIED', hasNote: 1 } });
    // The note may hold personal data: never in the audit details.
    expect(JSON.stringify(last?.details)).not.toContain('Sesuai katalog');
    expect((await audit.verify()).ok).toBe(true);
  });

  it('overturns with an Ombudsman category: a follow-up with its due date opens, both audited', async () => {
    const { reviews, audit, pendingId } = await setUp();
    const r = await reviews.review(pendingId, { kind: 'overturned', category: 'proceduralDeviation', followUp: 'callBack', dueDate: '2026-03-03', phone: '081234567890' }, head);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const followUps = await reviews.openFollowUps();
    expect(followUps).toMatchObject([{ refusalId: pendingId, caseId: 'CASE-REV-0001', category: 'proceduralDeviation', followUp: { kind: 'callBack', dueDate: '2026-03-03', status: 'open' } }]);
    const actions = (await audit.entries()).slice(-3).map((e) => e.action);
    expect(actions).toEqual(['person.contactRecorded', 'refusal.reviewed', 'followUp.opened']);

    // Closing the follow-up is audited too, and it leaves the open list.
    expect(await reviews.completeFollowUp(pendingId, head)).toEqual({ ok: true });
    expect(await reviews.openFollowUps()).toEqual([]);
    expect((await audit.entries()).at(-1)).toMatchObject({ action: 'followUp.completed' });
    expect(await reviews.completeFollowUp(pendingId, head)).toEqual({ ok: false, reason: 'NOT_OPEN' });
  });

  it('"call the person back" only when the case recorded a phone number; the head may record one (audited, never in the audit)', async () => {
    const { db, reviews, audit, pendingId } = await setUp();
    expect((await reviews.underReview(pendingId))?.phoneRecorded).toBe(false);
    const before = (await audit.entries()).length;
    const noPhone = await reviews.review(pendingId, { kind: 'overturned', category: 'proceduralDeviation', followUp: 'callBack', dueDate: '2026-03-03' }, head);
    expect(noPhone).toMatchObject({ ok: false, failure: { reason: 'NO_PHONE' } });
    const badPhone = await reviews.review(pendingId, { kind: 'overturned', category: 'proceduralDeviation', followUp: 'callBack', dueDate: '2026-03-03', phone: '12345' }, head);
    expect(badPhone).toMatchObject({ ok: false, failure: { reason: 'INVALID_INPUT' } });
    expect((await db.refusals.findOne(pendingId).exec())?.status).toBe('pending');
    expect((await audit.entries()).length).toBe(before);
    // Other follow-ups need no phone.
    const r = await reviews.review(pendingId, { kind: 'overturned', category: 'proceduralDeviation', followUp: 'reopenCase', dueDate: '2026-03-03' }, head);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it('a phone recorded with the decision is kept on the case (encrypted), and then the call back is offered', async () => {
    const { db, reviews, audit, pendingId } = await setUp();
    const r = await reviews.review(pendingId, { kind: 'overturned', category: 'proceduralDeviation', followUp: 'callBack', dueDate: '2026-03-03', phone: '081298765432' }, head);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const caseDoc = (await db.cases.findOne('CASE-REV-0001').exec())!.toJSON();
    expect(caseDoc.person.phone).toBe('081298765432');
    expect((await reviews.underReview(pendingId))?.phoneRecorded).toBe(true);
    const recorded = (await audit.entries()).find((e) => e.action === 'person.contactRecorded');
    expect(recorded).toMatchObject({ subject: { kind: 'person', id: caseDoc.nikHash }, details: { caseId: 'CASE-REV-0001', via: 'refusal.review' } });
    expect(JSON.stringify(await audit.entries())).not.toContain('081298765432');
    expect((await audit.verify()).ok).toBe(true);
  });

  it('an appointment follow-up carries the slot into the machine event', async () => {
    const { reviews, pendingId } = await setUp();
    const missingTime = await reviews.review(pendingId, { kind: 'overturned', category: 'failureToServe', followUp: 'appointment', dueDate: '2026-03-04' }, head);
    expect(missingTime).toMatchObject({ ok: false, failure: { reason: 'INVALID_INPUT' } });
    const r = await reviews.review(pendingId, { kind: 'overturned', category: 'failureToServe', followUp: 'appointment', dueDate: '2026-03-04', dueTime: '09:30' }, head);
    expect(r.ok).toBe(true);
    if (r.ok) expect(storedReview(r.refusal)!.events[0]).toMatchObject({ type: 'review.overturned', appointment: { date: '2026-03-04', time: '09:30' } });
  });

  it('an appointment follow-up on a closed day or outside the hours is refused in words, and nothing is written', async () => {
    const { reviews, pendingId } = await setUp();
    // 2026-03-08 is a Sunday; 2026-03-04 a Wednesday, served 08:00–15:00 by default.
    const sunday = await reviews.review(pendingId, { kind: 'overturned', category: 'failureToServe', followUp: 'appointment', dueDate: '2026-03-08', dueTime: '09:00' }, head);
    expect(sunday).toMatchObject({ ok: false, failure: { reason: 'CLOSED_DAY' } });
    const late = await reviews.review(pendingId, { kind: 'overturned', category: 'failureToServe', followUp: 'appointment', dueDate: '2026-03-04', dueTime: '16:30' }, head);
    expect(late).toMatchObject({ ok: false, failure: { reason: 'OUTSIDE_HOURS' } });
    expect(await reviews.pending()).toHaveLength(1);
    const r = await reviews.review(pendingId, { kind: 'overturned', category: 'failureToServe', followUp: 'appointment', dueDate: '2026-03-04', dueTime: '14:30' }, head);
    expect(r.ok).toBe(true);
  });

  it('an overturn without a category or follow-up is refused, by the input schema and by the machine', async () => {
    const { db, reviews, audit, pendingId } = await setUp();
    const before = (await audit.entries()).length;
    const noCategory = await reviews.review(pendingId, { kind: 'overturned', followUp: 'callBack', dueDate: '2026-03-03' } as never, head);
    expect(noCategory).toMatchObject({ ok: false, failure: { reason: 'INVALID_INPUT' } });
    const noFollowUp = await reviews.review(pendingId, { kind: 'overturned', category: 'incompetence', dueDate: '2026-03-03' } as never, head);
    expect(noFollowUp).toMatchObject({ ok: false, failure: { reason: 'INVALID_INPUT' } });
    // The machine itself refuses the same events (it is what HQ replays).
    const refusal = { code: 'IDENTITY_NOT_VERIFIED', at: at('09:16'), actor: officer, facts: {} as never };
    const input = { caseId: 'CASE-REV-0001', flow: 'jmo-reset' as const, refusal };
    expect(replay(refusalReviewMachine, input, [{ type: 'review.overturned', at: at('10:00'), actor: head, followUp: 'callBack' }]).rejected?.reason).toBe('INVALID_EVENT');
    expect(replay(refusalReviewMachine, input, [{ type: 'review.overturned', at: at('10:00'), actor: head, category: 'incompetence' }]).rejected?.reason).toBe('INVALID_EVENT');
    expect(replay(refusalReviewMachine, input, [{ type: 'review.overturned', at: at('10:00'), actor: head, category: 'incompetence', followUp: 'appointment' }]).rejected?.reason).toBe('GUARD_FAILED');
    // Nothing changed, nothing audited.
    expect((await db.refusals.findOne(pendingId).exec())?.status).toBe('pending');
    expect((await audit.entries()).length).toBe(before);
  });

  it('only the branch head decides: an admin is refused by the machine', async () => {
    const { reviews, pendingId } = await setUp();
    const r = await reviews.review(pendingId, { kind: 'upheld' }, admin);
    expect(r).toMatchObject({ ok: false, failure: { reason: 'REFUSED_BY_MACHINE', rejection: { reason: 'ROLE_NOT_ALLOWED' } } });
    expect((await reviews.pending()).length).toBe(1);
  });

  it('reviewing twice is refused and leaves the first decision as it was', async () => {
    const { reviews, audit, pendingId } = await setUp();
    expect((await reviews.review(pendingId, { kind: 'upheld' }, head)).ok).toBe(true);
    const count = (await audit.entries()).length;
    const second = await reviews.review(pendingId, { kind: 'overturned', category: 'impropriety', followUp: 'reopenCase', dueDate: '2026-03-03' }, head);
    expect(second).toMatchObject({ ok: false, failure: { reason: 'ALREADY_REVIEWED' } });
    const [doc] = await reviews.reviewed();
    expect(doc).toMatchObject({ status: 'upheld', review: { decision: 'upheld', category: null } });
    expect(await reviews.openFollowUps()).toEqual([]);
    expect((await audit.entries()).length).toBe(count);
  });

  it('an invalid attempt is not a refusal to uphold', async () => {
    const { reviews } = await setUp();
    const [attempt] = await reviews.attempts();
    expect(await reviews.review(attempt!.refusal.id, { kind: 'upheld' }, head)).toMatchObject({ ok: false, failure: { reason: 'NOT_A_REFUSAL' } });
  });

  it('refuses a note that holds a NIK (the review is not encrypted)', async () => {
    const { reviews, pendingId } = await setUp();
    expect(await reviews.review(pendingId, { kind: 'upheld', note: `NIK ${NIK}` }, head)).toMatchObject({ ok: false, failure: { reason: 'INVALID_INPUT' } });
  });

  it('lists cases whose journal did not replay, with the flag reason', async () => {
    const { db, reviews } = await setUp();
    await db.cases.findOne('CASE-REV-0001').exec().then((d) => d!.incrementalPatch({ status: 'conflict', flag: { reason: 'snapshot differs from the replay of the journal', at: at('10:05') } }));
    expect(await reviews.replayMismatches()).toMatchObject([{ id: 'CASE-REV-0001', flow: 'jmo-reset', reason: 'snapshot differs from the replay of the journal' }]);
  });
});
