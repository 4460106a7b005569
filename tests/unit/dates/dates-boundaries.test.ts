// The branch calendar of shared/dates.ts pinned at every boundary (issue 16, mutation testing):
// zones and their offsets, what a calendar date is, month lengths and leap years, the branch's
// date and time of an instant, and date arithmetic. DOMAIN.md "Time and calendar".
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addWorkingDays,
  addYears,
  anniversaryReached,
  BRANCH_UTC_OFFSET_MINUTES,
  BRANCH_ZONES,
  branchInstant,
  BranchZone,
  CalendarDateSchema,
  DEFAULT_BRANCH_ZONE,
  daysInMonth,
  isCalendarDate,
  isLeapYear,
  isoOffsetOf,
  isValidYmd,
  localDateOf,
  localTimeOf,
  offsetOfZone,
  parts,
  Timestamp,
  toCalendarDate,
  weekdayOf,
  ZONE_IANA,
  ZONE_UTC_OFFSET_MINUTES,
} from '@shared/dates';

describe('Indonesia\'s three zones, no daylight saving', () => {
  it('WIB is UTC+7, WITA UTC+8, WIT UTC+9; absent means WIB', () => {
    expect(BRANCH_ZONES).toEqual(['WIB', 'WITA', 'WIT']);
    expect(BranchZone.safeParse('WITA').success).toBe(true);
    expect(BranchZone.safeParse('UTC').success).toBe(false);
    expect(DEFAULT_BRANCH_ZONE).toBe('WIB');
    expect(ZONE_UTC_OFFSET_MINUTES).toEqual({ WIB: 420, WITA: 480, WIT: 540 });
    expect(BRANCH_UTC_OFFSET_MINUTES).toBe(420);
    expect(ZONE_IANA).toEqual({ WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' });
    expect(offsetOfZone()).toBe(420);
    expect(offsetOfZone(null)).toBe(420);
    expect(offsetOfZone('WIT')).toBe(540);
  });

  it('each zone has its ISO suffix', () => {
    expect(isoOffsetOf()).toBe('+07:00');
    expect(isoOffsetOf('WITA')).toBe('+08:00');
    expect(isoOffsetOf('WIT')).toBe('+09:00');
  });

  it('a branch wall-clock time is the instant with the zone\'s offset', () => {
    expect(branchInstant('2026-03-02', '08:00')).toBe('2026-03-02T08:00:00+07:00');
    expect(branchInstant('2026-03-02', '15:30', 'WIT')).toBe('2026-03-02T15:30:00+09:00');
  });
});

describe('what a calendar date is', () => {
  it.each([
    { y: 2024, leap: true },
    { y: 2026, leap: false },
    { y: 2000, leap: true },
    { y: 2100, leap: false },
    { y: 1900, leap: false },
    { y: 2028, leap: true },
  ])('$y is a leap year: $leap', ({ y, leap }) => {
    expect(isLeapYear(y)).toBe(leap);
    expect(daysInMonth(y, 2)).toBe(leap ? 29 : 28);
  });

  it('every month has its length; there is no month 0 or 13', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2026, 0)).toBe(0);
    expect(daysInMonth(2026, 13)).toBe(0);
  });

  it.each([
    { y: 2026, m: 1, d: 1, ok: true },
    { y: 2026, m: 12, d: 31, ok: true },
    { y: 2026, m: 0, d: 1, ok: false },
    { y: 2026, m: 13, d: 1, ok: false },
    { y: 2026, m: 1, d: 0, ok: false },
    { y: 2026, m: 4, d: 30, ok: true },
    { y: 2026, m: 4, d: 31, ok: false },
    { y: 2024, m: 2, d: 29, ok: true },
    { y: 2026, m: 2, d: 29, ok: false },
    { y: 2026.5, m: 1, d: 1, ok: false },
    { y: Number.NaN, m: 1, d: 1, ok: false },
  ])('$y-$m-$d is a valid date: $ok', ({ y, m, d, ok }) => {
    expect(isValidYmd(y, m, d)).toBe(ok);
  });

  it('dates are written YYYY-MM-DD with leading zeros and read back into numbers', () => {
    expect(toCalendarDate(2026, 3, 2)).toBe('2026-03-02');
    expect(toCalendarDate(5, 3, 2)).toBe('0005-03-02');
    expect(toCalendarDate(2026, 12, 31)).toBe('2026-12-31');
    expect(parts('2026-03-02')).toStrictEqual({ y: 2026, m: 3, d: 2 });
    const short = parts('2026');
    expect(short.y).toBe(2026);
    expect(Number.isNaN(short.m) && Number.isNaN(short.d)).toBe(true);
  });

  it.each([
    { s: '2026-03-02', ok: true },
    { s: '2024-02-29', ok: true },
    { s: '2026-02-29', ok: false },
    { s: '2026-13-01', ok: false },
    { s: '2026-3-2', ok: false },
    { s: '26-03-02', ok: false },
    { s: '20260-03-02', ok: false },
    { s: 'x2026-03-02', ok: false },
    { s: '2026-03-02x', ok: false },
    { s: '2026-03-021', ok: false },
    { s: '2026/03/02', ok: false },
    { s: '2026-0a-02', ok: false },
    { s: '', ok: false },
  ])('"$s" is a calendar date: $ok', ({ s, ok }) => {
    expect(isCalendarDate(s)).toBe(ok);
    expect(CalendarDateSchema.safeParse(s).success).toBe(ok);
  });

  it('a wrongly written date and an impossible one get different messages', () => {
    const messages = (s: string) => (CalendarDateSchema.safeParse(s).error?.issues ?? []).map((i) => i.message);
    expect(messages('2026-3-2')[0]).toBe('Tanggal: YYYY-MM-DD');
    expect(messages('x2026-03-02')[0]).toBe('Tanggal: YYYY-MM-DD');
    expect(messages('2026-03-02x')[0]).toBe('Tanggal: YYYY-MM-DD');
    expect(messages('2026-0a-02')[0]).toBe('Tanggal: YYYY-MM-DD');
    expect(messages('2026-02-30')).toEqual(['Tanggal tidak valid']);
    expect(messages('2026-02-28')).toEqual([]);
  });

  it('event timestamps carry an explicit offset', () => {
    expect(Timestamp.safeParse('2026-03-02T08:00:00+07:00').success).toBe(true);
    expect(Timestamp.safeParse('2026-03-02T01:00:00Z').success).toBe(true);
    expect(Timestamp.safeParse('2026-03-02T08:00:00').success).toBe(false);
  });
});

