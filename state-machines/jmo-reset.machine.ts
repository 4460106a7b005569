import { and, assign, setup } from 'xstate';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { makeReceipt } from '@shared/cases/receipt';
import type { CaseEmitted } from '@shared/cases/records';
import { Email, MobilePhone, type JmoResetEvent } from '@shared/cases/schema';
import type { RefusalFacts } from '@shared/policy/facts';
import {
  CASE_END_STATES,
  CASE_END_TRANSITIONS,
  type CaseContextBase,
  caseEndActions,
  caseEndContext,
  caseEndGuards,
  type CaseInputBase,
  caseStart,
  visitFacts,
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
    ...caseEndGuards(jmoRefusalFacts),
    /** In person: e-KTP presented, matching the NIK, and the KPJ belongs to the NIK. */
    identityVerifiedInPerson: ({ event }) =>
      is(event, 'identity.checked') && event.ektpPresented && event.ektpMatchesNik && event.kpjMatchesNik === true,
    contactValid: ({ event }) => is(event, 'contact.updated') && Email.safeParse(event.email).success && MobilePhone.safeParse(event.phone).success,
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
    ...caseEndActions<JmoResetContext, JmoResetEvent>(FLOW, jmoRefusalFacts),
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
    ...caseEndContext(),
  }),
  initial: 'identity',
  on: CASE_END_TRANSITIONS,
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
    ...CASE_END_STATES,
  },
});
