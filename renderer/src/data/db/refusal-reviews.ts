import { z } from 'zod';
import { FollowUp, HourMinute, MobilePhone, OmbudsmanCategory, type Actor, type CaseFlow, type RefusalReviewEvent } from '@shared/cases/schema';
import type { InvalidRefusalAttempt, RefusalRecord } from '@shared/cases/records';
import { CalendarDateSchema } from '@shared/dates';
import type { RefusalRejection } from '@shared/policy/catalog';
import { refusalReviewMachine, replay, reviewSlotProblem, type Rejection } from '@state-machines';
import type { AuditActor } from '../audit-chain';
import { recordedPhone } from '../case-lookup';
import { casesOf, type LoketDatabase } from './database';
import type { CaseDoc, RefusalDoc } from './schemas';
import type { AuditLog } from './stores';
import { beginMirror } from './write-mirror';

// The branch head's refusal review. The decision is taken by the refusal-review machine (only a
// head; an overturn needs an Ombudsman category and a follow-up) and stored on the RefusalDoc
// itself: `status` upheld/overturned plus `review` (the schema keeps `review` as an open object),
// with the review journal so the decision replays like a case does. No schema change needed.

/** Free text from the head: never a NIK (16 digits in a row), since `review` is not encrypted. */
const Note = z
  .string()
  .trim()
  .max(500)
  .refine((s) => !/\d{16}/.test(s.replace(/[\s.-]/g, '')), { message: 'note.noNik' });

/** What the review form submits. Due date for every follow-up; an appointment also needs a time. */
export const ReviewDecision = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upheld'), note: Note.optional() }),
  z
    .object({
      kind: z.literal('overturned'),
      category: OmbudsmanCategory,
      followUp: FollowUp,
      dueDate: CalendarDateSchema,
      dueTime: HourMinute.optional(),
      note: Note.optional(),
      /** The person's mobile number, when the case has none and the head records one (for "call back"). */
      phone: MobilePhone.optional(),
    })
    .refine((d) => d.followUp !== 'appointment' || d.dueTime !== undefined, { path: ['dueTime'], message: 'dueTime.required' }),
]);
export type ReviewDecision = z.input<typeof ReviewDecision>;

export type FollowUpStatus = 'open' | 'done';

export interface FollowUpItem {
  kind: FollowUp;
  dueDate: string;
  dueTime: string | null;
  status: FollowUpStatus;
  doneAt: string | null;
  doneBy: string | null;
}

/** The shape kept in `RefusalDoc.review`. */
export interface StoredReview {
  decision: 'upheld' | 'overturned';
  at: string;
  actor: Actor;
  note: string | null;
  category: OmbudsmanCategory | null;
  followUp: FollowUpItem | null;
  /** The review journal: the events the refusal-review machine accepted, in order. */
  events: RefusalReviewEvent[];
}

export type ReviewFailure =
  | { reason: 'NOT_FOUND' | 'ALREADY_REVIEWED' | 'NOT_A_REFUSAL' | 'CASE_MISSING' | 'INVALID_INPUT' | 'NO_PHONE' | 'CLOSED_DAY' | 'OUTSIDE_HOURS'; detail: string }
  | { reason: 'REFUSED_BY_MACHINE'; detail: string; rejection: Rejection };

export type ReviewResult = { ok: true; refusal: RefusalDoc } | { ok: false; failure: ReviewFailure };

/** A pending refusal with what the officer saw (the facts the guard held on), for the review form. */
export interface RefusalUnderReview {
  refusal: RefusalDoc;
  flow: CaseFlow | null;
  record: RefusalRecord | null;
  /** The case recorded a phone number: only then is "call the person back" offered. */
  phoneRecorded: boolean;
}

export interface AttemptView {
  refusal: RefusalDoc;
  why: RefusalRejection | null;
}

export interface OpenFollowUp {
  refusalId: string;
  caseId: string;
  code: string;
  category: OmbudsmanCategory | null;
  followUp: FollowUpItem;
  reviewedAt: string;
}

const iso = (d: Date) => d.toISOString();

