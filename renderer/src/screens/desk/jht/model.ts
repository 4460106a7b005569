import { z } from 'zod';
import {
  CAUSES_WITH_EFFECTIVE_DATE,
  CAUSES_WITH_WAITING_PERIOD,
  amountPaidInClaim,
  causeDocuments,
  claimableBalance,
  kpjResolved,
  npwpRequired,
  type KpjLine,
} from '@shared/cases/rules';
import type { DocumentKind, JhtCause, KpjOutcome, KpjRecord, RequiredDocument } from '@shared/cases/schema';
import { addMonths, addYears, anniversaryReached, CalendarDateSchema, isCalendarDate, type CalendarDate } from '@shared/dates';
import { parseKpj } from '@shared/identity/kpj';
import { pendingReasonFor } from '@shared/policy/pending';
import type { JhtClaimContext } from '@state-machines';

/**
 * Pure view of a JHT claim case for the panel: which step the machine is in, what the officer can
 * still do, and why the claim cannot close yet. Everything is derived from the stored snapshot, so
 * the panel never keeps its own copy of the case's facts.
 */

export type JhtStep = 'identity' | 'cause' | 'kpjListing' | 'documents' | 'submitted' | 'closed' | 'refused' | 'transferred' | 'withdrawn';

const STEPS: readonly JhtStep[] = ['identity', 'cause', 'kpjListing', 'documents', 'submitted', 'closed', 'refused', 'transferred', 'withdrawn'];

/** `snapshot.value` is a string or `{ cause: 'choosing' | 'notYetEligible' }`. */
export function stepOf(value: unknown): { step: JhtStep; sub: string | null } {
  if (typeof value === 'string' && (STEPS as readonly string[]).includes(value)) return { step: value as JhtStep, sub: null };
  if (value && typeof value === 'object') {
    const [key, sub] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    if (key && (STEPS as readonly string[]).includes(key)) return { step: key as JhtStep, sub: typeof sub === 'string' ? sub : null };
  }
  return { step: 'identity', sub: null };
}

export function contextOf(snapshot: Record<string, unknown>): JhtClaimContext {
  return snapshot.context as JhtClaimContext;
}

// ---- Rupiah ------------------------------------------------------------------------------------

