import type { RxJsonSchema } from 'rxdb';
import type { z } from 'zod';
import type { CASE_FLOWS, PriorityCategory, SERVICES } from '@shared/cases/schema';
import {
  AuditRecord,
  CaseRecord,
  CASE_STATUSES,
  ConflictRecord,
  CONFLICT_STATUSES,
  KeyValueRecord,
  RefusalRecord,
  REFUSAL_STATUSES,
  StaffDirectoryRecord,
  TicketRecord,
  TICKET_STATUSES,
  TransferRecord,
  TRANSFER_STATUSES,
} from '@shared/schemas/documents';
import { rxdbSchema, type RxdbOptions } from '@shared/schemas/rxdb';

// RxDB JSON schemas, one per collection, generated from the documents' zod schemas
// (shared/schemas/documents.ts): only RxDB's own settings are given here. Indexed strings need
// maxLength, indexed numbers bounds (both come from the zod fields); personal data sits in
// top-level fields listed in `encrypted` (AES-GCM, ./field-encryption; key from secrets.dbKey).
// Bump `version` and add a migration strategy in migrations.ts for every change of a stored shape.

/**
 * The RxDB schema of a zod document schema, typed for the collection's document interface. The
 * interface may be narrower than the stored contract (what this app writes), never wider: a
 * document type the schema would refuse does not compile.
 */
function schemaOf<T extends z.output<S>, S extends z.ZodObject = z.ZodObject>(record: S, options: RxdbOptions<T>): RxJsonSchema<T> {
  return rxdbSchema(record, options as never) as unknown as RxJsonSchema<T>;
}

export { CASE_STATUSES, CONFLICT_STATUSES, REFUSAL_STATUSES, TICKET_STATUSES, TRANSFER_STATUSES };

export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketDoc {
  id: string;
  branchCode: string;
  service: (typeof SERVICES)[number];
  status: TicketStatus;
  number: string;
  day: string;
  slot: number;
  seq: number;
  /** The ticket is personal through the NIK's keyed hash alone: no name or NIK on tickets (v2). */
  nikHash: string;
  issuedAt: string;
  updatedAt: string;
  /** `chosenByPerson`: the person asked for this later date (not the earliest free slot); the nested object is open, so no schema change. */
  appointment?: { date: string; time: string; chosenByPerson?: true };
  /** v3: priority service (UU 25/2009 Art. 29): the category only, no further personal data. Called first. */
  priority?: PriorityCategory;
  /** v3: when the appointment holder checked in at the door on the appointment's day; only then in the queue. */
  checkedInAt?: string;
  /** Each status change with its time, for wait statistics. */
  history: { status: TicketStatus; at: string }[];
}

export const ticketSchema = schemaOf<TicketDoc, typeof TicketRecord>(TicketRecord, {
  title: 'ticket',
  version: 3,
  primaryKey: 'id',
  indexes: [['branchCode', 'service', 'status', 'issuedAt'], 'nikHash', ['day', 'slot', 'seq']],
});

export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseDoc {
  id: string;
  branchCode: string;
  flow: (typeof CASE_FLOWS)[number];
  status: CaseStatus;
  nikHash: string;
  ticketId?: string;
  person: { nik: string; name: string; phone?: string; email?: string };
  /** Machine input (holds the NIK): encrypted. */
  input: Record<string, unknown>;
  /** The journal: every accepted machine event, in order. Encrypted (events may carry personal data). */
  events: Record<string, unknown>[];
  /** The machine's state after the last event: { value, status, context }. Encrypted. */
  snapshot: Record<string, unknown>;
  journalLength: number;
  openedAt: string;
  updatedAt: string;
  /** Set when a restore found the journal and the snapshot disagree: for the head, never auto-fixed. */
  flag?: { reason: string; at: string };
}

export const caseSchemaV0 = schemaOf<CaseDoc, typeof CaseRecord>(CaseRecord, {
  title: 'case',
  version: 0,
  primaryKey: 'id',
  encrypted: ['person', 'input', 'events', 'snapshot'],
  indexes: [['branchCode', 'status', 'updatedAt'], 'nikHash'],
});

