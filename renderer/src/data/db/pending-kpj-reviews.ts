import { z } from 'zod';
import { REVIEW_ROLES } from '@shared/cases/rules';
import { Kpj } from '@shared/identity/kpj';
import { FollowUp, HourMinute } from '@shared/cases/schema';
import { CalendarDateSchema, localDateOf, type CalendarDate } from '@shared/dates';
import { appointmentSlotProblem, branchCalendar, closedDayOn, isOpenDay, type ClosedDay, type LocalClosure } from '@shared/calendar';
import { DEFAULT_SERVICE_HOURS, ServiceHours } from '@shared/branch/schema';
import { BranchRules, rulesOn } from '@shared/cases/branch-rules';
import { BRANCH_CONFIG_KEY } from '@shared/sync/protocol';
import { hqClosuresOf } from '../branch-closures';
import type { AuditActor } from '../audit-chain';
import { branchZone } from '../branch-zone';
import { pendingKpjsOf, type PendingKpjItem } from '../reports/pending-kpjs';
import { recordedPhone } from '../case-lookup';
import { casesOf, type LoketDatabase } from './database';
import type { CaseDoc } from './schemas';
import type { AuditLog } from './stores';

// Issue 16 pt 3: a KPJ left pending "goes to the head's review queue like a refusal". The head
// decides on each pending KPJ — upheld (the pending is justified) or overturned (it is not: the KPJ
// must be resolved), with a note — and the decision is recorded in the audit chain (it syncs to HQ
// with the rest of the chain), so "who decided what, when" is answered like any other access.
// An overturn opens a follow-up, as an overturned refusal does (refusal-reviews.ts): the person was
// kept waiting without a valid reason, so someone must act by a date. By default the case is
// reopened to resolve the KPJ by the follow-up date the person was already given (today if that
// has passed); the head may set another kind, date and time. It stays open until marked done.

/** The audit action of a head's decision on a pending KPJ. */
export const PENDING_KPJ_REVIEW_ACTION = 'pendingKpj.reviewed';

/** Free text from the head: never a NIK (16 digits in a row), since the audit details are not encrypted. */
const Note = z
  .string()
  .trim()
  .max(500)
  .refine((s) => !/\d{16}/.test(s.replace(/[\s.-]/g, '')), { message: 'note.noNik' });

/** What the head submits. An overturn must say why (the note); an upheld pending may carry one. */
export const PendingKpjDecision = z
  .object({
    caseId: z.string().min(1).max(100),
    kpj: Kpj,
    /** The pending being decided on: the same KPJ left pending again later is a new one to review. */
    followUpOn: CalendarDateSchema,
    decision: z.enum(['upheld', 'overturned']),
    note: Note.default(''),
    /** Overturn only: the follow-up (default: reopen the case), its due date (default: the pending's follow-up date) and time. */
    followUp: FollowUp.optional(),
    dueDate: CalendarDateSchema.optional(),
    dueTime: HourMinute.optional(),
  })
  .refine((d) => d.decision !== 'overturned' || d.note.length > 0, { path: ['note'], message: 'note.required' })
  .refine((d) => d.decision === 'overturned' || (d.followUp === undefined && d.dueDate === undefined && d.dueTime === undefined), { path: ['followUp'], message: 'followUp.onlyOnOverturn' })
  .refine((d) => d.followUp !== 'appointment' || (d.dueDate !== undefined && d.dueTime !== undefined), { path: ['dueTime'], message: 'dueTime.required' });
export type PendingKpjDecision = z.input<typeof PendingKpjDecision>;

/** The follow-up an overturn opened. */
export interface PendingFollowUp {
  kind: FollowUp;
  dueDate: string;
  dueTime: string | null;
}

export interface PendingKpjReview {
  caseId: string;
  kpj: string;
  followUpOn: string;
  decision: 'upheld' | 'overturned';
  note: string;
  at: string;
  staffId: string;
  /** Overturned: the follow-up it opened (null for an upheld pending, or one decided before this rule). */
  followUp: PendingFollowUp | null;
}

/** An open follow-up of an overturned pending KPJ, for the head's list. */
export interface OpenPendingFollowUp {
  caseId: string;
  kpj: string;
  followUpOn: string;
  followUp: PendingFollowUp;
  reviewedAt: string;
  reviewedBy: string;
}

const PENDING_FOLLOW_UP_DONE = 'followUp.completed';
const StoredFollowUp = z.object({ followUp: FollowUp, dueDate: CalendarDateSchema, dueTime: HourMinute.nullable().optional() });

export type PendingKpjReviewResult =
  | { ok: true; review: PendingKpjReview }
  | { ok: false; reason: 'INVALID_INPUT' | 'NOT_ALLOWED' | 'NOT_PENDING' | 'ALREADY_REVIEWED' | 'NO_PHONE'; detail: string }
  /** An appointment at a time the branch does not serve that day (before opening, from closing time on). */
  | { ok: false; reason: 'OUTSIDE_HOURS'; detail: string }
  /** An appointment on a day the branch is closed: a weekend, or `closedDay` (national or the branch's own). */
  | { ok: false; reason: 'CLOSED_DAY'; closedDay: ClosedDay | null; detail: string };

