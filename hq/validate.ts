import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { localDateOf } from '@shared/dates';
import { refusalReviewMachine } from '@state-machines/refusal-review.machine';
import { rulesOn } from '@shared/cases/branch-rules';
import { branchRules, branchRulesOn } from './branch-rules';
import { appointmentSlotProblem, branchCalendar } from '@shared/calendar';
import { verifyChain, AuditEntrySchema, type AuditEntry, type ChainBreakReason, type Sha256Hex } from '@shared/audit/chain';
import { sameJson } from '@shared/canonical-json';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import { checkLimits, checkRecord, type CaseRecord, type RefusalRecord, type TransferRecord } from '@shared/records';
import type { WritableCollection } from '@shared/sync/protocol';
import { eventIdentity, replay, replayCase } from '@state-machines';
import type { Sql } from './db';
import { checkTransferContent } from './transfers';
import { auditAuthorshipProblem, flagUnlessStaff } from './device-audit';
import { flagPendingFollowUp } from './audit-flags';
import { openStored } from './person-crypto';

// What HQ checks in every pushed document beyond its branch (store.ts `validateIncoming`):
//  1. the shared record schema of its collection (shared/records, the renderer's RxDB contract);
//  2. a case: its journal replayed through the same machine (by `flow`, with `input` as stored)
//     must accept every event and give exactly the stored snapshot; it keeps every event HQ
//     already has of the case;
//  3. an audit entry: it continues its device's chain as HQ stores it (seq + 1, prevHash = the
//     previous entry's hash, its own hash recomputed), is signed by that device's key when
//     another PC relays it (device-audit.ts `auditAuthorshipProblem`), and is never changed or deleted afterwards;
//  4. a transfer: created as requested, decided once by the receiving branch (hq/transfers.ts).
// A refusal carries a precise reason and the document goes to quarantine: never dropped, never
// "fixed". Reasons never quote document values (they may be personal data): only paths, event
// types, states and counts.

/** `later`: it points at a record HQ does not hold yet; not quarantined, the device retries. */
export type ContentVerdict = { ok: true } | { ok: false; reason: string; later?: true };

export interface ContentContext {
  /** The pushing device (its id is the chain id of the audit entries it may push). */
  deviceId: string;
  branchCode: string;
  /** The stored version of this document, if any. */
  master: { deleted: boolean; data: Record<string, unknown> } | null;
  /** The push transaction (holds the write lock, so chains are checked one entry at a time). */
  tx: Sql;
  /**
   * An audit entry pushed marked as pulled: another PC's entry, relayed (`deviceId` is then the
   * chain's device, not the pusher). Taken only when that device signed it (device-audit.ts).
   */
  relayed?: boolean;
}

/** SHA-256 for the shared audit chain, from node:crypto. */
export const nodeSha256Hex: Sha256Hex = (text) => Promise.resolve(createHash('sha256').update(text, 'utf8').digest('hex'));

/** The document's content: without RxDB's bookkeeping fields (shared/schemas/bookkeeping.ts). */
const contentOf = (doc: Record<string, unknown>): Record<string, unknown> => withoutBookkeeping(doc);

const MAX_PROBLEMS = 5;

export async function validateContent(collection: WritableCollection, doc: Record<string, unknown>, ctx: ContentContext): Promise<ContentVerdict> {
  const content = contentOf(doc);
  // Text PostgreSQL cannot store, and sizes beyond real use, first: refused per record, never a 500.
  const limits = checkLimits(collection, content);
  if (!limits.ok) return { ok: false, reason: `limits: ${limits.problems.join('; ')}` };
  const record = checkRecord(collection, content);
  if (!record.ok) {
    const more = record.problems.length > MAX_PROBLEMS ? ` (+${record.problems.length - MAX_PROBLEMS} more)` : '';
    return { ok: false, reason: `schema: ${record.problems.slice(0, MAX_PROBLEMS).join('; ')}${more}` };
  }
  if (collection === 'cases') return checkCase(content as CaseRecord, ctx);
  if (collection === 'refusals') return checkRefusal(content as RefusalRecord, ctx);
  if (collection === 'audit') return checkAuditEntry(content, doc._deleted === true, ctx);
  if (collection === 'transfers') return checkTransferContent(content as TransferRecord, doc._deleted === true, ctx);
  return { ok: true };
}

