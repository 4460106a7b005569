import { WEEKDAYS, type ServiceHours } from '../branch/schema';
import { addDays, localDateOf, localTimeOf, weekdayOf, type BranchZone, type CalendarDate } from '../dates';
import { closedDayOn } from '../calendar/open-days';
import type { BranchCalendar } from '../calendar/types';

export function hoursOn(hours: ServiceHours, date: CalendarDate): { open: string; close: string } | null {
  return hours[WEEKDAYS[weekdayOf(date)] ?? 'sun'];
}

/** Open at this instant per the branch's published hours, on the branch's clock (close time exclusive). */
export function isWithinServiceHours(hours: ServiceHours, at: string, zone?: BranchZone | null): boolean {
  const day = hoursOn(hours, localDateOf(at, zone));
  const t = localTimeOf(at, zone);
  return day !== null && t >= day.open && t < day.close;
}

const minutesOf = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/**
 * A slot on `date` at `time` is one the branch serves in: it starts from the opening minute and
 * before the closing minute and, given its length (`slotMinutes`, the service's handling time),
 * ends by closing time (a slot that would run past closing is no slot; issue 16).
 */
export function isSlotInServiceHours(hours: ServiceHours, date: CalendarDate, time: string, slotMinutes = 0): boolean {
  const day = hoursOn(hours, date);
  return day !== null && time >= day.open && time < day.close && minutesOf(time) + slotMinutes <= minutesOf(day.close);
}

/**
 * The next moment the branch opens after `at` (or null when it never opens), on the branch's clock;
 * with a calendar, its closed days (holidays, joint leave, local closures) are skipped.
 */
export function nextOpening(
  hours: ServiceHours,
  at: string,
  zone?: BranchZone | null,
  calendar?: BranchCalendar,
): { date: CalendarDate; time: string } | null {
  const today = localDateOf(at, zone);
  const now = localTimeOf(at, zone);
  // A week, plus the longest run of closed days (Idul Fitri: about a week) when a calendar is given.
  const days = calendar ? 31 : 8;
  for (let i = 0; i < days; i += 1) {
    const date = addDays(today, i);
    const day = hoursOn(hours, date);
    if (day && (i > 0 || now < day.open) && !(calendar && closedDayOn(date, calendar))) return { date, time: day.open };
  }
  return null;
}
