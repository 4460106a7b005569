import fc from 'fast-check';
import { fillWithDefaultSettings, type RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import {
  auditSchema,
  caseSchemaV0,
  CASE_STATUSES as RX_CASE_STATUSES,
  refusalSchemaV0,
  REFUSAL_STATUSES as RX_REFUSAL_STATUSES,
  ticketSchema,
  TICKET_STATUSES as RX_TICKET_STATUSES,
  transferSchema,
  TRANSFER_STATUSES as RX_TRANSFER_STATUSES,
} from '../../../renderer/src/data/db/schemas';
import { CASE_STATUSES, RECORD_SCHEMAS, REFUSAL_STATUSES, TICKET_STATUSES, TRANSFER_STATUSES, checkRecord } from '@shared/records';
import type { WritableCollection } from '@shared/sync/protocol';
import { getCompiledValidator } from '../../../renderer/src/data/db/schema-validation';

// The zod record schemas (shared/records) and the renderer's RxDB JSON schemas must be one
// contract: every sample document, valid or not, gets the same verdict from both. RxDB's side is
// validated exactly as the app does it: the schema filled with RxDB's defaults (top level closed,
// bookkeeping fields added) and checked by z-schema as the app compiles it (renderer/src/data/db/schema-validation).

const RX_SCHEMAS: Record<WritableCollection, RxJsonSchema<never>> = {
  tickets: ticketSchema,
  cases: caseSchemaV0,
  refusals: refusalSchemaV0,
  transfers: transferSchema,
  audit: auditSchema,
};
const COLLECTIONS = Object.keys(RX_SCHEMAS) as WritableCollection[];

const rxValidators = Object.fromEntries(
  COLLECTIONS.map((c) => [c, getCompiledValidator(fillWithDefaultSettings(RX_SCHEMAS[c]) as never)]),
) as Record<WritableCollection, (doc: unknown) => unknown[]>;

/** RxDB's verdict on a document's content (with the bookkeeping every stored document carries). */
function rxdbAccepts(collection: WritableCollection, doc: unknown): boolean {
  const stored = typeof doc === 'object' && doc !== null && !Array.isArray(doc)
    ? { ...doc, _deleted: false, _rev: '1-abc', _meta: { lwt: 1_767_225_600_000 }, _attachments: {} }
    : doc;
  return rxValidators[collection](stored).length === 0;
}
const zodAccepts = (collection: WritableCollection, doc: unknown): boolean => checkRecord(collection, doc).ok;

// ---- valid samples (generated data: no real people) ------------------------------------------------

const HASH = 'a3f1c2d4e5b60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef0';
const actor = { staffId: 'officer01', role: 'officer', deviceId: 'dev-counter-1' };

const VALID: Record<WritableCollection, Record<string, unknown>[]> = {
  tickets: [
    {
      id: 'UJI01:2026-03-02:A1-001',
      branchCode: 'UJI01',
      service: 'jht-claim',
      status: 'waiting',
      number: 'A1-001',
      day: '2026-03-02',
      slot: 1,
      seq: 1,
      nikHash: HASH,
      issuedAt: '2026-03-02T08:00:00.000Z',
      updatedAt: '2026-03-02T08:00:00.000Z',
      history: [{ status: 'waiting', at: '2026-03-02T08:00:00.000Z' }],
    },
    {
      id: 'x',
      branchCode: 'UJI01',
      service: 'general',
      status: 'transferred',
      number: 'D9-999999',
      day: '2026-03-02',
      slot: 9,
      seq: 1_000_000,
      nikHash: '',
      issuedAt: '',
      updatedAt: '',
      appointment: { date: '2026-03-03', time: '09:00' },
      history: [],
    },
  ],
  cases: [
    {
      id: 'CASE-UJI-0001',
      branchCode: 'UJI01',
      flow: 'jmo-reset',
      status: 'open',
      nikHash: HASH,
      person: { nik: '3171014505690001', name: 'Peserta Uji', phone: '081234567890' },
      input: { caseId: 'CASE-UJI-0001', nik: '3171014505690001' },
      events: [{ type: 'identity.checked', at: '2026-03-02T09:15:00+07:00', actor }],
      snapshot: { value: 'contact', status: 'active', context: {} },
      journalLength: 1,
      openedAt: '2026-03-02T02:00:00.000Z',
      updatedAt: '2026-03-02T02:15:00.000Z',
    },
    {
      id: 'c',
      branchCode: 'UJI01',
      flow: 'jht-claim',
      status: 'conflict',
      nikHash: HASH,
      ticketId: 'UJI01:2026-03-02:A1-001',
      person: { nik: 'x', name: 'y' },
      input: {},
      events: [],
      snapshot: {},
      journalLength: 100_000,
      openedAt: '2026-03-02T02:00:00.000Z',
      updatedAt: '2026-03-02T02:00:00.000Z',
      flag: { reason: 'snapshot differs from the replay of the journal', at: '2026-03-02T02:00:00.000Z' },
    },
  ],
  refusals: [
    {
      id: 'CASE-UJI-0001:refusal:0',
      caseId: 'CASE-UJI-0001',
      branchCode: 'UJI01',
      code: 'DOCUMENT_MISSING',
      status: 'pending',
      at: '2026-03-02T03:00:00.000Z',
      actor,
      updatedAt: '2026-03-02T03:00:00.000Z',
    },
    {
      id: 'r',
      caseId: 'c',
      branchCode: 'UJI01',
      code: 'OUTSIDE_SERVICE_HOURS',
      status: 'overturned',
      at: '2026-03-02T03:00:00.000Z',
      actor: { ...actor, extra: true },
      review: { by: 'head01', decision: 'overturn' },
      updatedAt: '2026-03-02T03:00:00.000Z',
    },
  ],
  transfers: [
    {
      id: 'CASE-UJI-0001:transfer',
      caseId: 'CASE-UJI-0001',
      fromBranch: 'UJI01',
      toBranch: 'SBY01',
      reason: 'PERSON_REQUESTED',
      slaDeadline: '2026-03-03T08:00:00.000Z',
      status: 'requested',
      at: '2026-03-02T03:00:00.000Z',
      updatedAt: '2026-03-02T03:00:00.000Z',
    },
    {
      id: 't',
      caseId: 'c',
      fromBranch: 'UJI01',
      toBranch: 'SBY01',
      reason: 'PERSON_REQUESTED',
      slaDeadline: '2026-03-03T08:00:00.000Z',
      status: 'declined',
      at: '2026-03-02T03:00:00.000Z',
      updatedAt: '2026-03-02T05:00:00.000Z',
      decidedAt: '2026-03-02T05:00:00.000Z',
      decidedBy: { staffId: 'head01', role: 'head', deviceId: 'dev-office-1' },
      declineReason: 'Dokumen asli belum dibawa',
    },
  ],
  audit: [
    {
      id: 'dev-1:0000000001',
      deviceId: 'dev-1',
      seq: 1,
      at: '2026-03-02T03:00:00.000Z',
      actor: { staffId: 'officer01', role: 'officer' },
      action: 'case.opened',
      subject: { kind: 'case', id: 'CASE-UJI-0001' },
      details: { flow: 'jmo-reset' },
      prevHash: '0'.repeat(64),
      hash: HASH,
    },
  ],
};

// ---- invalid samples: one problem each ------------------------------------------------------------

const without = (doc: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(doc).filter(([k]) => k !== key));
const astral = (n: number) => '😀'.repeat(n); // n code points, 2n UTF-16 units

function invalidSamples(collection: WritableCollection): { label: string; doc: unknown }[] {
  const base = VALID[collection][0]!;
  const out: { label: string; doc: unknown }[] = [
    { label: 'not an object', doc: 'ticket' },
    { label: 'an array', doc: [base] },
    { label: 'null', doc: null },
    { label: 'an unknown top-level field', doc: { ...base, surprise: 1 } },
    { label: 'id too long', doc: { ...base, id: 'i'.repeat(101) } },
    { label: 'id a number', doc: { ...base, id: 1 } },
  ];
  for (const key of RX_SCHEMAS[collection].required ?? []) out.push({ label: `without ${key}`, doc: without(base, key) });
  switch (collection) {
    case 'tickets':
      out.push(
        { label: 'bad status', doc: { ...base, status: 'finished' } },
        { label: 'bad service', doc: { ...base, service: 'jht' } },
        { label: 'slot 0', doc: { ...base, slot: 0 } },
        { label: 'slot 10', doc: { ...base, slot: 10 } },
        { label: 'slot 1.5', doc: { ...base, slot: 1.5 } },
        { label: 'seq as a string', doc: { ...base, seq: '1' } },
        { label: 'number too long', doc: { ...base, number: 'A1-0000000000001' + 'x' } },
        { label: 'branch code of 9', doc: { ...base, branchCode: astral(9) } },
        { label: 'a person on a ticket (v2 keeps only the NIK hash)', doc: { ...base, person: { nik: 'x', name: 'y' } } },
        { label: 'history not an array', doc: { ...base, history: {} } },
        { label: 'history item status a number', doc: { ...base, history: [{ status: 1, at: 'x' }] } },
        { label: 'appointment date a number', doc: { ...base, appointment: { date: 20260303 } } },
        { label: 'appointment null', doc: { ...base, appointment: null } },
      );
      break;
    case 'cases':
      out.push(
        { label: 'bad flow', doc: { ...base, flow: 'triage' } },
        { label: 'bad status', doc: { ...base, status: 'refused' } },
        { label: 'events not an array', doc: { ...base, events: {} } },
        { label: 'an event that is not an object', doc: { ...base, events: ['identity.checked'] } },
        { label: 'an event that is an array', doc: { ...base, events: [[]] } },
        { label: 'snapshot an array', doc: { ...base, snapshot: [] } },
        { label: 'input null', doc: { ...base, input: null } },
        { label: 'journalLength negative', doc: { ...base, journalLength: -1 } },
        { label: 'journalLength too large', doc: { ...base, journalLength: 100_001 } },
        { label: 'ticketId too long', doc: { ...base, ticketId: 't'.repeat(101) } },
        { label: 'person phone a number', doc: { ...base, person: { nik: 'x', name: 'y', phone: 8123 } } },
        { label: 'flag reason a number', doc: { ...base, flag: { reason: 1 } } },
        { label: 'openedAt too long', doc: { ...base, openedAt: astral(41) } },
      );
      break;
    case 'refusals':
      out.push(
        { label: 'bad status', doc: { ...base, status: 'rejected' } },
        { label: 'code too long', doc: { ...base, code: 'C'.repeat(41) } },
        { label: 'actor without deviceId', doc: { ...base, actor: { staffId: 'x', role: 'officer' } } },
        { label: 'review an array', doc: { ...base, review: [] } },
      );
      break;
    case 'transfers':
      out.push(
        { label: 'bad status', doc: { ...base, status: 'rejected' } },
        { label: 'toBranch too long', doc: { ...base, toBranch: 'SBY012345' } },
        { label: 'reason too long', doc: { ...base, reason: 'R'.repeat(41) } },
        { label: 'expired (v0; overdue is computed now)', doc: { ...base, status: 'expired' } },
        { label: 'decidedBy without deviceId', doc: { ...base, decidedBy: { staffId: 'x', role: 'head' } } },
        { label: 'declineReason too long', doc: { ...base, declineReason: 'r'.repeat(201) } },
        { label: 'decidedAt a number', doc: { ...base, decidedAt: 1 } },
      );
      break;
    case 'audit':
      out.push(
        { label: 'seq 0', doc: { ...base, seq: 0 } },
        { label: 'seq too large', doc: { ...base, seq: 1_000_000_001 } },
        { label: 'hash too long', doc: { ...base, hash: 'f'.repeat(65) } },
        { label: 'actor without role', doc: { ...base, actor: { staffId: 'x' } } },
        { label: 'subject without id', doc: { ...base, subject: { kind: 'case' } } },
        { label: 'details an array', doc: { ...base, details: [] } },
        { label: 'action too long', doc: { ...base, action: 'a'.repeat(41) } },
      );
      break;
  }
  return out;
}

/** Boundary samples that are valid: limits counted in code points, extra nested fields. */
function edgeValidSamples(collection: WritableCollection): { label: string; doc: unknown }[] {
  const base = VALID[collection][0]!;
  const out: { label: string; doc: unknown }[] = [
    { label: 'id of 100 characters', doc: { ...base, id: 'i'.repeat(100) } },
    { label: 'id of 100 astral characters (200 UTF-16 units)', doc: { ...base, id: astral(100) } },
    { label: 'empty id (no minLength in the schema)', doc: { ...base, id: '' } },
  ];
  if ('branchCode' in base) out.push({ label: 'branch code of 8 astral characters', doc: { ...base, branchCode: astral(8) } });
  if (collection === 'tickets') out.push({ label: 'slot 2.0', doc: { ...base, slot: 2.0 } });
  return out;
}

describe('record schemas: shared zod and the renderer’s RxDB JSON schemas agree', () => {
  it('share the status enums', () => {
    expect(TICKET_STATUSES).toEqual(RX_TICKET_STATUSES);
    expect(CASE_STATUSES).toEqual(RX_CASE_STATUSES);
    expect(REFUSAL_STATUSES).toEqual(RX_REFUSAL_STATUSES);
    expect(TRANSFER_STATUSES).toEqual(RX_TRANSFER_STATUSES);
    expect(Object.keys(RECORD_SCHEMAS).sort()).toEqual([...COLLECTIONS].sort());
  });

  describe.each(COLLECTIONS)('%s', (collection) => {
    it.each([...VALID[collection].map((doc, i) => ({ label: `valid sample ${i}`, doc })), ...edgeValidSamples(collection)])(
      'both accept: $label',
      ({ doc }) => {
        expect(rxdbAccepts(collection, doc)).toBe(true);
        expect(checkRecord(collection, doc)).toEqual({ ok: true });
      },
    );

    it.each(invalidSamples(collection))('both refuse: $label', ({ doc }) => {
      expect(rxdbAccepts(collection, doc)).toBe(false);
      expect(zodAccepts(collection, doc)).toBe(false);
    });

    it('agree on randomly mutated documents', () => {
      const base = VALID[collection][0]!;
      const keys = [...Object.keys(RX_SCHEMAS[collection].properties), 'unknownField'];
      const value = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.string({ minLength: 35, maxLength: 110 }),
        fc.constantFrom(...TICKET_STATUSES, ...CASE_STATUSES, 'jht-claim', 'general', 'requested', 'accepted'),
        fc.integer({ min: -2, max: 11 }),
        fc.constantFrom(1.5, 1_000_000, 1_000_001, 100_000, 100_001, 1_000_000_000, 1_000_000_001),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.dictionary(fc.constantFrom('status', 'at', 'x'), fc.oneof(fc.string({ maxLength: 3 }), fc.integer())))),
        fc.dictionary(fc.constantFrom('nik', 'name', 'phone', 'email', 'staffId', 'role', 'deviceId', 'kind', 'id', 'date', 'time', 'reason', 'at', 'x'), fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null)), { maxKeys: 5 }),
      );
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(...keys), value), { minLength: 1, maxLength: 3 }), (changes) => {
          const doc: Record<string, unknown> = { ...base };
          for (const [k, v] of changes) {
            if (v === undefined) delete doc[k];
            else doc[k] = v;
          }
          expect(zodAccepts(collection, doc)).toBe(rxdbAccepts(collection, doc));
        }),
        { numRuns: 400 },
      );
    });
  });
});
