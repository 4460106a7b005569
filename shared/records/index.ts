import { z } from 'zod';
import { CASE_FLOWS, PRIORITY_CATEGORIES, SERVICES } from '../cases/schema';
import type { WritableCollection } from '../sync/protocol';
import { codePoints } from './limits';

// The replicated documents of the writable collections, as zod schemas: the same contract as the
// renderer's RxDB JSON schemas (renderer/src/data/db/schemas.ts), field for field: the same
// required fields, enums, lengths and bounds, and nothing stricter, so a document one side accepts
// the other accepts too (tests/unit/records proves it on samples). HQ validates pushes with them.
//
// JSON Schema semantics reproduced here:
// - RxDB closes the top level (`additionalProperties: false`); nested objects stay open, so they
//   are loose objects here, and their listed properties are optional unless `required` names them.
// - `maxLength` counts code points (not UTF-16 units), as z-schema and ajv do.
// - `integer` is any integral number within the bounds.
// The documents are the content without RxDB's bookkeeping (`_deleted`, `_rev`, `_meta`,
// `_attachments`): strip those first (HQ's `storedData`).

/** A string of at most `n` code points (JSON Schema's `maxLength`). */
const str = (n: number) => z.string().refine((s) => codePoints(s) <= n, `at most ${n} characters`);


const int = (min: number, max: number) => z.number().int().min(min).max(max);

const Id = str(100);
const Timestamp = str(40);
const BranchCodeField = str(8);
/** JSON Schema `{ type: 'object', additionalProperties: true }`: any object, not an array or null. */
const AnyObject = z.record(z.string(), z.unknown());

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no-show', 'transferred'] as const;
export const CASE_STATUSES = ['open', 'closed', 'conflict'] as const;
export const REFUSAL_STATUSES = ['pending', 'upheld', 'overturned', 'attempted'] as const;
/** A transfer is requested by the sending branch and decided (accepted or declined) by the receiving one. Overdue is computed from `slaDeadline`, never stored. */
export const TRANSFER_STATUSES = ['requested', 'accepted', 'declined'] as const;

// ---- tickets (RxDB ticket schema v1) ----------------------------------------------------------

export const TicketRecord = z.strictObject({
  id: Id,
  branchCode: BranchCodeField,
  service: z.enum(SERVICES),
  status: z.enum(TICKET_STATUSES),
  number: str(16),
  day: str(10),
  slot: int(1, 9),
  seq: int(1, 1_000_000),
  nikHash: str(64),
  issuedAt: Timestamp,
  updatedAt: Timestamp,
  appointment: z.looseObject({ date: z.string().optional(), time: z.string().optional() }).optional(),
  /** v3 (issue 16): priority category (UU 25/2009 Art. 29) and an appointment holder's check-in. */
  priority: z.enum(PRIORITY_CATEGORIES).optional(),
  checkedInAt: Timestamp.optional(),
  history: z.array(z.looseObject({ status: z.string().optional(), at: z.string().optional() })),
});
export type TicketRecord = z.infer<typeof TicketRecord>;

// ---- cases (RxDB case schema v0) ---------------------------------------------------------------

export const CaseRecord = z.strictObject({
  id: Id,
  branchCode: BranchCodeField,
  flow: z.enum(CASE_FLOWS),
  status: z.enum(CASE_STATUSES),
  nikHash: str(64),
  ticketId: str(100).optional(),
  person: z.looseObject({ nik: z.string(), name: z.string(), phone: z.string().optional(), email: z.string().optional() }),
  /** Machine input. */
  input: AnyObject,
  /** The journal: every accepted machine event, in order. */
  events: z.array(AnyObject),
  /** `{ value, status, context }` after the last event. */
  snapshot: AnyObject,
  journalLength: int(0, 100_000),
  openedAt: Timestamp,
  updatedAt: Timestamp,
  flag: z.looseObject({ reason: z.string().optional(), at: z.string().optional() }).optional(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

// ---- refusals (RxDB refusal schema v0) --------------------------------------------------------

const Actor = z.looseObject({ staffId: z.string(), role: z.string(), deviceId: z.string() });

export const RefusalRecord = z.strictObject({
  id: Id,
  caseId: Id,
  branchCode: BranchCodeField,
  code: str(40),
  status: z.enum(REFUSAL_STATUSES),
  at: Timestamp,
  actor: Actor,
  review: AnyObject.optional(),
  updatedAt: Timestamp,
});
export type RefusalRecord = z.infer<typeof RefusalRecord>;

// ---- transfers (RxDB transfer schema v1) ------------------------------------------------------

export const TransferRecord = z.strictObject({
  id: Id,
  caseId: Id,
  fromBranch: BranchCodeField,
  toBranch: BranchCodeField,
  reason: str(40),
  slaDeadline: Timestamp,
  status: z.enum(TRANSFER_STATUSES),
  at: Timestamp,
  updatedAt: Timestamp,
  /** When the receiving branch accepted or declined (v1). */
  decidedAt: Timestamp.optional(),
  /** Who at the receiving branch decided, on which device (v1): the person is told by whom. */
  decidedBy: Actor.optional(),
  /** Why the receiving branch declined (v1). */
  declineReason: str(200).optional(),
});
export type TransferRecord = z.infer<typeof TransferRecord>;

// ---- audit (RxDB audit schema v0) -------------------------------------------------------------

export const AuditRecord = z.strictObject({
  id: Id,
  deviceId: str(64),
  seq: int(1, 1_000_000_000),
  at: Timestamp,
  actor: z.looseObject({ staffId: z.string(), role: z.string() }),
  action: str(40),
  subject: z.looseObject({ kind: z.string(), id: z.string() }),
  details: AnyObject,
  prevHash: str(64),
  hash: str(64),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** The record schema of every collection devices push. */
export const RECORD_SCHEMAS = {
  tickets: TicketRecord,
  cases: CaseRecord,
  refusals: RefusalRecord,
  transfers: TransferRecord,
  audit: AuditRecord,
} as const satisfies Record<WritableCollection, z.ZodType>;

export type RecordOf<C extends WritableCollection> = z.infer<(typeof RECORD_SCHEMAS)[C]>;

/** Validates a document of `collection`; a failure lists each problem as `path: message`. */
export function checkRecord(collection: WritableCollection, doc: unknown): { ok: true } | { ok: false; problems: string[] } {
  const r = RECORD_SCHEMAS[collection].safeParse(doc);
  if (r.success) return { ok: true };
  return { ok: false, problems: r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`) };
}

export { checkLimits, storableJson, storableText, textProblem, MAX_DOCUMENT_BYTES, MAX_TEXT_CHARS } from './limits';
export { transferWriter, transferChange, transferOverdue, transferDecidedLate, sameTransfer, DECLINE_REASON_MIN, DECLINE_REASON_MAX, type TransferRuling } from './transfers';
