export { triageMachine, type TriageContext, type TriageInput } from './triage.machine';
export { noShowCheck, ticketMachine, waitMinutes, type NoShowCheck, type TicketContext, type TicketInput, type TicketState } from './ticket.machine';
export { jhtClaimMachine, jhtRefusalFacts, type JhtClaimContext, type JhtClaimInput } from './jht-claim.machine';
export { bpuResignationMachine, bpuRefusalFacts, jhtClaimAfterBpu, type BpuResignationContext, type BpuResignationInput } from './bpu-resignation.machine';
export { jmoResetMachine, jmoRefusalFacts, type JmoResetContext, type JmoResetInput } from './jmo-reset.machine';
export { refusalReviewMachine, reviewSlotProblem, type RefusalReviewContext, type RefusalReviewEmitted, type RefusalReviewInput } from './refusal-review.machine';
export { replay, type Rejection, type RejectionReason, type ReplayResult, type ReplayStart } from './replay';
export { CASE_REGISTRY, type CaseInput, type CaseMachine } from './registry';
export {
  appendToCase,
  canTakeEvent,
  replayCase,
  startCase,
  tryCaseEvent,
  type CaseAppend,
  type CaseJournalLike,
  type CaseReplay,
  type CaseTrial,
  type StoredCase,
} from './case-engine';
export {
  checkMachineShape,
  checkNonReasons,
  checkPath,
  checkState,
  checkStep,
  refusalFactsOf,
  type InvariantId,
  type PathCheck,
  type Violation,
} from './invariants';
export {
  CASE_MACHINES,
  eventIdentity,
  isCaseFlow,
  mergeCaseDocs,
  mergeCaseJournals,
  storedSnapshot,
  unionOfJournals,
  type CaseConflictReason,
  type CaseMerge,
  type JournalMerge,
  type MergeableCase,
  type StoredSnapshot,
} from './merge';
