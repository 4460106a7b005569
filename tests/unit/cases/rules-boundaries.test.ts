// The JHT rules of shared/cases/rules.ts pinned at every boundary (issue 16, "How it is shown":
// mutation testing). DOMAIN.md "JHT": waiting period, age 56, documents per cause, NPWP and the
// lump-sum tax on the amount paid, and how each KPJ of a claim is resolved exactly once.
import { describe, expect, it } from 'vitest';
import {
  ageReached,
  ageReachedOn,
  amountPaidInClaim,
  CASE_WORKER_ROLES,
  CAUSES_WITH_EFFECTIVE_DATE,
  CAUSES_WITH_TERMINATION_PROOF,
  CAUSES_WITH_WAITING_PERIOD,
  causeDocuments,
  claimableBalance,
  firstClaimDate,
  kpjResolved,
  lumpSumTax,
  lumpSumTaxRule,
  missingDocuments,
  npwpRequired,
  pendingFollowUpWorkingDays,
  resolutionValid,
  REVIEW_ROLES,
  terminationProofPresented,
  todayOf,
  TRIAGE_ROLES,
  waitingPeriodElapsed,
  type KpjLine,
} from '@shared/cases/rules';
import { JHT_CAUSES, type JhtCause, type KpjOutcome, type KpjRecord } from '@shared/cases/schema';

const PAID_EARLIER = { paidOn: '2024-05-06', reference: 'PAY-0001' };
const rec = (kpj: string, balance: number, paidBefore?: typeof PAID_EARLIER): KpjRecord => ({ kpj, balance, ...(paidBefore ? { paidBefore } : {}) });
const line = (kpj: string, outcome: KpjOutcome | null = null, paidBefore?: typeof PAID_EARLIER): KpjLine => ({ ...rec(kpj, 1_000_000, paidBefore), outcome });
const TODAY = '2026-03-02'; // Monday
const pendingOn = (followUpOn: string, reason = 'EMPLOYER_DATA_CONFIRMATION'): KpjOutcome => ({ kind: 'pending', reason, followUpOn });

describe('who works a case', () => {
  it('officers and the head work cases and may triage; security staff only triage; only the head reviews', () => {
    expect(CASE_WORKER_ROLES).toEqual(['officer', 'head']);
    expect(TRIAGE_ROLES).toEqual(['security', 'officer', 'head']);
    expect(REVIEW_ROLES).toEqual(['head']);
  });
});

describe('waiting period and first claim date', () => {
  it('only resignation and dismissal wait; every cause that ends work needs an effective date; three need proof of termination', () => {
    expect(CAUSES_WITH_WAITING_PERIOD).toEqual(['resignation', 'dismissal']);
    expect(CAUSES_WITH_EFFECTIVE_DATE).toEqual(['resignation', 'dismissal', 'contractEnd', 'bpuStoppedWorking']);
    expect(CAUSES_WITH_TERMINATION_PROOF).toEqual(['resignation', 'dismissal', 'contractEnd']);
  });

  it.each(JHT_CAUSES.map((cause) => ({ cause, waits: cause === 'resignation' || cause === 'dismissal' })))(
    '$cause: first claim date one month after the effective date only when it waits ($waits)',
    ({ cause, waits }) => {
      expect(firstClaimDate(cause, '2026-01-31', 1)).toBe(waits ? '2026-02-28' : null);
      expect(firstClaimDate(cause, null, 1)).toBeNull();
    },
  );

  it('the waiting period counts the configured months', () => {
    expect(firstClaimDate('resignation', '2026-01-15', 3)).toBe('2026-04-15');
  });

  it('has elapsed on the first claimable day itself, not the day before', () => {
    expect(waitingPeriodElapsed('2026-01-15', 1, '2026-02-14')).toBe(false);
    expect(waitingPeriodElapsed('2026-01-15', 1, '2026-02-15')).toBe(true);
    expect(waitingPeriodElapsed('2026-01-15', 1, '2026-02-16')).toBe(true);
  });
});

