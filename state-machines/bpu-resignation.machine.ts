import { and, assign, emit, setup } from 'xstate';
import { DEFAULT_CASE_CONFIG, type CaseConfig } from '../shared/cases/config';
import { makeReceipt, refusalSlip, transferReceipt, withdrawalReceipt, type Receipt } from '../shared/cases/receipt';
import type { CaseEmitted, InvalidRefusalAttempt, RefusalRecord, TransferRecord } from '../shared/cases/records';
import { CASE_WORKER_ROLES } from '../shared/cases/rules';
import type { BillingChannel, BpuResignationEvent } from '../shared/cases/schema';
import { localDateOf, type CalendarDate } from '../shared/dates';
import { checkRefusal, slipNextStep } from '../shared/policy/catalog';
import type { RefusalFacts } from '../shared/policy/facts';
import type { JhtClaimInput } from './jht-claim.machine';

const FLOW = 'bpu-resignation' as const;

export interface BpuResignationInput {
  caseId: string;
  nik: string;
  config?: CaseConfig;
}

export interface BpuResignationContext {
  caseId: string;
  nik: string;
  config: CaseConfig;
  identity: { ektpPresented: boolean; ektpMatchesNik: boolean } | null;
  participantFound: boolean | null;
  membership: { kpj: string; billingChannels: BillingChannel[] } | null;
  stopDate: CalendarDate | null;
  billingStops: Array<{ channel: BillingChannel; instruction: string; at: string }>;
  continueIntoJht: boolean | null;
  refusal: RefusalRecord | null;
  invalidRefusals: InvalidRefusalAttempt[];
  transfer: TransferRecord | null;
  withdrawnAt: string | null;
  receipt: Receipt | null;
}

type E = BpuResignationEvent;
type Ev<T extends E['type']> = Extract<E, { type: T }>;
const is = <T extends E['type']>(e: E, t: T): e is Ev<T> => e.type === t;

export function bpuRefusalFacts(c: BpuResignationContext, at: string): RefusalFacts {
  return {
    flow: FLOW,
    at,
    serviceHours: c.config.serviceHours,
    identity: c.identity,
    participantFound: c.participantFound,
    firstClaimDate: null,
    missingDocuments: null,
    kpjs: [],
  };
}

/** Input for the JHT claim that may follow in the same visit (cause: BPU stopped working). */
export function jhtClaimAfterBpu(c: BpuResignationContext, caseId: string, openedAt: string): { input: JhtClaimInput; cause: { cause: 'bpuStoppedWorking'; effectiveDate: CalendarDate | null } } {
  return {
    input: { caseId, nik: c.nik, openedAt, config: c.config, ...(c.identity ? { prefill: { identity: c.identity } } : {}) },
    cause: { cause: 'bpuStoppedWorking', effectiveDate: c.stopDate },
  };
}

const CHANNEL_TEXT: Record<BillingChannel, { id: string; en: string }> = {
  autoDebit: { id: 'autodebet', en: 'auto-debit' },
  paymentApp: { id: 'aplikasi pembayaran', en: 'payment app' },
  other: { id: 'kanal lain', en: 'other channel' },
};

