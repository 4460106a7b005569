import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addWorkingDays, anniversaryReached, localDateOf, localTimeOf, weekdayOf } from '@shared/dates';

describe('branch calendar (WIB, UTC+7)', () => {
  it.each([
    { at: '2026-03-01T17:00:00Z', date: '2026-03-02', time: '00:00' },
    { at: '2026-03-01T16:59:00Z', date: '2026-03-01', time: '23:59' },
    { at: '2026-03-02T09:15:00+07:00', date: '2026-03-02', time: '09:15' },
    { at: '2026-03-02T09:15:00+08:00', date: '2026-03-02', time: '08:15' },
  ])('$at is $date $time at the branch', ({ at, date, time }) => {
    expect(localDateOf(at)).toBe(date);
    expect(localTimeOf(at)).toBe(time);
  });

  it.each([
    { from: '2026-01-31', n: 1, to: '2026-02-28' },
    { from: '2024-01-31', n: 1, to: '2024-02-29' },
    { from: '2026-02-28', n: 1, to: '2026-03-28' },
    { from: '2025-12-15', n: 1, to: '2026-01-15' },
    { from: '2026-03-31', n: -1, to: '2026-02-28' },
  ])('$from + $n month = $to', ({ from, n, to }) => expect(addMonths(from, n)).toBe(to));

  it('29 Feb birthdays fall on 28 Feb in other years', () => {
    expect(anniversaryReached('1968-02-29', 56, '2024-02-28')).toBe(false);
    expect(anniversaryReached('1970-02-28', 56, '2026-02-28')).toBe(true);
    expect(anniversaryReached('1972-02-29', 54, '2026-02-28')).toBe(true);
    expect(anniversaryReached('1972-02-29', 54, '2026-02-27')).toBe(false);
  });

  it('working days skip weekends', () => {
    expect(weekdayOf('2026-03-02')).toBe(1);
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-02', 5)).toBe('2026-03-09');
  });

  it('addDays and addMonths keep valid calendar dates (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40000 }), fc.integer({ min: -24, max: 24 }), (d, m) => {
        const date = addDays('1950-01-01', d);
        const moved = addMonths(date, m);
        expect(moved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isNaN(Date.parse(moved))).toBe(false);
        expect(addDays(addDays(date, 17), -17)).toBe(date);
        if (m > 0) expect(moved > date).toBe(true);
      }),
    );
  });
});
