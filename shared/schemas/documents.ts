import { z } from 'zod';
import { CASE_FLOWS, PRIORITY_CATEGORIES, SERVICES } from '../cases/schema';
import { Actor, AnyObject, BranchCodeField, Id, int, oneOf, str, Timestamp } from './fields';

// Every document the app stores, as one zod schema each: HQ validates pushes with them
// (shared/records), and the renderer's RxDB JSON schemas are generated from them (./rxdb.ts,
// renderer/src/data/db/schemas.ts). A change of a stored shape is a change here plus an RxDB
// version bump and migration (renderer/src/data/db/migrations.ts).
//
// JSON Schema semantics are kept:
// - the top level is closed (strict objects; RxDB closes it too); nested objects stay open
//   (loose objects), and their listed properties are optional unless marked required;
// - `maxLength` counts code points (./fields `str`), as z-schema and ajv do;
// - `integer` is any integral number within the bounds.
// The documents are the content without RxDB's bookkeeping (`_deleted`, `_rev`, `_meta`,
// `_attachments`): strip those first (`withoutBookkeeping`, ./bookkeeping.ts).

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no-show', 'transferred'] as const;
export const CASE_STATUSES = ['open', 'closed', 'conflict'] as const;
export const REFUSAL_STATUSES = ['pending', 'upheld', 'overturned', 'attempted'] as const;
/** A transfer is requested by the sending branch and decided (accepted or declined) by the receiving one. Overdue is computed from `slaDeadline`, never stored. */
export const TRANSFER_STATUSES = ['requested', 'accepted', 'declined'] as const;
export const CONFLICT_STATUSES = ['open', 'resolved'] as const;

// ---- tickets (RxDB ticket schema v3) ----------------------------------------------------------

export const TicketRecord = z.strictObject({
  id: Id,
  branchCode: BranchCodeField,
  service: oneOf(SERVICES, 20),
  status: oneOf(TICKET_STATUSES, 12),
  number: str(16),
  day: str(10),
  slot: int(1, 9),
  seq: int(1, 1_000_000),
  /** The ticket is personal through the NIK's keyed hash alone: no name or NIK on tickets (v2). */
  nikHash: str(64),
  issuedAt: Timestamp,
  updatedAt: Timestamp,
  /** `chosenByPerson`: the person asked for this later date; the nested object is open, so no schema change. */
  appointment: z.looseObject({ date: z.string().optional(), time: z.string().optional() }).optional(),
  /** v3 (issue 16): priority category (UU 25/2009 Art. 29) and an appointment holder's check-in. */
  priority: oneOf(PRIORITY_CATEGORIES, 12).optional(),
  checkedInAt: Timestamp.optional(),
  /** Each status change with its time, for wait statistics. */
  history: z.array(z.looseObject({ status: z.string().optional(), at: z.string().optional() })),
});
export type TicketRecord = z.infer<typeof TicketRecord>;

// ---- cases (RxDB case schema v0) ---------------------------------------------------------------

export const CaseRecord = z.strictObject({
  id: Id,
  branchCode: BranchCodeField,
  flow: oneOf(CASE_FLOWS, 20),
  status: oneOf(CASE_STATUSES, 10),
  nikHash: str(64),
  ticketId: str(100).optional(),
  person: z.looseObject({ nik: z.string(), name: z.string(), phone: z.string().optional(), email: z.string().optional() }),
  /** Machine input (holds the NIK). */
  input: AnyObject,
  /** The journal: every accepted machine event, in order. */
  events: z.array(AnyObject),
  /** `{ value, status, context }` after the last event. */
  snapshot: AnyObject,
  journalLength: int(0, 100_000),
  openedAt: Timestamp,
  updatedAt: Timestamp,
  /** Set when a restore found the journal and the snapshot disagree: for the head, never auto-fixed. */
  flag: z.looseObject({ reason: z.string().optional(), at: z.string().optional() }).optional(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

// ---- refusals (RxDB refusal schema v0) --------------------------------------------------------

export const RefusalRecord = z.strictObject({
  id: Id,
  caseId: Id,
  branchCode: BranchCodeField,
  code: str(40),
  status: oneOf(REFUSAL_STATUSES, 12),
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
  status: oneOf(TRANSFER_STATUSES, 10),
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

// ---- audit (RxDB audit schema v1; v0 without `signature`) -------------------------------------

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
  /** v1: the device key's signature of the hash, made by main (shared/audit/chain.ts `signature`). */
  signature: str(86).optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

// ---- local documents (never pushed) ----------------------------------------------------------

/** Small key/value documents: branch configuration, ticket counters, device settings. */
export const KeyValueRecord = z.strictObject({ key: str(120), value: AnyObject, updatedAt: Timestamp });

export const StaffDirectoryRecord = z.strictObject({
  staffId: str(32),
  name: str(80),
  role: str(10),
  active: z.boolean(),
  updatedAt: Timestamp,
});

/** A sync conflict the replication could not settle alone, for the branch head. No personal data. */
export const ConflictRecord = z.strictObject({
  id: str(200),
  /** The collection of the record in conflict (`collection` is taken by RxDocument). */
  sourceCollection: str(20),
  docId: str(160),
  reason: str(500),
  kept: oneOf(['hq', 'local', 'merged'], 6),
  /** First time this conflict was seen, and the last time (a repeat counts, never a new record). */
  at: Timestamp,
  lastAt: Timestamp,
  occurrences: int(1, 1_000_000_000),
  status: oneOf(CONFLICT_STATUSES, 10),
  resolution: z
    .looseObject({
      by: z.looseObject({ staffId: z.string(), role: z.string() }),
      at: z.string(),
      note: str(500),
    })
    .optional(),
  updatedAt: Timestamp,
});
