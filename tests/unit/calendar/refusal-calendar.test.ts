import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { checkRefusal, PREDICATES, slipNextStep, reasonFor } from '@shared/policy/catalog';
import type { RefusalFacts } from '@shared/policy/facts';

// Issue 16 (9, 10): refusals are judged on the branch's clock, and their appointments never land
// on a closed day.
const facts = (over: Partial<RefusalFacts> = {}): RefusalFacts => ({
  flow: 'jht-claim',
  at: '2026-12-22T10:00:00+07:00',
  serviceHours: DEFAULT_SERVICE_HOURS,
  identity: { ektpPresented: true, ektpMatchesNik: true },
  participantFound: true,
  firstClaimDate: null,
  missingDocuments: [],
  kpjs: [{ kpj: '12000000001' }],
  ...over,
});

describe('refusals on the branch clock and calendar', () => {
  it('OUTSIDE_SERVICE_HOURS in a WITA branch: 14:30 WIB is 15:30 WITA, after closing', () => {
    const f = facts({ at: '2026-12-22T14:30:00+07:00' });
    expect(PREDICATES.outsideServiceHours(f, { code: 'OUTSIDE_SERVICE_HOURS' })).toBe(false);
    expect(PREDICATES.outsideServiceHours({ ...f, zone: 'WITA' }, { code: 'OUTSIDE_SERVICE_HOURS' })).toBe(true);
  });

  it("the waiting period is judged on the branch's date: 23:30 WIB on the 22nd is already the 23rd in WIT", () => {
    const f = facts({ at: '2026-12-22T23:30:00+07:00', firstClaimDate: '2026-12-23' });
    expect(PREDICATES.waitingPeriodNotElapsed(f, { code: 'WAITING_PERIOD_NOT_ELAPSED' })).toBe(true);
    expect(PREDICATES.waitingPeriodNotElapsed({ ...f, zone: 'WIT' }, { code: 'WAITING_PERIOD_NOT_ELAPSED' })).toBe(false);
  });

  it('a refusal whose appointment is on a holiday or joint leave day is refused', () => {
    const f = facts({ firstClaimDate: '2026-12-24' });
    const request = (date: string) => ({ code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date, time: '09:00' } });
    expect(checkRefusal(f, request('2026-12-24'), 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    expect(checkRefusal(f, request('2026-12-25'), 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    expect(checkRefusal(f, request('2026-12-28'), 'officer')).toMatchObject({ ok: true });
  });

  it('the next opening on a slip skips closed days (Thursday 24 Dec 2026 after hours → Monday 28 Dec)', () => {
    const f = facts({ at: '2026-12-23T16:00:00+07:00' });
    const reason = reasonFor('OUTSIDE_SERVICE_HOURS')!;
    expect(checkRefusal(f, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-12-24', time: '08:00' } }, 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    // Raw or in Indonesian words (issue 16 pt 14 formats slip dates): Monday 28 December, 08:00.
    expect(slipNextStep(reason, f, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-12-28', time: '08:00' } }).id).toMatch(
      /buka kembali (2026-12-28 08:00|Senin, 28 Desember 2026, 08\.00)/,
    );
  });
});
