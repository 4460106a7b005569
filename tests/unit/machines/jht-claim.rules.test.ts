import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { KpjRecord } from '@shared/cases/schema';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { K1, K2, K3, NIK_56, ev, makeNik, officer, security, wib } from './fixtures';

type Ev = ReturnType<typeof ev>;
const input = (nik = NIK_56, openedAt = wib('2026-03-02')) => ({ caseId: 'C-1', nik, openedAt, config: DEFAULT_CASE_CONFIG });
const run = (events: Ev[], i = input()) => replay(jhtClaimMachine, i, events);
const ctx = (r: ReturnType<typeof run>) => r.snapshot.context;

const identityOk = (at?: string) => ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, officer, at);
const resignation = (effectiveDate: string, at?: string) => ev('cause.selected', { cause: 'resignation', effectiveDate }, officer, at);

/** A claim brought to the documents step with the given KPJs. */
const toDocuments = (kpjs: KpjRecord[]): Ev[] => [
  identityOk(),
  resignation('2026-01-15'),
  ev('kpj.searched', { results: kpjs }),
  ev('kpj.listConfirmed', {}),
];
const baseDocs = ev('document.presented', { documents: ['ektp', 'savingsBook', 'otherTerminationProof'] });

describe('JHT claim: waiting period from the effective date', () => {
  it.each([
    { effective: '2026-02-02', today: '2026-03-02', eligible: true, label: 'ends today' },
    { effective: '2026-02-03', today: '2026-03-02', eligible: false, label: 'ends tomorrow' },
    { effective: '2026-01-31', today: '2026-02-28', eligible: true, label: '31 Jan + 1 month = 28 Feb' },
    { effective: '2026-01-31', today: '2026-02-27', eligible: false, label: 'the day before 28 Feb' },
  ])('$label', ({ effective, today, eligible }) => {
    const at = wib(today);
    const r = run([identityOk(at), resignation(effective, at)], input(NIK_56, at));
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toEqual(eligible ? 'kpjListing' : { cause: 'notYetEligible' });
  });

  it('refuses with WAITING_PERIOD_NOT_ELAPSED only with an appointment on or after the first claim date', () => {
    const start = [identityOk(), resignation('2026-02-03')];
    const refuse = (appointment?: { date: string; time: string }) =>
      run([...start, ev('refusal.requested', { code: 'WAITING_PERIOD_NOT_ELAPSED', ...(appointment ? { appointment } : {}) })]);
    expect(refuse().snapshot.value).toEqual({ cause: 'notYetEligible' });
    expect(ctx(refuse()).invalidRefusals[0]?.why).toBe('APPOINTMENT_REQUIRED');
    expect(refuse({ date: '2026-03-02', time: '11:00' }).snapshot.value).toEqual({ cause: 'notYetEligible' });
    const ok = refuse({ date: '2026-03-03', time: '09:00' });
    expect(ok.snapshot.value).toBe('refused');
    expect(ctx(ok).receipt?.nextStep.id).toContain('Selasa, 3 Maret 2026');
  });

  it('the same refusal is rejected once the period has elapsed', () => {
    const r = run([identityOk(), resignation('2026-02-02'), ev('refusal.requested', { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date: '2026-03-03', time: '09:00' } })]);
    expect(r.snapshot.value).toBe('kpjListing');
    expect(ctx(r).invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
  });

  it('an effective date in the future is not accepted', () => {
    const r = run([identityOk(), resignation('2026-03-10')]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('JHT claim: age 56 from the NIK birth date', () => {
  const nik = makeNik('1970-03-02');
  it.each([
    { today: '2026-03-01', reached: false, label: 'the day before the 56th birthday' },
    { today: '2026-03-02', reached: true, label: 'the 56th birthday' },
  ])('$label', ({ today, reached }) => {
    const at = wib(today);
    const r = run([identityOk(at), ev('cause.selected', { cause: 'age56' }, officer, at)], input(nik, at));
    expect(r.snapshot.value).toEqual(reached ? 'kpjListing' : { cause: 'notYetEligible' });
  });

  it('a woman born on the 31st (day 71 in the NIK) turns 56 on the 31st', () => {
    const nik = makeNik('1970-01-31', 'female', 9);
    expect(nik.slice(6, 8)).toBe('71');
    const before = run([identityOk(wib('2026-01-30')), ev('cause.selected', { cause: 'age56' }, officer, wib('2026-01-30'))], input(nik, wib('2026-01-30')));
    const on = run([identityOk(wib('2026-01-31')), ev('cause.selected', { cause: 'age56' }, officer, wib('2026-01-31'))], input(nik, wib('2026-01-31')));
    expect(before.snapshot.value).toEqual({ cause: 'notYetEligible' });
    expect(on.snapshot.value).toBe('kpjListing');
  });
});

describe('JHT claim: partial claim once, after 10 years of membership, while still working', () => {
  it.each([
    { since: '2016-03-02', stillWorking: true, earlierPartialClaim: false, ok: true },
    { since: '2016-03-03', stillWorking: true, earlierPartialClaim: false, ok: false },
    { since: '2010-01-01', stillWorking: false, earlierPartialClaim: false, ok: false },
    { since: '2010-01-01', stillWorking: true, earlierPartialClaim: true, ok: false },
  ])('member since $since, still working $stillWorking, earlier partial $earlierPartialClaim → eligible: $ok', ({ since, stillWorking, earlierPartialClaim, ok }) => {
    const r = run([identityOk(), ev('cause.selected', { cause: 'partial', partial: { percent: 30, membershipSince: since, stillWorking, earlierPartialClaim } })]);
    expect(r.snapshot.value).toEqual(ok ? 'kpjListing' : { cause: 'notYetEligible' });
  });
});

describe('JHT claim: documents per cause', () => {
  const kpj = (balance: number): KpjRecord => ({ kpj: '12000000009', balance });

  it.each([
    { balance: 50_000_000, npwpNeeded: false },
    { balance: 50_000_001, npwpNeeded: true },
  ])('balance Rp$balance → NPWP required: $npwpNeeded', ({ balance, npwpNeeded }) => {
    const confirm = run([...toDocuments([kpj(balance)]), baseDocs, ev('documents.confirmed', {})]);
    expect(confirm.snapshot.value).toBe(npwpNeeded ? 'documents' : 'submitted');
    const askNpwp = run([...toDocuments([kpj(balance)]), baseDocs, ev('refusal.requested', { code: 'DOCUMENT_MISSING', documents: ['npwp'] })]);
    expect(askNpwp.snapshot.value).toBe(npwpNeeded ? 'refused' : 'documents');
  });

  it('NPWP counts the whole claim: two KPJ summing above the threshold', () => {
    const r = run([...toDocuments([K1, K2]), baseDocs, ev('documents.confirmed', {})]);
    expect(r.snapshot.value).toBe('documents');
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });

  it('a paklaring is optional when other proof of termination is presented', () => {
    const r = run([...toDocuments([K3]), baseDocs, ev('documents.confirmed', {})]);
    expect(r.snapshot.value).toBe('submitted');
    const refusePaklaring = run([...toDocuments([K3]), baseDocs, ev('refusal.requested', { code: 'DOCUMENT_MISSING', documents: ['paklaring'] })]);
    expect(refusePaklaring.snapshot.value).toBe('documents');
  });

  it('without any proof of termination the claim cannot be submitted and the slip names it', () => {
    const docs = ev('document.presented', { documents: ['ektp', 'savingsBook'] });
    expect(run([...toDocuments([K3]), docs, ev('documents.confirmed', {})]).rejected?.reason).toBe('GUARD_FAILED');
    const r = run([...toDocuments([K3]), docs, ev('refusal.requested', { code: 'DOCUMENT_MISSING' })]);
    expect(r.snapshot.value).toBe('refused');
    expect(ctx(r).receipt?.nextStep.id).toContain('paklaring atau bukti lain');
  });

  it('death claims need the family card and death certificate, not proof of termination', () => {
    const start = [identityOk(), ev('cause.selected', { cause: 'death' }), ev('kpj.searched', { results: [K3] }), ev('kpj.listConfirmed', {})];
    expect(run([...start, ev('document.presented', { documents: ['ektp', 'savingsBook'] }), ev('documents.confirmed', {})]).rejected).not.toBeNull();
    expect(run([...start, ev('document.presented', { documents: ['ektp', 'savingsBook', 'kk', 'deathCertificate'] }), ev('documents.confirmed', {})]).snapshot.value).toBe('submitted');
  });

  it('employer arrears never block the claim', () => {
    const arrears: KpjRecord = { ...K3, employerArrears: true };
    const r = run([
      ...toDocuments([arrears]),
      baseDocs,
      ev('documents.confirmed', {}),
      ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'paid' } }),
      ev('receipt.issued', {}),
    ]);
    expect(r.snapshot.value).toBe('closed');
    const refuse = run([...toDocuments([arrears]), ev('refusal.requested', { code: 'EMPLOYER_ARREARS' })]);
    expect(refuse.snapshot.value).toBe('documents');
    expect(ctx(refuse).invalidRefusals[0]?.why).toBe('UNKNOWN_CODE');
  });
});

describe('JHT claim: every KPJ of the NIK', () => {
  const submitted = [...toDocuments([K1, K2]), baseDocs, ev('document.presented', { documents: ['npwp'] }), ev('documents.confirmed', {})];
  const resolveAll = [
    ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }),
    ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'merged', into: K1.kpj } }),
  ];

  it('the list cannot be confirmed before the NIK search ran', () => {
    const r = run([identityOk(), resignation('2026-01-15'), ev('kpj.added', { record: K1 }), ev('kpj.listConfirmed', {})]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });

  it('the receipt waits for every KPJ and lists each outcome', () => {
    expect(run([...submitted, resolveAll[0]!, ev('receipt.issued', {})]).rejected?.reason).toBe('GUARD_FAILED');
    const r = run([...submitted, ...resolveAll, ev('receipt.issued', {})]);
    expect(r.snapshot.value).toBe('closed');
    expect(ctx(r).receipt?.kpjOutcomes?.map((o) => [o.kpj, o.outcome.kind])).toEqual([
      [K1.kpj, 'paid'],
      [K2.kpj, 'merged'],
    ]);
  });

  it('a third KPJ added after submission must be resolved before the receipt', () => {
    const third = ev('kpj.added', { record: K3 });
    const blocked = run([...submitted, ...resolveAll, third, ev('receipt.issued', {})]);
    expect(blocked.rejected?.reason).toBe('GUARD_FAILED');
    expect(blocked.snapshot.value).toBe('submitted');
    const pending = ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'pending', reason: 'menunggu konfirmasi pemberi kerja', followUpOn: '2026-03-09' } });
    const r = run([...submitted, ...resolveAll, third, pending, ev('receipt.issued', {})]);
    expect(r.snapshot.value).toBe('closed');
    expect(ctx(r).receipt?.kpjOutcomes).toHaveLength(3);
  });

  it('a KPJ added after submission that lifts the balance above Rp50,000,000 reopens documents', () => {
    const small: KpjRecord = { kpj: '12000000011', balance: 40_000_000 };
    const more: KpjRecord = { kpj: '12000000012', balance: 10_000_001 };
    const r = run([...toDocuments([small]), baseDocs, ev('documents.confirmed', {}), ev('kpj.added', { record: more })]);
    expect(r.snapshot.value).toBe('documents');
  });

  it.each([
    { label: 'merge into itself', outcome: { kind: 'merged', into: K1.kpj }, kpj: K1.kpj },
    { label: 'merge into a KPJ not in the claim', outcome: { kind: 'merged', into: '19999999999' }, kpj: K1.kpj },
    { label: 'pending with a follow-up date in the past', outcome: { kind: 'pending', reason: 'rekonsiliasi', followUpOn: '2026-03-01' }, kpj: K1.kpj },
    { label: 'resolve a KPJ not in the claim', outcome: { kind: 'paid' }, kpj: K3.kpj },
  ])('rejects: $label', ({ outcome, kpj }) => {
    expect(run([...submitted, ev('kpj.resolved', { kpj, outcome })]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('no chained merges: a KPJ that others merged into cannot itself be merged', () => {
    const r = run([...submitted, resolveAll[1]!, ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'merged', into: K2.kpj } })]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });

  it('NOT_A_PARTICIPANT only after a search that found nothing; ALREADY_PAID only when every KPJ was paid', () => {
    const before = run([identityOk(), resignation('2026-01-15'), ev('refusal.requested', { code: 'NOT_A_PARTICIPANT' })]);
    expect(before.snapshot.value).toBe('kpjListing');
    const none = run([identityOk(), resignation('2026-01-15'), ev('kpj.searched', { results: [] }), ev('refusal.requested', { code: 'NOT_A_PARTICIPANT' })]);
    expect(none.snapshot.value).toBe('refused');
    const paid = { ...K1, paidBefore: { paidOn: '2024-05-06', reference: 'PAY-778' } };
    const mixed = run([identityOk(), resignation('2026-01-15'), ev('kpj.searched', { results: [paid, K2] }), ev('refusal.requested', { code: 'ALREADY_PAID' })]);
    expect(mixed.snapshot.value).toBe('kpjListing');
    const all = run([identityOk(), resignation('2026-01-15'), ev('kpj.searched', { results: [paid] }), ev('refusal.requested', { code: 'ALREADY_PAID' })]);
    expect(all.snapshot.value).toBe('refused');
    expect(ctx(all).receipt?.nextStep.id).toContain('PAY-778');
  });
});