export const bpuResignationMachine = setup({
  types: {
    context: {} as BpuResignationContext,
    events: {} as BpuResignationEvent,
    input: {} as BpuResignationInput,
    emitted: {} as CaseEmitted,
  },
  guards: {
    byCaseWorker: ({ event }) => CASE_WORKER_ROLES.includes(event.actor.role),
    identityVerified: ({ event }) => is(event, 'identity.checked') && event.ektpPresented && event.ektpMatchesNik,
    /** A person who asks to stop is stopped on the day they ask: no back- or post-dating. */
    stopDateIsRequestDay: ({ event }) => is(event, 'stop.recorded') && event.stopDate === localDateOf(event.at),
    channelOfMembership: ({ context, event }) =>
      is(event, 'billingStop.recorded') &&
      !!context.membership?.billingChannels.includes(event.channel) &&
      !context.billingStops.some((s) => s.channel === event.channel),
    allBillingChannelsStopped: ({ context }) =>
      (context.membership?.billingChannels ?? []).every((ch) => context.billingStops.some((s) => s.channel === ch)),
    refusalReasonHolds: ({ context, event }) =>
      is(event, 'refusal.requested') && checkRefusal(bpuRefusalFacts(context, event.at), event, event.actor.role).ok,
    transferRequestedByPerson: ({ event }) => is(event, 'transfer.requested') && event.reason === 'PERSON_REQUESTED',
    transferIsWarm: ({ context, event }) =>
      is(event, 'transfer.requested') && event.targetBranch !== context.config.branchCode && Date.parse(event.slaDeadline) > Date.parse(event.at),
  },
  actions: {
    recordIdentity: assign({
      identity: ({ event }) => (is(event, 'identity.checked') ? { ektpPresented: event.ektpPresented, ektpMatchesNik: event.ektpMatchesNik } : null),
    }),
    recordMembership: assign(({ event }) =>
      is(event, 'bpu.membershipConfirmed')
        ? { participantFound: true, membership: { kpj: event.kpj, billingChannels: [...new Set(event.billingChannels)] } }
        : {},
    ),
    recordNotFound: assign({ participantFound: false }),
    recordStop: assign({ stopDate: ({ event }) => (is(event, 'stop.recorded') ? event.stopDate : null) }),
    recordBillingStop: assign({
      billingStops: ({ context, event }) =>
        is(event, 'billingStop.recorded') ? [...context.billingStops, { channel: event.channel, instruction: event.instruction, at: event.at }] : context.billingStops,
    }),
    recordContinue: assign({ continueIntoJht: true }),
    recordDecline: assign({ continueIntoJht: false }),
    issueCompletionReceipt: assign({
      receipt: ({ context, event }) => {
        const channels = context.billingStops.map((s) => s.channel);
        const list = (lang: 'id' | 'en') => (channels.length ? channels.map((c) => CHANNEL_TEXT[c][lang]).join(', ') : '-');
        return makeReceipt(
          {
            caseId: context.caseId,
            flow: FLOW,
            kind: 'completion',
            issuedAt: event.at,
            issuedBy: event.actor.staffId,
            nextStep: {
              id: `Kepesertaan BPU (KPJ ${context.membership?.kpj ?? ''}) berhenti per ${context.stopDate ?? ''}. Tagihan dihentikan: ${list('id')}. Tagihan setelah tanggal ini adalah kesalahan BPJS Ketenagakerjaan dan akan dikembalikan; laporkan lewat kanal pengaduan.${context.continueIntoJht ? ' Klaim JHT Anda dilanjutkan hari ini.' : ''}`,
              en: `BPU membership (KPJ ${context.membership?.kpj ?? ''}) stopped as of ${context.stopDate ?? ''}. Billing stopped: ${list('en')}. Any billing after this date is the agency's error and will be refunded; report it through a complaint channel.${context.continueIntoJht ? ' Your JHT claim continues today.' : ''}`,
            },
          },
          context.config.receipt,
        );
      },
    }),
    recordRefusal: assign(({ context, event }) => {
      if (!is(event, 'refusal.requested')) return {};
      const facts = bpuRefusalFacts(context, event.at);
      const check = checkRefusal(facts, event, event.actor.role);
      if (!check.ok) return {};
      const refusal: RefusalRecord = { code: event.code, at: event.at, actor: event.actor, facts };
      return { refusal, receipt: refusalSlip(context.caseId, FLOW, event, check.reason, slipNextStep(check.reason, facts, event), context.config.receipt) };
    }),
    recordInvalidRefusal: assign({
      invalidRefusals: ({ context, event }) => {
        if (!is(event, 'refusal.requested')) return context.invalidRefusals;
        const check = checkRefusal(bpuRefusalFacts(context, event.at), event, event.actor.role);
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
    participantFound: null,
    membership: null,
    stopDate: null,
    billingStops: [],
    continueIntoJht: null,
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
          { guard: and(['byCaseWorker', 'identityVerified']), target: 'membership', actions: 'recordIdentity' },
          { guard: 'byCaseWorker', actions: 'recordIdentity' },
        ],
      },
    },
    membership: {
      on: {
        'bpu.membershipConfirmed': { guard: 'byCaseWorker', target: 'stopDate', actions: 'recordMembership' },
        'bpu.membershipNotFound': { guard: 'byCaseWorker', actions: 'recordNotFound' },
      },
    },
    stopDate: {
      on: { 'stop.recorded': { guard: and(['byCaseWorker', 'stopDateIsRequestDay']), target: 'billing', actions: 'recordStop' } },
    },
    billing: {
      always: { guard: 'allBillingChannelsStopped', target: 'continuation' },
      on: { 'billingStop.recorded': { guard: and(['byCaseWorker', 'channelOfMembership']), actions: 'recordBillingStop' } },
    },
    continuation: {
      on: {
        'jht.continued': { guard: 'byCaseWorker', target: 'receiptPending', actions: 'recordContinue' },
        'jht.declined': { guard: 'byCaseWorker', target: 'receiptPending', actions: 'recordDecline' },
      },
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
