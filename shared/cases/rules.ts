import { addMonths, anniversaryReached, localDateOf, type CalendarDate } from '../dates';
import type { Role } from '../staff/schema';
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

export const todayOf = localDateOf;

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

export function missingDocuments(
  cause: JhtCause,
  presented: readonly DocumentKind[],
  kpjs: readonly KpjRecord[],
  npwpThreshold: number,
): RequiredDocument[] {
  const required = causeDocuments(cause);
  if (npwpRequired(claimableBalance(kpjs), npwpThreshold)) required.push('npwp');
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
 */
export function resolutionValid(kpjs: readonly KpjLine[], kpj: string, outcome: KpjOutcome, today: CalendarDate): boolean {
  const line = kpjs.find((k) => k.kpj === kpj);
  if (!line || line.paidBefore !== undefined) return false;
  if (line.outcome !== null && line.outcome.kind !== 'pending') return false;
  if (outcome.kind === 'pending') return outcome.followUpOn >= today;
  if (outcome.kind === 'merged') {
    const into = kpjs.find((k) => k.kpj === outcome.into);
    if (!into || into.kpj === kpj || into.paidBefore !== undefined || into.outcome?.kind === 'merged') return false;
    return !kpjs.some((k) => k.outcome?.kind === 'merged' && k.outcome.into === kpj);
  }
  return true;
}
