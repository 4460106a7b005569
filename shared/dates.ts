import { z } from 'zod';

/**
 * Calendar dates and times as the branch sees them.
 *
 * Indonesia has three zones, none with daylight saving (DOMAIN "Time and calendar"): WIB (UTC+7),
 * WITA (UTC+8), WIT (UTC+9). A branch's zone is in its profile (absent = WIB, so profiles and
 * journals from before zones replay as they did). Eligibility ("today"), stop dates and service
 * hours are derived from an event's `at` with the branch's fixed offset, so the same journal gives
 * the same answer on any device, whatever the PC's own time zone, and at HQ.
 */
export const BRANCH_ZONES = ['WIB', 'WITA', 'WIT'] as const;
export const BranchZone = z.enum(BRANCH_ZONES);
export type BranchZone = z.infer<typeof BranchZone>;

export const DEFAULT_BRANCH_ZONE: BranchZone = 'WIB';

/** Minutes east of UTC per zone. */
export const ZONE_UTC_OFFSET_MINUTES: Record<BranchZone, number> = { WIB: 7 * 60, WITA: 8 * 60, WIT: 9 * 60 };

/** The IANA name of each zone, for Intl formatting (same fixed offsets, no DST). */
export const ZONE_IANA: Record<BranchZone, string> = { WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' };

/** The offset of a zone in minutes; absent = WIB. */
export function offsetOfZone(zone?: BranchZone | null): number {
  return ZONE_UTC_OFFSET_MINUTES[zone ?? DEFAULT_BRANCH_ZONE];
}

/** `+07:00` and the like: the ISO suffix of a zone. */
export function isoOffsetOf(zone?: BranchZone | null): string {
  const m = offsetOfZone(zone);
  return `+${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The WIB offset (minutes), the default when no zone is given. */
export const BRANCH_UTC_OFFSET_MINUTES = ZONE_UTC_OFFSET_MINUTES.WIB;

/** `YYYY-MM-DD`, a day on the calendar (no time zone). */
export type CalendarDate = string;

export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Tanggal: YYYY-MM-DD')
  .refine((s) => isCalendarDate(s), { message: 'Tanggal tidak valid' });

/** ISO-8601 timestamp with an explicit offset, as stamped by the device on every event. */
export const Timestamp = z.iso.datetime({ offset: true });

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

export function isValidYmd(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function toCalendarDate(y: number, m: number, d: number): CalendarDate {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

export function parts(date: CalendarDate): { y: number; m: number; d: number } {
  const [y, m, d] = date.split('-').map(Number);
  return { y: y ?? NaN, m: m ?? NaN, d: d ?? NaN };
}

export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const { y, m, d } = parts(s);
  return isValidYmd(y, m, d);
}

/** Local (branch) wall-clock of an instant. */
function local(at: string, zone?: BranchZone | null): Date {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${at}`);
  return new Date(ms + offsetOfZone(zone) * 60_000);
}

/** The branch's calendar date of an event timestamp (in the branch's zone; default WIB). */
export function localDateOf(at: string, zone?: BranchZone | null): CalendarDate {
  return local(at, zone).toISOString().slice(0, 10);
}

/** The branch's wall-clock time `HH:MM` of an event timestamp (in the branch's zone; default WIB). */
export function localTimeOf(at: string, zone?: BranchZone | null): string {
  return local(at, zone).toISOString().slice(11, 16);
}

/** The instant of a branch wall-clock `date` `HH:MM` in `zone`, as an ISO timestamp with its offset. */
export function branchInstant(date: CalendarDate, time: string, zone?: BranchZone | null): string {
  return `${date}T${time}:00${isoOffsetOf(zone)}`;
}

/** 0 = Sunday … 6 = Saturday, on the branch's calendar. */
export function weekdayOf(date: CalendarDate): number {
  const { y, m, d } = parts(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function addDays(date: CalendarDate, n: number): CalendarDate {
  const { y, m, d } = parts(date);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * Same day n months later; when that month is shorter the last day of it
 * (31 Jan + 1 month = 28/29 Feb), the usual reading of "1 bulan".
 */
export function addMonths(date: CalendarDate, n: number): CalendarDate {
  const { y, m, d } = parts(date);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return toCalendarDate(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** n years later; 29 Feb falls on 28 Feb in a non-leap year. */
export function addYears(date: CalendarDate, n: number): CalendarDate {
  return addMonths(date, n * 12);
}

/**
 * Mon–Fri working days after `date`, weekends only. With closed days (holidays, joint leave, local
 * closures) use `addWorkingDays` of shared/calendar.
 */
export function addWorkingDays(date: CalendarDate, n: number): CalendarDate {
  let out = date;
  let left = n;
  while (left > 0) {
    out = addDays(out, 1);
    const wd = weekdayOf(out);
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return out;
}

/** True when `to` is on or after the n-th anniversary of `from` (29 Feb → 28 Feb). */
export function anniversaryReached(from: CalendarDate, years: number, to: CalendarDate): boolean {
  return addYears(from, years) <= to;
}
