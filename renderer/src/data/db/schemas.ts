import type { RxJsonSchema } from 'rxdb';
import { CASE_FLOWS, PRIORITY_CATEGORIES, SERVICES, type PriorityCategory } from '../../../../shared/cases/schema';

// RxDB JSON schemas, one per collection. Indexed strings need maxLength, indexed numbers bounds;
// personal data sits in top-level fields listed in `encrypted` (AES-GCM, ./field-encryption; key from secrets.dbKey).
// Bump `version` and add a migration strategy in migrations.ts for every change of a stored shape.

const id = { type: 'string', maxLength: 100 } as const;
const timestamp = { type: 'string', maxLength: 40 } as const;
const branchCode = { type: 'string', maxLength: 8 } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const actor = {
  type: 'object',
  properties: { staffId: { type: 'string' }, role: { type: 'string' }, deviceId: { type: 'string' } },
  required: ['staffId', 'role', 'deviceId'],
} as const;

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no-show', 'transferred'] as const;
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

export const ticketSchema: RxJsonSchema<TicketDoc> = {
  title: 'ticket',
  version: 3,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    branchCode,
    service: { type: 'string', enum: [...SERVICES], maxLength: 20 },
    status: { type: 'string', enum: [...TICKET_STATUSES], maxLength: 12 },
    number: { type: 'string', maxLength: 16 },
    day: { type: 'string', maxLength: 10 },
    slot: { type: 'integer', minimum: 1, maximum: 9, multipleOf: 1 },
    seq: { type: 'integer', minimum: 1, maximum: 1_000_000, multipleOf: 1 },
    nikHash: { type: 'string', maxLength: 64 },
    issuedAt: timestamp,
    updatedAt: timestamp,
    appointment: { type: 'object', properties: { date: { type: 'string' }, time: { type: 'string' } } },
    priority: { type: 'string', enum: [...PRIORITY_CATEGORIES], maxLength: 12 },
    checkedInAt: timestamp,
    history: { type: 'array', items: { type: 'object', properties: { status: { type: 'string' }, at: { type: 'string' } } } },
  },
  required: ['id', 'branchCode', 'service', 'status', 'number', 'day', 'slot', 'seq', 'nikHash', 'issuedAt', 'updatedAt', 'history'],
  indexes: [['branchCode', 'service', 'status', 'issuedAt'], 'nikHash', ['day', 'slot', 'seq']],
};

export const CASE_STATUSES = ['open', 'closed', 'conflict'] as const;
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

export const caseSchemaV0: RxJsonSchema<CaseDoc> = {
  title: 'case',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    branchCode,
    flow: { type: 'string', enum: [...CASE_FLOWS], maxLength: 20 },
    status: { type: 'string', enum: [...CASE_STATUSES], maxLength: 10 },
    nikHash: { type: 'string', maxLength: 64 },
    ticketId: { type: 'string', maxLength: 100 },
    person: {
      type: 'object',
      properties: { nik: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' }, email: { type: 'string' } },
      required: ['nik', 'name'],
    },
    input: anyObject,
    events: { type: 'array', items: anyObject },
    snapshot: anyObject,
    journalLength: { type: 'integer', minimum: 0, maximum: 100_000, multipleOf: 1 },
    openedAt: timestamp,
    updatedAt: timestamp,
    flag: { type: 'object', properties: { reason: { type: 'string' }, at: { type: 'string' } } },
  },
  required: ['id', 'branchCode', 'flow', 'status', 'nikHash', 'person', 'input', 'events', 'snapshot', 'journalLength', 'openedAt', 'updatedAt'],
  encrypted: ['person', 'input', 'events', 'snapshot'],
  indexes: [['branchCode', 'status', 'updatedAt'], 'nikHash'],
};

export const REFUSAL_STATUSES = ['pending', 'upheld', 'overturned', 'attempted'] as const;

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

export const refusalSchemaV0: RxJsonSchema<RefusalDoc> = {
  title: 'refusal',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    caseId: id,
    branchCode,
    code: { type: 'string', maxLength: 40 },
    status: { type: 'string', enum: [...REFUSAL_STATUSES], maxLength: 12 },
    at: timestamp,
    actor,
    review: anyObject,
    updatedAt: timestamp,
  },
  required: ['id', 'caseId', 'branchCode', 'code', 'status', 'at', 'actor', 'updatedAt'],
  indexes: [['branchCode', 'status', 'at'], 'caseId'],
};

