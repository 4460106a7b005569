import { afterEach, describe, expect, it } from 'vitest';
import type { BranchZone } from '@shared/dates';
import { formatDate, formatInstant, formatInstantClock, formatInstantDay } from '@shared/i18n/format';
import { formatDate as doorDate } from '../../../renderer/src/screens/door/format';
import { formatDate as jhtDate } from '../../../renderer/src/screens/desk/jht/format';
import { displayClock } from '../../../renderer/src/screens/display/snapshot';
import { formatHm } from '../../../renderer/src/app/time';
import { setBranchZone } from '../../../renderer/src/data/branch-zone';

// Issue 19 pt 3: one module formats dates and times (shared/i18n/format.ts), in the branch's zone
// given explicitly, in Indonesian or English. Each zone's midnight: the minute before is the old day,
// midnight itself the new one, whatever the PC's own zone.
const MIDNIGHT: Record<BranchZone, { before: string; at: string }> = {
  WIB: { before: '2026-12-20T16:59:00Z', at: '2026-12-20T17:00:00Z' },
  WITA: { before: '2026-12-20T15:59:00Z', at: '2026-12-20T16:00:00Z' },
  WIT: { before: '2026-12-20T14:59:00Z', at: '2026-12-20T15:00:00Z' },
};

describe('an instant in words, in each branch zone and language', () => {
  for (const zone of ['WIB', 'WITA', 'WIT'] as const) {
    it(`${zone}: the minute before midnight is Sunday, midnight is Monday`, () => {
      const { before, at } = MIDNIGHT[zone];
      expect(formatInstant(before, 'id', zone)).toBe('Minggu, 20 Desember 2026, 23.59');
      expect(formatInstant(at, 'id', zone)).toBe('Senin, 21 Desember 2026, 00.00');
      expect(formatInstant(before, 'en', zone)).toBe('Sunday 20 December 2026, 23:59');
      expect(formatInstant(at, 'en', zone)).toBe('Monday 21 December 2026, 00:00');
      expect(formatInstantDay(at, 'id', zone)).toBe('Senin, 21 Desember 2026');
      expect(formatInstantClock(before, 'id', zone)).toBe('23.59');
      expect(formatInstantClock(before, 'en', zone)).toBe('23:59');
    });
  }

  it('one instant is a different day in each zone', () => {
    const at = '2026-12-20T16:30:00Z';
    expect(formatInstant(at, 'id', 'WIB')).toBe('Minggu, 20 Desember 2026, 23.30');
    expect(formatInstant(at, 'id', 'WITA')).toBe('Senin, 21 Desember 2026, 00.30');
    expect(formatInstant(at, 'id', 'WIT')).toBe('Senin, 21 Desember 2026, 01.30');
    // An instant written with another offset is the same instant.
    expect(formatInstant('2026-12-21T00:30:00+08:00', 'en', 'WIB')).toBe('Sunday 20 December 2026, 23:30');
  });

  it('a calendar day without its weekday', () => {
    expect(formatDate('2026-03-02', 'id')).toBe('2 Maret 2026');
    expect(formatDate('2026-03-02', 'en')).toBe('2 March 2026');
    expect(formatDate('2026-13-02', 'id')).toBe('2026-13-02');
  });
});

describe('the screens take their words from the one module', () => {
  it('the door writes a calendar day with its weekday, in the screen language', () => {
    expect(doorDate('2026-11-26', 'id')).toBe('Kamis, 26 November 2026');
    expect(doorDate('2026-11-26', 'en-GB')).toBe('Thursday 26 November 2026');
  });

  it('the JHT steps write a calendar day without the weekday, "—" when unknown', () => {
    expect(jhtDate('2026-03-02', 'id')).toBe('2 Maret 2026');
    expect(jhtDate('2026-03-02', 'en')).toBe('2 March 2026');
    expect(jhtDate(null, 'id')).toBe('—');
    expect(jhtDate('kemarin', 'id')).toBe('—');
  });

  it("the waiting-room display's clock and day at each zone's midnight", () => {
    for (const zone of ['WIB', 'WITA', 'WIT'] as const) {
      const { before, at } = MIDNIGHT[zone];
      expect(displayClock(new Date(before), zone)).toEqual({ time: '23:59', date: 'Minggu, 20 Desember 2026' });
      expect(displayClock(new Date(at), zone)).toEqual({ time: '00:00', date: 'Senin, 21 Desember 2026' });
    }
  });
});

describe("the screens' short clock", () => {
  afterEach(() => setBranchZone(null));

  it("is the branch's wall clock, not the PC's", () => {
    for (const zone of ['WIB', 'WITA', 'WIT'] as const) {
      setBranchZone(zone);
      expect(formatHm(new Date(MIDNIGHT[zone].before))).toBe('23:59');
      expect(formatHm(new Date(MIDNIGHT[zone].at))).toBe('00:00');
    }
    setBranchZone(null);
    expect(formatHm(new Date('2026-12-21T01:30:00Z'))).toBe('08:30');
    expect(formatHm(new Date('nope'))).toBe('');
  });
});
