import { addDays, weekdayOf, type CalendarDate } from '../dates';
import { HOLIDAYS_2026 } from './holidays-2026';
import { HOLIDAYS_2027 } from './holidays-2027';
import type { BranchCalendar, ClosedDay, HolidayDecree, LocalClosure } from './types';

/** Every year's list shipped with the app, with its source. */
export const HOLIDAY_DECREES: readonly HolidayDecree[] = [HOLIDAYS_2026, HOLIDAYS_2027];

/** The national closed days (holidays and joint leave) of every shipped year. */
export const NATIONAL_CLOSED_DAYS: readonly ClosedDay[] = HOLIDAY_DECREES.flatMap((d) => d.days);

/** The national calendar only (what HQ knows of every branch without its local closures). */
export const NATIONAL_CALENDAR: BranchCalendar = { closedDays: NATIONAL_CLOSED_DAYS };

/** A branch's calendar: the national closed days plus the head's local closures. */
export function branchCalendar(localClosures: readonly (LocalClosure | CalendarDate)[] = []): BranchCalendar {
  const local = localClosures.map((c): ClosedDay => (typeof c === 'string' ? { date: c, kind: 'local', name: 'Tutup (cabang)' } : { date: c.date, kind: 'local', name: c.note }));
  return { closedDays: [...NATIONAL_CLOSED_DAYS, ...local] };
}

/** Why `date` is closed (the first matching closed day), or null when it is not a closed day. */
export function closedDayOn(date: CalendarDate, calendar: BranchCalendar): ClosedDay | null {
  return calendar.closedDays.find((d) => d.date === date) ?? null;
}

export function isWeekend(date: CalendarDate): boolean {
  const wd = weekdayOf(date);
  return wd === 0 || wd === 6;
}

/** A working day: Monday to Friday and not a holiday, joint leave day or local closure. */
export function isOpenDay(date: CalendarDate, calendar: BranchCalendar): boolean {
  return !isWeekend(date) && closedDayOn(date, calendar) === null;
}

/** How far the search for an open day goes (a year covers any run of closed days). */
const OPEN_DAY_SEARCH_LIMIT = 366;

/** The first open day on or after `date`. */
export function nextOpenDay(date: CalendarDate, calendar: BranchCalendar): CalendarDate {
  let d = date;
  for (let i = 0; i < OPEN_DAY_SEARCH_LIMIT; i += 1) {
    if (isOpenDay(d, calendar)) return d;
    d = addDays(d, 1);
  }
  throw new RangeError(`no open day within ${OPEN_DAY_SEARCH_LIMIT} days of ${date}`);
}

/** n working days after `date`: weekends and closed days are skipped (n = 0 gives `date`). */
export function addWorkingDays(date: CalendarDate, n: number, calendar: BranchCalendar): CalendarDate {
  let out = date;
  for (let left = n; left > 0; ) {
    out = addDays(out, 1);
    if (isOpenDay(out, calendar)) left -= 1;
  }
  return out;
}