export function storedReview(doc: Pick<RefusalDoc, 'review'>): StoredReview | null {
  const r = doc.review as StoredReview | undefined;
  return r && typeof r === 'object' && typeof r.decision === 'string' ? r : null;
}

interface CaseContextView {
  refusal?: RefusalRecord | null;
  invalidRefusals?: InvalidRefusalAttempt[];
}

function caseContext(doc: CaseDoc): CaseContextView {
  return (doc.snapshot as { context?: CaseContextView }).context ?? {};
}

/**
 * The head's review queue and follow-ups, over the local database. Every decision and every
 * closed follow-up is audited; a refused decision changes nothing.
 */
export class RefusalReviews {
  constructor(
    readonly db: LoketDatabase,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Oldest first: the refusal that has waited longest is reviewed first. */
  async pending(): Promise<RefusalDoc[]> {
    const docs = await this.db.refusals.find({ selector: { status: 'pending' } }).exec();
    return docs.map((d) => d.toMutableJSON()).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  /** Newest first: invalid refusal attempts, with why the catalog refused each (from the case). */
  async attempts(): Promise<AttemptView[]> {
    const docs = (await this.db.refusals.find({ selector: { status: 'attempted' } }).exec()).map((d) => d.toMutableJSON());
    const cases = await this.casesById(docs.map((d) => d.caseId));
    return docs
      .sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id))
      .map((refusal) => {
        const c = cases.get(refusal.caseId);
        const match = c ? caseContext(c).invalidRefusals?.find((a) => a.at === refusal.at && a.code === refusal.code) : undefined;
        return { refusal, why: match?.why ?? null };
      });
  }

  /** Reviewed refusals, newest decision first. */
  async reviewed(limit = 50): Promise<RefusalDoc[]> {
    const docs = await this.db.refusals.find({ selector: { status: { $in: ['upheld', 'overturned'] } } }).exec();
    return docs
      .map((d) => d.toMutableJSON())
      .sort((a, b) => (storedReview(b)?.at ?? b.updatedAt).localeCompare(storedReview(a)?.at ?? a.updatedAt))
      .slice(0, limit);
  }

  /** Open follow-ups of overturned refusals, earliest due first. */
  async openFollowUps(): Promise<OpenFollowUp[]> {
    const docs = await this.db.refusals.find({ selector: { status: 'overturned' } }).exec();
    const out: OpenFollowUp[] = [];
    for (const d of docs) {
      const doc = d.toMutableJSON();
      const review = storedReview(doc);
      if (!review?.followUp || review.followUp.status !== 'open') continue;
      out.push({ refusalId: doc.id, caseId: doc.caseId, code: doc.code, category: review.category, followUp: review.followUp, reviewedAt: review.at });
    }
    const due = (f: FollowUpItem) => `${f.dueDate}T${f.dueTime ?? '00:00'}`;
    return out.sort((a, b) => due(a.followUp).localeCompare(due(b.followUp)) || a.refusalId.localeCompare(b.refusalId));
  }

  /**
   * The refusal with the facts the officer's guard held on. Reading the case is an access to a
   * person's record, so it is audited (UU 27/2022) when a viewer is given.
   */
  async underReview(refusalId: string, viewer?: AuditActor): Promise<RefusalUnderReview | null> {
    const doc = await this.db.refusals.findOne(refusalId).exec();
    if (!doc) return null;
    const refusal = doc.toMutableJSON();
    const c = await casesOf(this.db).findOne(refusal.caseId).exec();
    if (!c) return { refusal, flow: null, record: null, phoneRecorded: false };
    const data = c.toJSON() as CaseDoc;
    const record = caseContext(data).refusal ?? null;
    if (viewer) {
      await this.audit.append({
        at: iso(this.now()),
        actor: { staffId: viewer.staffId, role: viewer.role },
        action: 'person.viewed',
        subject: { kind: 'person', id: data.nikHash },
        details: { caseId: data.id, via: 'refusal.review' },
      });
    }
    return { refusal, flow: data.flow, record: record && record.code === refusal.code && record.at === refusal.at ? record : null, phoneRecorded: recordedPhone(data) !== null };
  }

