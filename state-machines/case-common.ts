/**
 * The rules every case flow (JHT claim, BPU resignation, JMO reset) shares for refusal, transfer
 * and withdrawal, as plain functions of `(flow, context, event, facts)`. Each machine still names
 * its own guards and actions in `setup()` (so `.provide()`, the docs and `replay` see them) and
 * calls these from one-liners.
 */
import { and, assign, emit } from 'xstate';
import type { CaseConfig } from '@shared/cases/config';
import { CASE_WORKER_ROLES } from '@shared/cases/rules';
import { localDateOf } from '@shared/dates';
import { assertValidNik, type NikInfo } from '@shared/identity/nik';
import { refusalSlip, transferReceipt, withdrawalReceipt, type Receipt } from '@shared/cases/receipt';
import type { CaseEmitted, InvalidRefusalAttempt, RefusalRecord, TransferRecord } from '@shared/cases/records';
import type { BpuResignationEvent, CaseFlow, JhtClaimEvent, JmoResetEvent } from '@shared/cases/schema';
import { checkRefusal, slipNextStep } from '@shared/policy/catalog';
import type { RefusalFacts } from '@shared/policy/facts';

/** The part of a case machine's context that refusal, transfer and withdrawal read and write. */
export interface CaseContextBase {
  caseId: string;
  config: CaseConfig;
  refusal: RefusalRecord | null;
  invalidRefusals: InvalidRefusalAttempt[];
  transfer: TransferRecord | null;
  withdrawnAt: string | null;
  receipt: Receipt | null;
  /**
   * When the visit began (the ticket was taken). Absent in cases opened before the rule (issue 16):
   * those journals replay as they did, judged at the refusal's time.
   */
  visitStartedAt?: string;
  /**
   * The case was opened under "checks are recorded, never presumed" (issue 16): DOCUMENT_MISSING
   * only for documents recorded as not presented, an unanswered JMO KPJ check is not a failure.
   * Absent in cases opened before the rule, whose journals replay as they did.
   */
  recordedChecks?: true;
}

/** What every case machine's input carries besides its flow's own fields. */
export interface CaseInputBase {
  caseId: string;
  nik: string;
  /** When the case was opened (the device sets it; HQ checks it against the case record). */
  openedAt?: string;
  config?: CaseConfig;
  /** When the visit began: the ticket's issue time (the renderer sets it from the ticket). */
  visitStartedAt?: string;
  /** Set on every case opened since issue 16; see `CaseContextBase.recordedChecks`. */
  recordedChecks?: true;
}

/**
 * The NIK rules and the visit facts of a case input, for the machine's initial context. A case
 * cannot start on a NIK that fails validation (province, region, birth date, serial), nor on a
 * visit start that is not a time: the machine throws, so the renderer cannot open it and HQ
 * refuses its journal ("the machine cannot start from this input").
 */
export function caseStart(input: CaseInputBase): { nik: NikInfo; visit: Pick<CaseContextBase, 'visitStartedAt' | 'recordedChecks'> } {
  const nik = assertValidNik(input.nik, input.openedAt !== undefined ? localDateOf(input.openedAt, input.config?.zone) : undefined);
  if (input.visitStartedAt !== undefined && Number.isNaN(Date.parse(input.visitStartedAt))) throw new TypeError('visitStartedAt: not a timestamp');
  return {
    nik,
    visit: {
      ...(input.visitStartedAt !== undefined ? { visitStartedAt: input.visitStartedAt } : {}),
      ...(input.recordedChecks === true ? { recordedChecks: true as const } : {}),
    },
  };
}

/** The visit start as refusal facts carry it (omitted for cases opened before the rule). */
export function visitFacts(context: CaseContextBase): { visitStartedAt?: string; localClosures?: readonly string[] } {
  return {
    ...(context.visitStartedAt !== undefined ? { visitStartedAt: context.visitStartedAt } : {}),
    // The branch's local closures (case config): no appointment on them. Absent in older cases.
    ...(context.config.localClosures !== undefined ? { localClosures: context.config.localClosures } : {}),
  };
}

