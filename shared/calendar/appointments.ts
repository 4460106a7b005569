import type { ServiceHours } from '../branch/schema';
import { addDays, type CalendarDate } from '../dates';
import { hoursOn, isSlotInServiceHours } from '../policy/hours';
import { closedDayOn, isWeekend } from './open-days';
import type { BranchCalendar, ClosedDay } from './types';

/** An appointment proposed to a person; `chosenByPerson` when they asked for that later date. */
export interface AppointmentProposal {
  date: CalendarDate;
  time: string;
  chosenByPerson: boolean;
}

export type SlotProblem =
  /** A weekend, national holiday, joint leave day or local closure. */
  | { why: 'CLOSED_DAY'; closedDay: ClosedDay | null }
  /** The branch does not serve at that time (outside its published hours that weekday). */
  | { why: 'OUTSIDE_HOURS' }
  /** Earlier than the first date the appointment may be on. */
  | { why: 'TOO_EARLY'; earliest: CalendarDate }
  /** That day has no free slot left. */
  | { why: 'DAY_FULL' }
  /** No free slot on an open day within the horizon. */
  | { why: 'NO_SLOT' };

export type SlotProposal = ({ ok: true } & AppointmentProposal) | ({ ok: false } & SlotProblem);

const toMinutes = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
const toHm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Why a slot cannot hold an appointment (null when it can): a closed day (weekend, holiday, joint
 * leave, local closure) or a time outside the published hours of that weekday — with its length
 * (`slotMinutes`), a slot running past closing time too. The single rule the door, the refusal
 * slips, the head's follow-ups and HQ's replay apply.
 */
export function appointmentSlotProblem(slot: { date: CalendarDate; time: string }, hours: ServiceHours, calendar: BranchCalendar, slotMinutes = 0): SlotProblem | null {
  const closed = closedDayOn(slot.date, calendar);
  if (closed || isWeekend(slot.date)) return { why: 'CLOSED_DAY', closedDay: closed };
  if (!isSlotInServiceHours(hours, slot.date, slot.time, slotMinutes)) return { why: 'OUTSIDE_HOURS' };
  return null;
}

/** Start times on `date`: from opening, one per `slotMinutes`, each ending by closing time. */
function slotTimesOn(hours: ServiceHours, date: CalendarDate, slotMinutes: number): string[] {
  const day = hoursOn(hours, date);
  if (!day || slotMinutes <= 0) return [];
  const out: string[] = [];
  for (let m = toMinutes(day.open); m + slotMinutes <= toMinutes(day.close); m += slotMinutes) out.push(toHm(m));
  return out;
}

/** How far ahead a slot is looked for. */
export const PROPOSAL_HORIZON_DAYS = 60;

/**
 * The appointment to offer: the earliest free slot on an open day from `earliest` on (a closed day
 * is never proposed). With `personAsked`, the first free slot on that later date instead, marked
 * `chosenByPerson` (DOMAIN "Queue": a later date only at the person's request, recorded as such);
 * a date before the earliest free one, a closed day or a full day is refused with its reason.
 *
 * Pure: who holds which slot comes in as `booked` (appointments of this service) and `taken`.
 */
export function proposeAppointmentSlot(o: {
  /** First day the appointment may be on (tomorrow at the door; the first claim date for "not yet"). */
  earliest: CalendarDate;
  hours: ServiceHours;
  calendar: BranchCalendar;
  /** Length of one slot (the service's target handling time). */
  slotMinutes: number;
  /** Places per day for the service (default: unlimited). */
  capacity?: number;
  booked?: readonly { date: CalendarDate; time: string }[];
  taken?: (slot: { date: CalendarDate; time: string }) => boolean;
  /** A later date the person asked for. */
  personAsked?: CalendarDate;
  horizonDays?: number;
}): SlotProposal {
  const booked = o.booked ?? [];
  const freeOn = (date: CalendarDate): string | null => {
    const onDay = booked.filter((b) => b.date === date);
    if (o.capacity !== undefined && onDay.length >= o.capacity) return null;
    const held = new Set(onDay.map((b) => b.time));
    return (
      slotTimesOn(o.hours, date, o.slotMinutes).find(
        (time) => !held.has(time) && appointmentSlotProblem({ date, time }, o.hours, o.calendar) === null && !(o.taken?.({ date, time }) ?? false),
      ) ?? null
    );
  };
  let first: AppointmentProposal | null = null;
  for (let d = 0; d <= (o.horizonDays ?? PROPOSAL_HORIZON_DAYS) && !first; d += 1) {
    const date = addDays(o.earliest, d);
    const time = freeOn(date);
    if (time) first = { date, time, chosenByPerson: false };
  }
  if (o.personAsked === undefined || (first && o.personAsked === first.date)) return first ? { ok: true, ...first } : { ok: false, why: 'NO_SLOT' };
  const asked = o.personAsked;
  if (asked < (first?.date ?? o.earliest)) return { ok: false, why: 'TOO_EARLY', earliest: first?.date ?? o.earliest };
  const closed = closedDayOn(asked, o.calendar);
  if (closed || isWeekend(asked) || !hoursOn(o.hours, asked)) return { ok: false, why: 'CLOSED_DAY', closedDay: closed };
  const time = freeOn(asked);
  return time ? { ok: true, date: asked, time, chosenByPerson: true } : { ok: false, why: 'DAY_FULL' };
}
