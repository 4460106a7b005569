import type { RxJsonSchema } from 'rxdb';
import type { AuditDoc, TicketDoc, TransferDoc } from './schemas';
import { localDateOf } from '@shared/dates';
import { branchZone } from '../branch-zone';

/**
 * Ticket v0 (first pilot build) kept only the printed number (`B2-017`) and the issue time.
 * v1 splits the number into day/slot/seq (unique index across PCs) and keeps a status history.
 */
export interface TicketDocV0 {
  id: string;
  branchCode: string;
  service: string;
  status: string;
  number: string;
  nikHash: string;
  person: { nik: string; name: string };
  issuedAt: string;
  updatedAt: string;
}

export const ticketSchemaV0: RxJsonSchema<TicketDocV0> = {
  title: 'ticket',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    branchCode: { type: 'string', maxLength: 8 },
    service: { type: 'string', maxLength: 20 },
    status: { type: 'string', maxLength: 12 },
    number: { type: 'string', maxLength: 16 },
    nikHash: { type: 'string', maxLength: 64 },
    person: { type: 'object', properties: { nik: { type: 'string' }, name: { type: 'string' } }, required: ['nik', 'name'] },
    issuedAt: { type: 'string', maxLength: 40 },
    updatedAt: { type: 'string', maxLength: 40 },
  },
  required: ['id', 'branchCode', 'service', 'status', 'number', 'nikHash', 'person', 'issuedAt', 'updatedAt'],
  encrypted: ['person'],
  indexes: [['branchCode', 'service', 'status', 'issuedAt']],
};

const NUMBER = /^[A-Z](\d)-(\d{3,})$/;
/** The branch's calendar day (its zone, WIB until known; no DST) of an ISO timestamp. */
export function jakartaDay(iso: string): string {
  return localDateOf(iso, branchZone());
}

/** v1 kept the person's NIK and name (encrypted) on every ticket. */
type TicketDocV1 = TicketDoc & { person?: { nik: string; name: string } };

export const ticketMigrations = {
  1: (old: TicketDocV0): TicketDocV1 => {
    const m = NUMBER.exec(old.number);
    if (!m) throw new Error(`ticket ${old.id}: number ${old.number} has no slot and sequence`);
    return {
      ...old,
      service: old.service as TicketDoc['service'],
      status: old.status as TicketDoc['status'],
      day: jakartaDay(old.issuedAt),
      slot: Number(m[1]),
      seq: Number(m[2]),
      history: [{ status: 'waiting', at: old.issuedAt }],
    };
  },
  /** v2: tickets keep only the NIK's keyed hash (less personal data; the queue query decrypts nothing). */
  2: (old: TicketDocV1): TicketDoc => {
    const { person: _person, ...rest } = old;
    return rest;
  },
  /** v3 (issue 16): optional `priority` and `checkedInAt`; stored tickets have neither. */
  3: (old: TicketDoc): TicketDoc => old,
};

/** Transfer v0 (before issue 6): `expired` as a stored status, no decision fields, no index by receiving branch. */
export interface TransferDocV0 {
  id: string;
  caseId: string;
  fromBranch: string;
  toBranch: string;
  reason: string;
  slaDeadline: string;
  status: 'requested' | 'accepted' | 'expired';
  at: string;
  updatedAt: string;
}

export const transferSchemaV0: RxJsonSchema<TransferDocV0> = {
  title: 'transfer',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    caseId: { type: 'string', maxLength: 100 },
    fromBranch: { type: 'string', maxLength: 8 },
    toBranch: { type: 'string', maxLength: 8 },
    reason: { type: 'string', maxLength: 40 },
    slaDeadline: { type: 'string', maxLength: 40 },
    status: { type: 'string', enum: ['requested', 'accepted', 'expired'], maxLength: 10 },
    at: { type: 'string', maxLength: 40 },
    updatedAt: { type: 'string', maxLength: 40 },
  },
  required: ['id', 'caseId', 'fromBranch', 'toBranch', 'reason', 'slaDeadline', 'status', 'at', 'updatedAt'],
  indexes: [['fromBranch', 'status', 'at'], 'caseId'],
};

export const transferMigrations = {
  /**
   * v1: `expired` was a stored flag; overdue is now computed from `slaDeadline`, so an expired
   * transfer is a requested one past its deadline (still waiting for the receiving branch).
   */
  1: (old: TransferDocV0): TransferDoc => ({ ...old, status: old.status === 'expired' ? 'requested' : old.status }),
};

/** Audit v1 adds the optional `signature` (main's signature of the entry's hash): older entries stay as they are, unsigned. */
export const auditMigrations = {
  1: (old: AuditDoc): AuditDoc => old,
};
