// Pure aggregation for the branch head's dashboard: plain arrays in, plain rows out, no database
// and no clock of their own (callers pass `now`), so every figure can be checked by hand.
// Hours and days are the branch's (its zone, WIB by default: shared/dates.ts), whatever the PC's time zone.
import { addDays, localDateOf, offsetOfZone, type BranchZone } from '@shared/dates';
import { branchZone } from '../branch-zone';
import { transferOverdue } from '@shared/records';

export type RangeKey = 'today' | 'week';

export interface Range {
  key: RangeKey;
  /** First branch day included, YYYY-MM-DD. */
  fromDay: string;
  /** Last branch day included (today). */
  toDay: string;
}

/** Today, or the last 7 branch days including today. */
export function rangeOf(key: RangeKey, now: Date, zone: BranchZone = branchZone()): Range {
  const toDay = localDateOf(now.toISOString(), zone);
  return { key, fromDay: key === 'today' ? toDay : addDays(toDay, -6), toDay };
}

function inRange(at: string, range: Range): boolean {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return false;
  const day = localDateOf(at, branchZone());
  return day >= range.fromDay && day <= range.toDay;
}

/** The branch's hour of day (0–23) of a timestamp. */
export function localHourOf(at: string, zone: BranchZone = branchZone()): number {
  const ms = Date.parse(at) + offsetOfZone(zone) * 60_000;
  return new Date(ms).getUTCHours();
}

/**
 * Nearest-rank percentile (the value at rank ceil(p·n) of the sorted list): always one of the
 * observed values, so a head can check it against the ticket list. null for no data.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

/** The fields of a ticket the reports read (TicketDoc satisfies it). */
export interface TicketLike {
  id: string;
  status: string;
  issuedAt: string;
  /** `event`: the ticket machine's event of this step, when recorded (who did it). */
  history: ReadonlyArray<{ status: string; at: string; event?: unknown }>;
  /** An appointment: it belongs to its own day and slot, not to the day it was booked (issue 16). */
  appointment?: { date: string; time: string } | undefined;
}

/** The branch day a ticket belongs to: an appointment's date, else the day it was issued. */
export function ticketDay(t: TicketLike): string {
  return t.appointment?.date ?? localDateOf(t.issuedAt, branchZone());
}

/** When the person's turn began: an appointment's slot (branch time), else the issue time. */
export function startedAt(t: TicketLike): string {
  if (!t.appointment) return t.issuedAt;
  const { date, time } = t.appointment;
  // The branch's offset from UTC in whole hours (WIB/WITA/WIT), read off its hour at noon UTC.
  const offsetHours = localHourOf(`${date}T12:00:00.000Z`) - 12;
  return new Date(Date.parse(`${date}T${time}:00.000Z`) - offsetHours * 3_600_000).toISOString();
}

function dayInRange(day: string, range: Range): boolean {
  return day >= range.fromDay && day <= range.toDay;
}

function firstAt(t: TicketLike, status: string): string | null {
  let best: string | null = null;
  for (const h of t.history) if (h.status === status && (best === null || Date.parse(h.at) < Date.parse(best))) best = h.at;
  return best;
}

/**
 * Minutes from issue (an appointment: from its slot) to the first call; null when not called yet
 * (or the history is broken). An appointment called before its slot waited 0 minutes.
 */
export function waitMinutes(t: TicketLike): number | null {
  const called = firstAt(t, 'called');
  if (!called) return null;
  const ms = Date.parse(called) - Date.parse(startedAt(t));
  if (t.appointment && Number.isFinite(ms)) return Math.max(0, ms) / 60_000;
  return Number.isFinite(ms) && ms >= 0 ? ms / 60_000 : null;
}

export interface WaitingNow {
  /** People waiting or called but not yet at a counter, today, whose time has come. */
  waiting: number;
  /** The longest of their waits so far, in whole minutes; null when nobody waits. */
  longestMinutes: number | null;
}

