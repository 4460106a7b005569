import { afterEach, describe, expect, it } from 'vitest';
import { branchZone, setBranchZone } from '../../../renderer/src/data/branch-zone';
import { localHourOf, rangeOf } from '../../../renderer/src/data/reports/dashboard';
import { jakartaDay } from '../../../renderer/src/data/db/migrations';
import { branchDayOf } from '../../../renderer/src/data/branch-clock';
import { branchDateTime } from '../../../renderer/src/screens/head/format';

// Issue 16 (9): the renderer's branch day, the head's reports and printouts follow the branch's
// zone from its profile (WIB until known), not UTC+7 hard-coded and not the PC's zone.
describe("renderer on the branch's zone", () => {
  afterEach(() => setBranchZone(undefined));

  it('WIB until the profile says otherwise', () => {
    expect(branchZone()).toBe('WIB');
    expect(branchDayOf(Date.parse('2026-03-01T16:30:00Z'))).toBe('2026-03-01');
  });

  it("a WITA branch's ticket day, report hour and head's timestamps", () => {
    setBranchZone('WITA');
    const at = '2026-03-01T16:30:00Z'; // 00:30 on 2 March in WITA, 23:30 on 1 March in WIB
    expect(branchDayOf(Date.parse(at))).toBe('2026-03-02');
    expect(jakartaDay(at)).toBe('2026-03-02');
    expect(localHourOf(at)).toBe(0);
    expect(rangeOf('today', new Date(at))).toEqual({ key: 'today', fromDay: '2026-03-02', toDay: '2026-03-02' });
    expect(branchDateTime(at)).toBe('2026-03-02 00:30');
    expect(branchDateTime(at, 'WIT')).toBe('2026-03-02 01:30');
  });
});
