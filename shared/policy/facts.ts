import type { ServiceHours } from '../branch/schema';
import type { BranchZone, CalendarDate } from '../dates';
import type { CaseFlow, RequiredDocument } from '../cases/schema';

/**
 * What a refusal guard may look at: a projection of a case machine's context at the moment of
 * `refusal.requested`. Each case machine exports the function that builds it, and the invariant
 * checker re-evaluates the catalog on the same projection.
 */
export interface RefusalFacts {
  flow: CaseFlow;
  /** When the refusal is requested (the event's `at`). */
  at: string;
  /**
   * When the visit began (the ticket was taken): service hours are judged at this moment, not when
   * the person is called. Absent in cases opened before the rule; they are judged at `at`.
   */
  visitStartedAt?: string | undefined;
  serviceHours: ServiceHours;
  /** The branch's zone (case config); dates and hours are judged on its clock. Absent = WIB. */
  zone?: BranchZone | undefined;
  /** The branch's local closed days (case config), on top of the national calendar. Absent = none. */
  localClosures?: readonly CalendarDate[] | undefined;
  /** null until the officer has recorded the identity check (JMO: `kpjMatchesNik` only when answered). */
  identity: { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik?: boolean | undefined } | null;
  /** null until the membership search has run. */
  participantFound: boolean | null;
  /** For causes with a waiting period: the first day the balance is claimable. */
  firstClaimDate: CalendarDate | null;
  /**
   * Cause age 56 (cases opened since issue 16): the day the person turns 56, from the NIK's birth
   * date. Absent otherwise, so older refusal records keep their shape.
   */
  ageReachedOn?: CalendarDate | undefined;
  /**
   * null until the documents step; then the requirements missing. In a case with recorded checks,
   * only those the officer recorded as not presented (never presumed from an unticked box).
   */
  missingDocuments: readonly RequiredDocument[] | null;
  kpjs: ReadonlyArray<{ kpj: string; paidBefore?: { paidOn: CalendarDate; reference: string } | undefined }>;
}

/** The refusal as the officer asked for it. */
export interface RefusalRequest {
  code: string;
  documents?: readonly string[] | undefined;
  appointment?: { date: CalendarDate; time: string } | undefined;
}
