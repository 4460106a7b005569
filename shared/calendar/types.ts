import { z } from 'zod';
import { CalendarDateSchema, type CalendarDate } from '../dates';

/**
 * A day the branch is closed although it is a weekday: a national holiday (hari libur nasional),
 * a joint leave day (cuti bersama), both set each year by the SKB 3 Menteri, or a local closure
 * the head adds in Settings.
 */
export const CLOSED_DAY_KINDS = ['holiday', 'jointLeave', 'local'] as const;
export const ClosedDayKind = z.enum(CLOSED_DAY_KINDS);
export type ClosedDayKind = z.infer<typeof ClosedDayKind>;

export const ClosedDay = z.object({
  date: CalendarDateSchema,
  kind: ClosedDayKind,
  /** What the day is, in Indonesian (as the decree names it, or the head's note). */
  name: z.string().trim().min(1).max(120),
  /** A date not yet fixed by the decree (or estimated): to be checked against it when published. */
  provisional: z.boolean().optional(),
});
export type ClosedDay = z.infer<typeof ClosedDay>;

/** A local closure as the head enters it in Settings (stored in settings, audited). */
export const LocalClosure = z.object({ date: CalendarDateSchema, note: z.string().trim().min(1).max(120) });
export type LocalClosure = z.infer<typeof LocalClosure>;

/** One year's decree: where the list comes from, and the days it closes. */
export interface HolidayDecree {
  year: number;
  /** The decree (number, date, title) or, before it exists, why the list is provisional; shown to the head. */
  source: string;
  /**
   * Whether the dates were checked against the published decree: `verified`; `unverified` (written
   * without the decree at hand, to be checked); `provisional` (the decree is not out yet, estimates).
   */
  status: 'verified' | 'unverified' | 'provisional';
  days: readonly ClosedDay[];
}

/** The closed days a branch observes: the national list plus its local closures. */
export interface BranchCalendar {
  closedDays: readonly ClosedDay[];
}

export type { CalendarDate };