/** The closed days entered on this PC (main's settings), which HQ may not hold yet. */
export type OwnClosures = () => Promise<readonly LocalClosure[] | undefined>;

/** The key of one pending (case, KPJ, follow-up date). */
export const pendingKey = (p: Pick<PendingKpjItem, 'caseId' | 'kpj' | 'followUpOn'>): string => `${p.caseId}|${p.kpj}|${p.followUpOn}`;

export class PendingKpjReviews {
  constructor(
    private readonly db: LoketDatabase,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
    private readonly ownClosures: OwnClosures = () => Promise.resolve(undefined),
  ) {}

  /** The head's decisions recorded on this PC, by pending (`pendingKey`); the latest one counts. */
  async decisions(): Promise<Map<string, PendingKpjReview>> {
    const docs = await this.db.audit.find({ selector: { action: PENDING_KPJ_REVIEW_ACTION } }).exec();
    const out = new Map<string, PendingKpjReview>();
    for (const d of docs.map((x) => x.toMutableJSON()).sort((a, b) => a.at.localeCompare(b.at))) {
      const details = d.details as Partial<PendingKpjReview>;
      if (typeof details.kpj !== 'string' || typeof details.followUpOn !== 'string' || (details.decision !== 'upheld' && details.decision !== 'overturned')) continue;
      const stored = StoredFollowUp.safeParse(details);
      const review: PendingKpjReview = {
        caseId: d.subject.id,
        kpj: details.kpj,
        followUpOn: details.followUpOn,
        decision: details.decision,
        note: typeof details.note === 'string' ? details.note : '',
        at: d.at,
        staffId: d.actor.staffId,
        followUp: details.decision === 'overturned' && stored.success ? { kind: stored.data.followUp, dueDate: stored.data.dueDate, dueTime: stored.data.dueTime ?? null } : null,
      };
      out.set(pendingKey(review), review);
    }
    return out;
  }

  /**
   * Records the head's decision on a KPJ that is pending now (checked against the case), once per
   * pending. Only a head decides, as for refusals. Audited.
   */
  async record(input: PendingKpjDecision, by: AuditActor): Promise<PendingKpjReviewResult> {
    const parsed = PendingKpjDecision.safeParse(input);
    if (!parsed.success) return { ok: false, reason: 'INVALID_INPUT', detail: parsed.error.issues.map((i) => i.message).join('; ') };
    const d = parsed.data;
    if (!REVIEW_ROLES.includes(by.role)) return { ok: false, reason: 'NOT_ALLOWED', detail: `role ${by.role} cannot review a pending KPJ` };
    const doc = await casesOf(this.db).findOne(d.caseId).exec();
    const at = this.now().toISOString();
    const pending = doc ? pendingKpjsOf([doc.toMutableJSON()], localDateOf(at, branchZone())).find((p) => pendingKey(p) === pendingKey(d)) : undefined;
    if (!pending) return { ok: false, reason: 'NOT_PENDING', detail: `KPJ ${d.kpj} of case ${d.caseId} is not pending with follow-up ${d.followUpOn}` };
    if ((await this.decisions()).has(pendingKey(d))) return { ok: false, reason: 'ALREADY_REVIEWED', detail: `KPJ ${d.kpj} of case ${d.caseId} was already reviewed` };
    const today = localDateOf(at, branchZone());
    let followUp: PendingFollowUp | null = null;
    if (d.decision === 'overturned') {
      followUp = { kind: d.followUp ?? 'reopenCase', dueDate: d.dueDate ?? (d.followUpOn < today ? today : d.followUpOn), dueTime: d.dueTime ?? null };
      if (followUp.dueDate < today) return { ok: false, reason: 'INVALID_INPUT', detail: `follow-up due ${followUp.dueDate} is before today` };
      // Calling the person back needs a number the case recorded.
      if (followUp.kind === 'callBack' && doc && recordedPhone(doc.toJSON() as CaseDoc) === null) {
        return { ok: false, reason: 'NO_PHONE', detail: `case ${d.caseId} recorded no phone number: choose another follow-up` };
      }
      // Never an appointment on a closed day (issue 16 pts 4 and 10), whatever the form let through.
      if (followUp.kind === 'appointment' && doc) {
        const calendar = await this.calendarOf(doc.branchCode, at);
        if (!isOpenDay(followUp.dueDate, calendar)) {
          const closedDay = closedDayOn(followUp.dueDate, calendar);
          return { ok: false, reason: 'CLOSED_DAY', closedDay, detail: `the branch is closed on ${followUp.dueDate}${closedDay ? ` (${closedDay.name})` : ' (weekend)'}: choose another working day` };
        }
        // ... nor outside the branch's published hours of that day (the shared slot rule).
        if (appointmentSlotProblem({ date: followUp.dueDate, time: followUp.dueTime ?? '' }, await this.hoursOf(doc.toJSON() as CaseDoc, followUp.dueDate), calendar)) {
          return { ok: false, reason: 'OUTSIDE_HOURS', detail: `${followUp.dueTime ?? ''} on ${followUp.dueDate} is outside the branch's service hours: choose a time the branch is open` };
        }
      }
    }
    const subject = { kind: 'case', id: d.caseId };
    await this.audit.append({
      at,
      actor: by,
      action: PENDING_KPJ_REVIEW_ACTION,
      subject,
      details: {
        kpj: d.kpj,
        followUpOn: d.followUpOn,
        reason: pending.reason,
        decision: d.decision,
        note: d.note,
        leftPendingBy: pending.staffId,
        ...(followUp ? { followUp: followUp.kind, dueDate: followUp.dueDate, ...(followUp.dueTime ? { dueTime: followUp.dueTime } : {}) } : {}),
      },
    });
    if (followUp) {
      await this.audit.append({ at, actor: by, action: 'followUp.opened', subject, details: { caseId: d.caseId, kpj: d.kpj, followUpOn: d.followUpOn, kind: followUp.kind, dueDate: followUp.dueDate } });
    }
    return { ok: true, review: { caseId: d.caseId, kpj: d.kpj, followUpOn: d.followUpOn, decision: d.decision, note: d.note, at, staffId: by.staffId, followUp } };
  }

