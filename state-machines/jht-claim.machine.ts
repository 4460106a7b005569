import { and, assign, not, or, setup } from 'xstate';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { makeReceipt } from '@shared/cases/receipt';
import type { CaseEmitted } from '@shared/cases/records';
import {
  CAUSES_WITH_EFFECTIVE_DATE,
  CAUSES_WITH_WAITING_PERIOD,
  ageReached,
  ageReachedOn,
  amountPaidInClaim,
  claimableBalance,
  firstClaimDate,
  kpjResolved,
  lumpSumTax,
  lumpSumTaxRule,
  missingDocuments,
  npwpRequired,
  pendingFollowUpWorkingDays,
  resolutionValid,
  waitingPeriodElapsed,
  type KpjLine,
} from '@shared/cases/rules';
import type { DocumentKind, JhtCause, JhtClaimEvent, RequiredDocument } from '@shared/cases/schema';
import { addWorkingDays, anniversaryReached, localDateOf, type CalendarDate } from '@shared/dates';
import type { RefusalFacts } from '@shared/policy/facts';
import { formatDay } from '@shared/i18n/format';
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

export interface JhtClaimInput extends CaseInputBase {
  /** When the case was opened (resolves the NIK's two-digit year). */
  openedAt: string;
  /** Prefilled by a BPU resignation that continues into a claim in the same visit. */
  prefill?: { identity: NonNullable<JhtClaimContext['identity']> };
}

/** `caseId`, `config`, refusal, transfer, withdrawal and `receipt` come from `CaseContextBase`. */
export interface JhtClaimContext extends CaseContextBase {
  nik: string;
  birthDate: CalendarDate | null;
  identity: { ektpPresented: boolean; ektpMatchesNik: boolean } | null;
  cause: JhtCause | null;
  effectiveDate: CalendarDate | null;
  partial: { percent: 10 | 30; membershipSince: CalendarDate; stillWorking: boolean; earlierPartialClaim: boolean } | null;
  firstClaimDate: CalendarDate | null;
  kpjSearchDone: boolean;
  kpjs: KpjLine[];
  documentsStage: boolean;
  documents: DocumentKind[];
  /** Requirements the officer recorded as not presented (`document.notPresented`); absent until then. */
  notPresented?: RequiredDocument[];
  submittedAt: string | null;
}

const FLOW = 'jht-claim' as const;
type E = JhtClaimEvent;
type Ev<T extends E['type']> = Extract<E, { type: T }>;
const is = <T extends E['type']>(e: E, t: T): e is Ev<T> => e.type === t;

/** Documents presented so far; the e-KTP checked at the identity step counts. */
function presented(c: JhtClaimContext): DocumentKind[] {
  return c.identity?.ektpPresented && c.identity.ektpMatchesNik ? [...new Set<DocumentKind>([...c.documents, 'ektp'])] : c.documents;
}

/**
 * The amount paid in this claim, on which the NPWP requirement is judged (issue 16 pt 12): a 10%
 * or 30% partial claim pays that share of the balance. Cases opened before the rule (no
 * `recordedChecks`) keep the whole claimable balance, so their journals replay as they did.
 */
function paidAmount(c: JhtClaimContext): number {
  return c.recordedChecks ? amountPaidInClaim(c.kpjs, c.partial?.percent ?? null) : claimableBalance(c.kpjs);
}

/** Requirements of the chosen cause not presented so far (what the officer may record as not presented). */
function unpresented(c: JhtClaimContext): RequiredDocument[] {
  return c.cause ? missingDocuments(c.cause, presented(c), c.kpjs, c.config.npwpThreshold, paidAmount(c)) : [];
}

/**
 * Cases opened since issue 16: a KPJ is left pending only with a catalog reason and a follow-up
 * within the configured working days (the rule lives in `resolutionValid`).
 */
function pendingRule(c: JhtClaimContext): { workingDays: number; localClosures?: readonly CalendarDate[] } | undefined {
  if (!c.recordedChecks) return undefined;
  // The branch's local closures are no working days (a limit only ever moves later: older journals stay valid).
  return { workingDays: pendingFollowUpWorkingDays(c.config), ...(c.config.localClosures ? { localClosures: c.config.localClosures } : {}) };
}

/** Cause age 56 (since issue 16): the 56th birthday, the first date such a claim can be made. */
function ageFact(c: JhtClaimContext): { ageReachedOn?: CalendarDate } {
  return c.recordedChecks && c.cause === 'age56' && c.birthDate !== null ? { ageReachedOn: ageReachedOn(c.birthDate, c.config.retirementAge) } : {};
}

