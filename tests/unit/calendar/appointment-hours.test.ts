// Issue 16: an appointment slot lies within the branch's published hours of that day, on an open
// day, and — when the slot's length is known — ends by closing time. The one rule the door, the
// refusal slips, the head's follow-ups and HQ's replay apply (shared/calendar/appointments.ts on
// shared/policy/hours.ts). Every boundary pinned: the opening minute is in, the minute before is
// not; the last minute before closing is in, the closing minute is not; a slot ending exactly at
// closing is in, one minute later is not.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS, type ServiceHours } from '@shared/branch/schema';
import { appointmentSlotProblem, branchCalendar, NATIONAL_CALENDAR } from '@shared/calendar';
import { isSlotInServiceHours } from '@shared/policy/hours';

const MON = '2026-03-02'; // Monday; default hours 08:00–15:00
const closedAll: ServiceHours = { sun: null, mon: null, tue: null, wed: null, thu: null, fri: null, sat: null };
/** Open Monday to Friday 08:00–15:00, closed on Wednesdays (a weekday without hours). */
const noWednesday: ServiceHours = { ...DEFAULT_SERVICE_HOURS, wed: null };

describe('isSlotInServiceHours: start within the hours, and with a length, ending by closing', () => {
  it.each([
    { time: '07:00', len: 0, ok: false },
    { time: '07:59', len: 0, ok: false },
    { time: '08:00', len: 0, ok: true },
    { time: '14:59', len: 0, ok: true },
    { time: '15:00', len: 0, ok: false },
    { time: '16:30', len: 0, ok: false },
    { time: '08:00', len: 30, ok: true },
    { time: '14:30', len: 30, ok: true }, // ends exactly at closing
    { time: '14:31', len: 30, ok: false }, // would run a minute past closing
    { time: '14:59', len: 1, ok: true },
    { time: '14:59', len: 2, ok: false },
    { time: '07:59', len: 30, ok: false },
    { time: '15:00', len: 30, ok: false },
    { time: '08:00', len: 420, ok: true }, // the whole day
    { time: '08:00', len: 421, ok: false },
  ])('Monday 08:00–15:00, $time for $len min: $ok', ({ time, len, ok }) => {
    expect(isSlotInServiceHours(DEFAULT_SERVICE_HOURS, MON, time, len)).toBe(ok);
  });

  it('without a length, the start alone is judged (as before)', () => {
    expect(isSlotInServiceHours(DEFAULT_SERVICE_HOURS, MON, '14:59')).toBe(true);
    expect(isSlotInServiceHours(DEFAULT_SERVICE_HOURS, MON, '15:00')).toBe(false);
  });

  it('the minutes are read from the hour and the minute: 09:45 for 75 min ends at 11:00', () => {
    const short: ServiceHours = { ...closedAll, mon: { open: '09:00', close: '11:00' } };
    expect(isSlotInServiceHours(short, MON, '09:45', 75)).toBe(true);
    expect(isSlotInServiceHours(short, MON, '09:46', 75)).toBe(false);
    expect(isSlotInServiceHours(short, MON, '10:59', 1)).toBe(true);
    expect(isSlotInServiceHours(short, MON, '10:00', 61)).toBe(false);
  });

  it('a day without hours has no slot', () => {
    expect(isSlotInServiceHours(closedAll, MON, '09:00', 0)).toBe(false);
    expect(isSlotInServiceHours(noWednesday, '2026-03-04', '09:00', 10)).toBe(false);
  });
});

describe('appointmentSlotProblem: closed day first, then the hours and the length', () => {
  it.each([
    { time: '07:59', len: 0, problem: { why: 'OUTSIDE_HOURS' } },
    { time: '08:00', len: 0, problem: null },
    { time: '14:59', len: 0, problem: null },
    { time: '15:00', len: 0, problem: { why: 'OUTSIDE_HOURS' } },
    { time: '16:30', len: 0, problem: { why: 'OUTSIDE_HOURS' } },
    { time: '14:40', len: 20, problem: null },
    { time: '14:41', len: 20, problem: { why: 'OUTSIDE_HOURS' } },
  ])('Monday $time for $len min: $problem', ({ time, len, problem }) => {
    expect(appointmentSlotProblem({ date: MON, time }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR, len)).toEqual(problem);
  });

  it('without a length, a slot starting the minute before closing is taken', () => {
    expect(appointmentSlotProblem({ date: MON, time: '14:59' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toBeNull();
  });

  it('a weekend, a holiday, joint leave and a local closure are closed days, at any hour', () => {
    expect(appointmentSlotProblem({ date: '2026-03-07', time: '09:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toEqual({ why: 'CLOSED_DAY', closedDay: null });
    expect(appointmentSlotProblem({ date: '2026-03-08', time: '09:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toEqual({ why: 'CLOSED_DAY', closedDay: null });
    expect(appointmentSlotProblem({ date: '2026-03-19', time: '09:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toMatchObject({ why: 'CLOSED_DAY', closedDay: { kind: 'holiday' } });
    expect(appointmentSlotProblem({ date: '2026-03-24', time: '16:30' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toMatchObject({ why: 'CLOSED_DAY', closedDay: { kind: 'jointLeave' } });
    expect(appointmentSlotProblem({ date: '2026-03-04', time: '09:00' }, DEFAULT_SERVICE_HOURS, branchCalendar(['2026-03-04']), 20)).toMatchObject({ why: 'CLOSED_DAY', closedDay: { kind: 'local' } });
    // The same days are open without the closure / on the next weekday.
    expect(appointmentSlotProblem({ date: '2026-03-04', time: '09:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR, 20)).toBeNull();
    expect(appointmentSlotProblem({ date: '2026-03-09', time: '09:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toBeNull();
  });

  it('a weekday the branch publishes no hours for has no slot (outside hours)', () => {
    expect(appointmentSlotProblem({ date: '2026-03-04', time: '09:00' }, noWednesday, NATIONAL_CALENDAR)).toEqual({ why: 'OUTSIDE_HOURS' });
  });
});
