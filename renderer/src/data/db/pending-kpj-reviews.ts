import { z } from 'zod';
import { REVIEW_ROLES } from '../../../../shared/cases/rules';
import { Kpj } from '../../../../shared/identity/kpj';
import { CalendarDateSchema, localDateOf } from '../../../../shared/dates';
import type { AuditActor } from '../audit-chain';
import { branchZone } from '../branch-zone';
import { pendingKpjsOf, type PendingKpjItem } from '../reports/pending-kpjs';
import type { LoketDatabase } from './database';
import type { AuditLog } from './stores';

// Issue 16 pt 3: a KPJ left pending "goes to the head's review queue like a refusal". The head
// decides on each pending KPJ — upheld (the pending is justified) or overturned (it is not: the KPJ
// must be resolved), with a note — and the decision is recorded in the audit chain (it syncs to HQ
// with the rest of the chain), so "who decided what, when" is answered like any other access.

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
  })
  .refine((d) => d.decision !== 'overturned' || d.note.length > 0, { path: ['note'], message: 'note.required' });
export type PendingKpjDecision = z.input<typeof PendingKpjDecision>;

export interface PendingKpjReview {
  caseId: string;
  kpj: string;
  followUpOn: string;
  decision: 'upheld' | 'overturned';
  note: string;
  at: string;
  staffId: string;
}

export type PendingKpjReviewResult =
  | { ok: true; review: PendingKpjReview }
  | { ok: false; reason: 'INVALID_INPUT' | 'NOT_ALLOWED' | 'NOT_PENDING' | 'ALREADY_REVIEWED'; detail: string };

/** The key of one pending (case, KPJ, follow-up date). */
export const pendingKey = (p: Pick<PendingKpjItem, 'caseId' | 'kpj' | 'followUpOn'>): string => `${p.caseId}|${p.kpj}|${p.followUpOn}`;

export class PendingKpjReviews {
  constructor(
    private readonly db: LoketDatabase,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The head's decisions recorded on this PC, by pending (`pendingKey`); the latest one counts. */
  async decisions(): Promise<Map<string, PendingKpjReview>> {
    const docs = await this.db.audit.find({ selector: { action: PENDING_KPJ_REVIEW_ACTION } }).exec();
    const out = new Map<string, PendingKpjReview>();
    for (const d of docs.map((x) => x.toMutableJSON()).sort((a, b) => a.at.localeCompare(b.at))) {
      const details = d.details as Partial<PendingKpjReview>;
      if (typeof details.kpj !== 'string' || typeof details.followUpOn !== 'string' || (details.decision !== 'upheld' && details.decision !== 'overturned')) continue;
      const review: PendingKpjReview = {
        caseId: d.subject.id,
        kpj: details.kpj,
        followUpOn: details.followUpOn,
        decision: details.decision,
        note: typeof details.note === 'string' ? details.note : '',
        at: d.at,
        staffId: d.actor.staffId,
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
    const doc = await this.db.cases.findOne(d.caseId).exec();
    const at = this.now().toISOString();
    const pending = doc ? pendingKpjsOf([doc.toMutableJSON()], localDateOf(at, branchZone())).find((p) => pendingKey(p) === pendingKey(d)) : undefined;
    if (!pending) return { ok: false, reason: 'NOT_PENDING', detail: `KPJ ${d.kpj} of case ${d.caseId} is not pending with follow-up ${d.followUpOn}` };
    if ((await this.decisions()).has(pendingKey(d))) return { ok: false, reason: 'ALREADY_REVIEWED', detail: `KPJ ${d.kpj} of case ${d.caseId} was already reviewed` };
    await this.audit.append({
      at,
      actor: by,
      action: PENDING_KPJ_REVIEW_ACTION,
      subject: { kind: 'case', id: d.caseId },
      details: { kpj: d.kpj, followUpOn: d.followUpOn, reason: pending.reason, decision: d.decision, note: d.note, leftPendingBy: pending.staffId },
    });
    return { ok: true, review: { caseId: d.caseId, kpj: d.kpj, followUpOn: d.followUpOn, decision: d.decision, note: d.note, at, staffId: by.staffId } };
  }
}
