import { createHash } from 'node:crypto';
import { verifyChain, AuditEntrySchema, type AuditEntry, type ChainBreakReason, type Sha256Hex } from '../shared/audit/chain';
import { sameJson } from '../shared/canonical-json';
import { checkRecord, type CaseRecord, type TransferRecord } from '../shared/records';
import type { WritableCollection } from '../shared/sync/protocol';
import { CASE_MACHINES, eventIdentity, replay } from '../state-machines';
import type { Sql } from './db';
import { checkTransferContent } from './transfers';

// What HQ checks in every pushed document beyond its branch (store.ts `validateIncoming`):
//  1. the shared record schema of its collection (shared/records, the renderer's RxDB contract);
//  2. a case: its journal replayed through the same machine (by `flow`, with `input` as stored)
//     must accept every event and give exactly the stored snapshot; it keeps every event HQ
//     already has of the case;
//  3. an audit entry: it continues its device's chain as HQ stores it (seq + 1, prevHash = the
//     previous entry's hash, its own hash recomputed), and is never changed or deleted afterwards;
//  4. a transfer: created as requested, decided once by the receiving branch (hq/transfers.ts).
// A refusal carries a precise reason and the document goes to quarantine: never dropped, never
// "fixed". Reasons never quote document values (they may be personal data): only paths, event
// types, states and counts.

export type ContentVerdict = { ok: true } | { ok: false; reason: string };

export interface ContentContext {
  /** The pushing device (its id is the chain id of the audit entries it may push). */
  deviceId: string;
  branchCode: string;
  /** The stored version of this document, if any. */
  master: { deleted: boolean; data: Record<string, unknown> } | null;
  /** The push transaction (holds the write lock, so chains are checked one entry at a time). */
  tx: Sql;
}

/** SHA-256 for the shared audit chain, from node:crypto. */
export const nodeSha256Hex: Sha256Hex = (text) => Promise.resolve(createHash('sha256').update(text, 'utf8').digest('hex'));

const BOOKKEEPING = new Set(['_meta', '_rev', '_attachments', '_deleted']);

/** The document's content: without RxDB's bookkeeping fields. */
function contentOf(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !BOOKKEEPING.has(k)));
}

const MAX_PROBLEMS = 5;

export async function validateContent(collection: WritableCollection, doc: Record<string, unknown>, ctx: ContentContext): Promise<ContentVerdict> {
  const content = contentOf(doc);
  const record = checkRecord(collection, content);
  if (!record.ok) {
    const more = record.problems.length > MAX_PROBLEMS ? ` (+${record.problems.length - MAX_PROBLEMS} more)` : '';
    return { ok: false, reason: `schema: ${record.problems.slice(0, MAX_PROBLEMS).join('; ')}${more}` };
  }
  if (collection === 'cases') return checkCase(content as CaseRecord, ctx);
  if (collection === 'audit') return checkAuditEntry(content, doc._deleted === true, ctx);
  if (collection === 'transfers') return checkTransferContent(content as TransferRecord, doc._deleted === true, ctx);
  return { ok: true };
}

// ---- cases ------------------------------------------------------------------------------------

function checkCase(doc: CaseRecord, ctx: ContentContext): ContentVerdict {
  const refuse = (reason: string): ContentVerdict => ({ ok: false, reason });
  if (doc.journalLength !== doc.events.length) return refuse(`journal: journalLength is ${doc.journalLength} but the journal has ${doc.events.length} events`);

  const master = ctx.master && !ctx.master.deleted ? (ctx.master.data as Partial<CaseRecord>) : null;
  if (master) {
    if (master.flow !== doc.flow) return refuse(`journal: flow changed from ${String(master.flow)} to ${doc.flow}`);
    if (eventIdentity(master.input) !== eventIdentity(doc.input)) return refuse('journal: input differs from the stored case');
    const missing = missingEvents(master.events ?? [], doc.events);
    if (missing > 0) return refuse(`journal: drops ${missing} event(s) HQ already has (a journal only grows)`);
  }

  let result;
  try {
    result = replay(CASE_MACHINES[doc.flow], doc.input as never, doc.events);
  } catch (err) {
    return refuse(`journal: the machine cannot start from this input (${err instanceof Error ? err.name : 'error'})`);
  }
  if (result.rejected) {
    const r = result.rejected;
    const type = (r.event as { type?: unknown } | null)?.type;
    return refuse(`journal: event ${r.index}${typeof type === 'string' ? ` (${type})` : ''} does not replay: ${r.reason}: ${r.detail}`);
  }
  // Compared as JSON (sameJson), which is what storedSnapshot's round trip would give, without the round trip.
  const snap = result.snapshot as { value: unknown; status: string; context: unknown };
  const replayed = { value: snap.value, status: snap.status, context: snap.context };
  const stored = { value: doc.snapshot.value, status: doc.snapshot.status, context: doc.snapshot.context };
  if (!sameJson(replayed, stored)) {
    const parts = (['value', 'status', 'context'] as const).filter((k) => !sameJson(replayed[k] ?? null, stored[k] ?? null));
    return refuse(`snapshot: differs from the replay of the journal (${parts.join(', ')})`);
  }
  if (doc.status !== 'conflict' && (doc.status === 'closed') !== (replayed.status === 'done')) {
    return refuse(`status: ${doc.status} but the replayed machine is ${replayed.status}`);
  }
  return { ok: true };
}