describe('age 56', () => {
  it('is reached on the 56th birthday, not the day before', () => {
    expect(ageReached('1970-03-02', 56, '2026-03-01')).toBe(false);
    expect(ageReached('1970-03-02', 56, '2026-03-02')).toBe(true);
    expect(ageReachedOn('1970-03-02', 56)).toBe('2026-03-02');
  });

  it('a 29 February birthday is reached on 28 February in a common year', () => {
    expect(ageReachedOn('1972-02-29', 56)).toBe('2028-02-29');
    expect(ageReachedOn('1968-02-29', 57)).toBe('2025-02-28');
    expect(ageReached('1968-02-29', 57, '2025-02-27')).toBe(false);
    expect(ageReached('1968-02-29', 57, '2025-02-28')).toBe(true);
  });

  it('"today" is the branch date of the event (WIB by default)', () => {
    expect(todayOf('2026-03-01T17:00:00Z')).toBe('2026-03-02');
    expect(todayOf('2026-03-01T16:59:00Z')).toBe('2026-03-01');
    expect(todayOf('2026-03-01T15:59:00Z', 'WIT')).toBe('2026-03-02');
  });
});

describe('config defaults', () => {
  it('a pending KPJ waits at most 5 working days unless the branch configures otherwise', () => {
    expect(pendingFollowUpWorkingDays({})).toBe(5);
    expect(pendingFollowUpWorkingDays({ pendingFollowUpWorkingDays: 3 })).toBe(3);
  });

  it('the lump-sum tax is 0% up to Rp50,000,000 and 5% above unless configured', () => {
    expect(lumpSumTaxRule({})).toEqual({ freeUpTo: 50_000_000, percentAbove: 5 });
    expect(lumpSumTaxRule({ lumpSumTax: { freeUpTo: 10, percentAbove: 1 } })).toEqual({ freeUpTo: 10, percentAbove: 1 });
  });
});

describe('lump-sum tax and the amount paid', () => {
  const rule = { freeUpTo: 50_000_000, percentAbove: 5 };
  it.each([
    { amount: 0, tax: 0 },
    { amount: 49_999_999, tax: 0 },
    { amount: 50_000_000, tax: 0 },
    { amount: 50_000_019, tax: 0 },
    { amount: 50_000_020, tax: 1 },
    { amount: 50_000_039, tax: 1 },
    { amount: 60_000_000, tax: 500_000 },
  ])('Rp$amount pays Rp$tax (only the part above the threshold, rounded down)', ({ amount, tax }) => {
    expect(lumpSumTax(amount, rule)).toBe(tax);
  });

  it('another percentage applies to the part above the threshold', () => {
    expect(lumpSumTax(1_000, { freeUpTo: 200, percentAbove: 15 })).toBe(120);
  });

  it('a partial claim pays 10% or 30% of the claimable balance, rounded down; a full claim all of it', () => {
    const kpjs = [rec('11000000001', 1_000_005), rec('11000000002', 999, PAID_EARLIER)];
    expect(amountPaidInClaim(kpjs, null)).toBe(1_000_005);
    expect(amountPaidInClaim(kpjs, 10)).toBe(100_000);
    expect(amountPaidInClaim(kpjs, 30)).toBe(300_001);
  });

  it('the claimable balance sums the KPJs not paid out before', () => {
    expect(claimableBalance([])).toBe(0);
    expect(claimableBalance([rec('11000000001', 700), rec('11000000002', 300), rec('11000000003', 5_000, PAID_EARLIER)])).toBe(1_000);
  });

  it('NPWP is required strictly above the threshold: exactly Rp50,000,000 needs none', () => {
    expect(npwpRequired(50_000_000, 50_000_000)).toBe(false);
    expect(npwpRequired(50_000_001, 50_000_000)).toBe(true);
    expect(npwpRequired(49_999_999, 50_000_000)).toBe(false);
  });
});

