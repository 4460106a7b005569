// The head's case finder: one box that takes a case number, a ticket number or an NIK, and each
// case's outcome at a glance. The outcome comes from the case machine's final state (and the head's
// review of a refusal), never from how many events the journal holds.
//
// Every search and every opened case is audited (UU 27/2022: "who saw what, when"); a search by
// NIK goes through the keyed hash (CaseJournal.findByNik), so the NIK is never stored or logged.

import type { AuditActor } from './audit-chain';
import type { CaseJournal } from './db/case-journal';
import { casesOf, type LoketDatabase } from './db/database';
import type { CaseDoc, RefusalDoc } from './db/schemas';
import type { AuditLog } from './db/stores';

export const CASE_OUTCOMES = ['inProgress', 'served', 'pending', 'refused', 'overturned', 'transferred', 'withdrawn', 'needsReview'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

interface SnapshotView {
  value?: unknown;
  context?: { kpjs?: Array<{ outcome?: { kind?: string } | null }> };
}

/**
 * What became of a case: served (closed, nothing left open), pending (closed with a KPJ left
 * pending for follow-up), refused (or overturned, once the head overturned that refusal),
 * transferred, withdrawn, still in progress, or needs the head (the journal did not replay).
 */
export function caseOutcome(doc: Pick<CaseDoc, 'status' | 'snapshot'>, refusalStatus?: RefusalDoc['status'] | null): CaseOutcome {
  if (doc.status === 'conflict') return 'needsReview';
  const snapshot = doc.snapshot as SnapshotView;
  switch (snapshot.value) {
    case 'refused':
      return refusalStatus === 'overturned' ? 'overturned' : 'refused';
    case 'transferred':
      return 'transferred';
    case 'withdrawn':
      return 'withdrawn';
    case 'closed':
      return (snapshot.context?.kpjs ?? []).some((k) => k.outcome?.kind === 'pending') ? 'pending' : 'served';
    default:
      return 'inProgress';
  }
}

export type CaseQuery = { kind: 'nik'; nik: string } | { kind: 'ticket'; number: string } | { kind: 'caseId'; id: string };

const TICKET_NUMBER = /^[A-Z]\d-\d{1,7}$/;

/**
 * Reads what the head typed: 16 digits (spaces, dots and dashes allowed, as people paste them) is
 * an NIK; a ticket number looks like `B2-017`; anything else of 3–100 characters is a case number
 * (or its beginning). null for an empty or too short query.
 */
export function parseCaseQuery(raw: string): CaseQuery | null {
  const text = raw.trim();
  const digits = text.replace(/[\s.-]/g, '');
  if (/^\d{16}$/.test(digits)) return { kind: 'nik', nik: digits };
  const upper = text.toUpperCase();
  if (TICKET_NUMBER.test(upper)) return { kind: 'ticket', number: upper };
  if (upper.length < 3 || upper.length > 100) return null;
  return { kind: 'caseId', id: upper };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface CaseFinderDeps {
  db: LoketDatabase;
  cases: CaseJournal;
  audit: AuditLog;
  now?: () => Date;
}

/** Newest first. */
const newestFirst = (a: CaseDoc, b: CaseDoc) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id);

/**
 * Finds cases by case number (exact, else by its beginning), ticket number (every day's ticket
 * with that number) or NIK (keyed hash). Audited: `person.searched` for an NIK (subject: the hash),
 * `case.searched` otherwise; details hold how it was searched and how many were found, never the NIK.
 */
export async function findCases(deps: CaseFinderDeps, query: CaseQuery, viewer: AuditActor): Promise<CaseDoc[]> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  if (query.kind === 'nik') {
    // CaseJournal audits this search itself (person.searched, subject: the NIK's keyed hash).
    return (await deps.cases.findByNik(query.nik, viewer)).sort(newestFirst);
  }
  let docs: CaseDoc[];
  if (query.kind === 'ticket') {
    const tickets = await deps.db.tickets.find({ selector: { number: query.number } }).exec();
    const ids = tickets.map((t) => t.id);
    docs = ids.length ? (await casesOf(deps.db).find({ selector: { ticketId: { $in: ids } } }).exec()).map((d) => d.toJSON() as CaseDoc) : [];
  } else {
    const exact = await casesOf(deps.db).findOne(query.id).exec();
    docs = exact
      ? [exact.toJSON() as CaseDoc]
      : (await casesOf(deps.db).find({ selector: { id: { $regex: `^${escapeRegex(query.id)}` } }, limit: 50 }).exec()).map((d) => d.toJSON() as CaseDoc);
  }
  await deps.audit.append({
    at,
    actor: { staffId: viewer.staffId, role: viewer.role },
    action: 'case.searched',
    subject: { kind: 'case', id: query.kind === 'ticket' ? query.number : query.id },
    details: { by: query.kind, found: docs.length },
  });
  return docs.sort(newestFirst);
}

/** The refusal status of each case that has one (the latest refusal of the case counts). */
export async function refusalStatusByCase(db: LoketDatabase, caseIds: readonly string[]): Promise<Map<string, RefusalDoc['status']>> {
  const out = new Map<string, RefusalDoc['status']>();
  if (caseIds.length === 0) return out;
  const docs = await db.refusals.find({ selector: { caseId: { $in: [...caseIds] }, status: { $ne: 'attempted' } } }).exec();
  for (const d of [...docs].sort((a, b) => a.at.localeCompare(b.at))) out.set(d.caseId, d.status);
  return out;
}

/** A recorded phone number for the case: the one given at opening, else the latest `contact.updated`. */
export function recordedPhone(doc: Pick<CaseDoc, 'person' | 'events'>): string | null {
  if (doc.person.phone) return doc.person.phone;
  for (let i = doc.events.length - 1; i >= 0; i--) {
    const e = doc.events[i] as { type?: unknown; phone?: unknown };
    if (e.type === 'contact.updated' && typeof e.phone === 'string' && e.phone.trim()) return e.phone.trim();
  }
  return null;
}
