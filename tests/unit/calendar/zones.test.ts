import { describe, expect, it } from 'vitest';
import { BranchProfile, branchZoneOf, DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { branchInstant, localDateOf, localTimeOf } from '@shared/dates';
import { isWithinServiceHours, nextOpening } from '@shared/policy/hours';

describe('branch time zones (WIB, WITA, WIT)', () => {
  it("a WITA branch's day starts at 16:00 UTC, an hour before a WIB branch's", () => {
    const at = '2026-03-01T16:30:00Z';
    expect(localDateOf(at, 'WITA')).toBe('2026-03-02');
    expect(localTimeOf(at, 'WITA')).toBe('00:30');
    expect(localDateOf(at, 'WIB')).toBe('2026-03-01');
    expect(localDateOf(at)).toBe('2026-03-01');
    expect(localDateOf('2026-03-01T15:59:00Z', 'WITA')).toBe('2026-03-01');
    expect(localDateOf('2026-03-01T15:00:00Z', 'WIT')).toBe('2026-03-02');
  });

  it('a branch wall-clock time is one instant per zone', () => {
    expect(branchInstant('2026-03-02', '08:00', 'WIB')).toBe('2026-03-02T08:00:00+07:00');
    expect(branchInstant('2026-03-02', '08:00', 'WITA')).toBe('2026-03-02T08:00:00+08:00');
    expect(branchInstant('2026-03-02', '08:00', 'WIT')).toBe('2026-03-02T08:00:00+09:00');
    expect(Date.parse(branchInstant('2026-03-02', '08:00', 'WIT'))).toBe(Date.parse('2026-03-01T23:00:00Z'));
  });

  it('service hours are judged on the branch clock: 07:30 WIB is 08:30 in a WITA branch', () => {
    const at = '2026-03-02T00:30:00Z'; // Monday
    expect(isWithinServiceHours(DEFAULT_SERVICE_HOURS, at)).toBe(false);
    expect(isWithinServiceHours(DEFAULT_SERVICE_HOURS, at, 'WITA')).toBe(true);
    // Monday 06:30 WIB = 08:30 WIT: the WIB branch opens today, the WIT branch already did.
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-01T23:30:00Z')).toEqual({ date: '2026-03-02', time: '08:00' });
    expect(nextOpening(DEFAULT_SERVICE_HOURS, '2026-03-01T23:30:00Z', 'WIT')).toEqual({ date: '2026-03-03', time: '08:00' });
  });

  it('a profile without a zone is WIB; a zone outside WIB/WITA/WIT is refused', () => {
    const profile = { code: 'UJI01', name: 'Cabang Uji', serviceHours: DEFAULT_SERVICE_HOURS, counters: 2 };
    expect(branchZoneOf(BranchProfile.parse(profile))).toBe('WIB');
    expect(branchZoneOf(BranchProfile.parse({ ...profile, zone: 'WITA' }))).toBe('WITA');
    expect(branchZoneOf(null)).toBe('WIB');
    expect(BranchProfile.safeParse({ ...profile, zone: 'UTC+8' }).success).toBe(false);
  });
});
