import { SERVICES, type Service } from '@shared/cases/schema';
import { localDateOf, localTimeOf, type BranchZone } from '@shared/dates';
import { formatDay } from '@shared/i18n/format';
import type { DisplayCall, DisplaySnapshot } from '@shared/ipc/contract';
import type { TicketDoc } from '../../data/db/schemas';
import { callOrder } from '../../data/branch-clock';

/** What the display reads from a ticket: number, service, status, times and the priority mark. No NIK hash, no case. */
export type DisplayTicket = Pick<TicketDoc, 'number' | 'service' | 'status' | 'day' | 'issuedAt' | 'history'> & {
  appointment?: { date: string; time: string } | undefined;
  checkedInAt?: string | undefined;
  /** Read only as "priority or not": the category is never shown. */
  priority?: TicketDoc['priority'] | undefined;
  /** A counter stored on the ticket itself, if a later schema adds one. */
  counter?: string | undefined;
};

export const MAX_CALLS = 8;
export const NEXT_PER_SERVICE = 4;
const COUNTER = /^[0-9A-Za-z]{1,8}$/;

interface HistoryEvent {
  type?: unknown;
  counter?: unknown;
}

/**
 * Every call (and recall) of a ticket with its counter. The ticket machine's events ride on the
 * ticket's history entries (`event`); a recall goes to the counter of the last call.
 */
export function callsOf(t: DisplayTicket): DisplayCall[] {
  const calls: DisplayCall[] = [];
  let counter: string | null = typeof t.counter === 'string' && COUNTER.test(t.counter) ? t.counter : null;
  for (const h of t.history as Array<TicketDoc['history'][number] & { event?: HistoryEvent }>) {
    const e = h.event;
    if (e?.type === 'ticket.called' && typeof e.counter === 'string' && COUNTER.test(e.counter)) counter = e.counter;
    const isCall = e ? e.type === 'ticket.called' || e.type === 'ticket.recalled' : h.status === 'called';
    if (isCall && counter) calls.push({ number: t.number, counter, service: t.service, at: h.at, ...(t.priority ? { priority: true as const } : {}) });
  }
  return calls;
}

/** The day a ticket queues on: its appointment's date, otherwise the day it was issued. */
const queueDay = (t: DisplayTicket): string => t.appointment?.date ?? t.day;

function firstCallMinutes(t: DisplayTicket): number | null {
  const first = t.history.find((h) => h.status === 'called');
  if (!first) return null;
  const m = (Date.parse(first.at) - Date.parse(t.issuedAt)) / 60_000;
  return Number.isFinite(m) && m >= 0 ? m : null;
}

/**
 * The waiting-room snapshot of `today`: the latest calls (a recalled number moves back to the top),
 * the next numbers per service, and today's average wait from issue to first call for walk-in
 * tickets (an appointment's wait is not measured from the day it was booked).
 */
export function buildDisplaySnapshot(tickets: readonly DisplayTicket[], today: string, pledge: string, now: Date): DisplaySnapshot {
  const todays = tickets.filter((t) => queueDay(t) === today);
  const latestByNumber = new Map<string, DisplayCall>();
  for (const c of todays.flatMap(callsOf)) {
    const seen = latestByNumber.get(c.number);
    if (!seen || seen.at < c.at) latestByNumber.set(c.number, c);
  }
  const called = [...latestByNumber.values()].sort((a, b) => b.at.localeCompare(a.at)).slice(0, MAX_CALLS);

  // The next numbers in the order the counters call them (priority first, appointments at their slot).
  const nextUp: DisplaySnapshot['nextUp'] = [];
  for (const service of SERVICES as readonly Service[]) {
    const next = callOrder(
      todays.filter((t) => t.service === service),
      now.toISOString(),
    ).slice(0, NEXT_PER_SERVICE);
    const priority = next.filter((t) => t.priority).map((t) => t.number);
    if (next.length > 0) nextUp.push({ service, numbers: next.map((t) => t.number), ...(priority.length ? { priority } : {}) });
  }

  const waits = todays.filter((t) => !t.appointment).flatMap((t) => {
    const m = firstCallMinutes(t);
    return m === null ? [] : [m];
  });
  const averageWaitMinutes = waits.length ? Math.min(24 * 60, Math.round(waits.reduce((a, b) => a + b, 0) / waits.length)) : null;

  return { called, nextUp, averageWaitMinutes, pledge, publishedAt: now.toISOString() };
}

/** Two snapshots show the same thing (publishedAt aside): no need to publish again. */
export function sameDisplay(a: DisplaySnapshot | null, b: DisplaySnapshot): boolean {
  if (!a) return false;
  return JSON.stringify({ ...a, publishedAt: '' }) === JSON.stringify({ ...b, publishedAt: '' });
}

// The live read of today's tickets is the data layer's (data/hooks/display.ts).
export { watchTodaysTickets } from '../../data/hooks/display';

/** The display's clock and date in the branch's zone (WIB/WITA/WIT from its profile), not the PC's. */
export function displayClock(now: Date, zone: BranchZone | null | undefined): { time: string; date: string } {
  // The wall clock keeps its colon ("08:30"), as a clock face does; the day in words (shared/i18n/format).
  const at = now.toISOString();
  return { time: localTimeOf(at, zone), date: formatDay(localDateOf(at, zone), 'id') };
}
