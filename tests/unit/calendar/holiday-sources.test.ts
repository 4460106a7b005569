import { describe, expect, it } from 'vitest';
import { HOLIDAY_DECREES, HOLIDAYS_2026, HOLIDAYS_2027 } from '@shared/calendar';

// The national closed days are shipped as data with their source (DOMAIN "Time and calendar"); the
// head reads the source in Settings. A list not checked against the published decree must say so.
describe('holiday lists state their source and status honestly', () => {
  it('every year names its decree and whether its dates were checked against it', () => {
    for (const decree of HOLIDAY_DECREES) {
      expect(decree.source).toMatch(/SKB/);
      expect(['verified', 'unverified', 'provisional']).toContain(decree.status);
      // What the head reads must carry the status: an unchecked list says it is not checked.
      if (decree.status !== 'verified') expect(decree.source).toMatch(/belum/);
    }
  });

  it('2026 was written from memory and is not yet checked against the decree; 2027 is an estimate', () => {
    expect(HOLIDAYS_2026.status).toBe('unverified');
    expect(HOLIDAYS_2026.source).toMatch(/belum dicocokkan/);
    expect(HOLIDAYS_2027.status).toBe('provisional');
  });
});
