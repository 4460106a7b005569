import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { KpjRecord } from '@shared/cases/schema';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import {
  CauseForm,
  KpjForm,
  ResolutionForm,
  causeTiming,
  checklistOf,
  employersFromJournal,
  formatRupiah,
  issuesByField,
  kpjRecordOf,
  mergeTargets,
  parseRupiah,
  partialBlockers,
  stepOf,
  unresolvedKpjs,
} from '../../renderer/src/screens/desk/jht/model';
import { NIK_56, ev, wib } from './machines/fixtures';

// The panel's pure view of a JHT claim, checked against the real machine (not a copy of its rules).

type Ev = ReturnType<typeof ev>;
const input = { caseId: 'C-JHT-1', nik: NIK_56, openedAt: wib('2026-03-02'), config: DEFAULT_CASE_CONFIG };
const run = (events: Ev[]) => replay(jhtClaimMachine, input, events);

const A: KpjRecord = { kpj: '12000000011', balance: 30_000_000 };
const B: KpjRecord = { kpj: '12000000022', balance: 20_000_000 };
const start = (cause: Record<string, unknown>, kpjs: KpjRecord[]): Ev[] => [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
  ev('cause.selected', cause),
  ...kpjs.map((record) => ev('kpj.added', { record })),
  ev('kpj.searched', { results: kpjs }),
  ev('kpj.listConfirmed', {}),
];
const resignation = { cause: 'resignation', effectiveDate: '2026-01-15' };

describe('Rupiah input and display', () => {
  it.each([
    ['30000000', 30_000_000],
    ['30.000.000', 30_000_000],
    ['Rp 30.000.000', 30_000_000],
    ['rp30.000.000', 30_000_000],
    [' 1.500 ', 1_500],
    ['0', 0],
  ])('reads %j as %d', (text, value) => expect(parseRupiah(text)).toBe(value));

  it.each(['', '30.00.000', '30,5', '30.000,00', '-5', 'tiga juta', '1.2345'])('rejects %j instead of guessing', (text) => expect(parseRupiah(text)).toBeNull());

  it('writes Indonesian thousands separators', () => {
    expect(formatRupiah(55_000_000)).toBe('Rp55.000.000');
    expect(formatRupiah(999)).toBe('Rp999');
    expect(formatRupiah(1_000)).toBe('Rp1.000');
  });
});

describe('KPJ form', () => {
  const base = { kpj: '1200 0000 011', employer: 'PT Contoh Sejahtera', balance: '30.000.000', registeredOn: '', employerArrears: false, paidBefore: false, paidOn: '', reference: '' };

  it('accepts a card number typed with spaces and a balance with separators, keeping the employer', () => {
    const r = KpjForm.safeParse(base);
    expect(r.success).toBe(true);
    expect(kpjRecordOf(r.data!)).toEqual({ kpj: '12000000011', employer: 'PT Contoh Sejahtera', balance: 30_000_000 });
  });

  it('names the bad fields: 10-digit KPJ, missing employer, a balance with a decimal comma', () => {
    const r = KpjForm.safeParse({ ...base, kpj: '1200000001', employer: ' ', balance: '30,5' });
    expect(r.success).toBe(false);
    expect(issuesByField(r.error!.issues)).toEqual({ kpj: 'errors.kpj', employer: 'errors.employer', balance: 'errors.balance' });
  });

  it('a KPJ paid before needs its payment date and reference', () => {
    const r = KpjForm.safeParse({ ...base, paidBefore: true });
    expect(issuesByField(r.error!.issues)).toEqual({ paidOn: 'errors.paidOn', reference: 'errors.reference' });
    const ok = KpjForm.safeParse({ ...base, paidBefore: true, paidOn: '2024-05-01', reference: 'PAY-1' });
    expect(kpjRecordOf(ok.data!).paidBefore).toEqual({ paidOn: '2024-05-01', reference: 'PAY-1' });
  });

  it('the record it builds is accepted by the machine (the employer stays in the journal line)', () => {
    const record = kpjRecordOf(KpjForm.parse(base));
    const events = [...start(resignation, []).slice(0, 2), ev('kpj.added', { record })];
    const r = run(events);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.context.kpjs.map((k) => k.kpj)).toEqual(['12000000011']);
    expect(employersFromJournal(events)).toEqual({ '12000000011': 'PT Contoh Sejahtera' });
  });
});

