import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { branchClosures, hqClosuresOf } from '../../../renderer/src/data/branch-closures';

// Issue 16 pt 10: a PC of the branch plans with the closures the head entered on another PC, as HQ
// sent them in the branch's config document (its rules of today), on top of its own.

const rules = (versions: Array<{ effectiveFrom: string; config: object }>) => ({ rules: { base: { ...DEFAULT_CASE_CONFIG, branchCode: 'JKT01' }, versions } });

describe('branch closures from HQ', () => {
  it("reads today's version of the branch's rules; none before it, another branch's never", () => {
    const value = rules([{ effectiveFrom: '2026-12-06', config: { localClosures: ['2026-12-24'] } }]);
    expect(hqClosuresOf(value, 'JKT01', '2026-12-06T01:00:00.000Z')).toEqual(['2026-12-24']);
    expect(hqClosuresOf(value, 'JKT01', '2026-12-05T01:00:00.000Z')).toEqual([]);
    expect(hqClosuresOf(value, 'BDG01', '2026-12-06T01:00:00.000Z')).toBeUndefined();
    expect(hqClosuresOf(undefined, 'JKT01', '2026-12-06T01:00:00.000Z')).toBeUndefined();
    expect(hqClosuresOf({ rules: { base: {} } }, 'JKT01', '2026-12-06T01:00:00.000Z')).toBeUndefined();
    // The branch day: 23:30 UTC on the 5th is already the 6th in WIB.
    expect(hqClosuresOf(value, 'JKT01', '2026-12-05T23:30:00.000Z')).toEqual(['2026-12-24']);
  });

  it("merges this PC's closures (their notes kept) with HQ's, one per date, in date order", () => {
    const local = [{ date: '2026-12-28', note: 'Banjir' }, { date: '2026-12-24', note: 'Renovasi' }];
    expect(branchClosures(local, ['2026-12-24', '2026-12-26'], 'dari kantor pusat')).toEqual([
      { date: '2026-12-24', note: 'Renovasi' },
      { date: '2026-12-26', note: 'dari kantor pusat' },
      { date: '2026-12-28', note: 'Banjir' },
    ]);
    expect(branchClosures(undefined, undefined, 'x')).toEqual([]);
  });
});
