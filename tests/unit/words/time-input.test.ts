import { describe, expect, it } from 'vitest';
import { BranchProfile, DayHours, normaliseTime } from '@shared/branch/schema';

// Issue 16 pt 14: Indonesians write "08.00"; a time typed that way is the same time as "08:00".
describe('typed times', () => {
  it('normalises 08.00, 8.00 and 8:00 to 08:00', () => {
    expect(normaliseTime('08.00')).toBe('08:00');
    expect(normaliseTime('8.00')).toBe('08:00');
    expect(normaliseTime(' 8:30 ')).toBe('08:30');
    expect(normaliseTime('15.00')).toBe('15:00');
    expect(normaliseTime('08:00')).toBe('08:00');
  });

  it('leaves what is not a time for the schema to refuse', () => {
    expect(normaliseTime('8')).toBe('8');
    expect(normaliseTime('pagi')).toBe('pagi');
    expect(DayHours.safeParse({ open: '25.00', close: '15.00' }).success).toBe(false);
    expect(DayHours.safeParse({ open: '08.60', close: '15.00' }).success).toBe(false);
  });

  it('the branch profile accepts service hours typed with a dot and stores them with a colon', () => {
    const parsed = BranchProfile.parse({
      code: 'JKT01',
      name: 'Jakarta Contoh',
      counters: 2,
      serviceHours: { sun: null, mon: { open: '08.00', close: '15.00' }, tue: null, wed: null, thu: null, fri: null, sat: null },
    });
    expect(parsed.serviceHours.mon).toEqual({ open: '08:00', close: '15:00' });
  });
});