describe('cause: dates shown before choosing', () => {
  const cfg = DEFAULT_CASE_CONFIG;
  it('resignation: first claimable date is effective date + 1 month', () => {
    expect(causeTiming('resignation', '2026-02-02', '', null, cfg, '2026-03-02')).toMatchObject({ firstClaimDate: '2026-03-02', claimableToday: true });
    expect(causeTiming('dismissal', '2026-02-03', '', null, cfg, '2026-03-02')).toMatchObject({ firstClaimDate: '2026-03-03', claimableToday: false });
  });

  it('age 56 from the birth date, partial from the 10th membership anniversary', () => {
    expect(causeTiming('age56', '', '', '1969-05-10', cfg, '2026-03-02')).toMatchObject({ retirementDate: '2025-05-10', claimableToday: true });
    const partial = causeTiming('partial', '', '2016-03-03', null, cfg, '2026-03-02');
    expect(partial).toMatchObject({ partialFrom: '2026-03-03', claimableToday: false });
    expect(partialBlockers(true, false, partial)).toEqual(['partial.blockYears']);
    expect(partialBlockers(false, true, { ...partial, claimableToday: true })).toEqual(['partial.blockNotWorking', 'partial.blockEarlier']);
  });

  it('the cause form builds events the machine takes, and refuses a future effective date', () => {
    const today = '2026-03-02';
    const form = { cause: 'resignation', effectiveDate: '2026-01-15', percent: '10', membershipSince: '', stillWorking: true, earlierPartialClaim: false, today };
    const data = CauseForm.parse(form);
    expect(data).toEqual({ cause: 'resignation', effectiveDate: '2026-01-15' });
    const r = run([ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }), ev('cause.selected', data)]);
    expect(r.snapshot.value).toBe('kpjListing');
    const future = CauseForm.safeParse({ ...form, effectiveDate: '2026-03-03' });
    expect(issuesByField(future.error!.issues)).toEqual({ effectiveDate: 'errors.effectiveFuture' });
    const partial = CauseForm.parse({ ...form, cause: 'partial', percent: '30', membershipSince: '2010-01-01' });
    expect(partial).toEqual({ cause: 'partial', partial: { percent: 30, membershipSince: '2010-01-01', stillWorking: true, earlierPartialClaim: false } });
  });
});

describe('document checklist per cause', () => {
  const docsCtx = (events: Ev[]) => run(events).snapshot.context;

  it('resignation: termination proof is a paklaring OR other proof; e-KTP from the identity step counts', () => {
    const ctx = docsCtx([...start(resignation, [A]), ev('document.presented', { documents: ['savingsBook', 'otherTerminationProof'] })]);
    const list = checklistOf(ctx);
    expect(list.items.map((i) => [i.requirement, i.satisfied])).toEqual([
      ['ektp', true],
      ['savingsBook', true],
      ['terminationProof', true],
    ]);
    expect(list.items.find((i) => i.requirement === 'terminationProof')!.kinds).toEqual(['paklaring', 'otherTerminationProof']);
    expect(list.missing).toEqual([]);
  });

  it('death needs KK and death certificate, and no termination proof', () => {
    const ctx = docsCtx(start({ cause: 'death' }, [A]));
    expect(checklistOf(ctx).missing).toEqual(['savingsBook', 'kk', 'deathCertificate']);
  });

  it('NPWP only when the claimable balance is strictly above Rp50,000,000', () => {
    const exactly = docsCtx(start(resignation, [A, B]));
    expect(checklistOf(exactly).npwp).toEqual({ required: false, balance: 50_000_000, threshold: 50_000_000 });
    expect(checklistOf(exactly).missing).not.toContain('npwp');
    const above = docsCtx(start(resignation, [A, { ...B, balance: 20_000_001 }]));
    expect(checklistOf(above).npwp.required).toBe(true);
    expect(checklistOf(above).missing).toContain('npwp');
    // A KPJ paid out in an earlier claim does not count towards the threshold.
    const paidBefore = docsCtx(start(resignation, [A, { ...B, balance: 90_000_000, paidBefore: { paidOn: '2020-01-01', reference: 'R1' } }]));
    expect(checklistOf(paidBefore).npwp).toMatchObject({ required: false, balance: 30_000_000 });
  });
});

