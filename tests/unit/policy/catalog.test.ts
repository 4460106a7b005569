import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { CASE_FLOWS, REQUIRED_DOCUMENTS } from '@shared/cases/schema';
import { causeDocuments, missingDocuments, npwpRequired } from '@shared/cases/rules';
import { POLICY_CATALOG, PREDICATES, REFUSAL_CODES, REQUIRED_DOCUMENT_TITLES, checkRefusal, reasonFor, slipNextStep } from '@shared/policy/catalog';
import type { RefusalFacts } from '@shared/policy/facts';
import { isWithinServiceHours, nextOpening } from '@shared/policy/hours';
import { INFO_TOPICS } from '@shared/policy/info';
import { NON_REASONS } from '@shared/policy/non-reasons';

const AT = '2026-03-02T10:00:00+07:00';
const facts = (over: Partial<RefusalFacts> = {}): RefusalFacts => ({
  flow: 'jht-claim',
  at: AT,
  serviceHours: DEFAULT_SERVICE_HOURS,
  identity: { ektpPresented: true, ektpMatchesNik: true },
  participantFound: true,
  firstClaimDate: null,
  missingDocuments: [],
  kpjs: [{ kpj: '12000000001' }],
  ...over,
});

describe('policy catalog', () => {
  it('holds exactly the reasons of DOMAIN.md, each complete and readable', () => {
    expect(POLICY_CATALOG.map((r) => r.code)).toEqual([...REFUSAL_CODES]);
    expect(REFUSAL_CODES).toEqual(['IDENTITY_NOT_VERIFIED', 'WAITING_PERIOD_NOT_ELAPSED', 'DOCUMENT_MISSING', 'ALREADY_PAID', 'NOT_A_PARTICIPANT', 'OUTSIDE_SERVICE_HOURS', 'AGE_NOT_REACHED']);
    for (const r of POLICY_CATALOG) {
      expect(r.title.id && r.title.en && r.legalBasis.id && r.legalBasis.en && r.nextStep.id && r.nextStep.en && r.holdsWhen.id).toBeTruthy();
      expect(r.flows.length).toBeGreaterThan(0);
      for (const f of r.flows) expect(CASE_FLOWS).toContain(f);
      expect(PREDICATES[r.guard]).toBeTypeOf('function');
    }
  });

  it.each([
    { code: 'IDENTITY_NOT_VERIFIED', holds: facts({ identity: { ektpPresented: false, ektpMatchesNik: false } }), not: facts() },
    { code: 'IDENTITY_NOT_VERIFIED', holds: facts({ identity: { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false } }), not: facts({ identity: null }) },
    { code: 'WAITING_PERIOD_NOT_ELAPSED', holds: facts({ firstClaimDate: '2026-03-03' }), not: facts({ firstClaimDate: '2026-03-02' }) },
    { code: 'DOCUMENT_MISSING', holds: facts({ missingDocuments: ['savingsBook'] }), not: facts({ missingDocuments: null }) },
    { code: 'ALREADY_PAID', holds: facts({ kpjs: [{ kpj: '1', paidBefore: { paidOn: '2024-01-02', reference: 'R1' } }] }), not: facts({ kpjs: [] }) },
    { code: 'NOT_A_PARTICIPANT', holds: facts({ participantFound: false }), not: facts({ participantFound: null }) },
    { code: 'OUTSIDE_SERVICE_HOURS', holds: facts({ at: '2026-03-02T15:00:00+07:00' }), not: facts({ at: '2026-03-02T08:00:00+07:00' }) },
  ])('$code: guard holds and does not hold at the edge', ({ code, holds, not }) => {
    const reason = reasonFor(code)!;
    expect(PREDICATES[reason.guard](holds, { code })).toBe(true);
    expect(PREDICATES[reason.guard](not, { code })).toBe(false);
  });

  it('checks role, flow, guard and appointment in that order', () => {
    const f = facts({ identity: { ektpPresented: false, ektpMatchesNik: false } });
    expect(checkRefusal(f, { code: 'IDENTITY_NOT_VERIFIED' }, 'security')).toEqual({ ok: false, why: 'ROLE_NOT_ALLOWED' });
    expect(checkRefusal(f, { code: 'IDENTITY_NOT_VERIFIED' }, 'admin')).toEqual({ ok: false, why: 'ROLE_NOT_ALLOWED' });
    expect(checkRefusal(f, { code: 'IDENTITY_NOT_VERIFIED' }, 'officer').ok).toBe(true);
    expect(checkRefusal({ ...f, flow: 'jmo-reset' }, { code: 'DOCUMENT_MISSING' }, 'officer')).toEqual({ ok: false, why: 'NOT_FOR_FLOW' });
    const late = facts({ at: '2026-03-06T16:00:00+07:00' });
    expect(checkRefusal(late, { code: 'OUTSIDE_SERVICE_HOURS' }, 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
    expect(checkRefusal(late, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-07', time: '09:00' } }, 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
    expect(checkRefusal(late, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-09', time: '08:00' } }, 'head').ok).toBe(true);
  });

  it('a DOCUMENT_MISSING slip names exactly the missing documents', () => {
    const f = facts({ missingDocuments: ['terminationProof', 'npwp'] });
    const r = checkRefusal(f, { code: 'DOCUMENT_MISSING', documents: ['npwp'] }, 'officer');
    expect(r.ok).toBe(true);
    if (r.ok) {
      const slip = slipNextStep(r.reason, f, { code: 'DOCUMENT_MISSING' });
      expect(slip.id).toContain(REQUIRED_DOCUMENT_TITLES.terminationProof.id);
      expect(slip.en).toContain(REQUIRED_DOCUMENT_TITLES.npwp.en);
      expect(slip.id).not.toContain('{');
    }
    expect(checkRefusal(f, { code: 'DOCUMENT_MISSING', documents: ['kk'] }, 'officer').ok).toBe(false);
  });

  it('every required document has an Indonesian and English title', () => {
    for (const d of REQUIRED_DOCUMENTS) expect(REQUIRED_DOCUMENT_TITLES[d].id && REQUIRED_DOCUMENT_TITLES[d].en).toBeTruthy();
  });
});

describe('non-reasons (DOMAIN.md) are never refusal reasons', () => {
  it('none of the invented codes is in the catalog, and no transfer reason but PERSON_REQUESTED exists', () => {
    for (const nr of NON_REASONS) {
      if (nr.attempt.type === 'transfer.requested') expect(nr.attempt.reason).not.toBe('PERSON_REQUESTED');
      else if (!['DOCUMENT_MISSING', 'OUTSIDE_SERVICE_HOURS'].includes(nr.attempt.code)) expect(reasonFor(nr.attempt.code)).toBeUndefined();
    }
    expect(NON_REASONS.map((n) => n.id)).toEqual(
      expect.arrayContaining(['GO_TO_HOME_BRANCH', 'USE_THE_APP', 'PAKLARING_REQUIRED', 'EMPLOYER_ARREARS', 'NPWP_AT_MOST_50M', 'RESET_ONLY_0800_0830', 'QUOTA_FULL', 'ANY_FEE']),
    );
  });

  it.each(NON_REASONS.filter((n) => n.attempt.type === 'refusal.requested').map((n) => [n.id, n] as const))('%s is refused by checkRefusal in its situation', (_, nr) => {
    if (nr.attempt.type !== 'refusal.requested') return;
    // The situation in which the sentence is a non-reason: NPWP not required, other proof presented, 09:15 on a Monday.
    const situation = facts({ at: nr.localTime ? `2026-03-02T${nr.localTime}:00+07:00` : AT, missingDocuments: [] });
    for (const flow of CASE_FLOWS) {
      expect(checkRefusal({ ...situation, flow }, { code: nr.attempt.code, documents: nr.attempt.documents }, 'officer').ok).toBe(false);
    }
  });

  it('paklaring is never a requirement by itself: any other proof of termination satisfies it', () => {
    expect(missingDocuments('resignation', ['ektp', 'savingsBook', 'otherTerminationProof'], [], 50_000_000)).toEqual([]);
    expect(missingDocuments('resignation', ['ektp', 'savingsBook', 'paklaring'], [], 50_000_000)).toEqual([]);
    expect(missingDocuments('resignation', ['ektp', 'savingsBook'], [], 50_000_000)).toEqual(['terminationProof']);
    expect(causeDocuments('age56')).not.toContain('terminationProof');
  });

  it.each([
    { balance: 50_000_000, required: false },
    { balance: 50_000_001, required: true },
  ])('NPWP at Rp$balance required: $required', ({ balance, required }) => {
    expect(npwpRequired(balance, 50_000_000)).toBe(required);
    expect(missingDocuments('age56', ['ektp', 'savingsBook'], [{ kpj: '12000000001', balance }], 50_000_000)).toEqual(required ? ['npwp'] : []);
  });

  it('balances already paid before do not count towards the NPWP threshold', () => {
    const kpjs = [
      { kpj: '12000000001', balance: 40_000_000 },
      { kpj: '12000000002', balance: 40_000_000, paidBefore: { paidOn: '2020-01-01', reference: 'R' } },
    ];
    expect(missingDocuments('age56', ['ektp', 'savingsBook'], kpjs, 50_000_000)).toEqual([]);
  });
});

describe('service hours and info answers', () => {
  it.each([
    { at: '2026-03-02T07:59:00+07:00', open: false },
    { at: '2026-03-02T08:00:00+07:00', open: true },
    { at: '2026-03-02T14:59:00+07:00', open: true },
    { at: '2026-03-02T15:00:00+07:00', open: false },
    { at: '2026-03-07T10:00:00+07:00', open: false },
  ])('$at open: $open', ({ at, open }) => expect(isWithinServiceHours(DEFAULT_SERVICE_HOURS, at)).toBe(open));

  it('the next opening after Friday afternoon is Monday 08:00', () => {
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-06T16:00:00+07:00')).toEqual({ date: '2026-03-09', time: '08:00' });
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-02T07:00:00+07:00')).toEqual({ date: '2026-03-02', time: '08:00' });
  });

  it('no info answer invents a time window or a home-branch rule', () => {
    for (const t of Object.values(INFO_TOPICS)) {
      expect(t.answer.id).not.toMatch(/08[.:]00\s*[–-]\s*08[.:]30|cabang asal saja|cabang tempat terdaftar/);
      expect(t.question.en && t.answer.en).toBeTruthy();
    }
  });
});
