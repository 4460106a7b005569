// A ticket called twice (issue 17 pt 5). While the hub is reachable a call is decided there and
// never doubles; with the hub unreachable two counters can call the same ticket issued before the
// outage. At merge nothing is lost: the ticket's histories are united (./conflicts.ts
// `mergeTickets`), so both calls stay on the ticket, and each counter's case is its own record. The
// head must still know: every PC that holds the merged ticket finds the double call on its history
// (shared/queue/call-order.ts `doubleCallsOf`) and keeps it in its conflict log, once per ticket,
// until the head marks it resolved with a note. The reason is stored as a short code with the
// ticket number and counters (no personal data) and shown in words (`doubleCallWords`).
import type { TFunction } from 'i18next';
import { doubleCallsOf, type DoubleCall } from '@shared/queue/call-order';
import type { LoketDatabase } from '../data/db/database';
import type { ConflictDoc } from '../data/db/schemas';

/** How far back tickets are looked at (a double call is flagged when the merged ticket arrives). */
export const DOUBLE_CALL_LOOKBACK_DAYS = 7;
const PREFIX = 'ticket.calledTwice';

/** The conflict id of a ticket's double call: one record per ticket, whatever PC finds it. */
export const doubleCallConflictId = (ticketId: string) => `tickets|${ticketId}|calledTwice`;

/** `ticket.calledTwice A012 1,3`: the stored reason (no personal data; words at display time). */
export function doubleCallReason(d: DoubleCall): string {
  const counters = [...new Set(d.calls.map((c) => c.counter ?? '?'))];
  return `${PREFIX} ${d.number} ${counters.join(',')}`;
}

/** The number and counters of a stored double-call reason, or null for any other reason. */
export function parseDoubleCallReason(reason: string): { number: string; counters: string[] } | null {
  const m = /^ticket\.calledTwice (\S+) (\S+)$/.exec(reason);
  return m ? { number: m[1]!, counters: m[2]!.split(',') } : null;
}

/**
 * The reason in the head's words: "Tiket A012 dipanggil dua kali: loket 1 dan loket 3, saat hub
 * tidak terjangkau". `t` is i18next's; other reasons are shown as they were recorded.
 */
export function doubleCallWords(reason: string, t: TFunction): string {
  const d = parseDoubleCallReason(reason);
  if (!d) return reason;
  const counters = d.counters.map((c) => t('review.calledTwiceCounter', { counter: c }));
  const last = counters.pop() ?? '';
  const list = counters.length ? `${counters.join(', ')} ${t('review.calledTwiceAnd')} ${last}` : last;
  return t('review.calledTwice', { number: d.number, counters: list });
}

/**
 * Keeps every double call found on this PC's recent tickets in the conflict log, once: a ticket
 * already flagged (open or resolved) is not flagged again. Returns the records it added.
 */
export async function flagDoubleCalls(db: LoketDatabase, now: Date = new Date()): Promise<ConflictDoc[]> {
  const since = new Date(now.getTime() - DOUBLE_CALL_LOOKBACK_DAYS * 86_400_000).toISOString();
  const docs = await db.tickets.find({ selector: { updatedAt: { $gte: since }, status: { $ne: 'waiting' } } }).exec();
  const found: ConflictDoc[] = [];
  for (const d of docs) {
    const t = d.toMutableJSON();
    const doubles = doubleCallsOf(t);
    const last = doubles.at(-1);
    if (!last) continue;
    const at = last.calls.at(-1)!.at;
    found.push({
      id: doubleCallConflictId(t.id),
      sourceCollection: 'tickets',
      docId: t.id.slice(0, 160),
      reason: doubleCallReason(last),
      kept: 'merged',
      at,
      lastAt: at,
      occurrences: doubles.reduce((n, x) => n + x.calls.length - 1, 0),
      status: 'open',
      updatedAt: at,
    });
  }
  if (found.length === 0) return [];
  const known = new Set((await db.conflicts.findByIds(found.map((f) => f.id)).exec()).keys());
  const fresh = found.filter((f) => !known.has(f.id));
  if (fresh.length === 0) return [];
  // Another screen may flag the same ticket at the same moment: its record stands, ours is dropped.
  const inserted = await db.conflicts.bulkInsert(fresh);
  const lost = new Set(inserted.error.map((e) => e.documentId));
  return fresh.filter((f) => !lost.has(f.id));
}
