import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { checkRefusal, reasonFor } from '@shared/policy/catalog';
import type { RefusalFacts } from '@shared/policy/facts';
import { defaultAppointment } from '../../../renderer/src/screens/desk/RefusalPanel';

// Issue 16 (4, 10): the refusal form's proposed appointment is on an open day and passes the rule
// (before: a first claim date on a closed day was proposed as is and then refused with a vague error).
const facts = (over: Partial<RefusalFacts>): RefusalFacts => ({
  flow: 'jht-claim',
  at: '2026-03-02T10:00:00+07:00',
  serviceHours: DEFAULT_SERVICE_HOURS,
  identity: { ektpPresented: true, ektpMatchesNik: true },
  participantFound: true,
  firstClaimDate: null,
  missingDocuments: [],
  kpjs: [{ kpj: '12000000001' }],
  ...over,
});

describe('the refusal form proposes an appointment on an open day', () => {
  it.each([
    { first: '2026-03-08', expected: '2026-03-09', label: 'a Sunday' },
    { first: '2026-03-20', expected: '2026-03-25', label: 'joint leave for Idul Fitri' },
    { first: '2026-08-17', expected: '2026-08-18', label: 'Independence Day' },
  ])('a first claim date on $label → $expected, and the refusal passes', ({ first, expected }) => {
    const reason = reasonFor('WAITING_PERIOD_NOT_ELAPSED')!;
    const f = facts({ firstClaimDate: first });
    const appointment = defaultAppointment(reason, f);
    expect(appointment).toEqual({ date: expected, time: '08:00' });
    expect(checkRefusal(f, { code: reason.code, appointment }, 'officer')).toMatchObject({ ok: true });
  });

  it('after hours on the day before a holiday: the next opening skips it (Thursday 24 Dec 2026 → Monday 28 Dec)', () => {
    const reason = reasonFor('OUTSIDE_SERVICE_HOURS')!;
    const f = facts({ at: '2026-12-23T16:00:00+07:00' });
    const appointment = defaultAppointment(reason, f);
    expect(appointment).toEqual({ date: '2026-12-28', time: '08:00' });
    expect(checkRefusal(f, { code: reason.code, appointment }, 'officer')).toMatchObject({ ok: true });
  });

  it.each([
    { reason: 'WAITING_PERIOD_NOT_ELAPSED' as const, over: { firstClaimDate: '2026-03-09' }, closures: ['2026-03-09', '2026-03-10'], expected: '2026-03-11' },
    { reason: 'OUTSIDE_SERVICE_HOURS' as const, over: { at: '2026-03-02T16:00:00+07:00' }, closures: ['2026-03-03'], expected: '2026-03-04' },
  ])('a local closure is skipped like a holiday ($reason → $expected), and the refusal passes', ({ reason: code, over, closures, expected }) => {
    const reason = reasonFor(code)!;
    const f = facts({ ...over, localClosures: closures });
    const appointment = defaultAppointment(reason, f);
    expect(appointment).toEqual({ date: expected, time: '08:00' });
    expect(checkRefusal(f, { code: reason.code, appointment }, 'officer')).toMatchObject({ ok: true });
  });
});
