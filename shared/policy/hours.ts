import { WEEKDAYS, type ServiceHours } from '../branch/schema';
import { addDays, localDateOf, localTimeOf, weekdayOf, type CalendarDate } from '../dates';

export function hoursOn(hours: ServiceHours, date: CalendarDate): { open: string; close: string } | null {
  return hours[WEEKDAYS[weekdayOf(date)] ?? 'sun'];
}

/** Open at this instant per the branch's published hours (close time exclusive). */
export function isWithinServiceHours(hours: ServiceHours, at: string): boolean {
  const day = hoursOn(hours, localDateOf(at));
  const t = localTimeOf(at);
  return day !== null && t >= day.open && t < day.close;
}

/** A slot on `date` at `time` is one the branch serves in. */
export function isSlotInServiceHours(hours: ServiceHours, date: CalendarDate, time: string): boolean {
  const day = hoursOn(hours, date);
  return day !== null && time >= day.open && time < day.close;
}

/** The next moment the branch opens after `at` (or null when it never opens). */
export function nextOpening(hours: ServiceHours, at: string): { date: CalendarDate; time: string } | null {
  const today = localDateOf(at);
  const now = localTimeOf(at);
  for (let i = 0; i < 8; i += 1) {
    const date = addDays(today, i);
    const day = hoursOn(hours, date);
    if (day && (i > 0 || now < day.open)) return { date, time: day.open };
  }
  return null;
}