/** `Rp30.000.000`: Indonesian thousands separator, no decimals (balances are whole Rupiah). */
export function formatRupiah(amount: number): string {
  const digits = String(Math.trunc(Math.abs(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 ? '-' : ''}Rp${digits}`;
}

/**
 * Reads what an officer types: `30000000`, `30.000.000`, `Rp 30.000.000`. Dots must group by
 * three, so a mistyped `30.00.000` is an error rather than a silently different amount; a comma
 * (the Indonesian decimal mark) is rejected because balances are whole Rupiah.
 */
export function parseRupiah(input: string): number | null {
  const s = input.trim().replace(/^rp\.?\s*/i, '').replace(/\s/g, '');
  if (!/^\d{1,3}(\.\d{3})*$|^\d+$/.test(s)) return null;
  const n = Number(s.replace(/\./g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

// ---- forms (zod; messages are i18n keys under `jht.`) ------------------------------------------

const optionalDate = z
  .string()
  .trim()
  .refine((s) => s === '' || isCalendarDate(s), 'errors.date')
  .transform((s) => (s === '' ? undefined : s));

export const KpjForm = z
  .object({
    kpj: z.string().transform((s, ctx) => {
      const r = parseKpj(s);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: 'errors.kpj' });
        return z.NEVER;
      }
      return r.value;
    }),
    employer: z.string().trim().min(2, 'errors.employer').max(120, 'errors.employer'),
    balance: z.string().transform((s, ctx) => {
      const n = parseRupiah(s);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: 'errors.balance' });
        return z.NEVER;
      }
      return n;
    }),
    registeredOn: optionalDate,
    employerArrears: z.boolean(),
    paidBefore: z.boolean(),
    paidOn: optionalDate,
    reference: z.string().trim().max(40, 'errors.reference'),
  })
  .superRefine((f, ctx) => {
    if (!f.paidBefore) return;
    if (!f.paidOn) ctx.addIssue({ code: 'custom', path: ['paidOn'], message: 'errors.paidOn' });
    if (f.reference.length < 1) ctx.addIssue({ code: 'custom', path: ['reference'], message: 'errors.reference' });
  });
export type KpjFormInput = z.input<typeof KpjForm>;

/** The record for `kpj.added`. `employer` is kept in the journal line (see the report: not yet in KpjRecord). */
export function kpjRecordOf(f: z.output<typeof KpjForm>): KpjRecord & { employer: string } {
  return {
    kpj: f.kpj,
    employer: f.employer,
    balance: f.balance,
    ...(f.registeredOn ? { registeredOn: f.registeredOn } : {}),
    ...(f.employerArrears ? { employerArrears: true } : {}),
    ...(f.paidBefore && f.paidOn ? { paidBefore: { paidOn: f.paidOn, reference: f.reference } } : {}),
  };
}

export const ResolutionForm = z
  .object({
    kind: z.enum(['paid', 'merged', 'pending'], { message: 'errors.outcome' }),
    into: z.string(),
    /** A code of the catalog of pending reasons (shared/policy/pending.ts); free text goes in `note`. */
    reason: z.string().trim(),
    followUpOn: z.string().trim(),
    note: z.string().trim().max(500, 'errors.note'),
    today: CalendarDateSchema,
    /** The latest follow-up the rules allow (`latestFollowUp`: configured working days from today). */
    latest: CalendarDateSchema,
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'merged' && !/^\d{11}$/.test(f.into)) ctx.addIssue({ code: 'custom', path: ['into'], message: 'errors.into' });
    if (f.kind === 'pending') {
      if (!pendingReasonFor(f.reason)) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'errors.reason' });
      if (!isCalendarDate(f.followUpOn)) ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: 'errors.date' });
      else if (f.followUpOn < f.today) ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: 'errors.followUpPast' });
      else if (f.followUpOn > f.latest) ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: 'errors.followUpTooLate' });
    }
  })
  .transform((f): KpjOutcome => {
    if (f.kind === 'merged') return { kind: 'merged', into: f.into };
    if (f.kind === 'pending') return { kind: 'pending', reason: f.reason, followUpOn: f.followUpOn, ...(f.note ? { note: f.note } : {}) };
    return { kind: 'paid' };
  });

export const CauseForm = z
  .object({
    cause: z.enum(['age56', 'resignation', 'dismissal', 'contractEnd', 'bpuStoppedWorking', 'permanentDisability', 'leavingIndonesia', 'death', 'partial'], {
      message: 'errors.cause',
    }),
    effectiveDate: z.string().trim(),
    percent: z.enum(['10', '30']),
    membershipSince: z.string().trim(),
    stillWorking: z.boolean(),
    earlierPartialClaim: z.boolean(),
    today: CalendarDateSchema,
  })
  .superRefine((f, ctx) => {
    if (CAUSES_WITH_EFFECTIVE_DATE.includes(f.cause)) {
      if (!isCalendarDate(f.effectiveDate)) ctx.addIssue({ code: 'custom', path: ['effectiveDate'], message: 'errors.date' });
      else if (f.effectiveDate > f.today) ctx.addIssue({ code: 'custom', path: ['effectiveDate'], message: 'errors.effectiveFuture' });
    }
    if (f.cause === 'partial') {
      if (!isCalendarDate(f.membershipSince)) ctx.addIssue({ code: 'custom', path: ['membershipSince'], message: 'errors.date' });
      else if (f.membershipSince > f.today) ctx.addIssue({ code: 'custom', path: ['membershipSince'], message: 'errors.membershipFuture' });
    }
  })
  .transform((f) => ({
    cause: f.cause,
    ...(CAUSES_WITH_EFFECTIVE_DATE.includes(f.cause) ? { effectiveDate: f.effectiveDate } : {}),
    ...(f.cause === 'partial'
      ? {
          partial: {
            percent: (f.percent === '30' ? 30 : 10),
            membershipSince: f.membershipSince,
            stillWorking: f.stillWorking,
            earlierPartialClaim: f.earlierPartialClaim,
          },
        }
      : {}),
  }));
export type CauseFormInput = z.input<typeof CauseForm>;

/** zod issues → `{ field: i18n key }`, first issue per field wins. */
export function issuesByField(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join('.') || '_form';
    if (!(key in out)) out[key] = i.message.startsWith('errors.') ? i.message : 'errors.generic';
  }
  return out;
}

// ---- cause: dates the officer should see before choosing --------------------------------------

export interface CauseTiming {
  /** Resignation/dismissal: effective date + waiting period. */
  firstClaimDate: CalendarDate | null;
  /** Age 56: the birthday from the NIK. */
  retirementDate: CalendarDate | null;
  /** Partial: the 10th membership anniversary. */
  partialFrom: CalendarDate | null;
  claimableToday: boolean | null;
}

export function causeTiming(
  cause: JhtCause | '',
  effectiveDate: string,
  membershipSince: string,
  birthDate: CalendarDate | null,
  config: { waitingPeriodMonths: number; retirementAge: number; partialClaimMinYears: number },
  today: CalendarDate,
): CauseTiming {
  const none: CauseTiming = { firstClaimDate: null, retirementDate: null, partialFrom: null, claimableToday: null };
  if (cause === '') return none;
  if (CAUSES_WITH_WAITING_PERIOD.includes(cause)) {
    if (!isCalendarDate(effectiveDate)) return none;
    const first = addMonths(effectiveDate, config.waitingPeriodMonths);
    return { ...none, firstClaimDate: first, claimableToday: first <= today };
  }
  if (cause === 'age56') {
    if (!birthDate) return none;
    return { ...none, retirementDate: addYears(birthDate, config.retirementAge), claimableToday: anniversaryReached(birthDate, config.retirementAge, today) };
  }
  if (cause === 'partial') {
    if (!isCalendarDate(membershipSince)) return none;
    return {
      ...none,
      partialFrom: addYears(membershipSince, config.partialClaimMinYears),
      claimableToday: anniversaryReached(membershipSince, config.partialClaimMinYears, today),
    };
  }
  return { ...none, claimableToday: true };
}

/** Why a partial claim is not possible (i18n keys), in the order the officer should read them. */
export function partialBlockers(stillWorking: boolean, earlierPartialClaim: boolean, timing: CauseTiming): string[] {
  const out: string[] = [];
  if (timing.claimableToday === false) out.push('partial.blockYears');
  if (!stillWorking) out.push('partial.blockNotWorking');
  if (earlierPartialClaim) out.push('partial.blockEarlier');
  return out;
}

// ---- KPJ list -----------------------------------------------------------------------------------

export type KpjStatus = 'paidBefore' | 'paid' | 'merged' | 'pending' | 'open';

export function kpjStatus(k: KpjLine): KpjStatus {
  if (k.paidBefore) return 'paidBefore';
  return k.outcome?.kind ?? 'open';
}

/**
 * KPJs that keep the claim from closing. A pending KPJ with its reason and follow-up date counts as
 * resolved (DOMAIN: each KPJ ends paid, merged, or pending with a reason and a date).
 */
export function unresolvedKpjs(kpjs: readonly KpjLine[]): KpjLine[] {
  return kpjs.filter((k) => !kpjResolved(k));
}

/** KPJs this one may be merged into: others of the claim that are claimable and not merged away. */
export function mergeTargets(kpjs: readonly KpjLine[], kpj: string): KpjLine[] {
  return kpjs.filter((k) => k.kpj !== kpj && k.paidBefore === undefined && k.outcome?.kind !== 'merged');
}

/** Employer names kept in the journal's `kpj.added`/`kpj.searched` lines (not in the snapshot yet). */
export function employersFromJournal(events: readonly Record<string, unknown>[]): Record<string, string> {
  const out: Record<string, string> = {};
  const take = (r: unknown) => {
    const rec = r as { kpj?: unknown; employer?: unknown } | null;
    if (rec && typeof rec.kpj === 'string' && typeof rec.employer === 'string' && !(rec.kpj in out)) out[rec.kpj] = rec.employer;
  };
  for (const e of events) {
    if (e.type === 'kpj.added') take(e.record);
    if (e.type === 'kpj.searched' && Array.isArray(e.results)) e.results.forEach(take);
  }
  return out;
}

// ---- documents ----------------------------------------------------------------------------------

export interface ChecklistItem {
  requirement: RequiredDocument;
  /** Kinds that satisfy it: termination proof is a paklaring OR any other proof. */
  kinds: DocumentKind[];
  satisfied: boolean;
}

export interface Checklist {
  items: ChecklistItem[];
  npwp: { required: boolean; balance: number; threshold: number };
  presented: DocumentKind[];
  missing: RequiredDocument[];
}

const KINDS_OF: Record<RequiredDocument, DocumentKind[]> = {
  ektp: ['ektp'],
  savingsBook: ['savingsBook'],
  terminationProof: ['paklaring', 'otherTerminationProof'],
  kk: ['kk'],
  deathCertificate: ['deathCertificate'],
  npwp: ['npwp'],
};

/**
 * The documents the chosen cause needs, with the NPWP rule applied as the machine does: to the
 * amount paid in this claim (a 10%/30% share for a partial claim) in cases opened since issue 16,
 * to the whole claimable balance before.
 */
export function checklistOf(ctx: Pick<JhtClaimContext, 'cause' | 'documents' | 'identity' | 'kpjs' | 'config'> & Partial<Pick<JhtClaimContext, 'partial' | 'recordedChecks'>>): Checklist {
  const presented = new Set<DocumentKind>(ctx.documents);
  // Same rule as the machine: the e-KTP checked at the identity step counts as presented.
  if (ctx.identity?.ektpPresented && ctx.identity.ektpMatchesNik) presented.add('ektp');
  const balance = ctx.recordedChecks ? amountPaidInClaim(ctx.kpjs, ctx.partial?.percent ?? null) : claimableBalance(ctx.kpjs);
  const threshold = ctx.config.npwpThreshold;
  const required = ctx.cause ? causeDocuments(ctx.cause) : [];
  const npwp = npwpRequired(balance, threshold);
  if (npwp) required.push('npwp');
  const items = required.map((requirement) => {
    const kinds = KINDS_OF[requirement];
    return { requirement, kinds, satisfied: kinds.some((k) => presented.has(k)) };
  });
  return {
    items,
    npwp: { required: npwp, balance, threshold },
    presented: [...presented],
    missing: items.filter((i) => !i.satisfied).map((i) => i.requirement),
  };
}
