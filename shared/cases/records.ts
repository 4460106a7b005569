import type { RefusalFacts } from '../policy/facts';
import type { RefusalRejection } from '../policy/catalog';
import type { Actor, CaseFlow } from './schema';

/** A refusal that passed the catalog: goes to the head's review queue. */
export interface RefusalRecord {
  code: string;
  at: string;
  actor: Actor;
  /** The facts the guard held on, kept for the head's review and HQ's replay check. */
  facts: RefusalFacts;
}

/** A refusal that the catalog did not allow. Recorded and emitted: the head sees these too. */
export interface InvalidRefusalAttempt {
  code: string;
  at: string;
  actor: Actor;
  why: RefusalRejection;
}

export interface TransferRecord {
  targetBranch: string;
  reason: 'PERSON_REQUESTED';
  slaDeadline: string;
  at: string;
  actor: Actor;
}

/** Notifications the case machines emit (XState `emit`), for the head's queue and the audit log. */
export type CaseEmitted =
  | { type: 'refusal.recorded'; caseId: string; flow: CaseFlow; refusal: RefusalRecord }
  | { type: 'refusal.rejected'; caseId: string; flow: CaseFlow; attempt: InvalidRefusalAttempt }
  | { type: 'case.withdrawn'; caseId: string; flow: CaseFlow; at: string; actor: Actor };
