import { z } from 'zod';
import { CalendarDateSchema, Timestamp } from '../dates';

// What HQ flags for a branch's review (hq/audit-flags.ts): entries of a PC's audit chain that are
// intact but wrong in what they say, and records HQ has held too long without an author. The same
// shape is HQ's answer to `GET /v1/audit/flags` and the PC's `hq.auditFlags` channel. Ids and
// dates only: a flag never carries personal data.

/**
 * - notStaff / deactivated / wrongRole: the entry's actor is not an active member of the branch
 *   in HQ's staff directory, or acts in another role than the one it holds there;
 * - closedDay / outsideHours / tooLate: the head's follow-up of a pending KPJ is an appointment on
 *   a day the branch is closed or outside its hours, or falls due past the allowed working days;
 * - authorless: HQ holds a record only as other PCs (or the hub) passed it on; the PC that wrote
 *   it never sent it to HQ itself;
 * - other: a reason this version of the PC does not know yet (HQ's own words are shown).
 */
export const AUDIT_FLAG_KINDS = ['notStaff', 'deactivated', 'wrongRole', 'closedDay', 'outsideHours', 'tooLate', 'authorless', 'other'] as const;
export const AuditFlagKind = z.enum(AUDIT_FLAG_KINDS);
export type AuditFlagKind = z.infer<typeof AuditFlagKind>;

export const AuditFlagView = z.strictObject({
  flagId: z.number().int().positive(),
  // A kind a newer HQ added is read as 'other' (shown with HQ's wording), not a page refused whole.
  kind: AuditFlagKind.catch('other'),
  /** The device whose audit entry is flagged (null: a record without an author). */
  deviceId: z.string().max(100).nullable(),
  chain: z.enum(['renderer', 'main', 'record']),
  /** The entry's position in that device's chain (null for a record). */
  seq: z.number().int().positive().nullable(),
  /** What the flag is about: a case id, a staff id, or `collection/id` of a record. */
  subject: z.string().max(300).nullable(),
  /** The day concerned (a follow-up's due date), when there is one. */
  date: CalendarDateSchema.nullable(),
  /** HQ's own wording (English), for the head's screens in small type and for HQ's operators. */
  reason: z.string().max(2_000),
  flaggedAt: Timestamp,
});
export type AuditFlagView = z.infer<typeof AuditFlagView>;

/** A page of a branch's flags, newest first; `next`: pass as `before` for older ones. */
export const AuditFlagPage = z.strictObject({ flags: z.array(AuditFlagView).max(200), next: z.number().int().positive().nullable() });
export type AuditFlagPage = z.infer<typeof AuditFlagPage>;

export const AUDIT_FLAGS_DEFAULT_LIMIT = 50;
export const AUDIT_FLAGS_MAX_LIMIT = 200;
