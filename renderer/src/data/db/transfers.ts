import { z } from 'zod';
import type { CaseFlow } from '@shared/cases/schema';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import {
  DECLINE_REASON_MAX,
  DECLINE_REASON_MIN,
  TransferRecord,
  transferChange,
  transferDecidedLate,
  transferOverdue,
  transferWriter,
} from '@shared/records';
import type { AuditActor } from '../audit-chain';
import { casesOf, type LoketDatabase } from './database';
import type { AuditLog } from './stores';
import type { TransferDoc } from './schemas';

// Transfers between branches on this device (DESIGN §2: "electronic and warm"). The sending branch's
// case machine records the request and case-journal.ts derives the transfer document; it reaches
// HQ with the replication, and the receiving branch's devices pull it together with the case
// (read-only here: it belongs to the sending branch). The receiving branch's head accepts or
// declines here; the decision replicates back to the sender. The rules are the shared ones HQ
// enforces (shared/records/transfers.ts), checked before writing so nothing HQ would refuse is
// written. Overdue is computed from the SLA deadline, never stored.

export interface TransferView extends TransferDoc {
  direction: 'incoming' | 'outgoing';
  /** Still waiting for the receiving branch after its SLA deadline. */
  overdue: boolean;
  /** Decided after the SLA deadline. */
  decidedLate: boolean;
  /** From the transferred case when this device has it (no personal data): null until it arrives. */
  caseSummary: { flow: CaseFlow; openedAt: string } | null;
}

export type TransferFailure = { code: 'INVALID' | 'NOT_FOUND' | 'NOT_ALLOWED'; message: string };
export type TransferResult = { ok: true; transfer: TransferView } | { ok: false; error: TransferFailure };

/** Who may decide for the receiving branch: its head (or an admin acting for it). */
const DECIDERS = ['head', 'admin'] as const;

const Decider = z.object({ staffId: z.string().min(1).max(32), role: z.enum(DECIDERS) });
export const DeclineReason = z
  .string()
  .trim()
  .min(DECLINE_REASON_MIN, `alasan minimal ${DECLINE_REASON_MIN} karakter`)
  .max(DECLINE_REASON_MAX, `alasan maksimal ${DECLINE_REASON_MAX} karakter`);

export class TransferDesk {
  constructor(
    private readonly db: LoketDatabase,
    private readonly branchCode: string,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Transfers addressed to this branch: waiting ones first (most urgent deadline first), then decided. */
  async incoming(): Promise<TransferView[]> {
    const docs = await this.db.transfers.find({ selector: { toBranch: this.branchCode } }).exec();
    return this.views(
      docs.map((d) => d.toMutableJSON()),
      'incoming',
    );
  }

  /** Transfers this branch sent, with their status as the receiving branch set it. */
  async outgoing(): Promise<TransferView[]> {
    const docs = await this.db.transfers.find({ selector: { fromBranch: this.branchCode } }).exec();
    return this.views(
      docs.map((d) => d.toMutableJSON()),
      'outgoing',
    );
  }

  accept(id: string, by: AuditActor): Promise<TransferResult> {
    return this.decide(id, by, { status: 'accepted' });
  }

  decline(id: string, reason: string, by: AuditActor): Promise<TransferResult> {
    const r = DeclineReason.safeParse(reason);
    if (!r.success) return Promise.resolve(fail('INVALID', r.error.issues[0]?.message ?? 'alasan tidak valid'));
    return this.decide(id, by, { status: 'declined', declineReason: r.data });
  }

  private async decide(id: string, by: AuditActor, decision: { status: 'accepted' | 'declined'; declineReason?: string }): Promise<TransferResult> {
    const who = Decider.safeParse(by);
    if (!who.success) return fail('NOT_ALLOWED', 'hanya kepala cabang yang dapat menerima atau menolak pengalihan');
    const doc = await this.db.transfers.findOne(id).exec();
    if (!doc) return fail('NOT_FOUND', `pengalihan ${id} tidak ditemukan`);
    const at = this.now().toISOString();
    let refused = null as TransferFailure | null;
    // incrementalModify: a decision pulled meanwhile (another PC of this branch) is seen, not overwritten.
    const written = await doc.incrementalModify((current) => {
      const next: TransferDoc = {
        ...current,
        status: decision.status,
        decidedAt: at,
        decidedBy: { staffId: who.data.staffId, role: who.data.role, deviceId: this.audit.deviceId },
        updatedAt: at,
        ...(decision.declineReason !== undefined ? { declineReason: decision.declineReason } : {}),
      };
      const before = TransferRecord.parse(content(current));
      const after = TransferRecord.parse(content(next));
      const writer = transferWriter(before, after, this.branchCode);
      const change = writer.ok ? transferChange(before, after, false, this.audit.deviceId) : writer;
      if (!change.ok) {
        refused = { code: change.kind === 'branch' ? 'NOT_ALLOWED' : 'INVALID', message: change.reason };
        return current;
      }
      refused = null;
      return next;
    });
    if (refused) return { ok: false, error: refused };
    const data = written.toMutableJSON();
    await this.audit.append({
      at,
      actor: { staffId: by.staffId, role: by.role },
      action: decision.status === 'accepted' ? 'transfer.accepted' : 'transfer.declined',
      subject: { kind: 'transfer', id },
      // The reason is the head's free text: the record keeps it, the audit only its length.
      details: {
        caseId: data.caseId,
        fromBranch: data.fromBranch,
        overdue: Date.parse(at) > Date.parse(data.slaDeadline) ? 1 : 0,
        ...(decision.declineReason !== undefined ? { reasonLength: decision.declineReason.length } : {}),
      },
    });
    const [view] = await this.views([data], 'incoming');
    return { ok: true, transfer: view! };
  }

  private async views(docs: TransferDoc[], direction: TransferView['direction']): Promise<TransferView[]> {
    const now = this.now();
    const cases = docs.length ? await casesOf(this.db).findByIds(docs.map((d) => d.caseId)).exec() : new Map();
    const out = docs.map((d): TransferView => {
      const c = cases.get(d.caseId) as { flow: CaseFlow; openedAt: string } | undefined;
      return {
        ...d,
        direction,
        overdue: transferOverdue(d, now),
        decidedLate: transferDecidedLate(d),
        caseSummary: c ? { flow: c.flow, openedAt: c.openedAt } : null,
      };
    });
    const rank = (t: TransferView) => (t.status === 'requested' ? 0 : 1);
    const time = (s: string | undefined) => (s ? Date.parse(s) : 0) || 0;
    return out.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? time(a.slaDeadline) - time(b.slaDeadline) : time(b.updatedAt) - time(a.updatedAt)));
  }
}

/** The record without RxDB's bookkeeping (`_rev`, `_meta`, …), as the shared rules see it. */
function content(doc: object): Record<string, unknown> {
  return withoutBookkeeping(doc);
}

function fail(code: TransferFailure['code'], message: string): { ok: false; error: TransferFailure } {
  return { ok: false, error: { code, message } };
}
