import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS, type BranchProfile } from '@shared/branch/schema';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { caseRulesNow } from '../../../renderer/src/data/case-rules';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { openTestDb, uniqueName } from './db-helpers';

// A case opens with HQ's rules of its day (issue 14): HQ judges every case by them, so a device
// that used its own (say, hours a head typed on this PC) would see its cases quarantined.

const branch: BranchProfile = { code: 'UJI01', name: 'Cabang Uji', serviceHours: { ...DEFAULT_SERVICE_HOURS, sat: { open: '08:00', close: '12:00' } }, counters: 4 };
let db: LoketDatabase | null = null;
afterEach(async () => {
  await db?.remove();
  db = null;
});

describe('the rules a case opens with', () => {
  it('before HQ has sent any: the branch’s published hours on the shared defaults', async () => {
    db = await openTestDb(uniqueName());
    expect(await caseRulesNow(db, branch, '2026-03-02T09:00:00+07:00')).toEqual({ ...DEFAULT_CASE_CONFIG, branchCode: 'UJI01', serviceHours: branch.serviceHours });
  });

  it('once pulled: HQ’s rules of the day the case is opened, by version', async () => {
    db = await openTestDb(uniqueName());
    const base = { ...DEFAULT_CASE_CONFIG, branchCode: 'UJI01' };
    await db.config.insert({
      key: 'hq:branch',
      value: { code: 'UJI01', rules: { base, versions: [{ effectiveFrom: '2026-04-01', config: { retirementAge: 57 } }] } },
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(await caseRulesNow(db, branch, '2026-03-31T16:59:00Z')).toEqual(base); // 23:59 WIB, 31 March
    expect(await caseRulesNow(db, branch, '2026-03-31T17:00:00Z')).toEqual({ ...base, retirementAge: 57 }); // 00:00 WIB, 1 April
  });

  it('rules of another branch, or malformed, are not used', async () => {
    db = await openTestDb(uniqueName());
    await db.config.insert({ key: 'hq:branch', value: { rules: { base: { ...DEFAULT_CASE_CONFIG, branchCode: 'LAIN1' }, versions: [] } }, updatedAt: '2026-03-01T00:00:00.000Z' });
    expect((await caseRulesNow(db, branch, '2026-03-02T09:00:00+07:00')).branchCode).toBe('UJI01');
  });
});
