import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG, type CaseConfig } from '@shared/cases/config';
import { amountPaidInClaim, lumpSumTax, resolutionValid, type KpjLine } from '@shared/cases/rules';
import type { KpjRecord } from '@shared/cases/schema';
import { checkPending, firstOpenSlot, latestFollowUp, PENDING_CATALOG, PENDING_CODES, pendingReasonFor, POLICY_CATALOG, reasonFor } from '@shared/policy';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { checkPath } from '@state-machines/invariants';
import { replay } from '@state-machines/replay';
import { K1, K2, K3, NIK_56, ev, makeNik, security, wib } from './fixtures';

// Issue 16, points 3 (a pending KPJ is controlled), 12 (NPWP and tax on the amount paid) and the
// machine half of 4 (every "not yet" ends with a date). DOMAIN.md "JHT" and "Refusals".

type Ev = ReturnType<typeof ev>;
const DAY = '2026-03-02'; // Monday
const inputOf = (o: { nik?: string; at?: string; legacy?: boolean; config?: CaseConfig } = {}) => ({
  caseId: 'C-16P',
  nik: o.nik ?? NIK_56,
  openedAt: o.at ?? wib(DAY),
  visitStartedAt: o.at ?? wib(DAY, '09:00'),
  config: o.config ?? DEFAULT_CASE_CONFIG,
  ...(o.legacy ? {} : { recordedChecks: true as const }),
});
const identityOk = (at?: string) => ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, undefined, at);
const allDocs = ev('document.presented', { documents: ['ektp', 'savingsBook', 'otherTerminationProof', 'npwp'] });

/** A resignation claim with K1 and K2 (NPWP presented), submitted on Monday 2 March 2026. */
const submitted = (at = wib(DAY)): Ev[] => [
  identityOk(at),
  ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }, undefined, at),
  ev('kpj.searched', { results: [K1, K2] }, undefined, at),
  ev('kpj.listConfirmed', {}, undefined, at),
  { ...allDocs, at },
  ev('documents.confirmed', {}, undefined, at),
  ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, undefined, at),
];
const pending = (reason: string, followUpOn: string, at = wib(DAY), note?: string) =>
  ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'pending', reason, followUpOn, ...(note ? { note } : {}) } }, undefined, at);