export interface RefusalDoc {
  id: string;
  caseId: string;
  branchCode: string;
  code: string;
  status: (typeof REFUSAL_STATUSES)[number];
  at: string;
  actor: { staffId: string; role: string; deviceId: string };
  review?: Record<string, unknown>;
  updatedAt: string;
}

export const refusalSchemaV0 = schemaOf<RefusalDoc, typeof RefusalRecord>(RefusalRecord, {
  title: 'refusal',
  version: 0,
  primaryKey: 'id',
  indexes: [['branchCode', 'status', 'at'], 'caseId'],
});

export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface TransferDoc {
  id: string;
  caseId: string;
  fromBranch: string;
  toBranch: string;
  reason: string;
  slaDeadline: string;
  status: TransferStatus;
  at: string;
  updatedAt: string;
  /** v1: when and by whom (on which device) the receiving branch decided; why, for a decline. */
  decidedAt?: string;
  decidedBy?: { staffId: string; role: string; deviceId: string };
  declineReason?: string;
}

/**
 * v1: the receiving branch accepts or declines (status `declined`, `decidedAt`, `decidedBy`,
 * `declineReason`); `expired` is gone (overdue is computed from `slaDeadline`); incoming transfers
 * are found by `toBranch`.
 */
export const transferSchema = schemaOf<TransferDoc, typeof TransferRecord>(TransferRecord, {
  title: 'transfer',
  version: 1,
  primaryKey: 'id',
  indexes: [['fromBranch', 'status', 'at'], ['toBranch', 'status', 'at'], 'caseId'],
});

export interface AuditDoc {
  id: string;
  deviceId: string;
  seq: number;
  at: string;
  actor: { staffId: string; role: string };
  action: string;
  subject: { kind: string; id: string };
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** v1: the device key's signature of the hash, made by main (shared/audit/chain.ts); absent on older entries. */
  signature?: string;
}

const AuditRecordV0 = AuditRecord.omit({ signature: true });

/** v0, before entries carried main's signature: kept for the migration (and its pinned hash). */
export const auditSchemaV0 = schemaOf<Omit<AuditDoc, 'signature'>, typeof AuditRecordV0>(AuditRecordV0, {
  title: 'audit',
  version: 0,
  primaryKey: 'id',
  indexes: [['deviceId', 'seq']],
});

export const auditSchema = schemaOf<AuditDoc, typeof AuditRecord>(AuditRecord, {
  title: 'audit',
  version: 1,
  primaryKey: 'id',
  indexes: [['deviceId', 'seq']],
});

/** Small key/value documents: branch configuration, ticket counters, device settings. */
export interface KeyValueDoc {
  key: string;
  value: Record<string, unknown>;
  updatedAt: string;
}

export const keyValueSchemaV0 = schemaOf<KeyValueDoc, typeof KeyValueRecord>(KeyValueRecord, { title: 'key-value', version: 0, primaryKey: 'key' });

export interface StaffDirectoryDoc {
  staffId: string;
  name: string;
  role: string;
  active: boolean;
  updatedAt: string;
}

export const staffSchemaV0 = schemaOf<StaffDirectoryDoc, typeof StaffDirectoryRecord>(StaffDirectoryRecord, { title: 'staff', version: 0, primaryKey: 'staffId' });

/**
 * A sync conflict the replication could not settle alone (renderer/src/sync/conflicts.ts), for the
 * branch head: which record, why, which copy was kept. No personal data. Local to the device.
 */
export interface ConflictDoc {
  id: string;
  /** The collection of the record in conflict (`collection` is taken by RxDocument). */
  sourceCollection: string;
  /** The id of the record in conflict. */
  docId: string;
  reason: string;
  kept: 'hq' | 'local' | 'merged';
  /** First time this conflict was seen, and the last time (a repeat counts, never a new record). */
  at: string;
  lastAt: string;
  occurrences: number;
  status: (typeof CONFLICT_STATUSES)[number];
  resolution?: { by: { staffId: string; role: string }; at: string; note: string };
  updatedAt: string;
}

export const conflictSchemaV0 = schemaOf<ConflictDoc, typeof ConflictRecord>(ConflictRecord, {
  title: 'sync-conflict',
  version: 0,
  primaryKey: 'id',
  indexes: [['status', 'at'], ['sourceCollection', 'docId']],
});