/** Any event of a case flow (they all carry `at` and `actor`, and the shared events). */
export type CaseEvent = JhtClaimEvent | BpuResignationEvent | JmoResetEvent;

type CaseEmittedOf<T extends CaseEmitted['type']> = Extract<CaseEmitted, { type: T }>;

// ---- guards -----------------------------------------------------------------------------------

/** `refusalReasonHolds`: the catalog allows this refusal on these facts. */
export function refusalHolds(event: CaseEvent, facts: RefusalFacts): boolean {
  return event.type === 'refusal.requested' && checkRefusal(facts, event, event.actor.role).ok;
}

/** `transferRequestedByPerson`: a case is only transferred because the person asked for it. */
export function transferByPerson(event: CaseEvent): boolean {
  return event.type === 'transfer.requested' && event.reason === 'PERSON_REQUESTED';
}

/** `transferIsWarm`: to another branch, with an SLA deadline still ahead. */
export function transferWarm(context: CaseContextBase, event: CaseEvent): boolean {
  return event.type === 'transfer.requested' && event.targetBranch !== context.config.branchCode && Date.parse(event.slaDeadline) > Date.parse(event.at);
}

// ---- context updates (for `assign`) -----------------------------------------------------------

/** `recordRefusal`: the refusal with its facts, and the refusal slip. */
export function refusalUpdate(flow: CaseFlow, context: CaseContextBase, event: CaseEvent, facts: RefusalFacts): Partial<CaseContextBase> {
  if (event.type !== 'refusal.requested') return {};
  const check = checkRefusal(facts, event, event.actor.role);
  if (!check.ok) return {};
  const refusal: RefusalRecord = { code: event.code, at: event.at, actor: event.actor, facts };
  const nextStep = slipNextStep(check.reason, facts, event);
  return { refusal, receipt: refusalSlip(context.caseId, flow, event, check.reason, nextStep, context.config.receipt) };
}

/** `recordInvalidRefusal`: the attempt the catalog did not allow, with why. */
export function invalidRefusalUpdate(context: CaseContextBase, event: CaseEvent, facts: RefusalFacts): Partial<CaseContextBase> {
  if (event.type !== 'refusal.requested') return {};
  const check = checkRefusal(facts, event, event.actor.role);
  if (check.ok) return {};
  return { invalidRefusals: [...context.invalidRefusals, { code: event.code, at: event.at, actor: event.actor, why: check.why }] };
}

/** `recordTransfer`: the transfer and its receipt. */
export function transferUpdate(flow: CaseFlow, context: CaseContextBase, event: CaseEvent): Partial<CaseContextBase> {
  if (event.type !== 'transfer.requested') return {};
  const transfer: TransferRecord = { targetBranch: event.targetBranch, reason: 'PERSON_REQUESTED', slaDeadline: event.slaDeadline, at: event.at, actor: event.actor };
  return { transfer, receipt: transferReceipt(context.caseId, flow, event, context.config.receipt) };
}

/** `recordWithdrawal`: when, and the withdrawal receipt. */
export function withdrawalUpdate(flow: CaseFlow, context: CaseContextBase, event: CaseEvent): Partial<CaseContextBase> {
  return { withdrawnAt: event.at, receipt: withdrawalReceipt(context.caseId, flow, event, context.config.receipt) };
}

// ---- emitted events (for `emit`) --------------------------------------------------------------

/** `notifyRefusal`: the recorded refusal, for the head's review queue. */
export function refusalRecorded(flow: CaseFlow, context: CaseContextBase): CaseEmittedOf<'refusal.recorded'> {
  return { type: 'refusal.recorded', caseId: context.caseId, flow, refusal: context.refusal! };
}

/** `notifyInvalidRefusal`: the latest rejected attempt. */
export function refusalRejected(flow: CaseFlow, context: CaseContextBase): CaseEmittedOf<'refusal.rejected'> {
  return { type: 'refusal.rejected', caseId: context.caseId, flow, attempt: context.invalidRefusals[context.invalidRefusals.length - 1]! };
}

/** `notifyWithdrawal`. */
export function caseWithdrawn(flow: CaseFlow, context: CaseContextBase, event: CaseEvent): CaseEmittedOf<'case.withdrawn'> {
  return { type: 'case.withdrawn', caseId: context.caseId, flow, at: event.at, actor: event.actor };
}