// ---- cases ------------------------------------------------------------------------------------

async function checkCase(doc: CaseRecord, ctx: ContentContext): Promise<ContentVerdict> {
  const refuse = (reason: string): ContentVerdict => ({ ok: false, reason });
  if (doc.journalLength !== doc.events.length) return refuse(`journal: journalLength is ${doc.journalLength} but the journal has ${doc.events.length} events`);
  const identity = await checkCaseIdentity(doc, ctx);
  if (!identity.ok) return identity;

  const master = ctx.master && !ctx.master.deleted ? (ctx.master.data as Partial<CaseRecord>) : null;
  if (master) {
    if (master.flow !== doc.flow) return refuse(`journal: flow changed from ${String(master.flow)} to ${doc.flow}`);
    if (eventIdentity(master.input) !== eventIdentity(doc.input)) return refuse('journal: input differs from the stored case');
    const missing = missingEvents(master.events ?? [], doc.events);
    if (missing > 0) return refuse(`journal: drops ${missing} event(s) HQ already has (a journal only grows)`);
  }

  let result;
  try {
    result = replayCase(doc); // the case engine: the registry's machine for the flow, as the PC ran it
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

/**
 * What the case says about itself must agree: its id and the machine's caseId, the NIK the
 * machine reads and the person's, the NIK's keyed hash under the branch's key, the day it was
 * opened; and it is judged by HQ's rules of that day for its branch, not by the rules it brings.
 */
async function checkCaseIdentity(doc: CaseRecord, ctx: ContentContext): Promise<ContentVerdict> {
  const refuse = (reason: string): ContentVerdict => ({ ok: false, reason });
  const input = doc.input;
  if (input.caseId !== doc.id) return refuse('ids: input.caseId is not the case id');
  if (input.nik !== doc.person.nik) return refuse("ids: input.nik is not the person's NIK");
  if (input.openedAt !== undefined && input.openedAt !== doc.openedAt) return refuse('ids: input.openedAt is not the case openedAt');
  if (doc.branchCode !== ctx.branchCode) return { ok: true }; // not this branch's: refused by scope, never written
  const key = await branchNikKey(ctx.tx, doc.branchCode);
  if (key === null) return refuse('nikHash: the branch has no NIK hash key at HQ yet (enrol a device first)');
  if (nikHashWith(key, doc.person.nik) !== doc.nikHash) return refuse("nikHash: not the keyed hash of the person's NIK under the branch's key");

  if (Number.isNaN(Date.parse(doc.openedAt))) return refuse('openedAt: not a timestamp');
  const visit = await checkVisitStart(doc, ctx);
  if (!visit.ok) return visit;
  const all = await branchRules(ctx.tx, doc.branchCode);
  if (!all) return refuse('config: the branch is unknown at HQ');
  // The day the case was opened, on the branch's own clock (WIB/WITA/WIT as HQ holds it).
  const day = localDateOf(doc.openedAt, all.base.zone);
  const rules = rulesOn(all, day);
  // A case without config runs on the shared defaults: judged against HQ's rules all the same.
  const brought = (input.config ?? DEFAULT_CASE_CONFIG) as Record<string, unknown>;
  const differ = Object.keys({ ...rules, ...brought }).filter((k) => !sameJson(brought[k] ?? null, (rules as Record<string, unknown>)[k] ?? null));
  if (differ.length > 0) return refuse(`config: ${differ.sort().join(', ')} differ from HQ's rules for branch ${doc.branchCode} on ${day}`);
  return { ok: true };
}

/**
 * Service hours are judged when the visit began (issue 16): the device sets `input.visitStartedAt`
 * to its ticket's issue time. A case may not claim an earlier arrival than its ticket (when HQ
 * holds it) nor one after the case was opened: either would move a visit into or out of hours.
 */
async function checkVisitStart(doc: CaseRecord, ctx: ContentContext): Promise<ContentVerdict> {
  const claimed = (doc.input as { visitStartedAt?: unknown }).visitStartedAt;
  if (claimed === undefined) return { ok: true }; // cases opened before the rule
  const at = typeof claimed === 'string' ? Date.parse(claimed) : Number.NaN;
  if (Number.isNaN(at)) return { ok: false, reason: 'visitStartedAt: not a timestamp' };
  if (at > Date.parse(doc.openedAt)) return { ok: false, reason: 'visitStartedAt: after the case was opened (openedAt)' };
  if (doc.ticketId === undefined) return { ok: true };
  const { rows } = await ctx.tx.query<{ issued_at: string | null }>(
    `SELECT data ->> 'issuedAt' AS issued_at FROM documents WHERE collection = 'tickets' AND branch_code = $1 AND id = $2 AND NOT deleted`,
    [doc.branchCode, doc.ticketId],
  );
  const issuedAt = rows[0]?.issued_at;
  if (issuedAt && at < Date.parse(issuedAt)) return { ok: false, reason: "visitStartedAt: earlier than its ticket's issuedAt (the visit began when the ticket was taken)" };
  return { ok: true };
}

/** The branch's NIK hash key (issued at its first enrolment, never changed): cached per database. */
const nikKeys = new WeakMap<Sql, Map<string, Buffer>>();
async function branchNikKey(db: Sql, branchCode: string): Promise<Buffer | null> {
  let keys = nikKeys.get(db);
  if (!keys) nikKeys.set(db, (keys = new Map<string, Buffer>()));
  const hit = keys.get(branchCode);
  if (hit) return hit;
  const { rows } = await db.query<{ nik_key: string | null }>('SELECT nik_key FROM branches WHERE code = $1', [branchCode]);
  const raw = rows[0]?.nik_key;
  if (!raw) return null;
  // The device's hasher (renderer/src/data/nik-hash.ts): HKDF-SHA-256 (zero salt, fixed info) → HMAC key.
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(raw, 'base64'), Buffer.alloc(32), 'loket/nik-hash/v1', 32));
  keys.set(branchCode, key);
  return key;
}