/** Receipt of a case opened since issue 16: the amount paid and the tax on it, for information. */
function taxInfo(c: JhtClaimContext): { lumpSum?: { amount: number; tax: number; freeUpTo: number; percentAbove: number } } {
  if (!c.recordedChecks) return {};
  const rule = lumpSumTaxRule(c.config);
  const amount = paidAmount(c);
  return { lumpSum: { amount, tax: lumpSumTax(amount, rule), ...rule } };
}

/**
 * The documents a DOCUMENT_MISSING refusal may name. With recorded checks: only those still
 * missing that the officer recorded, one by one, as not presented (never an unticked box). Cases
 * opened before the rule keep the old reading (every requirement not yet presented) for replay.
 */
function missingForRefusal(c: JhtClaimContext): RequiredDocument[] | null {
  if (!c.documentsStage || !c.cause) return null;
  const missing = unpresented(c);
  return c.recordedChecks ? missing.filter((d) => (c.notPresented ?? []).includes(d)) : missing;
}

/** Facts the refusal catalog may look at (shared with the invariant checker and HQ). */
export function jhtRefusalFacts(c: JhtClaimContext, at: string): RefusalFacts {
  return {
    flow: 'jht-claim',
    at,
    ...visitFacts(c),
    serviceHours: c.config.serviceHours,
    zone: c.config.zone,
    identity: c.identity,
    participantFound: c.kpjSearchDone ? c.kpjs.length > 0 : null,
    firstClaimDate: c.firstClaimDate,
    ...ageFact(c),
    missingDocuments: missingForRefusal(c),
    kpjs: c.kpjs,
  };
}

function causeFacts(c: JhtClaimContext, e: Ev<'cause.selected'>) {
  const today = localDateOf(e.at, c.config.zone);
  return { today, cause: e.cause, eff: e.effectiveDate ?? null, birth: c.birthDate, partial: e.partial ?? null, months: c.config.waitingPeriodMonths };
}