  /** Upholds or overturns a pending refusal through the refusal-review machine. */
  async review(refusalId: string, input: ReviewDecision, actor: Actor): Promise<ReviewResult> {
    const parsed = ReviewDecision.safeParse(input);
    if (!parsed.success) return { ok: false, failure: { reason: 'INVALID_INPUT', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
    const decision = parsed.data;
    const current = await this.db.refusals.findOne(refusalId).exec();
    if (!current) return { ok: false, failure: { reason: 'NOT_FOUND', detail: `no refusal ${refusalId}` } };
    if (current.status === 'attempted') return { ok: false, failure: { reason: 'NOT_A_REFUSAL', detail: 'an invalid attempt is not a refusal: nothing to uphold' } };
    // The head decides on the facts the officer saw: without the case there is nothing to review.
    const caseDoc = await casesOf(this.db).findOne(current.caseId).exec();
    if (!caseDoc) return { ok: false, failure: { reason: 'CASE_MISSING', detail: `case ${current.caseId} is not on this device yet` } };
    const caseData = caseDoc.toJSON() as CaseDoc;
    const record = caseContext(caseData).refusal;
    if (!record) return { ok: false, failure: { reason: 'CASE_MISSING', detail: `case ${current.caseId} holds no refusal` } };
    // Calling the person back needs a number to call: the case's, or one the head records now.
    const newPhone = decision.kind === 'overturned' && decision.followUp === 'callBack' && recordedPhone(caseData) === null ? (decision.phone ?? null) : null;
    if (decision.kind === 'overturned' && decision.followUp === 'callBack' && recordedPhone(caseData) === null && !newPhone) {
      return { ok: false, failure: { reason: 'NO_PHONE', detail: `case ${current.caseId} recorded no phone number: record one to call the person back` } };
    }

    // The machine refuses a slot the branch does not serve in; say which, in the head's words.
    if (decision.kind === 'overturned' && decision.followUp === 'appointment' && decision.dueTime) {
      const problem = reviewSlotProblem(record, { date: decision.dueDate, time: decision.dueTime });
      if (problem) return { ok: false, failure: { reason: problem, detail: `${decision.dueDate} ${decision.dueTime}` } };
    }

    const at = iso(this.now());
    const event: RefusalReviewEvent =
      decision.kind === 'upheld'
        ? { type: 'review.upheld', at, actor, ...(decision.note ? { note: decision.note } : {}) }
        : {
            type: 'review.overturned',
            at,
            actor,
            category: decision.category,
            followUp: decision.followUp,
            ...(decision.followUp === 'appointment' ? { appointment: { date: decision.dueDate, time: decision.dueTime! } } : {}),
            ...(decision.note ? { note: decision.note } : {}),
          };

    let failure: ReviewFailure | null = null;
    // incrementalModify re-runs on the latest document: two heads (or two windows) deciding at
    // once cannot both win; the second replays onto a finished review and is refused.
    const written = await current.incrementalModify((doc) => {
      failure = null;
      const previous = storedReview(doc);
      const events = [...(previous?.events ?? []), event];
      const result = replay(refusalReviewMachine, { caseId: doc.caseId, flow: caseData.flow, refusal: record }, events);
      if (result.rejected) {
        failure =
          result.rejected.reason === 'CASE_FINISHED' || doc.status !== 'pending'
            ? { reason: 'ALREADY_REVIEWED', detail: `refusal is already ${doc.status}` }
            : { reason: 'REFUSED_BY_MACHINE', detail: `${result.rejected.reason}: ${result.rejected.detail}`, rejection: result.rejected };
        return doc;
      }
      if (doc.status !== 'pending') {
        failure = { reason: 'ALREADY_REVIEWED', detail: `refusal is already ${doc.status}` };
        return doc;
      }
      const followUp: FollowUpItem | null =
        decision.kind === 'overturned'
          ? { kind: decision.followUp, dueDate: decision.dueDate, dueTime: decision.dueTime ?? null, status: 'open', doneAt: null, doneBy: null }
          : null;
      const review: StoredReview = {
        decision: decision.kind,
        at,
        actor,
        note: decision.note ?? null,
        category: decision.kind === 'overturned' ? decision.category : null,
        followUp,
        events,
      };
      return { ...doc, status: decision.kind, review: review as unknown as Record<string, unknown>, updatedAt: at };
    });
    if (failure) return { ok: false, failure };

    const who = { staffId: actor.staffId, role: actor.role };
    if (newPhone) await this.recordPhone(caseDoc.primary, newPhone, who, at);
    const subject = { kind: 'refusal', id: refusalId };
    // The note may be personal: the audit keeps only that there was one.
    await this.audit.append({
      at,
      actor: who,
      action: 'refusal.reviewed',
      subject,
      details: {
        caseId: current.caseId,
        code: current.code,
        decision: decision.kind,
        ...(decision.kind === 'overturned' ? { category: decision.category, followUp: decision.followUp, dueDate: decision.dueDate } : {}),
        hasNote: decision.note ? 1 : 0,
      },
    });
    if (decision.kind === 'overturned') {
      await this.audit.append({ at, actor: who, action: 'followUp.opened', subject, details: { caseId: current.caseId, kind: decision.followUp, dueDate: decision.dueDate } });
    }
    return { ok: true, refusal: written.toMutableJSON() };
  }

  /**
   * Keeps the phone number the head recorded on the case's person (an encrypted field), through
   * main's journal like every write; the audit says that a number was recorded, never the number.
   */
  private async recordPhone(caseId: string, phone: string, who: AuditActor, at: string): Promise<void> {
    const doc = await casesOf(this.db).findOne(caseId).exec();
    if (!doc) return;
    const written = await doc.incrementalModify((d) => ({ ...d, person: { ...d.person, phone }, updatedAt: at }));
    const data = written.toMutableJSON();
    await beginMirror(this.db, [{ collection: 'cases', id: caseId, doc: data }])();
    await this.audit.append({ at, actor: who, action: 'person.contactRecorded', subject: { kind: 'person', id: data.nikHash }, details: { caseId, via: 'refusal.review' } });
  }

  /** Marks an open follow-up as done (audited). */
  async completeFollowUp(refusalId: string, by: AuditActor): Promise<{ ok: true } | { ok: false; reason: 'NOT_FOUND' | 'NOT_OPEN' }> {
    const current = await this.db.refusals.findOne(refusalId).exec();
    if (!current) return { ok: false, reason: 'NOT_FOUND' };
    const at = iso(this.now());
    let closed = false;
    await current.incrementalModify((doc) => {
      closed = false;
      const review = storedReview(doc);
      if (!review?.followUp || review.followUp.status !== 'open') return doc;
      closed = true;
      const next: StoredReview = { ...review, followUp: { ...review.followUp, status: 'done', doneAt: at, doneBy: by.staffId } };
      return { ...doc, review: next as unknown as Record<string, unknown>, updatedAt: at };
    });
    if (!closed) return { ok: false, reason: 'NOT_OPEN' };
    await this.audit.append({ at, actor: { staffId: by.staffId, role: by.role }, action: 'followUp.completed', subject: { kind: 'refusal', id: refusalId }, details: { caseId: current.caseId } });
    return { ok: true };
  }

  /** Cases whose journal did not replay to their snapshot (or could not be merged): for the head, never auto-fixed. */
  async replayMismatches(): Promise<Array<{ id: string; flow: string; reason: string; at: string; updatedAt: string }>> {
    const docs = await casesOf(this.db).find({ selector: { status: 'conflict' } }).exec();
    return docs
      .map((d) => {
        const c = d.toJSON() as CaseDoc;
        return { id: c.id, flow: c.flow, reason: c.flag?.reason ?? '', at: c.flag?.at ?? c.updatedAt, updatedAt: c.updatedAt };
      })
      .sort((a, b) => b.at.localeCompare(a.at));
  }

  private async casesById(ids: string[]): Promise<Map<string, CaseDoc>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const docs = await casesOf(this.db).findByIds(unique).exec();
    const out = new Map<string, CaseDoc>();
    for (const [id, d] of docs) out.set(id, d.toJSON() as CaseDoc);
    return out;
  }
}