/** requested by the sending branch; accepted or declined by the receiving one. Overdue is computed, never stored. */
export const TRANSFER_STATUSES = ['requested', 'accepted', 'declined'] as const;
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
export const transferSchema: RxJsonSchema<TransferDoc> = {
  title: 'transfer',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    caseId: id,
    fromBranch: branchCode,
    toBranch: branchCode,
    reason: { type: 'string', maxLength: 40 },
    slaDeadline: timestamp,
    status: { type: 'string', enum: [...TRANSFER_STATUSES], maxLength: 10 },
    at: timestamp,
    updatedAt: timestamp,
    decidedAt: timestamp,
    decidedBy: actor,
    declineReason: { type: 'string', maxLength: 200 },
  },
  required: ['id', 'caseId', 'fromBranch', 'toBranch', 'reason', 'slaDeadline', 'status', 'at', 'updatedAt'],
  indexes: [['fromBranch', 'status', 'at'], ['toBranch', 'status', 'at'], 'caseId'],
};

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
}

export const auditSchemaV0: RxJsonSchema<AuditDoc> = {
  title: 'audit',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    deviceId: { type: 'string', maxLength: 64 },
    seq: { type: 'integer', minimum: 1, maximum: 1_000_000_000, multipleOf: 1 },
    at: timestamp,
    actor: { type: 'object', properties: { staffId: { type: 'string' }, role: { type: 'string' } }, required: ['staffId', 'role'] },
    action: { type: 'string', maxLength: 40 },
    subject: { type: 'object', properties: { kind: { type: 'string' }, id: { type: 'string' } }, required: ['kind', 'id'] },
    details: anyObject,
    prevHash: { type: 'string', maxLength: 64 },
    hash: { type: 'string', maxLength: 64 },
  },
  required: ['id', 'deviceId', 'seq', 'at', 'actor', 'action', 'subject', 'details', 'prevHash', 'hash'],
  indexes: [['deviceId', 'seq']],
};

/** Small key/value documents: branch configuration, ticket counters, device settings. */
export interface KeyValueDoc {
  key: string;
  value: Record<string, unknown>;
  updatedAt: string;
}

export const keyValueSchemaV0: RxJsonSchema<KeyValueDoc> = {
  title: 'key-value',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: { key: { type: 'string', maxLength: 120 }, value: anyObject, updatedAt: timestamp },
  required: ['key', 'value', 'updatedAt'],
};

export interface StaffDirectoryDoc {
  staffId: string;
  name: string;
  role: string;
  active: boolean;
  updatedAt: string;
}

export const staffSchemaV0: RxJsonSchema<StaffDirectoryDoc> = {
  title: 'staff',
  version: 0,
  primaryKey: 'staffId',
  type: 'object',
  properties: {
    staffId: { type: 'string', maxLength: 32 },
    name: { type: 'string', maxLength: 80 },
    role: { type: 'string', maxLength: 10 },
    active: { type: 'boolean' },
    updatedAt: timestamp,
  },
  required: ['staffId', 'name', 'role', 'active', 'updatedAt'],
};

export const CONFLICT_STATUSES = ['open', 'resolved'] as const;

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

export const conflictSchemaV0: RxJsonSchema<ConflictDoc> = {
  title: 'sync-conflict',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    sourceCollection: { type: 'string', maxLength: 20 },
    docId: { type: 'string', maxLength: 160 },
    reason: { type: 'string', maxLength: 500 },
    kept: { type: 'string', enum: ['hq', 'local', 'merged'], maxLength: 6 },
    at: timestamp,
    lastAt: timestamp,
    occurrences: { type: 'integer', minimum: 1, maximum: 1_000_000_000, multipleOf: 1 },
    status: { type: 'string', enum: [...CONFLICT_STATUSES], maxLength: 10 },
    resolution: {
      type: 'object',
      properties: {
        by: { type: 'object', properties: { staffId: { type: 'string' }, role: { type: 'string' } }, required: ['staffId', 'role'] },
        at: { type: 'string' },
        note: { type: 'string', maxLength: 500 },
      },
      required: ['by', 'at', 'note'],
    },
    updatedAt: timestamp,
  },
  required: ['id', 'sourceCollection', 'docId', 'reason', 'kept', 'at', 'lastAt', 'occurrences', 'status', 'updatedAt'],
  indexes: [['status', 'at'], ['sourceCollection', 'docId']],
};