  /**
   * The branch's calendar: the national closed days, the closures entered on this PC (with their
   * notes) and the ones HQ holds for the branch today (from the head's PC, in the pulled rules).
   */
  private async calendarOf(branchCode: string, at: string) {
    const config = await this.db.config.findOne(BRANCH_CONFIG_KEY).exec();
    const hq = hqClosuresOf(config?.toMutableJSON().value, branchCode, at) ?? [];
    return branchCalendar([...((await this.ownClosures()) ?? []), ...hq]);
  }

  /**
   * The branch's service hours on `day`: HQ's rules for the branch once pulled, else the hours the
   * case was opened with (a PC not connected yet), else the shared defaults.
   */
  private async hoursOf(doc: CaseDoc, day: CalendarDate): Promise<ServiceHours> {
    const config = await this.db.config.findOne(BRANCH_CONFIG_KEY).exec();
    const rules = BranchRules.safeParse((config?.toMutableJSON().value as { rules?: unknown } | undefined)?.rules);
    if (rules.success && rules.data.base.branchCode === doc.branchCode) return rulesOn(rules.data, day).serviceHours;
    const own = ServiceHours.safeParse((doc.input as { config?: { serviceHours?: unknown } } | undefined)?.config?.serviceHours);
    return own.success ? own.data : DEFAULT_SERVICE_HOURS;
  }

  /** Whether the case recorded a phone number: only then can its follow-up be a call back. */
  async phoneRecorded(caseId: string): Promise<boolean> {
    const doc = await casesOf(this.db).findOne(caseId).exec();
    return doc ? recordedPhone(doc.toJSON() as CaseDoc) !== null : false;
  }

  /** Follow-ups of overturned pending KPJs not yet marked done, earliest due first. */
  async openFollowUps(): Promise<OpenPendingFollowUp[]> {
    const done = await this.completedKeys();
    const out: OpenPendingFollowUp[] = [];
    for (const r of (await this.decisions()).values()) {
      if (!r.followUp || done.has(pendingKey(r))) continue;
      out.push({ caseId: r.caseId, kpj: r.kpj, followUpOn: r.followUpOn, followUp: r.followUp, reviewedAt: r.at, reviewedBy: r.staffId });
    }
    const due = (f: PendingFollowUp) => `${f.dueDate}T${f.dueTime ?? '00:00'}`;
    return out.sort((a, b) => due(a.followUp).localeCompare(due(b.followUp)) || pendingKey(a).localeCompare(pendingKey(b)));
  }

  /** Marks the follow-up of an overturned pending KPJ as done (audited). */
  async completeFollowUp(p: { caseId: string; kpj: string; followUpOn: string }, by: AuditActor): Promise<{ ok: true } | { ok: false; reason: 'NOT_OPEN' }> {
    if (!(await this.openFollowUps()).some((f) => pendingKey(f) === pendingKey(p))) return { ok: false, reason: 'NOT_OPEN' };
    await this.audit.append({
      at: this.now().toISOString(),
      actor: { staffId: by.staffId, role: by.role },
      action: PENDING_FOLLOW_UP_DONE,
      subject: { kind: 'case', id: p.caseId },
      details: { caseId: p.caseId, kpj: p.kpj, followUpOn: p.followUpOn },
    });
    return { ok: true };
  }

  private async completedKeys(): Promise<Set<string>> {
    const docs = await this.db.audit.find({ selector: { action: PENDING_FOLLOW_UP_DONE } }).exec();
    const out = new Set<string>();
    for (const d of docs.map((x) => x.toMutableJSON())) {
      const details = d.details as { kpj?: unknown; followUpOn?: unknown };
      // Refusal follow-ups are completed on a refusal subject and carry no KPJ.
      if (d.subject.kind === 'case' && typeof details.kpj === 'string' && typeof details.followUpOn === 'string') out.add(pendingKey({ caseId: d.subject.id, kpj: details.kpj, followUpOn: details.followUpOn }));
    }
    return out;
  }
}