describe('documents per cause', () => {
  const expected: Record<JhtCause, string[]> = {
    age56: ['ektp', 'savingsBook'],
    resignation: ['ektp', 'savingsBook', 'terminationProof'],
    dismissal: ['ektp', 'savingsBook', 'terminationProof'],
    contractEnd: ['ektp', 'savingsBook', 'terminationProof'],
    bpuStoppedWorking: ['ektp', 'savingsBook'],
    permanentDisability: ['ektp', 'savingsBook'],
    leavingIndonesia: ['ektp', 'savingsBook'],
    death: ['ektp', 'savingsBook', 'kk', 'deathCertificate'],
    partial: ['ektp', 'savingsBook'],
  };
  it.each(JHT_CAUSES)('%s requires exactly its documents (NPWP aside)', (cause) => {
    expect(causeDocuments(cause)).toEqual(expected[cause]);
  });

  it('a paklaring or any other proof of termination satisfies the requirement; neither means it is missing', () => {
    expect(terminationProofPresented(['paklaring'])).toBe(true);
    expect(terminationProofPresented(['otherTerminationProof'])).toBe(true);
    expect(terminationProofPresented(['ektp', 'savingsBook'])).toBe(false);
    expect(missingDocuments('resignation', ['ektp', 'savingsBook', 'otherTerminationProof'], [], 50_000_000)).toEqual([]);
    expect(missingDocuments('resignation', ['ektp', 'savingsBook', 'paklaring'], [], 50_000_000)).toEqual([]);
    expect(missingDocuments('resignation', ['ektp'], [], 50_000_000)).toEqual(['savingsBook', 'terminationProof']);
  });

  it('NPWP is missing only when the amount paid is above the threshold', () => {
    const big = [rec('11000000001', 60_000_000)];
    expect(missingDocuments('age56', ['ektp', 'savingsBook'], big, 50_000_000)).toEqual(['npwp']);
    expect(missingDocuments('age56', ['ektp', 'savingsBook', 'npwp'], big, 50_000_000)).toEqual([]);
    // A 10% partial claim of Rp60,000,000 pays Rp6,000,000: no NPWP.
    expect(missingDocuments('partial', ['ektp', 'savingsBook'], big, 50_000_000, 6_000_000)).toEqual([]);
    // A KPJ paid out earlier does not count towards the threshold.
    expect(missingDocuments('age56', ['ektp', 'savingsBook'], [rec('11000000001', 60_000_000, PAID_EARLIER)], 50_000_000)).toEqual([]);
    expect(missingDocuments('age56', ['ektp', 'savingsBook'], [rec('11000000001', 50_000_000)], 50_000_000)).toEqual([]);
  });
});

