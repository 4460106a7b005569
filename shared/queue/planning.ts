// Queue planning at the door, pure (no database, no clock): today's counts per service, the honest
// wait estimate and the guaranteed appointment slot. TicketDesk feeds it documents; tests feed it
// plain objects.

import { z } from 'zod';
import { WEEKDAYS, type BranchProfile, type ServiceHours } from '../branch/schema';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '../cases/config';
import { SERVICES, Service, type Appointment, type PriorityCategory } from '../cases/schema';
import { addDays, type CalendarDate } from '../dates';
import { hoursOn } from '../policy/hours';
import { branchCalendar, NATIONAL_CALENDAR, proposeAppointmentSlot, type BranchCalendar, type SlotProposal } from '../calendar';
import { inQueueOn, queuedAt } from './call-order';

/** What planning reads from a ticket (a stored ticket document has these): no NIK hash except to tell one person from another. */
export interface PlannedTicket {
  service: Service;
  status: string;
  day: string;
  issuedAt: string;
  history: readonly { status: string; at: string }[];
  nikHash: string;
  appointment?: Appointment | undefined;
  checkedInAt?: string | undefined;
  priority?: PriorityCategory | undefined;
}

// The queue and its call order are shared with the branch hub (shared/queue/call-order.ts), so a
// call decided at the hub follows the same order as one decided on this PC.
export { inQueueOn, queuedAt };

export type PerService<T> = Record<Service, T>;
const perService = <T>(f: (s: Service) => T): PerService<T> => Object.fromEntries(SERVICES.map((s) => [s, f(s)])) as PerService<T>;

/** One capacity override (settings): at least 1, as `settings.set` requires (shared/settings.ts). */
const CapacityOverride = z.number().int().min(1).max(10_000);

/**
 * The queue config of this branch: its published hours, the head's capacities, defaults for the
 * rest. Each override is checked on its own: an invalid one (e.g. a 0 stored before capacities had
 * to be at least 1) gives that service the default, never a service that turns everyone away.
 */
export function queueConfigFor(
  branch: (Pick<BranchProfile, 'serviceHours'> & Partial<Pick<BranchProfile, 'zone'>>) | null,
  capacity: unknown,
  /** The head's local closures (settings): no appointment is given on them. */
  localClosures?: readonly { date: CalendarDate }[],
): QueueConfig {
  const overrides: Partial<Record<Service, number>> = {};
  if (capacity && typeof capacity === 'object') {
    for (const [service, n] of Object.entries(capacity)) {
      if (Service.safeParse(service).success && CapacityOverride.safeParse(n).success) overrides[service as Service] = n as number;
    }
  }
  return {
    ...DEFAULT_QUEUE_CONFIG,
    serviceHours: branch?.serviceHours ?? DEFAULT_QUEUE_CONFIG.serviceHours,
    dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, ...overrides },
    // The branch's zone (absent = WIB) and its local closed days, as the door's triage and appointments use them.
    ...(branch?.zone && branch.zone !== 'WIB' ? { zone: branch.zone } : {}),
    ...(localClosures && localClosures.length > 0 ? { localClosures: localClosures.map((c) => c.date) } : {}),
  };
}

/** The day a ticket takes a place in the queue: an appointment's own date, otherwise its day of issue. */
export function queueDayOf(t: PlannedTicket): CalendarDate {
  return t.appointment?.date ?? t.day;
}

/**
 * Places taken on `day` per service: that day's walk-in tickets plus the appointments booked for
 * it. An appointment holder who also took a walk-in ticket that day for the same service counts
 * once (it is the same person in the same place).
 */
export function placesTaken(tickets: readonly PlannedTicket[], day: CalendarDate): PerService<number> {
  const walkIns = tickets.filter((t) => !t.appointment && t.day === day);
  const seen = new Set(walkIns.map((t) => `${t.service}|${t.nikHash}`));
  const counts = perService(() => 0);
  for (const t of walkIns) counts[t.service] += 1;
  for (const t of tickets) {
    if (t.appointment?.date === day && !seen.has(`${t.service}|${t.nikHash}`)) counts[t.service] += 1;
  }
  return counts;
}

/** Tickets in `day`'s queue for `service` still waiting, queued before `before` (all when null). */
export function waitingAhead(tickets: readonly PlannedTicket[], service: Service, day: CalendarDate, before: string | null): number {
  return tickets.filter((t) => inQueueOn(t, day) && t.service === service && t.status === 'waiting' && (before === null || queuedAt(t) < before)).length;
}

/** Minutes a finished ticket spent at the counter: from the start of service (or the call) to done. */
export function handlingMinutes(t: PlannedTicket): number | null {
  if (t.status !== 'done') return null;
  const done = t.history.findLast((h) => h.status === 'done');
  const start = t.history.findLast((h) => h.status === 'serving') ?? t.history.findLast((h) => h.status === 'called');
  if (!done || !start) return null;
  const minutes = (Date.parse(done.at) - Date.parse(start.at)) / 60_000;
  return Number.isFinite(minutes) && minutes >= 0 ? minutes : null;
}

