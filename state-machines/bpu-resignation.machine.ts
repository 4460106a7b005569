import { and, assign, setup } from 'xstate';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { makeReceipt } from '@shared/cases/receipt';
import type { CaseEmitted } from '@shared/cases/records';
import type { BillingChannel, BpuResignationEvent } from '@shared/cases/schema';
import { localDateOf, type CalendarDate } from '@shared/dates';
import { formatDay } from '@shared/i18n/format';
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
import type { JhtClaimInput } from './jht-claim.machine';

const FLOW = 'bpu-resignation' as const;

export type BpuResignationInput = CaseInputBase;

/** `caseId`, `config`, refusal, transfer, withdrawal and `receipt` come from `CaseContextBase`. */
export interface BpuResignationContext extends CaseContextBase {
  nik: string;
  identity: { ektpPresented: boolean; ektpMatchesNik: boolean } | null;
  participantFound: boolean | null;
  membership: { kpj: string; billingChannels: BillingChannel[] } | null;
  stopDate: CalendarDate | null;
  billingStops: Array<{ channel: BillingChannel; instruction: string; at: string }>;
  continueIntoJht: boolean | null;
}

type E = BpuResignationEvent;
type Ev<T extends E['type']> = Extract<E, { type: T }>;
const is = <T extends E['type']>(e: E, t: T): e is Ev<T> => e.type === t;

export function bpuRefusalFacts(c: BpuResignationContext, at: string): RefusalFacts {
  return {
    flow: FLOW,
    at,
    ...visitFacts(c),
    serviceHours: c.config.serviceHours,
    zone: c.config.zone,
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
    input: {
      caseId,
      nik: c.nik,
      openedAt,
      config: c.config,
      // The same visit: it began when the BPU case's ticket was taken.
      ...(c.visitStartedAt !== undefined ? { visitStartedAt: c.visitStartedAt } : {}),
      ...(c.recordedChecks ? { recordedChecks: true as const } : {}),
      ...(c.identity ? { prefill: { identity: c.identity } } : {}),
    },
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
    ...caseEndGuards(bpuRefusalFacts),
    identityVerified: ({ event }) => is(event, 'identity.checked') && event.ektpPresented && event.ektpMatchesNik,
    /** A person who asks to stop is stopped on the day they ask: no back- or post-dating. */
    stopDateIsRequestDay: ({ context, event }) => is(event, 'stop.recorded') && event.stopDate === localDateOf(event.at, context.config.zone),
    channelOfMembership: ({ context, event }) =>
      is(event, 'billingStop.recorded') &&
      !!context.membership?.billingChannels.includes(event.channel) &&
      !context.billingStops.some((s) => s.channel === event.channel),
    allBillingChannelsStopped: ({ context }) =>
      (context.membership?.billingChannels ?? []).every((ch) => context.billingStops.some((s) => s.channel === ch)),
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
        // Each stopped channel with the instruction the officer sent: the person's proof if billing goes on.
        const list = (lang: 'id' | 'en') =>
          context.billingStops.length ? context.billingStops.map((s) => `${CHANNEL_TEXT[s.channel][lang]} (${s.instruction})`).join(', ') : '-';
        // A date people read, in words ("Senin, 2 Maret 2026"); cases opened before the rule keep ISO, so they replay as stored.
        const stop = (lang: 'id' | 'en') => (context.stopDate && context.recordedChecks ? formatDay(context.stopDate, lang) : (context.stopDate ?? ''));
        return makeReceipt(
          {
            caseId: context.caseId,
            flow: FLOW,
            kind: 'completion',
            issuedAt: event.at,
            issuedBy: event.actor.staffId,
            nextStep: {
              id: `Kepesertaan BPU (KPJ ${context.membership?.kpj ?? ''}) berhenti per ${stop('id')}. Tagihan dihentikan: ${list('id')}. Tagihan setelah tanggal ini adalah kesalahan BPJS Ketenagakerjaan dan akan dikembalikan; laporkan lewat kanal pengaduan.${context.continueIntoJht ? ' Klaim JHT Anda dilanjutkan hari ini.' : ''}`,
              en: `BPU membership (KPJ ${context.membership?.kpj ?? ''}) stopped as of ${stop('en')}. Billing stopped: ${list('en')}. Any billing after this date is the agency's error and will be refunded; report it through a complaint channel.${context.continueIntoJht ? ' Your JHT claim continues today.' : ''}`,
            },
          },
          context.config.receipt,
        );
      },
    }),
    ...caseEndActions<BpuResignationContext, BpuResignationEvent>(FLOW, bpuRefusalFacts),
  },
}).createMachine({
  id: FLOW,
  context: ({ input }) => ({
    caseId: input.caseId,
    nik: input.nik,
    config: input.config ?? DEFAULT_CASE_CONFIG,
    ...caseStart(input).visit,
    identity: null,
    participantFound: null,
    membership: null,
    stopDate: null,
    billingStops: [],
    continueIntoJht: null,
    ...caseEndContext(),
  }),
  initial: 'identity',
  on: CASE_END_TRANSITIONS,
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
    ...CASE_END_STATES,
  },
});