describe('each KPJ of a claim is resolved exactly once', () => {
  it('a KPJ counts as resolved when it has an outcome or was paid out in an earlier claim', () => {
    expect(kpjResolved(line('11000000001'))).toBe(false);
    expect(kpjResolved(line('11000000001', { kind: 'paid' }))).toBe(true);
    expect(kpjResolved(line('11000000001', pendingOn(TODAY)))).toBe(true);
    expect(kpjResolved(line('11000000001', null, PAID_EARLIER))).toBe(true);
  });

  it('an open KPJ of the claim can be paid; one not in the claim cannot', () => {
    const kpjs = [line('11000000001'), line('11000000002')];
    expect(resolutionValid(kpjs, '11000000001', { kind: 'paid' }, TODAY)).toBe(true);
    expect(resolutionValid(kpjs, '11000000009', { kind: 'paid' }, TODAY)).toBe(false);
  });

  it('a KPJ paid out in an earlier claim cannot be resolved again', () => {
    const kpjs = [line('11000000001', null, PAID_EARLIER), line('11000000002')];
    expect(resolutionValid(kpjs, '11000000001', { kind: 'paid' }, TODAY)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', pendingOn(TODAY), TODAY)).toBe(false);
  });

  it('the same KPJ resolved twice is refused; only a pending KPJ can be resolved again', () => {
    const paid = [line('11000000001', { kind: 'paid' }), line('11000000002')];
    expect(resolutionValid(paid, '11000000001', { kind: 'paid' }, TODAY)).toBe(false);
    expect(resolutionValid(paid, '11000000001', pendingOn(TODAY), TODAY)).toBe(false);
    const merged = [line('11000000001', { kind: 'merged', into: '11000000002' }), line('11000000002')];
    expect(resolutionValid(merged, '11000000001', { kind: 'paid' }, TODAY)).toBe(false);
    const pending = [line('11000000001', pendingOn('2026-03-04')), line('11000000002')];
    expect(resolutionValid(pending, '11000000001', { kind: 'paid' }, TODAY)).toBe(true);
    expect(resolutionValid(pending, '11000000001', { kind: 'merged', into: '11000000002' }, TODAY)).toBe(true);
  });

  it('older journals (no pending rule): any reason, a follow-up from today on', () => {
    const kpjs = [line('11000000001')];
    expect(resolutionValid(kpjs, '11000000001', pendingOn('2026-03-01', 'free text reason'), TODAY)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', pendingOn(TODAY, 'free text reason'), TODAY)).toBe(true);
    expect(resolutionValid(kpjs, '11000000001', pendingOn('2026-06-30', 'free text reason'), TODAY)).toBe(true);
  });

  it('since issue 16: a catalog reason and a follow-up within the working days', () => {
    const kpjs = [line('11000000001')];
    const rule = { workingDays: 5 };
    expect(resolutionValid(kpjs, '11000000001', pendingOn('2026-03-09'), TODAY, rule)).toBe(true);
    expect(resolutionValid(kpjs, '11000000001', pendingOn('2026-03-10'), TODAY, rule)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', pendingOn(TODAY), TODAY, rule)).toBe(true);
    expect(resolutionValid(kpjs, '11000000001', pendingOn('2026-03-01'), TODAY, rule)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', pendingOn(TODAY, 'system down, come back next month'), TODAY, rule)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', pendingOn('2026-03-03'), TODAY, { workingDays: 1 })).toBe(true);
    expect(resolutionValid(kpjs, '11000000001', pendingOn('2026-03-04'), TODAY, { workingDays: 1 })).toBe(false);
  });

  it('a merge goes into another KPJ of the same claim, never itself, one paid out earlier, or one already merged', () => {
    const kpjs = [line('11000000001'), line('11000000002'), line('11000000003', null, PAID_EARLIER), line('11000000004', { kind: 'merged', into: '11000000002' })];
    expect(resolutionValid(kpjs, '11000000001', { kind: 'merged', into: '11000000002' }, TODAY)).toBe(true);
    expect(resolutionValid(kpjs, '11000000001', { kind: 'merged', into: '11000000009' }, TODAY)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', { kind: 'merged', into: '11000000001' }, TODAY)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', { kind: 'merged', into: '11000000003' }, TODAY)).toBe(false);
    expect(resolutionValid(kpjs, '11000000001', { kind: 'merged', into: '11000000004' }, TODAY)).toBe(false);
  });

  it('a merge may go into a paid or pending KPJ', () => {
    const kpjs = [line('11000000001'), line('11000000002', { kind: 'paid' }), line('11000000003', pendingOn(TODAY))];
    expect(resolutionValid(kpjs, '11000000001', { kind: 'merged', into: '11000000002' }, TODAY)).toBe(true);
    expect(resolutionValid(kpjs, '11000000001', { kind: 'merged', into: '11000000003' }, TODAY)).toBe(true);
  });

  it('a KPJ that another was merged into cannot itself be merged (no chains)', () => {
    const kpjs = [line('11000000001', { kind: 'merged', into: '11000000002' }), line('11000000002'), line('11000000003')];
    expect(resolutionValid(kpjs, '11000000002', { kind: 'merged', into: '11000000003' }, TODAY)).toBe(false);
    expect(resolutionValid(kpjs, '11000000002', { kind: 'paid' }, TODAY)).toBe(true);
    expect(resolutionValid(kpjs, '11000000003', { kind: 'merged', into: '11000000002' }, TODAY)).toBe(true);
  });
});