describe('a pending KPJ is controlled: a catalog reason and a follow-up within 5 working days', () => {
  it('the catalog of pending reasons has a code, both languages and a basis for each, and no "system down"', () => {
    expect(PENDING_CATALOG.map((r) => r.code)).toEqual([...PENDING_CODES]);
    for (const r of PENDING_CATALOG) {
      for (const t of [r.title, r.basis, r.followUp]) expect(t.id.length * t.en.length).toBeGreaterThan(0);
    }
    expect(PENDING_CATALOG.some((r) => /sistem|system/i.test(r.title.id + r.title.en))).toBe(false);
    expect(pendingReasonFor('EMPLOYER_DATA_CONFIRMATION')?.code).toBe('EMPLOYER_DATA_CONFIRMATION');
    expect(pendingReasonFor('SYSTEM_DOWN')).toBeUndefined();
  });

  it.each([
    { label: 'today', followUpOn: '2026-03-02', ok: true },
    { label: 'the 5th working day (next Monday)', followUpOn: '2026-03-09', ok: true },
    { label: 'the 6th working day', followUpOn: '2026-03-10', ok: false },
    { label: 'next month ("come back next month")', followUpOn: '2026-04-02', ok: false },
    { label: 'yesterday', followUpOn: '2026-03-01', ok: false },
  ])('from Monday: follow-up $label → accepted: $ok', ({ followUpOn, ok }) => {
    const r = replay(jhtClaimMachine, inputOf(), [...submitted(), pending('EMPLOYER_DATA_CONFIRMATION', followUpOn)]);
    expect(r.rejected?.reason ?? null).toBe(ok ? null : 'GUARD_FAILED');
  });

  it('working days skip the weekend: from Friday the 5th working day is the next Friday, not Wednesday', () => {
    const fri = wib('2026-03-06');
    const base = replay(jhtClaimMachine, inputOf({ at: wib('2026-03-06', '08:30') }), [...submitted(fri), pending('BALANCE_RECONCILIATION', '2026-03-13', fri)]);
    expect(base.rejected).toBeNull();
    const late = replay(jhtClaimMachine, inputOf({ at: wib('2026-03-06', '08:30') }), [...submitted(fri), pending('BALANCE_RECONCILIATION', '2026-03-16', fri)]);
    expect(late.rejected?.reason).toBe('GUARD_FAILED');
    expect(latestFollowUp('2026-03-06', 5)).toBe('2026-03-13');
    expect(latestFollowUp('2026-03-07', 1)).toBe('2026-03-09');
  });

  it('working days skip national holidays and joint leave (Nyepi, Idul Fitri 2026): from Tuesday 17 March the 5th is 31 March', () => {
    expect(latestFollowUp('2026-03-17', 5)).toBe('2026-03-31');
    const tue = wib('2026-03-17');
    const ok = replay(jhtClaimMachine, inputOf({ at: wib('2026-03-17', '08:30') }), [...submitted(tue), pending('BALANCE_RECONCILIATION', '2026-03-31', tue)]);
    expect(ok.rejected).toBeNull();
    const late = replay(jhtClaimMachine, inputOf({ at: wib('2026-03-17', '08:30') }), [...submitted(tue), pending('BALANCE_RECONCILIATION', '2026-04-01', tue)]);
    expect(late.rejected?.reason).toBe('GUARD_FAILED');
  });

  it('the number of working days is configuration (branch/HQ rules)', () => {
    const config = { ...DEFAULT_CASE_CONFIG, pendingFollowUpWorkingDays: 2 };
    expect(replay(jhtClaimMachine, inputOf({ config }), [...submitted(), pending('EMPLOYER_DATA_CONFIRMATION', '2026-03-04')]).rejected).toBeNull();
    expect(replay(jhtClaimMachine, inputOf({ config }), [...submitted(), pending('EMPLOYER_DATA_CONFIRMATION', '2026-03-05')]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('free text is a note, never the reason', () => {
    const invented = replay(jhtClaimMachine, inputOf(), [...submitted(), pending('sistem sedang gangguan, kembali bulan depan', '2026-03-03')]);
    expect(invented.rejected?.reason).toBe('GUARD_FAILED');
    const r = replay(jhtClaimMachine, inputOf(), [...submitted(), pending('EMPLOYER_DATA_CONFIRMATION', '2026-03-03', wib(DAY), 'HRD PT Contoh dihubungi'), ev('receipt.issued', {})]);
    expect(r.snapshot.value).toBe('closed');
    expect(r.snapshot.context.receipt?.kpjOutcomes?.[1]?.outcome).toEqual({
      kind: 'pending',
      reason: 'EMPLOYER_DATA_CONFIRMATION',
      followUpOn: '2026-03-03',
      note: 'HRD PT Contoh dihubungi',
    });
  });

  it('a pending KPJ may be resolved again (paid) once followed up; a paid one cannot go back to pending', () => {
    const r = replay(jhtClaimMachine, inputOf(), [...submitted(), pending('BALANCE_RECONCILIATION', '2026-03-05'), ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'paid' } })]);
    expect(r.rejected).toBeNull();
    const back = replay(jhtClaimMachine, inputOf(), [...submitted(), ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'pending', reason: 'BALANCE_RECONCILIATION', followUpOn: '2026-03-05' } })]);
    expect(back.rejected?.reason).toBe('GUARD_FAILED');
  });

  it('a journal opened before the rule (no recordedChecks) replays with its free-text reason', () => {
    const r = replay(jhtClaimMachine, inputOf({ legacy: true }), [...submitted(), pending('menunggu konfirmasi pemberi kerja', '2026-04-02'), ev('receipt.issued', {})]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('closed');
    expect(r.snapshot.context.receipt?.lumpSum).toBeUndefined();
  });

  it('the invariant "no pending without catalog reason" catches a machine that forgot the rule', () => {
    const events = [...submitted(), pending('sistem sedang gangguan', '2026-03-03')];
    expect(checkPath('jht-claim', jhtClaimMachine, inputOf() as never, events).violations).toEqual([]);
    const mutant = jhtClaimMachine.provide({ guards: { kpjResolutionValid: () => true } });
    const invented = checkPath('jht-claim', mutant, inputOf() as never, events).violations;
    expect(invented.map((v) => v.invariant)).toEqual(['noPendingWithoutCatalogReason']);
    const late = checkPath('jht-claim', mutant, inputOf() as never, [...submitted(), pending('BALANCE_RECONCILIATION', '2026-03-10')]).violations;
    expect(late.map((v) => v.message)).toEqual([`KPJ ${K2.kpj} pending with follow-up 2026-03-10 outside 2026-03-02..2026-03-09`]);
    // A case opened before the rule is not held to it (its journal replays as it was written).
    expect(checkPath('jht-claim', mutant, inputOf({ legacy: true }) as never, events).violations).toEqual([]);
  });

  it('checkPending names why (for the desk)', () => {
    expect(checkPending('X', '2026-03-02', '2026-03-02', 5)).toEqual({ ok: false, why: 'UNKNOWN_PENDING_REASON' });
    expect(checkPending('BANK_ACCOUNT_VERIFICATION', '2026-03-01', '2026-03-02', 5)).toEqual({ ok: false, why: 'FOLLOW_UP_IN_PAST' });
    expect(checkPending('BANK_ACCOUNT_VERIFICATION', '2026-03-10', '2026-03-02', 5)).toEqual({ ok: false, why: 'FOLLOW_UP_TOO_LATE' });
    expect(checkPending('BANK_ACCOUNT_VERIFICATION', '2026-03-09', '2026-03-02', 5)).toEqual({ ok: true });
  });

  it('the rules module holds the rule (resolutionValid with the pending rule)', () => {
    const lines: KpjLine[] = [{ ...K1, outcome: null }];
    const out = (reason: string, followUpOn: string) => ({ kind: 'pending' as const, reason, followUpOn });
    expect(resolutionValid(lines, K1.kpj, out('free text', '2026-03-03'), DAY)).toBe(true);
    expect(resolutionValid(lines, K1.kpj, out('free text', '2026-03-03'), DAY, { workingDays: 5 })).toBe(false);
    expect(resolutionValid(lines, K1.kpj, out('IDENTITY_DATA_CORRECTION', '2026-03-09'), DAY, { workingDays: 5 })).toBe(true);
  });
});

