import { addMonths, addYears, anniversaryReached, localDateOf, type CalendarDate } from '../dates';
import { checkPending, DEFAULT_PENDING_FOLLOW_UP_WORKING_DAYS } from '../policy/pending';
import type { Role } from '../staff/schema';
import type { CaseConfig } from './config';
import type { DocumentKind, JhtCause, KpjOutcome, KpjRecord, RequiredDocument } from './schema';

/** Roles that work a case at the counter. Security staff only triage. */
export const CASE_WORKER_ROLES: readonly Role[] = ['officer', 'head'];
export const TRIAGE_ROLES: readonly Role[] = ['security', 'officer', 'head'];
export const REVIEW_ROLES: readonly Role[] = ['head'];

/** Causes whose balance is claimable only after a waiting period from the effective date. */
export const CAUSES_WITH_WAITING_PERIOD: readonly JhtCause[] = ['resignation', 'dismissal'];
/** Causes that need an effective date (end of work). */
export const CAUSES_WITH_EFFECTIVE_DATE: readonly JhtCause[] = ['resignation', 'dismissal', 'contractEnd', 'bpuStoppedWorking'];
/** Causes that need proof of termination from the employer (a paklaring or any other proof). */
export const CAUSES_WITH_TERMINATION_PROOF: readonly JhtCause[] = ['resignation', 'dismissal', 'contractEnd'];

export function firstClaimDate(cause: JhtCause, effectiveDate: CalendarDate | null, months: number): CalendarDate | null {
  if (!CAUSES_WITH_WAITING_PERIOD.includes(cause) || effectiveDate === null) return null;
  return addMonths(effectiveDate, months);
}

/** Waiting period elapsed on `today`: the first claimable day is today or earlier. */
export function waitingPeriodElapsed(effectiveDate: CalendarDate, months: number, today: CalendarDate): boolean {
  return addMonths(effectiveDate, months) <= today;
}

/** Reached `age` on or before `today` (56th birthday counts; 29 Feb → 28 Feb). */
export function ageReached(birthDate: CalendarDate, age: number, today: CalendarDate): boolean {
  return anniversaryReached(birthDate, age, today);
}

/** The day the person reaches `age` (the 56th birthday; 29 Feb → 28 Feb): the first claim date for age 56. */
export function ageReachedOn(birthDate: CalendarDate, age: number): CalendarDate {
  return addYears(birthDate, age);
}

export const todayOf = localDateOf;

/** The working days a pending KPJ may wait for its follow-up (config, default 5). */
export function pendingFollowUpWorkingDays(config: Pick<CaseConfig, 'pendingFollowUpWorkingDays'>): number {
  return config.pendingFollowUpWorkingDays ?? DEFAULT_PENDING_FOLLOW_UP_WORKING_DAYS;
}

/** The lump-sum tax rule (config, default 0% up to Rp50,000,000, 5% above). */
export function lumpSumTaxRule(config: Pick<CaseConfig, 'lumpSumTax'>): { freeUpTo: number; percentAbove: number } {
  return config.lumpSumTax ?? { freeUpTo: 50_000_000, percentAbove: 5 };
}

/**
 * Tax on the lump sum, for information on the receipt: 0% on the part up to `freeUpTo`, `percentAbove`
 * on the part above it (PP 68/2009, PMK 16/PMK.03/2010), rounded down to the Rupiah.
 */
export function lumpSumTax(amount: number, rule: { freeUpTo: number; percentAbove: number }): number {
  return amount > rule.freeUpTo ? Math.floor(((amount - rule.freeUpTo) * rule.percentAbove) / 100) : 0;
}

/**
 * The amount paid in this claim: the claimable balance, or its 10% / 30% for a partial claim
 * (rounded down). The NPWP requirement and the tax follow this amount, not the whole balance.
 */
export function amountPaidInClaim(kpjs: readonly KpjRecord[], partialPercent: number | null): number {
  const balance = claimableBalance(kpjs);
  return partialPercent === null ? balance : Math.floor((balance * partialPercent) / 100);
}

/** Strictly above the threshold: exactly Rp50,000,000 needs no NPWP. */
export function npwpRequired(claimableBalance: number, threshold: number): boolean {
  return claimableBalance > threshold;
}

/** Balance still to be paid out: KPJs already paid before do not count. */
export function claimableBalance(kpjs: readonly KpjRecord[]): number {
  return kpjs.filter((k) => k.paidBefore === undefined).reduce((sum, k) => sum + k.balance, 0);
}

/** Documents the cause requires, NPWP aside. The KPJ card is satisfied by the listed KPJ numbers. */
export function causeDocuments(cause: JhtCause): RequiredDocument[] {
  const docs: RequiredDocument[] = ['ektp', 'savingsBook'];
  if (CAUSES_WITH_TERMINATION_PROOF.includes(cause)) docs.push('terminationProof');
  if (cause === 'death') docs.push('kk', 'deathCertificate');
  return docs;
}

function satisfies(req: RequiredDocument, presented: readonly DocumentKind[]): boolean {
  if (req === 'terminationProof') return presented.includes('paklaring') || presented.includes('otherTerminationProof');
  return presented.includes(req);
}

/**
 * `paidAmount`: the amount paid in this claim when it differs from the claimable balance (a
 * partial claim, see `amountPaidInClaim`); without it, the whole claimable balance.
 */
export function missingDocuments(
  cause: JhtCause,
  presented: readonly DocumentKind[],
  kpjs: readonly KpjRecord[],
  npwpThreshold: number,
  paidAmount: number = claimableBalance(kpjs),
): RequiredDocument[] {
  const required = causeDocuments(cause);
  if (npwpRequired(paidAmount, npwpThreshold)) required.push('npwp');
  return required.filter((r) => !satisfies(r, presented));
}

export function terminationProofPresented(presented: readonly DocumentKind[]): boolean {
  return satisfies('terminationProof', presented);
}

export interface KpjLine extends KpjRecord {
  outcome: KpjOutcome | null;
}

/** Paid, merged, pending with reason and date — or paid out in an earlier claim. */
export function kpjResolved(k: KpjLine): boolean {
  return k.paidBefore !== undefined || k.outcome !== null;
}

/**
 * A resolution is valid when the KPJ is in the claim and still open (or pending), and a merge goes
 * into another, not-merged KPJ of the same claim that nothing else would then chain through.
 * `pendingRule` (cases opened since issue 16): a pending KPJ is controlled, with a reason from the
 * catalog of pending reasons and a follow-up within that many working days of the branch (its
 * local closures are no working days; `checkPending`).
 * Without it (older journals, replayed as they were), any reason and a date from today.
 */
export function resolutionValid(
  kpjs: readonly KpjLine[],
  kpj: string,
  outcome: KpjOutcome,
  today: CalendarDate,
  pendingRule?: { workingDays: number; localClosures?: readonly CalendarDate[] },
): boolean {
  const line = kpjs.find((k) => k.kpj === kpj);
  if (!line || line.paidBefore !== undefined) return false;
  if (line.outcome !== null && line.outcome.kind !== 'pending') return false;
  if (outcome.kind === 'pending') {
    return pendingRule ? checkPending(outcome.reason, outcome.followUpOn, today, pendingRule.workingDays, pendingRule.localClosures).ok : outcome.followUpOn >= today;
  }
  if (outcome.kind === 'merged') {
    const into = kpjs.find((k) => k.kpj === outcome.into);
    if (!into || into.kpj === kpj || into.paidBefore !== undefined || into.outcome?.kind === 'merged') return false;
    return !kpjs.some((k) => k.outcome?.kind === 'merged' && k.outcome.into === kpj);
  }
  return true;
}