/** The keyed NIK hash the branch's devices compute. */
export function nikHashWith(key: Buffer, nik: string): string {
  return createHmac('sha256', key).update(nik, 'utf8').digest('hex');
}

/** The keyed NIK hash of `nik` under a branch key as HQ issues it (base64). For tests and tools. */
export function nikHashForBranchKey(branchKeyBase64: string, nik: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(branchKeyBase64, 'base64'), Buffer.alloc(32), 'loket/nik-hash/v1', 32));
  return nikHashWith(key, nik);
}

// ---- refusals ---------------------------------------------------------------------------------

/**
 * A refusal record is derived from its case's journal (renderer case-journal `deriveRecords`): the
 * case must be at HQ in the same branch with that refusal in its journal, valid (pending,
 * upheld, overturned) or an invalid attempt (attempted); a review must replay through the
 * refusal-review machine to the decision the record states. A case HQ does not hold yet (or an
 * older version of it) is `later`: the device retries once the case has arrived.
 */
async function checkRefusal(doc: RefusalRecord, ctx: ContentContext): Promise<ContentVerdict> {
  if (doc.branchCode !== ctx.branchCode) return { ok: true }; // refused by scope, never written
  const { rows } = await ctx.tx.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM documents WHERE collection = 'cases' AND branch_code = $1 AND id = $2 AND NOT deleted`,
    [doc.branchCode, doc.caseId],
  );
  // Its person fields are sealed at HQ (hq/person-crypto.ts): opened with the push's keys.
  const theCase = rows[0] ? (openStored(ctx.tx, 'cases', doc.branchCode, doc.caseId, rows[0].data) as unknown as CaseRecord) : undefined;
  if (!theCase) return { ok: false, later: true, reason: 'refusal: HQ has not received its case yet' };
  const context = (theCase.snapshot as { context?: { refusal?: RefusalLike | null; invalidRefusals?: RefusalLike[] } }).context ?? {};
  const same = (r: RefusalLike | null | undefined) => !!r && r.code === doc.code && r.at === doc.at;
  const valid = same(context.refusal);
  const attempted = (context.invalidRefusals ?? []).some(same);
  if (!valid && !attempted) return { ok: false, later: true, reason: 'refusal: the case at HQ does not hold this refusal (yet)' };
  if (doc.status === 'attempted') {
    return attempted && !valid ? { ok: true } : { ok: false, reason: 'refusal: recorded as an invalid attempt, but the case holds it as a refusal' };
  }
  if (!valid) return { ok: false, reason: `refusal: ${doc.status}, but the case holds it as an invalid attempt` };
  if (doc.status === 'pending') return doc.review === undefined ? { ok: true } : { ok: false, reason: 'refusal: pending but carries a review' };
  const events = (doc.review as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(events)) return { ok: false, reason: `refusal: ${doc.status} without its review journal` };
  // The follow-up slot first, by HQ's rules for the branch on that day: the machine refuses it too
  // (by the refusal's facts), but this reason names the rule for HQ's operators.
  const slot = overturnSlot(events);
  if (slot) {
    const verdict = await checkFollowUpSlot(slot, ctx.tx, doc.branchCode);
    if (!verdict.ok) return verdict;
  }
  const result = replay(refusalReviewMachine, { caseId: doc.caseId, flow: theCase.flow, refusal: context.refusal } as never, events);
  if (result.rejected) return { ok: false, reason: `review: event ${result.rejected.index} does not replay: ${result.rejected.reason}: ${result.rejected.detail}` };
  const decision = (result.snapshot as { context: { decision: { kind: string } | null } }).context.decision;
  if (decision?.kind !== doc.status) return { ok: false, reason: `review: the review journal decides ${decision?.kind ?? 'nothing'}, the record says ${doc.status}` };
  return { ok: true };
}

/** The appointment of a review journal's overturn, when it has the shape of one (the replay judges the rest). */
function overturnSlot(events: unknown[]): { date: string; time: string } | null {
  for (const e of events) {
    const appointment = (e as { type?: unknown; appointment?: { date?: unknown; time?: unknown } } | null)?.appointment;
    if ((e as { type?: unknown } | null)?.type !== 'review.overturned' || !appointment) continue;
    const { date, time } = appointment;
    if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && typeof time === 'string' && /^\d{2}:\d{2}$/.test(time)) return { date, time };
  }
  return null;
}

/**
 * An overturn's follow-up appointment is a slot the branch serves in (issue 16): on an open day
 * (no weekend, national holiday, joint leave or local closure) within its published hours, by
 * HQ's rules for the branch on that day (shared/calendar's `appointmentSlotProblem`).
 */
async function checkFollowUpSlot(slot: { date: string; time: string }, tx: Sql, branchCode: string): Promise<ContentVerdict> {
  const rules = await branchRulesOn(tx, branchCode, slot.date);
  if (!rules) return { ok: false, reason: 'config: the branch is unknown at HQ' };
  const problem = appointmentSlotProblem(slot, rules.serviceHours, branchCalendar(rules.localClosures ?? []));
  if (problem?.why === 'CLOSED_DAY') return { ok: false, reason: `review: the follow-up appointment is on ${slot.date}, a day the branch is closed` };
  if (problem) return { ok: false, reason: `review: the follow-up appointment at ${slot.time} on ${slot.date} is outside the branch's service hours` };
  return { ok: true };
}