/** How many events of `before` (as a multiset) are not in `after`. */
function missingEvents(before: readonly unknown[], after: readonly unknown[]): number {
  const have = new Map<string, number>();
  for (const e of after) have.set(eventIdentity(e), (have.get(eventIdentity(e)) ?? 0) + 1);
  let missing = 0;
  for (const e of before) {
    const id = eventIdentity(e);
    const n = have.get(id) ?? 0;
    if (n === 0) missing++;
    else have.set(id, n - 1);
  }
  return missing;
}

// ---- audit ------------------------------------------------------------------------------------

const BREAK_REASON: Record<ChainBreakReason, string> = {
  'seq-gap': 'seq does not continue the chain',
  'prev-mismatch': 'prevHash is not the hash of the previous entry',
  'hash-mismatch': 'hash does not match the entry (edited?)',
  'device-mismatch': 'entry of another device',
};

async function checkAuditEntry(content: Record<string, unknown>, deleted: boolean, ctx: ContentContext): Promise<ContentVerdict> {
  const refuse = (reason: string): ContentVerdict => ({ ok: false, reason });
  if (deleted) return refuse('audit: entries are append-only; a deletion is refused');
  if (ctx.master) {
    // An identical retry is fine (the push writes nothing); any other change is an edit.
    const same = sameJson(contentOf(ctx.master.data), content) && !ctx.master.deleted;
    return same ? { ok: true } : refuse('audit: an entry HQ already has cannot change');
  }
  const { id: _id, ...rest } = content;
  const parsed = AuditEntrySchema.safeParse(rest);
  if (!parsed.success) {
    return refuse(`audit: ${parsed.error.issues.slice(0, MAX_PROBLEMS).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const entry: AuditEntry = parsed.data;
  if (entry.deviceId !== ctx.deviceId) return refuse('audit: deviceId is not the pushing device (each device pushes its own chain)');

  const { rows } = await ctx.tx.query<{ data: AuditEntry }>(
    `SELECT data FROM documents
      WHERE collection = 'audit' AND branch_code = $1 AND (data ->> 'deviceId') = $2
      ORDER BY (data ->> 'seq')::bigint DESC LIMIT 1`,
    [ctx.branchCode, entry.deviceId],
  );
  const head = rows[0]?.data ?? null;
  if (head && entry.seq <= head.seq) {
    return refuse(`audit: seq ${entry.seq} is already taken at HQ (HQ has this device's chain up to seq ${head.seq}): a fork`);
  }
  const verdict = await verifyChain(nodeSha256Hex, [entry], {
    deviceId: ctx.deviceId,
    ...(head ? { after: { seq: head.seq, hash: head.hash } } : {}),
  });
  if (verdict.ok) return { ok: true };
  const where = head ? `HQ has this device's chain up to seq ${head.seq}` : 'HQ has no entry of this device yet';
  if (verdict.reason === 'seq-gap') return refuse(`audit: gap in seq: entry ${entry.seq} but ${where}, so the next is ${(head?.seq ?? 0) + 1}`);
  return refuse(`audit: ${BREAK_REASON[verdict.reason]} at seq ${entry.seq} (${where})`);
}