export const jhtClaimMachine = setup({
  types: {
    context: {} as JhtClaimContext,
    events: {} as JhtClaimEvent,
    input: {} as JhtClaimInput,
    emitted: {} as CaseEmitted,
  },
  guards: {
    ...caseEndGuards(jhtRefusalFacts),
    identityPrefilled: ({ context }) => context.identity !== null && context.identity.ektpPresented && context.identity.ektpMatchesNik,
    identityVerified: ({ event }) => is(event, 'identity.checked') && event.ektpPresented && event.ektpMatchesNik,
    causeFactsComplete: ({ context, event }) =>
      is(event, 'cause.selected') &&
      (!CAUSES_WITH_EFFECTIVE_DATE.includes(event.cause) || (event.effectiveDate !== undefined && event.effectiveDate <= localDateOf(event.at, context.config.zone))) &&
      (event.cause === 'partial') === (event.partial !== undefined),
    causeHasWaitingPeriod: ({ event }) => is(event, 'cause.selected') && CAUSES_WITH_WAITING_PERIOD.includes(event.cause),
    waitingPeriodElapsed: ({ context, event }) => {
      if (!is(event, 'cause.selected')) return false;
      const f = causeFacts(context, event);
      return f.eff !== null && waitingPeriodElapsed(f.eff, f.months, f.today);
    },
    causeIsAge56: ({ event }) => is(event, 'cause.selected') && event.cause === 'age56',
    age56Reached: ({ context, event }) =>
      is(event, 'cause.selected') && context.birthDate !== null && ageReached(context.birthDate, context.config.retirementAge, localDateOf(event.at, context.config.zone)),
    causeIsPartial: ({ event }) => is(event, 'cause.selected') && event.cause === 'partial',
    partialClaimAllowed: ({ context, event }) =>
      is(event, 'cause.selected') &&
      event.partial !== undefined &&
      event.partial.stillWorking &&
      !event.partial.earlierPartialClaim &&
      anniversaryReached(event.partial.membershipSince, context.config.partialClaimMinYears, localDateOf(event.at, context.config.zone)),
    causeWithoutTimeCondition: ({ event }) =>
      is(event, 'cause.selected') && !CAUSES_WITH_WAITING_PERIOD.includes(event.cause) && event.cause !== 'age56' && event.cause !== 'partial',
    kpjSearchPending: ({ context }) => !context.kpjSearchDone,
    kpjIsNew: ({ context, event }) => is(event, 'kpj.added') && !context.kpjs.some((k) => k.kpj === event.record.kpj),
    /**
     * A typo can be taken out only while the list is still the officer's typing: before the NIK
     * search is recorded. After it, the list is every KPJ of the NIK, and removing one would make
     * a balance vanish (DESIGN §1): it ends paid, merged or pending instead.
     */
    kpjRemovable: ({ context, event }) => is(event, 'kpj.removed') && !context.kpjSearchDone && context.kpjs.some((k) => k.kpj === event.kpj && k.outcome === null),
    /** The NIK search ran, so every KPJ of the NIK is in the list. */
    allKpjOfNikListed: ({ context }) => context.kpjSearchDone,
    hasClaimableKpj: ({ context }) => context.kpjs.some((k) => k.paidBefore === undefined),
    npwpRequired: ({ context }) => npwpRequired(paidAmount(context), context.config.npwpThreshold),
    npwpPresented: ({ context }) => context.documents.includes('npwp'),
    /** Only a requirement of the chosen cause that is not presented can be recorded as not presented. */
    documentsNotPresentedAreRequired: ({ context, event }) =>
      is(event, 'document.notPresented') && event.documents.every((d) => unpresented(context).includes(d)),
    requiredDocumentsPresent: ({ context }) =>
      context.cause !== null && missingDocuments(context.cause, presented(context), context.kpjs, context.config.npwpThreshold, paidAmount(context)).length === 0,
    kpjResolutionValid: ({ context, event }) =>
      is(event, 'kpj.resolved') && resolutionValid(context.kpjs, event.kpj, event.outcome, localDateOf(event.at, context.config.zone), pendingRule(context)),
    allKpjResolved: ({ context }) => context.kpjs.length > 0 && context.kpjs.every(kpjResolved),
  },
  actions: {
    recordIdentity: assign({
      identity: ({ event }) => (is(event, 'identity.checked') ? { ektpPresented: event.ektpPresented, ektpMatchesNik: event.ektpMatchesNik } : null),
    }),
    recordCause: assign(({ context, event }) => {
      if (!is(event, 'cause.selected')) return {};
      const eff = event.effectiveDate ?? null;
      return { cause: event.cause, effectiveDate: eff, partial: event.partial ?? null, firstClaimDate: firstClaimDate(event.cause, eff, context.config.waitingPeriodMonths) };
    }),
    recordSearch: assign({
      kpjSearchDone: true,
      kpjs: ({ context, event }) => {
        if (!is(event, 'kpj.searched')) return context.kpjs;
        const out = [...context.kpjs];
        for (const r of event.results) if (!out.some((k) => k.kpj === r.kpj)) out.push({ ...r, outcome: null });
        return out;
      },
    }),
    addKpj: assign({
      kpjs: ({ context, event }) => (is(event, 'kpj.added') ? [...context.kpjs, { ...event.record, outcome: null }] : context.kpjs),
    }),
    removeKpj: assign({
      kpjs: ({ context, event }) => (is(event, 'kpj.removed') ? context.kpjs.filter((k) => k.kpj !== event.kpj) : context.kpjs),
    }),
    openDocuments: assign({ documentsStage: true }),
    recordDocuments: assign({
      documents: ({ context, event }) =>
        is(event, 'document.presented') ? [...new Set([...context.documents, ...event.documents])] : context.documents,
    }),
    recordNotPresented: assign({
      notPresented: ({ context, event }) =>
        is(event, 'document.notPresented') ? [...new Set([...(context.notPresented ?? []), ...event.documents])] : context.notPresented,
    }),
    recordSubmission: assign({ submittedAt: ({ event }) => event.at }),
    resolveKpj: assign({
      kpjs: ({ context, event }) =>
        is(event, 'kpj.resolved') ? context.kpjs.map((k) => (k.kpj === event.kpj ? { ...k, outcome: event.outcome } : k)) : context.kpjs,
    }),
    issueCompletionReceipt: assign({
      receipt: ({ context, event }) => {
        const slaFrom = localDateOf(context.submittedAt ?? event.at, context.config.zone);
        const due = addWorkingDays(slaFrom, context.config.payoutSlaWorkingDays);
        // A date people read, in words ("Jumat, 13 Maret 2026"); cases opened before the rule keep ISO, so they replay as stored.
        const dueIn = (lang: 'id' | 'en') => (context.recordedChecks ? formatDay(due, lang) : due);
        return makeReceipt(
          {
            caseId: context.caseId,
            flow: 'jht-claim',
            kind: 'completion',
            issuedAt: event.at,
            issuedBy: event.actor.staffId,
            nextStep: {
              id: `Klaim JHT diterima. Pembayaran ke rekening Anda paling lambat ${dueIn('id')} (${context.config.payoutSlaWorkingDays} hari kerja). KPJ yang tertunda akan ditindaklanjuti pada tanggal yang tertera.`,
              en: `JHT claim accepted. Payment to your account by ${dueIn('en')} (${context.config.payoutSlaWorkingDays} working days). Pending KPJs are followed up on the dates shown.`,
            },
            kpjOutcomes: context.kpjs.map((k) => ({
              kpj: k.kpj,
              outcome: k.paidBefore ? { kind: 'paidBefore' as const, ...k.paidBefore } : (k.outcome ?? { kind: 'paid' as const }),
            })),
            ...taxInfo(context),
          },
          context.config.receipt,
        );
      },
    }),
    ...caseEndActions<JhtClaimContext, JhtClaimEvent>(FLOW, jhtRefusalFacts),
  },
}).createMachine({
  id: 'jht-claim',
  context: ({ input }) => {
    const start = caseStart(input);
    return {
      caseId: input.caseId,
      nik: input.nik,
      birthDate: start.nik.birthDate,
      config: input.config ?? DEFAULT_CASE_CONFIG,
      ...start.visit,
      identity: input.prefill?.identity ?? null,
      cause: null,
      effectiveDate: null,
      partial: null,
      firstClaimDate: null,
      kpjSearchDone: false,
      kpjs: [],
      documentsStage: false,
      documents: [],
      submittedAt: null,
      ...caseEndContext(),
    };
  },
  initial: 'identity',
  on: CASE_END_TRANSITIONS,
  states: {
    identity: {
      always: { guard: 'identityPrefilled', target: 'cause' },
      on: {
        'identity.checked': [
          { guard: and(['byCaseWorker', 'identityVerified']), target: 'cause', actions: 'recordIdentity' },
          { guard: 'byCaseWorker', actions: 'recordIdentity' },
        ],
      },
    },
    cause: {
      initial: 'choosing',
      states: {
        choosing: {},
        // Not a refusal: the officer may pick another cause, refuse with WAITING_PERIOD_NOT_ELAPSED
        // (with an appointment) when it holds, or the person may withdraw.
        notYetEligible: {},
      },
      on: {
        'cause.selected': [
          {
            guard: and([
              'byCaseWorker',
              'causeFactsComplete',
              or([
                and(['causeHasWaitingPeriod', 'waitingPeriodElapsed']),
                and(['causeIsAge56', 'age56Reached']),
                and(['causeIsPartial', 'partialClaimAllowed']),
                'causeWithoutTimeCondition',
              ]),
            ]),
            target: 'kpjListing',
            actions: 'recordCause',
          },
          { guard: and(['byCaseWorker', 'causeFactsComplete']), target: '.notYetEligible', actions: 'recordCause' },
        ],
      },
    },
    kpjListing: {
      on: {
        'kpj.searched': { guard: and(['byCaseWorker', 'kpjSearchPending']), actions: 'recordSearch' },
        'kpj.added': { guard: and(['byCaseWorker', 'kpjIsNew']), actions: 'addKpj' },
        'kpj.removed': { guard: and(['byCaseWorker', 'kpjRemovable']), actions: 'removeKpj' },
        'kpj.listConfirmed': {
          guard: and(['byCaseWorker', 'allKpjOfNikListed', 'hasClaimableKpj']),
          target: 'documents',
          actions: 'openDocuments',
        },
      },
    },
    documents: {
      on: {
        'kpj.added': { guard: and(['byCaseWorker', 'kpjIsNew']), actions: 'addKpj' },
        'document.presented': { guard: 'byCaseWorker', actions: 'recordDocuments' },
        'document.notPresented': { guard: and(['byCaseWorker', 'documentsNotPresentedAreRequired']), actions: 'recordNotPresented' },
        'documents.confirmed': {
          guard: and(['byCaseWorker', 'requiredDocumentsPresent', or([not('npwpRequired'), 'npwpPresented'])]),
          target: 'submitted',
          actions: 'recordSubmission',
        },
      },
    },
    submitted: {
      // A KPJ added after submission may raise the balance above the NPWP threshold.
      always: { guard: not('requiredDocumentsPresent'), target: 'documents' },
      on: {
        'kpj.added': { guard: and(['byCaseWorker', 'kpjIsNew']), actions: 'addKpj' },
        'kpj.resolved': { guard: and(['byCaseWorker', 'kpjResolutionValid']), actions: 'resolveKpj' },
        'receipt.issued': { guard: and(['byCaseWorker', 'allKpjResolved']), target: 'closed', actions: ['issueCompletionReceipt', 'printReceipt'] },
      },
    },
    closed: { type: 'final' },
    ...CASE_END_STATES,
  },
});