interface RefusalLike {
  code: string;
  at: string;
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
  // The id is the chain position (renderer stores.ts `auditId`): no other id can be taken or probed.
  if (content.id !== `${entry.deviceId}:${String(entry.seq).padStart(10, '0')}`) return refuse('audit: id is not deviceId:seq (10 digits)');
  // Written by the device it names (its key's signature): a PC cannot squat another PC's chain by relaying a forged entry.
  const authorship = await auditAuthorshipProblem(ctx.tx, entry, ctx.relayed === true);
  if (authorship !== null) return refuse(authorship);

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
  if (verdict.ok) {
    // Intact but its actor is not staff of this branch: stored (the chain goes on) and flagged for review.
    await flagUnlessStaff(ctx.tx, { deviceId: ctx.deviceId, branchCode: ctx.branchCode, name: '' }, 'renderer', entry.seq, entry.actor, new Date());
    // A head's pending-KPJ follow-up on a closed day, outside hours or past the limit: kept and flagged too (issue 16).
    await flagPendingFollowUp(ctx.tx, { deviceId: ctx.deviceId, branchCode: ctx.branchCode }, entry, new Date());
    return { ok: true };
  }
  const where = head ? `HQ has this device's chain up to seq ${head.seq}` : 'HQ has no entry of this device yet';
  if (verdict.reason === 'seq-gap') return refuse(`audit: gap in seq: entry ${entry.seq} but ${where}, so the next is ${(head?.seq ?? 0) + 1}`);
  return refuse(`audit: ${BREAK_REASON[verdict.reason]} at seq ${entry.seq} (${where})`);
}
