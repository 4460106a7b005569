import { and, assign, emit, setup } from 'xstate';
import { DEFAULT_CASE_CONFIG, type CaseConfig } from '../shared/cases/config';
import { makeReceipt, refusalSlip, transferReceipt, withdrawalReceipt, type Receipt } from '../shared/cases/receipt';
import type { CaseEmitted, InvalidRefusalAttempt, RefusalRecord, TransferRecord } from '../shared/cases/records';
import { CASE_WORKER_ROLES } from '../shared/cases/rules';
import { Email, MobilePhone, type JmoResetEvent } from '../shared/cases/schema';
import { checkRefusal, slipNextStep } from '../shared/policy/catalog';
import type { RefusalFacts } from '../shared/policy/facts';

const FLOW = 'jmo-reset' as const;

/**
 * JMO account reset. The only time rule is the branch's published service hours
 * (`config.serviceHours`); there is deliberately no other clock-based guard in this machine.
 */
export interface JmoResetInput {
  caseId: string;
  nik: string;
  config?: CaseConfig;
}

export interface JmoResetContext {
  caseId: string;
  nik: string;
  config: CaseConfig;
  identity: { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik: boolean } | null;
  contact: { email: string; phone: string } | null;
  resetRequestedAt: string | null;
  resetConfirmedAt: string | null;
  refusal: RefusalRecord | null;
  invalidRefusals: InvalidRefusalAttempt[];
  transfer: TransferRecord | null;
  withdrawnAt: string | null;
  receipt: Receipt | null;
}

type E = JmoResetEvent;
type Ev<T extends E['type']> = Extract<E, { type: T }>;
const is = <T extends E['type']>(e: E, t: T): e is Ev<T> => e.type === t;

export function jmoRefusalFacts(c: JmoResetContext, at: string): RefusalFacts {
  return {
    flow: FLOW,
    at,
    serviceHours: c.config.serviceHours,
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
    refusalReasonHolds: ({ context, event }) =>
      is(event, 'refusal.requested') && checkRefusal(jmoRefusalFacts(context, event.at), event, event.actor.role).ok,
    transferRequestedByPerson: ({ event }) => is(event, 'transfer.requested') && event.reason === 'PERSON_REQUESTED',
    transferIsWarm: ({ context, event }) =>
      is(event, 'transfer.requested') && event.targetBranch !== context.config.branchCode && Date.parse(event.slaDeadline) > Date.parse(event.at),
  },
  actions: {
    recordIdentity: assign({
      identity: ({ event }) =>
        is(event, 'identity.checked')
          ? { ektpPresented: event.ektpPresented, ektpMatchesNik: event.ektpMatchesNik, kpjMatchesNik: event.kpjMatchesNik === true }
          : null,
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
    recordRefusal: assign(({ context, event }) => {
      if (!is(event, 'refusal.requested')) return {};
      const facts = jmoRefusalFacts(context, event.at);
      const check = checkRefusal(facts, event, event.actor.role);
      if (!check.ok) return {};
      const refusal: RefusalRecord = { code: event.code, at: event.at, actor: event.actor, facts };
      return { refusal, receipt: refusalSlip(context.caseId, FLOW, event, check.reason, slipNextStep(check.reason, facts, event), context.config.receipt) };
    }),
    recordInvalidRefusal: assign({
      invalidRefusals: ({ context, event }) => {
        if (!is(event, 'refusal.requested')) return context.invalidRefusals;
        const check = checkRefusal(jmoRefusalFacts(context, event.at), event, event.actor.role);
        if (check.ok) return context.invalidRefusals;
        return [...context.invalidRefusals, { code: event.code, at: event.at, actor: event.actor, why: check.why }];
      },
    }),
    notifyRefusal: emit(({ context }) => ({ type: 'refusal.recorded' as const, caseId: context.caseId, flow: FLOW, refusal: context.refusal! })),
    notifyInvalidRefusal: emit(({ context }) => ({
      type: 'refusal.rejected' as const,
      caseId: context.caseId,
      flow: FLOW,
      attempt: context.invalidRefusals[context.invalidRefusals.length - 1]!,
    })),
    recordTransfer: assign(({ context, event }) => {
      if (!is(event, 'transfer.requested')) return {};
      const transfer: TransferRecord = { targetBranch: event.targetBranch, reason: 'PERSON_REQUESTED', slaDeadline: event.slaDeadline, at: event.at, actor: event.actor };
      return { transfer, receipt: transferReceipt(context.caseId, FLOW, event, context.config.receipt) };
    }),
    recordWithdrawal: assign(({ context, event }) => ({
      withdrawnAt: event.at,
      receipt: withdrawalReceipt(context.caseId, FLOW, event, context.config.receipt),
    })),
    notifyWithdrawal: emit(({ context, event }) => ({ type: 'case.withdrawn' as const, caseId: context.caseId, flow: FLOW, at: event.at, actor: event.actor })),
    printReceipt: () => {},
  },
}).createMachine({
  id: FLOW,
  context: ({ input }) => ({
    caseId: input.caseId,
    nik: input.nik,
    config: input.config ?? DEFAULT_CASE_CONFIG,
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