describe('NPWP and tax follow the amount paid in this claim', () => {
  const partialClaim = (percent: 10 | 30, balance: number, docs: string[]) => [
    identityOk(),
    ev('cause.selected', { cause: 'partial', partial: { percent, membershipSince: '2010-01-01', stillWorking: true, earlierPartialClaim: false } }),
    ev('kpj.searched', { results: [{ kpj: '12000000021', balance } satisfies KpjRecord] }),
    ev('kpj.listConfirmed', {}),
    ev('document.presented', { documents: docs }),
    ev('documents.confirmed', {}),
  ];

  it.each([
    { percent: 10 as const, balance: 500_000_000, npwp: false, label: '10% of Rp500,000,000 = exactly Rp50,000,000' },
    { percent: 10 as const, balance: 500_000_010, npwp: true, label: '10% of Rp500,000,010 = Rp50,000,001' },
    { percent: 30 as const, balance: 166_666_666, npwp: false, label: '30% of Rp166,666,666 = Rp49,999,999' },
    { percent: 30 as const, balance: 166_666_670, npwp: true, label: '30% of Rp166,666,670 = Rp50,000,001' },
  ])('partial claim, $label → NPWP required: $npwp', ({ percent, balance, npwp }) => {
    const r = replay(jhtClaimMachine, inputOf(), partialClaim(percent, balance, ['ektp', 'savingsBook']));
    expect(r.snapshot.value).toBe(npwp ? 'documents' : 'submitted');
  });

  it('a case opened before the rule still judges NPWP on the whole balance', () => {
    const r = replay(jhtClaimMachine, inputOf({ legacy: true }), partialClaim(10, 100_000_000, ['ektp', 'savingsBook']));
    expect(r.snapshot.value).toBe('documents');
  });

  it('DOCUMENT_MISSING naming the NPWP does not hold on a partial claim paying at most Rp50,000,000', () => {
    const events = partialClaim(10, 100_000_000, ['ektp']).slice(0, 5);
    const r = replay(jhtClaimMachine, inputOf(), [...events, ev('document.notPresented', { documents: ['npwp'] })]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });

  it.each([
    { amount: 0, tax: 0 },
    { amount: 50_000_000, tax: 0 },
    { amount: 50_000_019, tax: 0 },
    { amount: 50_000_020, tax: 1 },
    { amount: 60_000_000, tax: 500_000 },
  ])('tax on a lump sum of Rp$amount is Rp$tax (0% up to Rp50,000,000, 5% on the part above)', ({ amount, tax }) => {
    expect(lumpSumTax(amount, { freeUpTo: 50_000_000, percentAbove: 5 })).toBe(tax);
  });

  it('amount paid: the claimable balance, or its share for a partial claim (rounded down)', () => {
    const paid = { ...K3, paidBefore: { paidOn: '2024-01-02', reference: 'R-1' } };
    expect(amountPaidInClaim([K1, K2, paid], null)).toBe(55_000_000);
    expect(amountPaidInClaim([{ kpj: '12000000021', balance: 33 }], 30)).toBe(9);
  });

  it('the completion receipt states the amount paid and the tax on it, for information', () => {
    const r = replay(jhtClaimMachine, inputOf(), [...submitted(), ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'merged', into: K1.kpj } }), ev('receipt.issued', {})]);
    expect(r.snapshot.value).toBe('closed');
    expect(r.snapshot.context.receipt?.lumpSum).toEqual({ amount: 55_000_000, tax: 250_000, freeUpTo: 50_000_000, percentAbove: 5 });
    const config = { ...DEFAULT_CASE_CONFIG, lumpSumTax: { freeUpTo: 60_000_000, percentAbove: 5 } };
    const own = replay(jhtClaimMachine, inputOf({ config }), [...submitted(), ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'paid' } }), ev('receipt.issued', {})]);
    expect(own.snapshot.context.receipt?.lumpSum?.tax).toBe(0);
  });
});