/** Who is still waiting right now (issue 16): today's tickets, appointments from their slot on. */
export function waitingNow(tickets: readonly TicketLike[], now: Date): WaitingNow {
  const today = localDateOf(now.toISOString(), branchZone());
  let waiting = 0;
  let longest: number | null = null;
  for (const t of tickets) {
    if ((t.status !== 'waiting' && t.status !== 'called') || ticketDay(t) !== today) continue;
    const since = Date.parse(startedAt(t));
    if (!Number.isFinite(since) || since > now.getTime()) continue;
    waiting++;
    const minutes = Math.floor((now.getTime() - since) / 60_000);
    longest = longest === null ? minutes : Math.max(longest, minutes);
  }
  return { waiting, longestMinutes: longest };
}

export interface WaitRow {
  hour: number;
  /** Tickets issued in this hour that have been called. */
  called: number;
  p50: number | null;
  p90: number | null;
}

/** hour → rows for every hour from the first to the last with data (gaps filled), ascending. */
function hourSpan<T>(byHour: Map<number, T>, make: (hour: number) => T): T[] {
  if (byHour.size === 0) return [];
  const hours = [...byHour.keys()];
  const out: T[] = [];
  for (let h = Math.min(...hours); h <= Math.max(...hours); h++) out.push(byHour.get(h) ?? make(h));
  return out;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** Wait (issue → first call) p50/p90 by the hour the ticket was issued, in minutes. */
export function waitByHour(tickets: readonly TicketLike[], range: Range): WaitRow[] {
  const waits = new Map<number, number[]>();
  for (const t of tickets) {
    if (!dayInRange(ticketDay(t), range)) continue;
    const w = waitMinutes(t);
    if (w === null) continue;
    const h = localHourOf(startedAt(t));
    waits.set(h, [...(waits.get(h) ?? []), w]);
  }
  const rows = new Map<number, WaitRow>();
  for (const [hour, list] of waits) rows.set(hour, { hour, called: list.length, p50: round1(percentile(list, 0.5)), p90: round1(percentile(list, 0.9)) });
  return hourSpan(rows, (hour) => ({ hour, called: 0, p50: null, p90: null }));
}

export interface FlowRow {
  hour: number;
  issued: number;
  served: number;
}

/**
 * Tickets issued per hour (by issue time) and served per hour (by the time their service ended:
 * the first `done`). Transferred and no-show tickets are not "served".
 */
export function issuedVsServed(tickets: readonly TicketLike[], range: Range): FlowRow[] {
  const rows = new Map<number, FlowRow>();
  const row = (hour: number) => rows.get(hour) ?? rows.set(hour, { hour, issued: 0, served: 0 }).get(hour)!;
  for (const t of tickets) {
    // An appointment counts on its own day at its slot (issue 16), not when it was booked.
    if (dayInRange(ticketDay(t), range)) row(localHourOf(startedAt(t))).issued++;
    const done = firstAt(t, 'done');
    if (done && inRange(done, range)) row(localHourOf(done)).served++;
  }
  return hourSpan(rows, (hour) => ({ hour, issued: 0, served: 0 }));
}

export interface NoShowRow {
  /** The officer who marked the no-show ('' when an old history did not record who). */
  staffId: string;
  noShows: number;
  /** Of those, people who came back the same day and were put back in the queue. */
  returned: number;
}

function staffOf(event: unknown): string {
  const actor = (event as { actor?: { staffId?: unknown } } | undefined)?.actor;
  return typeof actor?.staffId === 'string' ? actor.staffId : '';
}

/** No-shows marked in the range, by the officer who marked them, most first. */
export function noShowsByOfficer(tickets: readonly TicketLike[], range: Range): NoShowRow[] {
  const rows = new Map<string, NoShowRow>();
  for (const t of tickets) {
    t.history.forEach((h, i) => {
      if (h.status !== 'no-show' || !inRange(h.at, range)) return;
      const staffId = staffOf(h.event);
      const row = rows.get(staffId) ?? rows.set(staffId, { staffId, noShows: 0, returned: 0 }).get(staffId)!;
      row.noShows++;
      if (t.history.slice(i + 1).some((later) => later.status === 'waiting')) row.returned++;
    });
  }
  return [...rows.values()].sort((a, b) => b.noShows - a.noShows || (a.staffId === '' ? 1 : 0) - (b.staffId === '' ? 1 : 0) || a.staffId.localeCompare(b.staffId));
}

/** The fields of an audit entry the door-decline report reads (AuditDoc satisfies it). */
export interface AuditLike {
  at: string;
  action: string;
  actor: { staffId: string };
  details: Record<string, unknown>;
}

export interface DoorDeclineRow {
  /** The door staff member who recorded "declined by the person". */
  staffId: string;
  declined: number;
  /** Per service the person had asked for. */
  services: Record<string, number>;
}

/** Issue 16: visits at the door that ended "declined by the person" in the range, per staff member, most first. */
export function doorDeclinesByStaff(entries: readonly AuditLike[], range: Range): DoorDeclineRow[] {
  const rows = new Map<string, DoorDeclineRow>();
  for (const e of entries) {
    if (e.action !== 'visit.declined' || !inRange(e.at, range)) continue;
    const row = rows.get(e.actor.staffId) ?? rows.set(e.actor.staffId, { staffId: e.actor.staffId, declined: 0, services: {} }).get(e.actor.staffId)!;
    row.declined++;
    const service = typeof e.details.service === 'string' ? e.details.service : '';
    row.services[service] = (row.services[service] ?? 0) + 1;
  }
  return [...rows.values()].sort((a, b) => b.declined - a.declined || a.staffId.localeCompare(b.staffId));
}

/** The fields of a refusal the reports read (RefusalDoc satisfies it). */
export interface RefusalLike {
  code: string;
  status: string;
  at: string;
  actor: { staffId: string };
}

export interface ReasonRow {
  code: string;
  /** Refusals that passed the catalog and stand (pending review or upheld). */
  refused: number;
  /** Refusals the head overturned (ruled invalid): never counted as standing refusals. */
  overturned: number;
  /** Attempts the catalog refused (invented or not holding on the facts). */
  attempted: number;
}

export interface OfficerRow {
  staffId: string;
  refused: number;
  overturned: number;
  attempted: number;
}

function tally(refusals: readonly RefusalLike[], range: Range, keyOf: (r: RefusalLike) => string) {
  const rows = new Map<string, { refused: number; overturned: number; attempted: number }>();
  for (const r of refusals) {
    if (!inRange(r.at, range)) continue;
    const k = keyOf(r);
    const row = rows.get(k) ?? { refused: 0, overturned: 0, attempted: 0 };
    if (r.status === 'attempted') row.attempted++;
    else if (r.status === 'overturned') row.overturned++;
    else row.refused++;
    rows.set(k, row);
  }
  return [...rows.entries()]
    .map(([key, v]) => ({ key, ...v }))
    .sort((a, b) => b.refused + b.overturned + b.attempted - (a.refused + a.overturned + a.attempted) || a.key.localeCompare(b.key));
}

/** Refusals by reason code, most frequent first. */
export function refusalsByReason(refusals: readonly RefusalLike[], range: Range): ReasonRow[] {
  return tally(refusals, range, (r) => r.code).map(({ key, ...v }) => ({ code: key, ...v }));
}

/** Refusals by the officer who refused (or tried to), most first. */
export function refusalsByOfficer(refusals: readonly RefusalLike[], range: Range): OfficerRow[] {
  return tally(refusals, range, (r) => r.actor.staffId).map(({ key, ...v }) => ({ staffId: key, ...v }));
}

/** The fields of a transfer the reports read (TransferDoc satisfies it). */
export interface TransferLike {
  id: string;
  caseId: string;
  fromBranch: string;
  toBranch: string;
  status: string;
  slaDeadline: string;
  at: string;
}

export interface TransferRow {
  id: string;
  caseId: string;
  /** incoming: another branch waits for THIS branch to accept; outgoing: the other way round. */
  direction: 'incoming' | 'outgoing';
  /** The other branch. */
  branch: string;
  at: string;
  slaDeadline: string;
  overdue: boolean;
  minutesLeft: number;
}

export interface TransferSummary {
  pending: number;
  overdue: number;
  incoming: { pending: number; overdue: number };
  outgoing: { pending: number; overdue: number };
  /** Pending transfers, the most urgent deadline first. */
  rows: TransferRow[];
}

/**
 * Transfers still waiting for the receiving branch's decision; overdue as the transfers screen
 * computes it (shared/records transferOverdue: past the SLA deadline, never stored).
 */
export function transfersPending(transfers: readonly TransferLike[], now: Date, branchCode: string | null): TransferSummary {
  const rows: TransferRow[] = transfers
    .filter((t) => t.status === 'requested')
    .map((t) => {
      const incoming = branchCode !== null && t.toBranch === branchCode && t.fromBranch !== branchCode;
      return {
        id: t.id,
        caseId: t.caseId,
        direction: incoming ? ('incoming' as const) : ('outgoing' as const),
        branch: incoming ? t.fromBranch : t.toBranch,
        at: t.at,
        slaDeadline: t.slaDeadline,
        overdue: transferOverdue({ status: 'requested', slaDeadline: t.slaDeadline }, now),
        minutesLeft: Math.floor((Date.parse(t.slaDeadline) - now.getTime()) / 60_000),
      };
    })
    .sort((a, b) => a.slaDeadline.localeCompare(b.slaDeadline) || a.id.localeCompare(b.id));
  const count = (list: TransferRow[]) => ({ pending: list.length, overdue: list.filter((r) => r.overdue).length });
  return {
    ...count(rows),
    incoming: count(rows.filter((r) => r.direction === 'incoming')),
    outgoing: count(rows.filter((r) => r.direction === 'outgoing')),
    rows,
  };
}

/** What the sync status store tells (a subset of SyncSnapshot). */
export interface SyncLike {
  running: boolean;
  pendingCount: number;
  oldestPendingSince: number | null;
  link: { enrolled: boolean; connected: boolean; lastContactAt: string | null; lastError: { code: string; message: string; at: string } | null } | null;
  lastError: { at: number; collection: string | null; message: string } | null;
  conflicts: readonly unknown[];
}

export type SyncVerdict = 'notEnrolled' | 'ok' | 'behind' | 'offline' | 'failing';

export interface SyncHealth {
  verdict: SyncVerdict;
  pendingCount: number;
  /** Minutes the oldest unacknowledged record has waited; null when nothing waits. */
  oldestPendingMinutes: number | null;
  lastContactAt: string | null;
  lastError: { at: string; message: string } | null;
  conflicts: number;
}

/** Records older than this without HQ's acknowledgement make the branch "behind". */
export const SYNC_BEHIND_MINUTES = 15;

/**
 * One verdict for the head: failing (the newest error is newer than the last contact), offline,
 * behind (something waits longer than SYNC_BEHIND_MINUTES), or ok. `openConflicts`: the count
 * from the persistent conflict log, when known (the store holds only this session's).
 */
export function syncHealth(s: SyncLike, now: Date, openConflicts?: number): SyncHealth {
  const oldest = s.oldestPendingSince === null ? null : Math.max(0, Math.floor((now.getTime() - s.oldestPendingSince) / 60_000));
  const linkError = s.link?.lastError ? { at: s.link.lastError.at, message: `${s.link.lastError.code}: ${s.link.lastError.message}` } : null;
  const storeError = s.lastError ? { at: new Date(s.lastError.at).toISOString(), message: s.lastError.collection ? `${s.lastError.collection}: ${s.lastError.message}` : s.lastError.message } : null;
  const lastError = [linkError, storeError].filter((e): e is { at: string; message: string } => e !== null).sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0] ?? null;
  const lastContactAt = s.link?.lastContactAt ?? null;
  let verdict: SyncVerdict;
  if (!s.link?.enrolled) verdict = 'notEnrolled';
  else if (lastError && (!lastContactAt || Date.parse(lastError.at) > Date.parse(lastContactAt))) verdict = 'failing';
  else if (!s.link.connected) verdict = 'offline';
  else if (oldest !== null && oldest >= SYNC_BEHIND_MINUTES) verdict = 'behind';
  else verdict = 'ok';
  return { verdict, pendingCount: s.pendingCount, oldestPendingMinutes: oldest, lastContactAt, lastError, conflicts: openConflicts ?? s.conflicts.length };
}