export interface WaitEstimate {
  ahead: number;
  /** Rounded up to whole minutes; 0 when nobody is ahead. */
  minutes: number;
  /** Average handling minutes used, and where it came from. */
  handlingMinutes: number;
  basis: 'today' | 'target';
  /** Counters assumed to serve this service. */
  counters: number;
  /** Finished tickets the average was taken over (0 with the target). */
  samples: number;
}

/** How many of today's most recent finished tickets the average is taken over. */
export const RECENT_SAMPLES = 10;

/**
 * people ahead × recent average handling time ÷ counters serving the service. The average comes
 * from today's finished tickets of that service (the last RECENT_SAMPLES); without any, from the
 * config's target handling time. Counters serving it: those calling or serving it right now; when
 * none is, the branch's counters shared among the services that have people waiting.
 */
export function estimateWait(o: {
  tickets: readonly PlannedTicket[];
  service: Service;
  day: CalendarDate;
  /** Count only people issued before this instant (the new ticket's own); null = everyone waiting. */
  before: string | null;
  config: QueueConfig;
  branchCounters: number;
}): WaitEstimate {
  const today = o.tickets.filter((t) => inQueueOn(t, o.day));
  const ahead = waitingAhead(today, o.service, o.day, o.before);
  const finished = today
    .filter((t) => t.service === o.service)
    .map((t) => ({ t, m: handlingMinutes(t), at: t.history.findLast((h) => h.status === 'done')?.at ?? '' }))
    .filter((x): x is { t: PlannedTicket; m: number; at: string } => x.m !== null)
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-RECENT_SAMPLES);
  const observed = finished.length > 0 ? finished.reduce((s, x) => s + x.m, 0) / finished.length : null;
  const handling = observed ?? o.config.targetHandlingMinutes[o.service];
  const active = today.filter((t) => t.service === o.service && (t.status === 'called' || t.status === 'serving')).length;
  const demand = new Set(today.filter((t) => t.status === 'waiting').map((t) => t.service));
  demand.add(o.service);
  const counters = active > 0 ? active : Math.max(1, Math.floor(Math.max(1, o.branchCounters) / demand.size));
  return {
    ahead,
    minutes: ahead === 0 ? 0 : Math.ceil((ahead * handling) / counters),
    handlingMinutes: Math.round(handling * 10) / 10,
    basis: observed === null ? 'target' : 'today',
    counters,
    samples: finished.length,
  };
}

const toMinutes = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
const toHm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Appointment start times on `date`: from opening, one per `slotMinutes`, each ending by closing
 * time (a slot that would run past closing is not offered).
 */
export function slotTimes(hours: ServiceHours, date: CalendarDate, slotMinutes: number): string[] {
  const day = hoursOn(hours, date);
  if (!day || slotMinutes <= 0) return [];
  const out: string[] = [];
  for (let m = toMinutes(day.open); m + slotMinutes <= toMinutes(day.close); m += slotMinutes) out.push(toHm(m));
  return out;
}

/** How far ahead an appointment is looked for before the door says it cannot find one. */
export const APPOINTMENT_HORIZON_DAYS = 60;

/**
 * The guaranteed appointment: the first slot, from tomorrow on, on an open day (never a weekend,
 * national holiday, joint leave day or local closure: `calendar`) whose places for this service
 * (appointments already booked for it) are below the daily capacity, in a slot that nobody holds
 * (`booked`, plus `taken` for reservations not yet visible as tickets). One person per slot per
 * service, so a slot is never double-booked. Null only when nothing is free within the horizon
 * (the branch never opens, or every day is full). The rule itself is shared/calendar's
 * `proposeAppointmentSlot`.
 */
export function allocateAppointment(o: {
  service: Service;
  today: CalendarDate;
  config: QueueConfig;
  /** Appointments already booked for this service. */
  booked: readonly Appointment[];
  taken?: (slot: Appointment) => boolean;
  horizonDays?: number;
  /** The branch's closed days (default: the national calendar). */
  calendar?: BranchCalendar;
  /** A later date the person asked for: its first free slot, recorded as their choice. */
  personAsked?: CalendarDate;
}): Appointment | null {
  const slot = doorSlot(o);
  if (!slot.ok) return null;
  return slot.chosenByPerson ? { date: slot.date, time: slot.time, chosenByPerson: true } : { date: slot.date, time: slot.time };
}

/** `allocateAppointment`'s slot with the reason when there is none (a later date asked for on a closed or full day). */
export function doorSlot(o: Parameters<typeof allocateAppointment>[0]): SlotProposal {
  return proposeAppointmentSlot({
    earliest: addDays(o.today, 1),
    hours: o.config.serviceHours,
    calendar: o.calendar ?? (o.config.localClosures ? branchCalendar(o.config.localClosures) : NATIONAL_CALENDAR),
    slotMinutes: o.config.targetHandlingMinutes[o.service],
    capacity: o.config.dailyCapacity[o.service],
    booked: o.booked,
    ...(o.taken ? { taken: o.taken } : {}),
    horizonDays: (o.horizonDays ?? APPOINTMENT_HORIZON_DAYS) - 1,
    ...(o.personAsked ? { personAsked: o.personAsked } : {}),
  });
}

/** Weekday key of a date, for labels ("Kamis, 26 November 2026"). */
export function weekdayKeyOf(date: CalendarDate): (typeof WEEKDAYS)[number] {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay()] ?? 'sun';
}
