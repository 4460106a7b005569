// A KPJ left pending is controlled (issue 16 pt 3; shared/policy/pending.ts): a reason from the
// catalog of pending reasons, each with its basis and follow-up, and a follow-up date from today up
// to the configured working days later, counting only open days of the national calendar.
import { describe, expect, it } from 'vitest';
import {
  checkPending,
  DEFAULT_PENDING_FOLLOW_UP_WORKING_DAYS,
  latestFollowUp,
  PENDING_CATALOG,
  PENDING_CODES,
  PENDING_REJECTIONS,
  pendingReasonFor,
} from '@shared/policy/pending';

const readable = (t: { id: string; en: string }) => {
  expect(t.id.trim().length).toBeGreaterThan(3);
  expect(t.en.trim().length).toBeGreaterThan(3);
};

describe('the catalog of pending reasons', () => {
  it('holds exactly the four controlled reasons, in order, each findable by its code', () => {
    expect(PENDING_CODES).toEqual(['EMPLOYER_DATA_CONFIRMATION', 'BALANCE_RECONCILIATION', 'IDENTITY_DATA_CORRECTION', 'BANK_ACCOUNT_VERIFICATION']);
    expect(PENDING_CATALOG.map((r) => r.code)).toEqual([...PENDING_CODES]);
    for (const code of PENDING_CODES) expect(pendingReasonFor(code)?.code).toBe(code);
    expect(pendingReasonFor('SYSTEM_DOWN')).toBeUndefined();
    expect(pendingReasonFor('')).toBeUndefined();
  });

  it('every reason has a title, a basis and a follow-up in Indonesian and English', () => {
    for (const r of PENDING_CATALOG) {
      readable(r.title);
      readable(r.basis);
      readable(r.followUp);
    }
  });

  it('each reason cites its basis so the branch head can check it', () => {
    const basis = (code: string) => pendingReasonFor(code)!.basis;
    for (const code of ['EMPLOYER_DATA_CONFIRMATION', 'BALANCE_RECONCILIATION', 'BANK_ACCOUNT_VERIFICATION']) {
      expect(basis(code).id).toMatch(/^Permenaker No\. 4 Tahun 2022 \(/);
      expect(basis(code).en).toMatch(/^Minister of Manpower Regulation 4\/2022 \(/);
    }
    expect(basis('EMPLOYER_DATA_CONFIRMATION').id).toContain('PP No. 44 Tahun 2015');
    expect(basis('IDENTITY_DATA_CORRECTION').id).toContain('UU No. 27 Tahun 2022 (PDP)');
    expect(basis('IDENTITY_DATA_CORRECTION').en).toContain('Law 27/2022 (PDP)');
  });

  it('every rejection is explained in both languages', () => {
    expect(Object.keys(PENDING_REJECTIONS)).toEqual(['UNKNOWN_PENDING_REASON', 'FOLLOW_UP_IN_PAST', 'FOLLOW_UP_TOO_LATE']);
    for (const t of Object.values(PENDING_REJECTIONS)) readable(t);
  });
});

describe('the follow-up date', () => {
  it('defaults to at most 5 working days', () => {
    expect(DEFAULT_PENDING_FOLLOW_UP_WORKING_DAYS).toBe(5);
  });

  it('counts working days of the national calendar: weekends, holidays and joint leave are skipped', () => {
    expect(latestFollowUp('2026-03-02', 5)).toBe('2026-03-09');
    expect(latestFollowUp('2026-03-06', 1)).toBe('2026-03-09');
    // Nyepi and Idul Fitri 2026: 18–24 March closed.
    expect(latestFollowUp('2026-03-17', 1)).toBe('2026-03-25');
    expect(latestFollowUp('2026-03-17', 5)).toBe('2026-03-31');
    expect(latestFollowUp('2026-03-02', 0)).toBe('2026-03-02');
  });

  it.each([
    { followUpOn: '2026-03-01', result: { ok: false, why: 'FOLLOW_UP_IN_PAST' } },
    { followUpOn: '2026-03-02', result: { ok: true } },
    { followUpOn: '2026-03-09', result: { ok: true } },
    { followUpOn: '2026-03-10', result: { ok: false, why: 'FOLLOW_UP_TOO_LATE' } },
  ])('left pending on Monday 2 March with 5 working days: follow-up on $followUpOn → $result', ({ followUpOn, result }) => {
    expect(checkPending('BANK_ACCOUNT_VERIFICATION', followUpOn, '2026-03-02', 5)).toEqual(result);
  });

  it('a reason outside the catalog is refused whatever the date', () => {
    expect(checkPending('system down, come back next month', '2026-03-02', '2026-03-02', 5)).toEqual({ ok: false, why: 'UNKNOWN_PENDING_REASON' });
    expect(checkPending('system down, come back next month', '2026-03-01', '2026-03-02', 5)).toEqual({ ok: false, why: 'UNKNOWN_PENDING_REASON' });
  });

  it('the configured number of working days sets the limit', () => {
    expect(checkPending('EMPLOYER_DATA_CONFIRMATION', '2026-03-03', '2026-03-02', 1)).toEqual({ ok: true });
    expect(checkPending('EMPLOYER_DATA_CONFIRMATION', '2026-03-04', '2026-03-02', 1)).toEqual({ ok: false, why: 'FOLLOW_UP_TOO_LATE' });
    expect(checkPending('EMPLOYER_DATA_CONFIRMATION', '2026-03-25', '2026-03-17', 1)).toEqual({ ok: true });
  });
});
