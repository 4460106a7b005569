// Service hours (shared/policy/hours.ts) at every boundary: open from the opening minute, closed
// from the closing minute, judged on the branch's clock, and the next opening that skips closed
// days. DOMAIN.md "Refusals" (outside service hours) and "Time and calendar".
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS, type ServiceHours } from '@shared/branch/schema';
import { branchCalendar, NATIONAL_CALENDAR } from '@shared/calendar/open-days';
import { addDays } from '@shared/dates';
import { hoursOn, isSlotInServiceHours, isWithinServiceHours, nextOpening } from '@shared/policy/hours';

const NINE_TO_FIVE = { open: '09:00', close: '17:00' };
const closed: ServiceHours = { sun: null, mon: null, tue: null, wed: null, thu: null, fri: null, sat: null };
/** A branch open on one weekday only. */
const onlyOn = (day: keyof ServiceHours, hours = NINE_TO_FIVE): ServiceHours => ({ ...closed, [day]: hours });

describe('the hours of a day', () => {
  it('reads each weekday of the branch calendar, Sunday to Saturday', () => {
    const everyDay: ServiceHours = {
      sun: { open: '07:00', close: '08:00' },
      mon: { open: '08:01', close: '09:00' },
      tue: { open: '08:02', close: '09:00' },
      wed: { open: '08:03', close: '09:00' },
      thu: { open: '08:04', close: '09:00' },
      fri: { open: '08:05', close: '09:00' },
      sat: { open: '08:06', close: '09:00' },
    };
    // 1 March 2026 is a Sunday.
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => hoursOn(everyDay, addDays('2026-03-01', i))?.open)).toEqual(['07:00', '08:01', '08:02', '08:03', '08:04', '08:05', '08:06']);
    expect(hoursOn(DEFAULT_SERVICE_HOURS, '2026-03-07')).toBeNull();
  });
});

describe('open at an instant: from the opening minute, up to but not at the closing minute', () => {
  it.each([
    { at: '2026-03-02T08:59:59+07:00', open: false },
    { at: '2026-03-02T09:00:00+07:00', open: true },
    { at: '2026-03-02T16:59:59+07:00', open: true },
    { at: '2026-03-02T17:00:00+07:00', open: false },
    { at: '2026-03-03T10:00:00+07:00', open: false },
  ])('Monday-only 09:00–17:00 branch at $at: open $open', ({ at, open }) => {
    expect(isWithinServiceHours(onlyOn('mon'), at)).toBe(open);
  });

  it('is judged on the branch\'s clock: 08:00 WIB is 10:00 at a WIT branch', () => {
    expect(isWithinServiceHours(onlyOn('mon'), '2026-03-02T08:00:00+07:00')).toBe(false);
    expect(isWithinServiceHours(onlyOn('mon'), '2026-03-02T08:00:00+07:00', 'WIT')).toBe(true);
    expect(isWithinServiceHours(onlyOn('mon'), '2026-03-02T16:00:00+07:00', 'WIT')).toBe(false);
    // 23:30 WIB on Sunday is already Monday 01:30 in WIT: closed at that hour, but it is Monday.
    expect(isWithinServiceHours(onlyOn('mon', { open: '00:00', close: '02:00' }), '2026-03-01T23:30:00+07:00', 'WIT')).toBe(true);
    expect(isWithinServiceHours(onlyOn('mon', { open: '00:00', close: '02:00' }), '2026-03-01T23:30:00+07:00')).toBe(false);
  });

  it('a closed day is closed at every hour', () => {
    expect(isWithinServiceHours(closed, '2026-03-02T10:00:00+07:00')).toBe(false);
  });
});

describe('an appointment slot lies within the day\'s hours', () => {
  it.each([
    { date: '2026-03-02', time: '08:59', ok: false },
    { date: '2026-03-02', time: '09:00', ok: true },
    { date: '2026-03-02', time: '16:59', ok: true },
    { date: '2026-03-02', time: '17:00', ok: false },
    { date: '2026-03-03', time: '10:00', ok: false },
  ])('$date $time: $ok', ({ date, time, ok }) => {
    expect(isSlotInServiceHours(onlyOn('mon'), date, time)).toBe(ok);
  });
});

describe('the next opening', () => {
  it('is today\'s opening before it; from the opening minute on, the next open day\'s', () => {
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-02T07:59:00+07:00')).toEqual({ date: '2026-03-02', time: '08:00' });
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-02T08:00:00+07:00')).toEqual({ date: '2026-03-03', time: '08:00' });
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-02T16:00:00+07:00')).toEqual({ date: '2026-03-03', time: '08:00' });
  });

  it('a branch open one day a week opens again a week later', () => {
    expect(nextOpening(onlyOn('mon'), '2026-03-02T10:00:00+07:00')).toEqual({ date: '2026-03-09', time: '09:00' });
    expect(nextOpening(onlyOn('sun'), '2026-03-01T10:00:00+07:00')).toEqual({ date: '2026-03-08', time: '09:00' });
  });

  it('is on the branch\'s clock', () => {
    // Monday 07:30 WIB is 09:30 WIT: past the opening there.
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-02T07:30:00+07:00')).toEqual({ date: '2026-03-02', time: '08:00' });
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-02T07:30:00+07:00', 'WIT')).toEqual({ date: '2026-03-03', time: '08:00' });
  });

  it('a branch that never opens has no next opening', () => {
    expect(nextOpening(closed, '2026-03-02T10:00:00+07:00')).toBeNull();
    expect(nextOpening(closed, '2026-03-02T10:00:00+07:00', undefined, NATIONAL_CALENDAR)).toBeNull();
  });

  it('with a calendar, skips the closed days (Nyepi and Idul Fitri 2026: 18–24 March)', () => {
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-17T16:00:00+07:00')).toEqual({ date: '2026-03-18', time: '08:00' });
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-17T16:00:00+07:00', undefined, NATIONAL_CALENDAR)).toEqual({ date: '2026-03-25', time: '08:00' });
    // Before opening on a closed day: not that day either.
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-18T07:00:00+07:00', undefined, NATIONAL_CALENDAR)).toEqual({ date: '2026-03-25', time: '08:00' });
  });

  it('with a calendar, looks past more than a week of closures (a branch open on Mondays, three Mondays closed)', () => {
    // 9 and 16 March closed locally, 23 March is joint leave for Idul Fitri.
    const calendar = branchCalendar(['2026-03-09', '2026-03-16']);
    expect(nextOpening(onlyOn('mon'), '2026-03-02T10:00:00+07:00', undefined, calendar)).toEqual({ date: '2026-03-30', time: '09:00' });
  });

  it('with a calendar, looks 31 days ahead and no further', () => {
    // Open every day; closed for the next 30 days: day 30 from today is the last one searched.
    const from = '2026-07-01';
    const closures = (n: number) => branchCalendar(Array.from({ length: n }, (_, i) => addDays(from, i + 1)));
    const everyDay: ServiceHours = { sun: NINE_TO_FIVE, mon: NINE_TO_FIVE, tue: NINE_TO_FIVE, wed: NINE_TO_FIVE, thu: NINE_TO_FIVE, fri: NINE_TO_FIVE, sat: NINE_TO_FIVE };
    expect(nextOpening(everyDay, `${from}T10:00:00+07:00`, undefined, closures(29))).toEqual({ date: addDays(from, 30), time: '09:00' });
    expect(nextOpening(everyDay, `${from}T10:00:00+07:00`, undefined, closures(30))).toBeNull();
  });
});
