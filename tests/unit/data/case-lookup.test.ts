import { afterEach, describe, expect, it } from 'vitest';
import { caseOutcome, findCases, parseCaseQuery, recordedPhone, refusalStatusByCase } from '../../../renderer/src/data/case-lookup';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { RefusalReviews } from '../../../renderer/src/data/db/refusal-reviews';
import type { CaseDoc } from '../../../renderer/src/data/db/schemas';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { head, makeNik, officer, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// Generated people only: composed NIKs, invented names.
const NIK_A = makeNik('1988-05-14', 'female', 31);
const NIK_B = makeNik('1979-11-02', 'male', 32);
const at = (time: string) => wib('2026-03-02', time);
const ev = (type: string, payload: object, time: string, actor = officer) => ({ type, at: at(time), actor, ...payload });
const viewer = { staffId: head.staffId, role: head.role };

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function setUp() {
  const db = await openTestDb(uniqueName('loket-lookup'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-office-1');
  const cases = new CaseJournal(db, await createNikHasher(TEST_KEY), 'UJI01', () => new Date(at('10:00')), audit);
  return { db, audit, cases };
}

const snap = (value: unknown, context: object = {}) => ({ status: 'closed' as const, snapshot: { value, status: 'done', context } });

describe('a case outcome at a glance (from the machine, not an event count)', () => {
  it('names every final state, a pending KPJ, an overturned refusal, an open case and a replay conflict', () => {
    expect(caseOutcome(snap('closed', { kpjs: [{ outcome: { kind: 'paid' } }] }))).toBe('served');
    expect(caseOutcome(snap('closed', { kpjs: [{ outcome: { kind: 'paid' } }, { outcome: { kind: 'pending', reason: 'x', followUpOn: '2026-03-05' } }] }))).toBe('pending');
    expect(caseOutcome(snap('closed'))).toBe('served');
    expect(caseOutcome(snap('refused'))).toBe('refused');
    expect(caseOutcome(snap('refused'), 'upheld')).toBe('refused');
    expect(caseOutcome(snap('refused'), 'pending')).toBe('refused');
    expect(caseOutcome(snap('refused'), 'overturned')).toBe('overturned');
    expect(caseOutcome(snap('transferred'))).toBe('transferred');
    expect(caseOutcome(snap('withdrawn'))).toBe('withdrawn');
    expect(caseOutcome({ status: 'open', snapshot: { value: { documents: 'collecting' }, status: 'active', context: {} } })).toBe('inProgress');
    expect(caseOutcome({ status: 'conflict', snapshot: { value: 'closed', status: 'done', context: {} } })).toBe('needsReview');
  });
});

describe('what the head types in the search box', () => {
  it('reads an NIK (pasted with spaces or dashes), a ticket number, or a case number', () => {
    const spaced = `${NIK_A.slice(0, 6)} ${NIK_A.slice(6, 12)}-${NIK_A.slice(12)}`;
    expect(parseCaseQuery(spaced)).toEqual({ kind: 'nik', nik: NIK_A });
    expect(parseCaseQuery(' c2-017 ')).toEqual({ kind: 'ticket', number: 'C2-017' });
    expect(parseCaseQuery('uji01-20260302-c2-017-a1b2c3')).toEqual({ kind: 'caseId', id: 'UJI01-20260302-C2-017-A1B2C3' });
    expect(parseCaseQuery('  ')).toBeNull();
    expect(parseCaseQuery('ab')).toBeNull();
    expect(parseCaseQuery('x'.repeat(101))).toBeNull();
  });
});

describe('the head finds any case, and every search is audited', () => {
  it('by case number (exact or its beginning), by ticket number, and by NIK through the keyed hash', async () => {
    const { db, audit, cases } = await setUp();
    const now = new Date(at('10:00')).toISOString();
    await db.tickets.insert({ id: 'UJI01:2026-03-02:C1:1', branchCode: 'UJI01', service: 'jmo-reset', status: 'serving', number: 'C1-001', day: '2026-03-02', slot: 1, seq: 1, nikHash: 'a'.repeat(64), issuedAt: now, updatedAt: now, history: [] });
    await cases.open({ id: 'UJI01-20260302-C1-001-AAAAAA', flow: 'jmo-reset', person: { nik: NIK_A, name: 'Peserta Uji Cari' }, ticketId: 'UJI01:2026-03-02:C1:1' });
    await cases.open({ id: 'UJI01-20260302-C1-002-BBBBBB', flow: 'jmo-reset', person: { nik: NIK_B, name: 'Peserta Uji Lain' } });
    const deps = { db, cases, audit, now: () => new Date(at('10:05')) };

    const byId = await findCases(deps, parseCaseQuery('uji01-20260302-c1-002-bbbbbb')!, viewer);
    expect(byId.map((c) => c.id)).toEqual(['UJI01-20260302-C1-002-BBBBBB']);
    const byPrefix = await findCases(deps, parseCaseQuery('UJI01-20260302-C1')!, viewer);
    expect(byPrefix.map((c) => c.id).sort()).toEqual(['UJI01-20260302-C1-001-AAAAAA', 'UJI01-20260302-C1-002-BBBBBB']);
    const byTicket = await findCases(deps, parseCaseQuery('C1-001')!, viewer);
    expect(byTicket.map((c) => c.id)).toEqual(['UJI01-20260302-C1-001-AAAAAA']);
    const byNik = await findCases(deps, parseCaseQuery(NIK_B)!, viewer);
    expect(byNik.map((c) => c.id)).toEqual(['UJI01-20260302-C1-002-BBBBBB']);
    expect(await findCases(deps, parseCaseQuery('C9-999')!, viewer)).toEqual([]);

    const searches = (await audit.entries()).filter((e) => e.action.endsWith('.searched'));
    expect(searches.map((e) => [e.action, e.details])).toEqual([
      ['case.searched', { by: 'caseId', found: 1 }],
      ['case.searched', { by: 'caseId', found: 2 }],
      ['case.searched', { by: 'ticket', found: 1 }],
      ['person.searched', { found: 1 }],
      ['case.searched', { by: 'ticket', found: 0 }],
    ]);
    expect(searches.every((e) => e.actor.staffId === 'head01')).toBe(true);
    // The NIK is never in the audit chain: the subject of an NIK search is its keyed hash.
    const chain = JSON.stringify(await audit.entries());
    expect(chain).not.toContain(NIK_A);
    expect(chain).not.toContain(NIK_B);
    expect((await audit.verify()).ok).toBe(true);

    // Opening a case is an audited read of the person's record.
    await cases.get('UJI01-20260302-C1-002-BBBBBB', viewer);
    expect((await audit.entries()).at(-1)).toMatchObject({ action: 'person.viewed', details: { caseId: 'UJI01-20260302-C1-002-BBBBBB' } });
  });

  it('a refused case whose refusal the head overturned shows as overturned', async () => {
    const { db, audit, cases } = await setUp();
    await cases.open({ id: 'CASE-LOOK-0001', flow: 'jmo-reset', person: { nik: NIK_A, name: 'Peserta Uji Tolak', phone: '081234567890' } });
    await cases.append('CASE-LOOK-0001', ev('identity.checked', { ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true }, '09:15'));
    const refused = await cases.append('CASE-LOOK-0001', ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' }, '09:16'));
    expect(refused.ok, JSON.stringify(refused)).toBe(true);
    const doc = (await cases.get('CASE-LOOK-0001'))!;
    expect(caseOutcome(doc, (await refusalStatusByCase(db, [doc.id])).get(doc.id))).toBe('refused');
    const reviews = new RefusalReviews(db, audit, () => new Date(at('10:00')));
    const [pending] = await reviews.pending();
    const r = await reviews.review(pending!.id, { kind: 'overturned', category: 'proceduralDeviation', followUp: 'callBack', dueDate: '2026-03-03' }, head);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(caseOutcome(doc, (await refusalStatusByCase(db, [doc.id])).get(doc.id))).toBe('overturned');
  });
});

describe('a recorded phone number', () => {
  const base = { person: { nik: NIK_A, name: 'Peserta Uji' }, events: [] } as Pick<CaseDoc, 'person' | 'events'>;
  it('is the one given at opening, else the latest contact update, else none', () => {
    expect(recordedPhone(base)).toBeNull();
    expect(recordedPhone({ ...base, person: { ...base.person, phone: '081234567890' } })).toBe('081234567890');
    expect(recordedPhone({ ...base, events: [{ type: 'contact.updated', phone: '081200000001', email: 'a@b.id' }, { type: 'contact.updated', phone: '081200000002', email: 'a@b.id' }] })).toBe('081200000002');
    expect(recordedPhone({ ...base, events: [{ type: 'contact.updated', phone: '  ', email: 'a@b.id' }] })).toBeNull();
  });
});
