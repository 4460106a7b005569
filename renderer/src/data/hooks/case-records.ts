import type { AuditActor } from '../audit-chain';
import { findCases, refusalStatusByCase, type CaseQuery } from '../case-lookup';
import type { LocalData } from '../DataProvider';
import type { CaseDoc, CaseStatus, RefusalDoc } from '../db/schemas';
import { casesOf } from '../db/database';

// The case list and case detail read through these, never RxDB directly (issue 19 pt 2).

/** The refusal status of each case that has one. */
export function caseRefusals(data: LocalData, caseIds: readonly string[]): Promise<Map<string, RefusalDoc['status']>> {
  return refusalStatusByCase(data.db, caseIds);
}

/** The number printed on a ticket (null when this PC has no such ticket). */
export async function ticketNumberOf(data: LocalData, ticketId: string): Promise<string | null> {
  return (await data.db.tickets.findOne(ticketId).exec())?.number ?? null;
}

/** The latest `limit` cases (of one status, or all), newest first, live: returns the unsubscribe. */
export function watchRecentCases(data: LocalData, status: CaseStatus | 'all', limit: number, onChange: (docs: CaseDoc[]) => void): () => void {
  const selector = status === 'all' ? {} : { status };
  const sub = casesOf(data.db).find({ selector, sort: [{ updatedAt: 'desc' }], limit }).$.subscribe((docs) => onChange(docs.map((d) => d.toJSON() as CaseDoc)));
  return () => sub.unsubscribe();
}

/** Cases found by case id, NIK or ticket number (audited as a read of each case found). */
export function searchCases(data: LocalData, query: CaseQuery, viewer: AuditActor): Promise<CaseDoc[]> {
  return findCases({ db: data.db, cases: data.cases, audit: data.audit }, query, viewer);
}
