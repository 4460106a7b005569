import { canonicalJson } from '../canonical-json';
import type { TransferRecord } from './index';

// The rules of a transfer between branches, shared by HQ (which enforces them on every push) and
// the devices (which check before writing, so a decision the HQ would refuse is never made):
//  - only the sending branch (fromBranch) creates a transfer, always as `requested`;
//  - only the receiving branch (toBranch) changes it, once: requested → accepted | declined, with
//    who decided (on the pushing device), when, and for a decline why;
//  - nothing else of a transfer ever changes, and a transfer is never deleted.
// Overdue is not a status: it is computed from `slaDeadline` (`transferOverdue`).
// Reasons never quote values (branch codes are not personal data, but keep reasons generic).

export type TransferRuling = { ok: true } | { ok: false; kind: 'branch' | 'invalid'; reason: string };

const OK: TransferRuling = { ok: true };
const refuse = (kind: 'branch' | 'invalid', reason: string): TransferRuling => ({ ok: false, kind, reason });

/** Fields fixed at creation: the receiving branch may not change them. */
const FIXED = ['id', 'caseId', 'fromBranch', 'toBranch', 'reason', 'slaDeadline', 'at'] as const;

/** The decline reason a person is told: short free text, at least a few characters. */
export const DECLINE_REASON_MIN = 5;
export const DECLINE_REASON_MAX = 200;

type Loose = Record<string, unknown>;

/** Equal content (canonical JSON of the documents as given, bookkeeping already stripped). */
export function sameTransfer(before: Loose, after: Loose): boolean {
  return canonicalJson(before) === canonicalJson(after);
}

/**
 * Who may write this version of a transfer. Works on unparsed documents (HQ runs it before the
 * schema check, so a write of the wrong branch is refused as such). `before` is the stored master.
 */
export function transferWriter(before: Loose | null, after: Loose, writerBranch: string): TransferRuling {
  if (before && sameTransfer(before, after)) return OK; // a retry of what is stored
  if (!before) {
    return after.fromBranch === writerBranch ? OK : refuse('branch', 'transfer: only the sending branch (fromBranch) may create a transfer');
  }
  if (before.toBranch !== writerBranch) {
    return before.fromBranch === writerBranch
      ? refuse('branch', 'transfer: only the receiving branch (toBranch) may accept or decline; the sending branch cannot change a transfer it created')
      : refuse('branch', 'transfer: this transfer belongs to other branches');
  }
  const changed = FIXED.filter((k) => canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null));
  if (changed.length > 0) return refuse('branch', `transfer: the receiving branch may only accept or decline, not change ${changed.join(', ')}`);
  return OK;
}

/**
 * What may change, given that the writer may write (`transferWriter`): creation as requested, one
 * decision by the receiving branch on the pushing device. `writerDeviceId` is the pushing device.
 */
export function transferChange(before: TransferRecord | null, after: TransferRecord, deleted: boolean, writerDeviceId: string): TransferRuling {
  if (before && sameTransfer(before, after) && !deleted) return OK;
  if (deleted) return refuse('invalid', 'transfer: a transfer is never deleted');
  if (!before) {
    if (after.toBranch === after.fromBranch) return refuse('invalid', 'transfer: toBranch must be another branch');
    if (after.status !== 'requested') return refuse('invalid', `transfer: a new transfer is requested, not ${after.status} (only the receiving branch decides)`);
    if (after.decidedAt !== undefined || after.decidedBy !== undefined || after.declineReason !== undefined) {
      return refuse('invalid', 'transfer: a new transfer carries no decision');
    }
    const at = Date.parse(after.at);
    const sla = Date.parse(after.slaDeadline);
    if (Number.isNaN(at) || Number.isNaN(sla)) return refuse('invalid', 'transfer: at and slaDeadline must be timestamps');
    if (sla <= at) return refuse('invalid', 'transfer: slaDeadline must be after the request');
    return OK;
  }
  if (before.status !== 'requested') return refuse('invalid', `transfer: already ${before.status}; a decision is final`);
  if (after.status === 'requested') return refuse('invalid', 'transfer: the receiving branch may only accept or decline');
  if (after.decidedAt === undefined || Number.isNaN(Date.parse(after.decidedAt))) return refuse('invalid', 'transfer: decidedAt is required with a decision');
  if (!after.decidedBy) return refuse('invalid', 'transfer: decidedBy is required with a decision');
  if (after.decidedBy.deviceId !== writerDeviceId) return refuse('invalid', 'transfer: decidedBy.deviceId is not the pushing device');
  if (after.status === 'declined') {
    const n = after.declineReason?.trim().length ?? 0;
    if (n < DECLINE_REASON_MIN) return refuse('invalid', `transfer: a decline needs a reason of at least ${DECLINE_REASON_MIN} characters`);
  } else if (after.declineReason !== undefined) {
    return refuse('invalid', 'transfer: an acceptance carries no decline reason');
  }
  return OK;
}

/** Still waiting for the receiving branch after its SLA deadline. Computed, never stored. */
export function transferOverdue(t: { status: string; slaDeadline: string }, now: Date): boolean {
  const deadline = Date.parse(t.slaDeadline);
  return t.status === 'requested' && !Number.isNaN(deadline) && now.getTime() > deadline;
}

/** Decided after the SLA deadline (shown beside the decision; computed, never stored). */
export function transferDecidedLate(t: { status: string; slaDeadline: string; decidedAt?: string | undefined }): boolean {
  if (t.status === 'requested' || !t.decidedAt) return false;
  return Date.parse(t.decidedAt) > Date.parse(t.slaDeadline);
}