describe('JHT claim: refusals, roles and transfers', () => {
  it('IDENTITY_NOT_VERIFIED only after the e-KTP was checked and did not match', () => {
    expect(run([ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' })]).snapshot.value).toBe('identity');
    const r = run([ev('identity.checked', { ektpPresented: true, ektpMatchesNik: false }), ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' })]);
    expect(r.snapshot.value).toBe('refused');
    expect(r.emitted.map((e) => e.type)).toEqual(['refusal.recorded']);
  });

  it('OUTSIDE_SERVICE_HOURS holds after closing time, with an appointment at the next opening', () => {
    const late = wib('2026-03-02', '15:30');
    const r = run([ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '08:00' } }, officer, late)]);
    expect(r.snapshot.value).toBe('refused');
    expect(ctx(r).receipt?.nextStep.id).toContain('Selasa, 3 Maret 2026, 08.00');
    const inHours = run([ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '08:00' } }, officer, wib('2026-03-02', '14:59'))]);
    expect(inHours.snapshot.value).toBe('identity');
  });

  it('a security guard cannot refuse: the attempt is recorded and emitted for the head', () => {
    const r = run([ev('identity.checked', { ektpPresented: false, ektpMatchesNik: false }), ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' }, security)]);
    expect(r.snapshot.value).toBe('identity');
    expect(ctx(r).invalidRefusals).toEqual([expect.objectContaining({ code: 'IDENTITY_NOT_VERIFIED', why: 'ROLE_NOT_ALLOWED' })]);
    expect(r.emitted).toEqual([expect.objectContaining({ type: 'refusal.rejected', caseId: 'C-1' })]);
  });

  it('security cannot work a case at all', () => {
    expect(run([ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it.each([
    { reason: 'PERSON_REQUESTED', target: 'SBY01', sla: wib('2026-03-03'), ok: true },
    { reason: 'HOME_BRANCH', target: 'SBY01', sla: wib('2026-03-03'), ok: false },
    { reason: 'PERSON_REQUESTED', target: 'JKT01', sla: wib('2026-03-03'), ok: false },
    { reason: 'PERSON_REQUESTED', target: 'SBY01', sla: wib('2026-03-02', '09:00'), ok: false },
  ])('transfer $reason to $target (SLA $sla) → $ok', ({ reason, target, sla, ok }) => {
    const r = run([identityOk(), ev('transfer.requested', { targetBranch: target, reason, slaDeadline: sla })]);
    expect(r.snapshot.value).toEqual(ok ? 'transferred' : { cause: 'choosing' });
    if (ok) expect(ctx(r).receipt?.nextStep.id).toContain('SBY01');
  });
});

describe('JHT claim: the e-KTP checked at the identity step counts as presented', () => {
  it('needs only the savings book for an age-56 claim', () => {
    const r = run([
      identityOk(),
      ev('cause.selected', { cause: 'age56' }),
      ev('kpj.searched', { results: [K3] }),
      ev('kpj.listConfirmed', {}),
      ev('document.presented', { documents: ['savingsBook'] }),
      ev('documents.confirmed', {}),
    ]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('submitted');
  });
});
