import { and, assign, emit, setup } from 'xstate';
import { DEFAULT_CASE_CONFIG } from '../shared/cases/config';
import { makeReceipt } from '../shared/cases/receipt';
import type { CaseEmitted } from '../shared/cases/records';
import { CASE_WORKER_ROLES } from '../shared/cases/rules';
import { Email, MobilePhone, type JmoResetEvent } from '../shared/cases/schema';
import type { RefusalFacts } from '../shared/policy/facts';
import {
  caseStart,
  caseWithdrawn,
  type CaseContextBase,
  type CaseInputBase,
  invalidRefusalUpdate,
  refusalHolds,
  refusalRecorded,
  refusalRejected,
  refusalUpdate,
  transferByPerson,
  transferUpdate,
  transferWarm,
  visitFacts,
  withdrawalUpdate,
} from './case-common';

const FLOW = 'jmo-reset' as const;

/**
 * JMO account reset. The only time rule is the branch's published service hours
 * (`config.serviceHours`); there is deliberately no other clock-based guard in this machine.
 */
export type JmoResetInput = CaseInputBase;

/** `caseId`, `config`, refusal, transfer, withdrawal and `receipt` come from `CaseContextBase`. */
export interface JmoResetContext extends CaseContextBase {
  nik: string;
  /** `kpjMatchesNik`: with recorded checks, absent until the officer answered it (never presumed false). */
  identity: { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik?: boolean } | null;
  contact: { email: string; phone: string } | null;
  resetRequestedAt: string | null;
  resetConfirmedAt: string | null;
}

type E = JmoResetEvent;
type Ev<T extends E['type']> = Extract<E, { type: T }>;
const is = <T extends E['type']>(e: E, t: T): e is Ev<T> => e.type === t;

export function jmoRefusalFacts(c: JmoResetContext, at: string): RefusalFacts {
  return {
    flow: FLOW,
    at,
    ...visitFacts(c),
    serviceHours: c.config.serviceHours,
    zone: c.config.zone,
    identity: c.identity,
    participantFound: null,
    firstClaimDate: null,
    missingDocuments: null,
    kpjs: [],
  };
}

export const jmoResetMachine = setup({
  types: {
    context: {} as JmoResetContext,
    events: {} as JmoResetEvent,
    input: {} as JmoResetInput,
    emitted: {} as CaseEmitted,
  },
  guards: {
    byCaseWorker: ({ event }) => CASE_WORKER_ROLES.includes(event.actor.role),
    /** In person: e-KTP presented, matching the NIK, and the KPJ belongs to the NIK. */
    identityVerifiedInPerson: ({ event }) =>
      is(event, 'identity.checked') && event.ektpPresented && event.ektpMatchesNik && event.kpjMatchesNik === true,
    contactValid: ({ event }) => is(event, 'contact.updated') && Email.safeParse(event.email).success && MobilePhone.safeParse(event.phone).success,
    refusalReasonHolds: ({ context, event }) => refusalHolds(event, jmoRefusalFacts(context, event.at)),
    transferRequestedByPerson: ({ event }) => transferByPerson(event),
    transferIsWarm: ({ context, event }) => transferWarm(context, event),
  },
  actions: {
    recordIdentity: assign({
      identity: ({ context, event }) => {
        if (!is(event, 'identity.checked')) return null;
        const base = { ektpPresented: event.ektpPresented, ektpMatchesNik: event.ektpMatchesNik };
        // Cases opened before recorded checks presumed an unanswered KPJ check failed; kept for replay.
        if (!context.recordedChecks) return { ...base, kpjMatchesNik: event.kpjMatchesNik === true };
        return event.kpjMatchesNik !== undefined ? { ...base, kpjMatchesNik: event.kpjMatchesNik } : base;
      },
    }),
    recordContact: assign({ contact: ({ event }) => (is(event, 'contact.updated') ? { email: event.email, phone: event.phone } : null) }),
    recordResetRequested: assign({ resetRequestedAt: ({ event }) => event.at }),
    recordResetConfirmed: assign({ resetConfirmedAt: ({ event }) => event.at }),
    issueCompletionReceipt: assign({
      receipt: ({ context, event }) =>
        makeReceipt(
          {
            caseId: context.caseId,
            flow: FLOW,
            kind: 'completion',
            issuedAt: event.at,
            issuedBy: event.actor.staffId,
            nextStep: {
              id: `Akun JMO Anda telah direset. Tautan masuk dikirim ke ${context.contact?.email ?? ''} dan ${context.contact?.phone ?? ''}.`,
              en: `Your JMO account was reset. The sign-in link was sent to ${context.contact?.email ?? ''} and ${context.contact?.phone ?? ''}.`,
            },
          },
          context.config.receipt,
        ),
    }),
    recordRefusal: assign(({ context, event }) => refusalUpdate(FLOW, context, event, jmoRefusalFacts(context, event.at))),
    recordInvalidRefusal: assign(({ context, event }) => invalidRefusalUpdate(context, event, jmoRefusalFacts(context, event.at))),
    notifyRefusal: emit(({ context }) => refusalRecorded(FLOW, context)),
    notifyInvalidRefusal: emit(({ context }) => refusalRejected(FLOW, context)),
    recordTransfer: assign(({ context, event }) => transferUpdate(FLOW, context, event)),
    recordWithdrawal: assign(({ context, event }) => withdrawalUpdate(FLOW, context, event)),
    notifyWithdrawal: emit(({ context, event }) => caseWithdrawn(FLOW, context, event)),
    printReceipt: () => {},
  },
}).createMachine({
  id: FLOW,
  context: ({ input }) => ({
    caseId: input.caseId,
    nik: input.nik,
    config: input.config ?? DEFAULT_CASE_CONFIG,
    ...caseStart(input).visit,
    identity: null,
    contact: null,
    resetRequestedAt: null,
    resetConfirmedAt: null,
    refusal: null,
    invalidRefusals: [],
    transfer: null,
    withdrawnAt: null,
    receipt: null,
  }),
  initial: 'identity',
  on: {
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
  },
  states: {
    identity: {
      on: {
        'identity.checked': [
          { guard: and(['byCaseWorker', 'identityVerifiedInPerson']), target: 'contact', actions: 'recordIdentity' },
          { guard: 'byCaseWorker', actions: 'recordIdentity' },
        ],
      },
    },
    contact: {
      on: { 'contact.updated': { guard: and(['byCaseWorker', 'contactValid']), target: 'resetPending', actions: 'recordContact' } },
    },
    resetPending: {
      on: { 'reset.requested': { guard: 'byCaseWorker', target: 'awaitingConfirmation', actions: 'recordResetRequested' } },
    },
    awaitingConfirmation: {
      on: { 'reset.confirmed': { guard: 'byCaseWorker', target: 'receiptPending', actions: 'recordResetConfirmed' } },
    },
    receiptPending: {
      on: { 'receipt.issued': { guard: 'byCaseWorker', target: 'closed', actions: ['issueCompletionReceipt', 'printReceipt'] } },
    },
    closed: { type: 'final' },
    refused: { type: 'final' },
    transferred: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});