describe('every "not yet" ends with a date and an appointment on it', () => {
  const age56 = (at: string) => ev('cause.selected', { cause: 'age56' }, undefined, at);
  const refuseAge = (at: string, appointment?: { date: string; time: string }) =>
    ev('refusal.requested', { code: 'AGE_NOT_REACHED', ...(appointment ? { appointment } : {}) }, undefined, at);

  it('AGE_NOT_REACHED is in the catalog with its basis, for JHT claims, with an appointment', () => {
    const r = reasonFor('AGE_NOT_REACHED');
    expect(r?.legalBasis.id).toContain('Permenaker No. 4 Tahun 2022');
    expect(r?.flows).toEqual(['jht-claim']);
    expect(r?.appointment).toBe('onOrAfterFirstClaimDate');
    expect(POLICY_CATALOG.filter((x) => x.code === 'AGE_NOT_REACHED')).toHaveLength(1);
  });

  // Born Tuesday 10 March 1970: 56 on Tuesday 10 March 2026.
  const nik = makeNik('1970-03-10', 'male', 3);
  const on = (day: string) => wib(day);

  it('holds the day before the 56th birthday, with the birthday on the slip and an appointment on it', () => {
    const at = on('2026-03-09');
    const start = [identityOk(at), age56(at)];
    const r = replay(jhtClaimMachine, inputOf({ nik, at }), [...start, refuseAge(at, { date: '2026-03-10', time: '08:00' })]);
    expect(r.snapshot.value).toBe('refused');
    expect(r.snapshot.context.refusal?.facts.ageReachedOn).toBe('2026-03-10');
    expect(r.snapshot.context.receipt?.nextStep.id).toContain('Selasa, 10 Maret 2026');
    expect(r.snapshot.context.receipt?.nextStep.id).toContain('Selasa, 10 Maret 2026, 08.00');
    const early = replay(jhtClaimMachine, inputOf({ nik, at }), [...start, refuseAge(at, { date: '2026-03-09', time: '10:00' })]);
    expect(early.snapshot.value).toEqual({ cause: 'notYetEligible' });
    expect(early.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['APPOINTMENT_REQUIRED']);
    const none = replay(jhtClaimMachine, inputOf({ nik, at }), [...start, refuseAge(at)]);
    expect(none.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['APPOINTMENT_REQUIRED']);
  });

  it('does not hold on the birthday itself (the claim goes on)', () => {
    const at = on('2026-03-10');
    const r = replay(jhtClaimMachine, inputOf({ nik, at }), [identityOk(at), age56(at), refuseAge(at, { date: '2026-03-11', time: '08:00' })]);
    expect(r.snapshot.value).toBe('kpjListing');
    expect(r.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
  });

  it('does not hold for another cause, nor in a case opened before the rule', () => {
    const at = on('2026-03-09');
    const other = replay(jhtClaimMachine, inputOf({ nik, at }), [identityOk(at), ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-03-01' }, undefined, at), refuseAge(at, { date: '2026-04-01', time: '08:00' })]);
    expect(other.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
    const legacy = replay(jhtClaimMachine, inputOf({ nik, at, legacy: true }), [identityOk(at), age56(at), refuseAge(at, { date: '2026-03-10', time: '08:00' })]);
    expect(legacy.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
  });

  it('a birthday on a Saturday: the appointment moves to Monday, and Saturday itself is refused', () => {
    const sat = makeNik('1970-03-07', 'female', 4); // 56 on Saturday 7 March 2026
    const at = on('2026-03-02');
    const start = [identityOk(at), age56(at)];
    const facts = { ageReachedOn: '2026-03-07' };
    expect(firstOpenSlot(DEFAULT_CASE_CONFIG.serviceHours, facts.ageReachedOn)).toEqual({ date: '2026-03-09', time: '08:00' });
    const onSat = replay(jhtClaimMachine, inputOf({ nik: sat, at }), [...start, refuseAge(at, { date: '2026-03-07', time: '09:00' })]);
    expect(onSat.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['APPOINTMENT_REQUIRED']);
    const r = replay(jhtClaimMachine, inputOf({ nik: sat, at }), [...start, refuseAge(at, { date: '2026-03-09', time: '08:00' })]);
    expect(r.snapshot.value).toBe('refused');
    expect(r.snapshot.context.receipt?.nextStep.en).toBe('You turn 56 on Saturday 7 March 2026; your JHT balance can be claimed from that date. Your appointment: Monday 9 March 2026, 08:00.');
  });

  it('firstOpenSlot: a first date on an open day keeps it; the closed-days seam skips a holiday', () => {
    expect(firstOpenSlot(DEFAULT_CASE_CONFIG.serviceHours, '2026-03-10')).toEqual({ date: '2026-03-10', time: '08:00' });
    expect(firstOpenSlot(DEFAULT_CASE_CONFIG.serviceHours, '2026-03-10', (d) => d !== '2026-03-10')).toEqual({ date: '2026-03-11', time: '08:00' });
  });

  it('WAITING_PERIOD_NOT_ELAPSED: the slip gives effective date + 1 month and the appointment on it', () => {
    const at = on('2026-03-02');
    const start = [identityOk(at), ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-02-10' }, undefined, at)];
    const r = replay(jhtClaimMachine, inputOf({ at }), [...start, ev('refusal.requested', { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date: '2026-03-10', time: '08:00' } }, undefined, at)]);
    expect(r.snapshot.value).toBe('refused');
    expect(r.snapshot.context.receipt?.nextStep.id).toBe('Saldo JHT Anda dapat diklaim mulai Selasa, 10 Maret 2026. Jadwal Anda: Selasa, 10 Maret 2026, 08.00.');
  });
});

describe('a KPJ typed by mistake can be removed before the NIK search is recorded (issue 16 pt 14)', () => {
  const listing = [identityOk(), ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }), ev('kpj.added', { record: K1 }), ev('kpj.added', { record: K2 })];
  const remove = (kpj: string, actor?: typeof security) => ev('kpj.removed', { kpj }, actor);

  it('removes it from the list, and it can be added again correctly', () => {
    const r = replay(jhtClaimMachine, inputOf(), [...listing, remove(K2.kpj), ev('kpj.added', { record: K3 })]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.context.kpjs.map((k) => k.kpj)).toEqual([K1.kpj, K3.kpj]);
  });

  it.each([
    { label: 'after the NIK search is recorded (every KPJ of the NIK)', events: [...listing, ev('kpj.searched', { results: [K1, K2] }), remove(K2.kpj)] },
    { label: 'a KPJ not in the list', events: [...listing, remove(K3.kpj)] },
    { label: 'twice', events: [...listing, remove(K2.kpj), remove(K2.kpj)] },
    { label: 'by security staff', events: [...listing, remove(K2.kpj, security)] },
  ])('is refused $label', ({ events }) => {
    expect(replay(jhtClaimMachine, inputOf(), events).rejected).not.toBeNull();
  });
});