describe('every KPJ resolved before close (two KPJ from two employers)', () => {
  const submitted = [...start(resignation, [A, B]), ev('document.presented', { documents: ['savingsBook', 'paklaring'] }), ev('documents.confirmed', {})];

  it('one open KPJ keeps the claim open; the machine agrees', () => {
    const events = [...submitted, ev('kpj.resolved', { kpj: A.kpj, outcome: { kind: 'paid' } })];
    const r = run(events);
    expect(stepOf(r.snapshot.value).step).toBe('submitted');
    expect(unresolvedKpjs(r.snapshot.context.kpjs).map((k) => k.kpj)).toEqual([B.kpj]);
    expect(run([...events, ev('receipt.issued', {})]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('pending with a reason and a follow-up date counts as resolved; the receipt lists both', () => {
    const pending = ResolutionForm.parse({ kind: 'pending', into: '', reason: 'BALANCE_RECONCILIATION', followUpOn: '2026-03-09', note: 'Menunggu konfirmasi saldo', today: '2026-03-02', latest: '2026-03-09' });
    expect(pending).toEqual({ kind: 'pending', reason: 'BALANCE_RECONCILIATION', followUpOn: '2026-03-09', note: 'Menunggu konfirmasi saldo' });
    const events = [...submitted, ev('kpj.resolved', { kpj: A.kpj, outcome: { kind: 'paid' } }), ev('kpj.resolved', { kpj: B.kpj, outcome: pending })];
    const r = run(events);
    expect(unresolvedKpjs(r.snapshot.context.kpjs)).toEqual([]);
    const closed = run([...events, ev('receipt.issued', {})]);
    expect(closed.rejected).toBeNull();
    expect(stepOf(closed.snapshot.value).step).toBe('closed');
    expect(closed.snapshot.context.receipt?.kpjOutcomes?.map((o) => [o.kpj, o.outcome.kind])).toEqual([
      [A.kpj, 'paid'],
      [B.kpj, 'pending'],
    ]);
  });

  it('merge targets are the other KPJs not merged away; a past follow-up date is refused by the form', () => {
    const r = run([...submitted, ev('kpj.resolved', { kpj: B.kpj, outcome: { kind: 'merged', into: A.kpj } })]);
    expect(mergeTargets(r.snapshot.context.kpjs, A.kpj)).toEqual([]);
    expect(mergeTargets(r.snapshot.context.kpjs, B.kpj).map((k) => k.kpj)).toEqual([A.kpj]);
    const form = { kind: 'pending', into: '', reason: 'EMPLOYER_DATA_CONFIRMATION', note: '', today: '2026-03-02', latest: '2026-03-09' };
    const past = ResolutionForm.safeParse({ ...form, followUpOn: '2026-03-01' });
    expect(issuesByField(past.error!.issues)).toEqual({ followUpOn: 'errors.followUpPast' });
    // Issue 16: beyond the working-day limit, or a free-text reason, is refused by the form too.
    const late = ResolutionForm.safeParse({ ...form, followUpOn: '2026-03-10' });
    expect(issuesByField(late.error!.issues)).toEqual({ followUpOn: 'errors.followUpTooLate' });
    const free = ResolutionForm.safeParse({ ...form, reason: 'sistem gangguan', followUpOn: '2026-03-09' });
    expect(issuesByField(free.error!.issues)).toEqual({ reason: 'errors.reason' });
    expect(ResolutionForm.safeParse({ ...form, followUpOn: '2026-03-09' }).success).toBe(true);
  });
});

describe('step of a snapshot value', () => {
  it.each([
    ['identity', { step: 'identity', sub: null }],
    [{ cause: 'notYetEligible' }, { step: 'cause', sub: 'notYetEligible' }],
    ['submitted', { step: 'submitted', sub: null }],
  ])('%j', (value, expected) => expect(stepOf(value)).toEqual(expected));
});
