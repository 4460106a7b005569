import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import {
  addWorkingDays,
  branchCalendar,
  closedDayOn,
  HOLIDAY_DECREES,
  isOpenDay,
  NATIONAL_CALENDAR,
  nextOpenDay,
  proposeAppointmentSlot,
  appointmentSlotProblem,
} from '@shared/calendar';
import { isCalendarDate } from '@shared/dates';

describe('closed days: national holidays, joint leave, weekends, local closures', () => {
  it('a national holiday is closed (17 Aug 2026, Monday)', () => {
    expect(isOpenDay('2026-08-17', NATIONAL_CALENDAR)).toBe(false);
    expect(closedDayOn('2026-08-17', NATIONAL_CALENDAR)?.kind).toBe('holiday');
    expect(isOpenDay('2026-08-18', NATIONAL_CALENDAR)).toBe(true);
  });

  it('a joint leave day is closed (cuti bersama Idul Fitri, Monday 23 Mar 2026)', () => {
    expect(closedDayOn('2026-03-23', NATIONAL_CALENDAR)?.kind).toBe('jointLeave');
    expect(isOpenDay('2026-03-23', NATIONAL_CALENDAR)).toBe(false);
  });

  it('weekends are closed', () => {
    expect(isOpenDay('2026-12-05', NATIONAL_CALENDAR)).toBe(false); // Saturday
    expect(isOpenDay('2026-12-06', NATIONAL_CALENDAR)).toBe(false); // Sunday
    expect(isOpenDay('2026-12-07', NATIONAL_CALENDAR)).toBe(true);
  });

  it("a local closure added by the head closes that day for this branch only", () => {
    const cal = branchCalendar([{ date: '2026-12-07', note: 'Renovasi kantor' }]);
    expect(isOpenDay('2026-12-07', cal)).toBe(false);
    expect(closedDayOn('2026-12-07', cal)).toEqual({ date: '2026-12-07', kind: 'local', name: 'Renovasi kantor' });
    expect(isOpenDay('2026-12-07', NATIONAL_CALENDAR)).toBe(true);
  });

  it('nextOpenDay skips the Idul Fitri run of holidays and joint leave (18–24 Mar 2026)', () => {
    expect(nextOpenDay('2026-03-18', NATIONAL_CALENDAR)).toBe('2026-03-25');
    expect(nextOpenDay('2026-03-25', NATIONAL_CALENDAR)).toBe('2026-03-25');
  });

  it('addWorkingDays skips weekends and closed days', () => {
    // Fri 13 Mar + 5 working days: 16, 17 (open), 18–24 closed, 25, 26, 27.
    expect(addWorkingDays('2026-03-13', 5, NATIONAL_CALENDAR)).toBe('2026-03-27');
    expect(addWorkingDays('2026-12-04', 1, NATIONAL_CALENDAR)).toBe('2026-12-07');
    expect(addWorkingDays('2026-12-23', 1, NATIONAL_CALENDAR)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-23', 0, NATIONAL_CALENDAR)).toBe('2026-12-23');
  });

  it('each shipped year names its source and lists valid dates of that year, each once', () => {
    for (const decree of HOLIDAY_DECREES) {
      expect(decree.source).toMatch(/SKB/);
      const dates = decree.days.map((d) => d.date);
      expect(new Set(dates).size).toBe(dates.length);
      for (const d of dates) expect(isCalendarDate(d) && d.startsWith(String(decree.year))).toBe(true);
    }
  });
});

describe('proposeAppointmentSlot: the earliest free slot on an open day', () => {
  const base = { hours: DEFAULT_SERVICE_HOURS, calendar: NATIONAL_CALENDAR, slotMinutes: 30 };

  it('from a Saturday, proposes Monday at opening (never Saturday or Sunday)', () => {
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-05' })).toEqual({ ok: true, date: '2026-12-07', time: '08:00', chosenByPerson: false });
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-06' })).toMatchObject({ date: '2026-12-07' });
  });

  it('skips a holiday and joint leave: from Thu 24 Dec 2026 to Mon 28 Dec', () => {
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-24' })).toMatchObject({ ok: true, date: '2026-12-28', time: '08:00' });
  });

  it('skips a local closure and a full day, and a held slot', () => {
    const calendar = branchCalendar(['2026-12-07']);
    const booked = [{ date: '2026-12-08', time: '08:00' }];
    expect(proposeAppointmentSlot({ ...base, calendar, earliest: '2026-12-07', booked })).toMatchObject({ date: '2026-12-08', time: '08:30' });
    expect(proposeAppointmentSlot({ ...base, calendar, earliest: '2026-12-07', booked, capacity: 1 })).toMatchObject({ date: '2026-12-09', time: '08:00' });
  });

  it("a later date is given only when the person asks, and is recorded as their choice", () => {
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-07', personAsked: '2026-12-10' })).toEqual({ ok: true, date: '2026-12-10', time: '08:00', chosenByPerson: true });
    // Asking for the earliest day itself is no choice of a later date.
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-07', personAsked: '2026-12-07' })).toMatchObject({ chosenByPerson: false });
  });

  it('a date the person asks for on a closed day or before the earliest is refused with its reason', () => {
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-07', personAsked: '2026-12-25' })).toMatchObject({ ok: false, why: 'CLOSED_DAY', closedDay: { kind: 'holiday' } });
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-07', personAsked: '2026-12-12' })).toMatchObject({ ok: false, why: 'CLOSED_DAY', closedDay: null });
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-08', personAsked: '2026-12-07' })).toEqual({ ok: false, why: 'TOO_EARLY', earliest: '2026-12-08' });
    expect(proposeAppointmentSlot({ ...base, earliest: '2026-12-07', personAsked: '2026-12-10', capacity: 1, booked: [{ date: '2026-12-10', time: '09:00' }] })).toEqual({ ok: false, why: 'DAY_FULL' });
  });

  it('a branch that never opens gets no slot, not a closed one', () => {
    const closed = { sun: null, mon: null, tue: null, wed: null, thu: null, fri: null, sat: null };
    expect(proposeAppointmentSlot({ ...base, hours: closed, earliest: '2026-12-07', horizonDays: 10 })).toEqual({ ok: false, why: 'NO_SLOT' });
  });

  it('appointmentSlotProblem: a closed day or a time outside hours', () => {
    expect(appointmentSlotProblem({ date: '2026-12-25', time: '09:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toMatchObject({ why: 'CLOSED_DAY' });
    expect(appointmentSlotProblem({ date: '2026-12-06', time: '09:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toMatchObject({ why: 'CLOSED_DAY' });
    expect(appointmentSlotProblem({ date: '2026-12-07', time: '15:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toEqual({ why: 'OUTSIDE_HOURS' });
    expect(appointmentSlotProblem({ date: '2026-12-07', time: '08:00' }, DEFAULT_SERVICE_HOURS, NATIONAL_CALENDAR)).toBeNull();
  });
});
