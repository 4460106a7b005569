import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG, DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { checkPath } from '@state-machines/invariants';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { refusalReviewMachine } from '@state-machines/refusal-review.machine';
import { triageMachine } from '@state-machines/triage.machine';
import { NIK_56, ev, head, makeNik, sampleRefusal, security, wib } from './fixtures';

// Issue 16 pt 10, as a walk invariant: no appointment lands on a closed day (weekend, national
// holiday or joint leave day from shared/calendar's data, or one of the branch's local closures).
// The real machines keep it; machines whose guard forgets the calendar are reported.

const closedIds = (v: Array<{ invariant: string; message: string }>) => v.filter((x) => x.invariant === 'noAppointmentOnClosedDay').map((x) => x.message);

describe('invariant noAppointmentOnClosedDay', () => {
  const triage = (date: string, localClosures?: string[], machine = triageMachine) =>
    checkPath(
      'triage',
      machine,
      { config: { ...DEFAULT_QUEUE_CONFIG, ...(localClosures ? { localClosures } : {}) }, issuedToday: { 'jht-claim': 120 } },
      [
        ev('need.stated', { need: 'jht-claim' }, security),
        ev('appointment.booked', { service: 'jht-claim', nik: NIK_56, appointment: { date, time: '09:00' } }, security),
      ],
    ).violations;
  // The door's guard without the calendar: only "a later day" is checked.
  const forgetful = triageMachine.provide({ guards: { appointmentGuaranteed: ({ event }) => event.type === 'appointment.booked' } });

  it('the real triage machine keeps it (a joint leave day, a local closure and a Sunday are refused)', () => {
    for (const [date, local] of [['2026-03-20'], ['2026-03-04', ['2026-03-04']], ['2026-03-08']] as const) expect(closedIds(triage(date, local ? [...local] : undefined))).toEqual([]);
    expect(closedIds(triage('2026-03-04'))).toEqual([]);
  });

  it('a door that books on a joint leave day, a local closure or a Sunday is reported', () => {
    expect(closedIds(triage('2026-03-20', undefined, forgetful))).toEqual([expect.stringContaining('2026-03-20')]);
    expect(closedIds(triage('2026-03-04', ['2026-03-04'], forgetful))).toEqual([expect.stringContaining('2026-03-04')]);
    expect(closedIds(triage('2026-03-08', undefined, forgetful))).toEqual([expect.stringContaining('2026-03-08')]);
    expect(closedIds(triage('2026-03-05', ['2026-03-04'], forgetful))).toEqual([]);
  });

  const NIK = makeNik('1966-04-12', 'male', 61);
  const notYet = (date: string, localClosures?: string[], machine = jhtClaimMachine) =>
    checkPath('jht-claim', machine, { caseId: 'C-1', nik: NIK, openedAt: wib('2026-03-02'), config: { ...DEFAULT_CASE_CONFIG, ...(localClosures ? { localClosures } : {}) } }, [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
      ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-02-20' }),
      ev('refusal.requested', { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date, time: '09:00' } }),
    ]).violations;

  it('the real claim machine keeps it; one whose refusal guard ignores the calendar is reported', () => {
    expect(closedIds(notYet('2026-03-20'))).toEqual([]);
    expect(closedIds(notYet('2026-03-25', ['2026-03-25']))).toEqual([]);
    const unguarded = jhtClaimMachine.provide({ guards: { refusalReasonHolds: ({ event }) => event.type === 'refusal.requested' } });
    expect(closedIds(notYet('2026-03-20', undefined, unguarded))).toEqual([expect.stringContaining('2026-03-20')]);
    expect(closedIds(notYet('2026-03-25', ['2026-03-25'], unguarded))).toEqual([expect.stringContaining('2026-03-25')]);
    expect(closedIds(notYet('2026-03-26', ['2026-03-25'], unguarded))).toEqual([]);
  });

  it('the real review machine keeps it; one whose follow-up guard ignores the calendar is reported', () => {
    const review = (date: string, machine = refusalReviewMachine) =>
      checkPath('refusal-review', machine, { caseId: 'CASE-0001', flow: 'jht-claim', refusal: sampleRefusal } as never, [
        ev('review.overturned', { category: 'undueDelay', followUp: 'appointment', appointment: { date, time: '09:00' } }, head),
      ]).violations;
    const unguarded = refusalReviewMachine.provide({ guards: { followUpComplete: ({ event }) => event.type === 'review.overturned' } });
    expect(closedIds(review('2026-03-19'))).toEqual([]);
    expect(closedIds(review('2026-03-03', unguarded))).toEqual([]);
    expect(closedIds(review('2026-03-19', unguarded))).toEqual([expect.stringContaining('2026-03-19')]);
  });
});