describe('the branch\'s date and time of an instant', () => {
  it.each([
    { at: '2026-03-01T16:59:59Z', zone: undefined, date: '2026-03-01', time: '23:59' },
    { at: '2026-03-01T17:00:00Z', zone: undefined, date: '2026-03-02', time: '00:00' },
    { at: '2026-03-01T15:59:00Z', zone: 'WITA' as const, date: '2026-03-01', time: '23:59' },
    { at: '2026-03-01T16:00:00Z', zone: 'WITA' as const, date: '2026-03-02', time: '00:00' },
    { at: '2026-03-01T14:59:00Z', zone: 'WIT' as const, date: '2026-03-01', time: '23:59' },
    { at: '2026-03-01T15:00:00Z', zone: 'WIT' as const, date: '2026-03-02', time: '00:00' },
    { at: '2026-03-02T08:00:00+07:00', zone: 'WIT' as const, date: '2026-03-02', time: '10:00' },
  ])('$at is $date $time in $zone', ({ at, zone, date, time }) => {
    expect(localDateOf(at, zone)).toBe(date);
    expect(localTimeOf(at, zone)).toBe(time);
  });

  it('something that is not a timestamp is refused by name', () => {
    expect(() => localDateOf('nope')).toThrow(new RangeError('not a timestamp: nope'));
    expect(() => localTimeOf('2026-13-45T99:00:00Z')).toThrow('not a timestamp: 2026-13-45T99:00:00Z');
  });
});

describe('date arithmetic', () => {
  it('weekdays from Sunday 0 to Saturday 6', () => {
    expect(['2026-03-01', '2026-03-02', '2026-03-07', '2026-12-31', '2024-02-29'].map(weekdayOf)).toEqual([0, 1, 6, 4, 4]);
  });

  it('days roll over months and years, both ways', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-02', 0)).toBe('2026-03-02');
  });

  it.each([
    { from: '2026-01-31', n: 1, to: '2026-02-28' },
    { from: '2026-03-31', n: 1, to: '2026-04-30' },
    { from: '2026-01-30', n: 1, to: '2026-02-28' },
    { from: '2026-01-15', n: 1, to: '2026-02-15' },
    { from: '2026-11-30', n: 1, to: '2026-12-30' },
    { from: '2026-12-15', n: 1, to: '2027-01-15' },
    { from: '2026-01-15', n: 11, to: '2026-12-15' },
    { from: '2026-01-15', n: 12, to: '2027-01-15' },
    { from: '2026-01-15', n: -1, to: '2025-12-15' },
    { from: '2026-03-31', n: -13, to: '2025-02-28' },
  ])('$from + $n months = $to', ({ from, n, to }) => expect(addMonths(from, n)).toBe(to));

  it('years: 29 February falls on 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('1970-03-02', 56)).toBe('2026-03-02');
  });

  it('working days skip Saturday and Sunday only; zero working days is the same day', () => {
    expect(addWorkingDays('2026-03-02', 0)).toBe('2026-03-02');
    expect(addWorkingDays('2026-03-02', 1)).toBe('2026-03-03');
    expect(addWorkingDays('2026-03-05', 1)).toBe('2026-03-06');
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-07', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-06', 5)).toBe('2026-03-13');
    // Weekends only: a national holiday (Nyepi, 19 March 2026) still counts here.
    expect(addWorkingDays('2026-03-18', 1)).toBe('2026-03-19');
  });

  it('an anniversary is reached on the day itself, not the day before', () => {
    expect(anniversaryReached('2000-06-15', 26, '2026-06-14')).toBe(false);
    expect(anniversaryReached('2000-06-15', 26, '2026-06-15')).toBe(true);
    expect(anniversaryReached('2000-06-15', 26, '2026-06-16')).toBe(true);
  });
});
