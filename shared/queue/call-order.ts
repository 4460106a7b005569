// The order in which waiting tickets are called, and the double call a merge can reveal. Pure: the
// desks (renderer/src/data/db/ticket-calls.ts), the waiting-room display and the branch hub
// (hq/hub/calls.ts) use these very functions, so every counter calls in the same order whether the
// call is decided on the PC or at the hub.

import { localDateOf, localTimeOf, type BranchZone, type CalendarDate } from '../dates';

/** What the call order reads from a ticket. */
export interface OrderedTicket {
  number: string;
  status: string;
  /** The branch day the ticket was issued on. */
  day: string;
  issuedAt: string;
  appointment?: { date: string; time: string } | undefined;
  /** When the appointment holder checked in at the door (only then are they in the queue). */
  checkedInAt?: string | undefined;
  /** Priority service (UU 25/2009 Art. 29): a category, or absent. */
  priority?: string | undefined;
}

/**
 * In `day`'s queue: that day's walk-in tickets, and the appointments for that day whose holder has
 * checked in at the door (an appointment holder who has not come is nobody to call or wait behind).
 */
export function inQueueOn(t: Pick<OrderedTicket, 'appointment' | 'checkedInAt' | 'day'>, day: CalendarDate): boolean {
  return t.appointment ? t.appointment.date === day && t.checkedInAt !== undefined : t.day === day;
}

/** When the ticket joined the queue: its issue, or the appointment holder's check-in. */
export function queuedAt(t: Pick<OrderedTicket, 'appointment' | 'checkedInAt' | 'issuedAt'>): string {
  return t.appointment && t.checkedInAt ? t.checkedInAt : t.issuedAt;
}

/**
 * The order in which waiting tickets are called (issue 16, DOMAIN.md "Queue"), at `now` on the
 * branch's clock (`zone`; absent = WIB):
 * 1. priority tickets (UU 25/2009 Art. 29), earliest queued first;
 * 2. checked-in appointment holders whose slot has come, by slot then check-in: ahead of walk-ins;
 * 3. everyone else (walk-ins, and holders checked in before their slot) by the time they queued.
 * Only waiting tickets in today's queue (`inQueueOn`) are returned. Ties break on the number, so
 * every desk, the hub and the waiting-room display see the same order.
 */
export function callOrder<T extends OrderedTicket>(tickets: readonly T[], now: string, zone?: BranchZone | null): T[] {
  const day = localDateOf(now, zone);
  const time = localTimeOf(now, zone);
  const due = (t: T) => t.appointment !== undefined && (t.appointment.date < day || (t.appointment.date === day && t.appointment.time <= time));
  const rank = (t: T) => (t.priority ? 0 : due(t) ? 1 : 2);
  const slot = (t: T) => (t.appointment ? `${t.appointment.date} ${t.appointment.time}` : '');
  return tickets
    .filter((t) => t.status === 'waiting' && inQueueOn(t, day))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (rank(a) === 1 ? slot(a).localeCompare(slot(b)) : 0) ||
        Date.parse(queuedAt(a)) - Date.parse(queuedAt(b)) ||
        a.number.localeCompare(b.number),
    );
}

/** One call found on a ticket's history. */
export interface RecordedCall {
  counter: string | null;
  deviceId: string | null;
  at: string;
}

/** A ticket called a second time while it was already called: two counters took the same person. */
export interface DoubleCall {
  number: string;
  /** Every call of the same turn in the queue, in time order (two or more). */
  calls: RecordedCall[];
}

type HistoryLike = { status?: unknown; at?: unknown; event?: unknown }[];

const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The double calls on a ticket's history (after a merge of two PCs' copies): two or more
 * `ticket.called` events within one turn in the queue (a turn ends when the ticket goes back to
 * waiting: `ticket.returned`). Online, a call is decided at the hub or claimed in the PC's own
 * database, so this only happens when PCs called without seeing each other (the hub unreachable).
 * A recall is `ticket.recalled`, never a second `ticket.called`.
 */
export function doubleCallsOf(t: { number: string; history: HistoryLike }): DoubleCall[] {
  const events = t.history
    .map((h) => obj(h.event))
    .filter((e): e is Record<string, unknown> => e !== null && typeof e.type === 'string' && typeof e.at === 'string')
    .sort((a, b) => Date.parse(String(a.at)) - Date.parse(String(b.at)));
  const out: DoubleCall[] = [];
  let turn: RecordedCall[] = [];
  const close = () => {
    if (turn.length > 1) out.push({ number: t.number, calls: turn });
    turn = [];
  };
  for (const e of events) {
    if (e.type === 'ticket.returned') close();
    if (e.type !== 'ticket.called') continue;
    turn.push({ counter: str(e.counter), deviceId: str(obj(e.actor)?.deviceId), at: String(e.at) });
  }
  close();
  return out;
}

const timeOf = (v: unknown): number => {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? -Infinity : t;
};

/**
 * Two copies' ticket histories as one: every entry of either (the same instant and status once),
 * in time order. What a merge keeps, on a PC (renderer/src/sync/conflicts.ts) and at the hub alike,
 * so a call made on one side is never dropped by the other.
 */
export function mergeTicketHistory<H extends { status?: unknown; at?: unknown } = { status?: unknown; at?: unknown }>(a: unknown, b: unknown): H[] {
  const seen = new Map<string, H>();
  for (const list of [a, b]) {
    if (!Array.isArray(list)) continue;
    for (const item of list as H[]) seen.set(`${String(item.at)}\u0000${String(item.status)}`, item);
  }
  return [...seen.values()].sort((x, y) => timeOf(x.at) - timeOf(y.at) || (String(x.status) < String(y.status) ? -1 : String(x.status) > String(y.status) ? 1 : 0));
}

/**
 * At the hub, a PC's ticket that HQ answered with its own copy: HQ's copy stands (HQ decides the
 * state), but when the PC's copy carries a call HQ's lacks within the same turn (two counters called
 * the same ticket while they could not see each other), the PC's history entries are added to
 * HQ's, so the double call is kept and shown to the head. Null when there is nothing to add.
 */
export function keepBothCalls<T extends { number: string; history: HistoryLike }>(pc: T, hq: T): T | null {
  const merged = { ...hq, history: mergeTicketHistory<HistoryLike[number]>(hq.history, pc.history) };
  return doubleCallsOf(merged).length > doubleCallsOf(hq).length ? merged : null;
}
