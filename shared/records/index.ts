import type { z } from 'zod';
import type { WritableCollection } from '../sync/protocol';
import { AuditRecord, CaseRecord, RefusalRecord, TicketRecord, TransferRecord } from '../schemas/documents';

// The replicated documents of the writable collections, as zod schemas. They are declared once, in
// shared/schemas/documents.ts, and the renderer's RxDB JSON schemas are generated from the same
// declarations (renderer/src/data/db/schemas.ts), so a document one side accepts the other accepts
// too (tests/unit/records proves it on samples). HQ validates pushes with them.

export {
  AuditRecord,
  CaseRecord,
  CASE_STATUSES,
  RefusalRecord,
  REFUSAL_STATUSES,
  TicketRecord,
  TICKET_STATUSES,
  TransferRecord,
  TRANSFER_STATUSES,
} from '../schemas/documents';

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