// ---- the shared part of every case machine's setup and config ----------------------------------
// Refusal, transfer and withdrawal are the same in the three case flows: the same guards, actions,
// root transitions and final states, under the same names (so `.provide()`, the docs, `replay` and
// stored snapshots see exactly what they saw when each machine spelled them out). Each machine
// spreads these into its own `setup()` and `createMachine()`.

type CaseArgs<C> = { context: C; event: CaseEvent };

/** Guards: who may act on a case, and when a refusal or a transfer holds. */
export function caseEndGuards<C extends CaseContextBase>(factsOf: (context: C, at: string) => RefusalFacts) {
  return {
    byCaseWorker: ({ event }: CaseArgs<C>) => CASE_WORKER_ROLES.includes(event.actor.role),
    refusalReasonHolds: ({ context, event }: CaseArgs<C>) => refusalHolds(event, factsOf(context, event.at)),
    transferRequestedByPerson: ({ event }: CaseArgs<C>) => transferByPerson(event),
    transferIsWarm: ({ context, event }: CaseArgs<C>) => transferWarm(context, event),
  };
}

/**
 * Actions: record and announce a refusal (or a refused attempt), a transfer, a withdrawal. Typed for
 * one machine (`C`, `E`: its context and events) so they fit its `setup()`.
 */
export function caseEndActions<C extends CaseContextBase, E extends CaseEvent>(flow: CaseFlow, factsOf: (context: C, at: string) => RefusalFacts) {
  type Args = { context: C; event: E };
  const update = (f: (args: Args) => Partial<CaseContextBase>) => assign<C, E, undefined, E, never>((args: Args) => f(args) as Partial<C>);
  const announce = (f: (args: Args) => CaseEmitted) => emit<C, E, undefined, E, CaseEmitted>((args: Args) => f(args));
  return {
    recordRefusal: update(({ context, event }) => refusalUpdate(flow, context, event, factsOf(context, event.at))),
    recordInvalidRefusal: update(({ context, event }) => invalidRefusalUpdate(context, event, factsOf(context, event.at))),
    notifyRefusal: announce(({ context }) => refusalRecorded(flow, context)),
    notifyInvalidRefusal: announce(({ context }) => refusalRejected(flow, context)),
    recordTransfer: update(({ context, event }) => transferUpdate(flow, context, event)),
    recordWithdrawal: update(({ context, event }) => withdrawalUpdate(flow, context, event)),
    notifyWithdrawal: announce(({ context, event }) => caseWithdrawn(flow, context, event)),
    // Effects: supplied by the renderer (printer, QR) via .provide(); no-ops here.
    printReceipt: () => {},
  };
}

/** A case's refusal, transfer and withdrawal before any of them happened (initial context). */
export function caseEndContext(): Pick<CaseContextBase, 'refusal' | 'invalidRefusals' | 'transfer' | 'withdrawnAt' | 'receipt'> {
  return { refusal: null, invalidRefusals: [], transfer: null, withdrawnAt: null, receipt: null };
}

/** Root transitions: refusal, transfer and withdrawal are possible in any state that is not final. */
export const CASE_END_TRANSITIONS = {
  'refusal.requested': [
    { guard: 'refusalReasonHolds', target: '.refused', actions: ['recordRefusal', 'notifyRefusal', 'printReceipt'] },
    { actions: ['recordInvalidRefusal', 'notifyInvalidRefusal'] },
  ],
  'transfer.requested': {
    guard: and(['byCaseWorker', 'transferRequestedByPerson', 'transferIsWarm']),
    target: '.transferred',
    actions: ['recordTransfer', 'printReceipt'],
  },
  'case.withdrawn': { guard: 'byCaseWorker', target: '.withdrawn', actions: ['recordWithdrawal', 'notifyWithdrawal', 'printReceipt'] },
} as const;

/** The final states a refusal, a transfer and a withdrawal lead to. */
export const CASE_END_STATES = {
  refused: { type: 'final' },
  transferred: { type: 'final' },
  withdrawn: { type: 'final' },
} as const;
