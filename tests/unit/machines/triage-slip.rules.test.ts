import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { TriageEvent } from '@shared/cases/schema';
import { checkPath } from '@state-machines/invariants';
import { replay } from '@state-machines/replay';
import { triageMachine, type TriageInput } from '@state-machines/triage.machine';
import { NIK_56, admin, ev, head, officer, security, wib } from './fixtures';

/**
 * Issue 21 pt 4: an appointment holder checked in at the door on the scan of their slip's QR alone.
 * The slip names the appointment (branch:day:number, no personal data); the check-in carries the
 * appointment as the branch holds it when scanned and the holder's NIK hash from booking, so the
 * guard types no NIK. The machine takes it between visits (the slip states the need), only for this
 * branch's appointment, on its day, still waiting; the ticket is the same as a check-in by NIK.
 */
const TUESDAY = wib('2026-03-03', '08:05');
const HASH = 'ab'.repeat(32);
const cap = (n: number): QueueConfig => ({ ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': n } });
const input = (over: Partial<TriageInput> = {}): TriageInput => ({ config: cap(10), issuedToday: { 'jht-claim': 3 }, branchCode: 'UJI01', ...over });
type Loose = ReturnType<typeof ev> & Record<string, unknown>;
const run = (events: Loose[], start: TriageInput = input()) => replay(triageMachine, start, events);

const need = (service = 'jht-claim', actor = security) => ev('need.stated', { need: service }, actor, TUESDAY);
/** The slip of appointment A2-001, booked on Monday for Tuesday 08:00, as the branch holds it. */
const slip = (extra: Record<string, unknown> = {}, actor = security, at = wib('2026-03-03', '08:06')) =>
  ev(
    'appointment.checkedInBySlip',
    { service: 'jht-claim', reference: 'UJI01:2026-03-02:A2-001', number: 'A2-001', nikHash: HASH, appointment: { date: '2026-03-03', time: '08:00' }, held: 'waiting', ...extra },
    actor,
    at,
  );

describe('the door: an appointment holder checked in on the scan of their slip', () => {
  it('is a door event of its own, with the slip reference and no NIK', () => {
    expect(TriageEvent.safeParse(slip()).success).toBe(true);
    expect(TriageEvent.safeParse(slip({ reference: 'A2-001' })).success).toBe(false);
    expect(TriageEvent.safeParse(slip({ nikHash: NIK_56 })).success).toBe(false);
    expect(TriageEvent.safeParse(slip({ held: 'maybe' })).success).toBe(false);
  });

  it('their appointment becomes their ticket, marked checked in, bound to the NIK hash recorded at booking; the slip states the need', () => {
    const e = slip({ priority: 'elderly' });
    const r = run([e]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('checkedIn');
    expect(r.snapshot.context.need).toBe('jht-claim');
    expect(r.snapshot.context.statedService).toBe('jht-claim');
    expect(r.snapshot.context.ticket).toStrictEqual({
      service: 'jht-claim',
      number: 'A2-001',
      nikHash: HASH,
      slip: 'UJI01:2026-03-02:A2-001',
      at: e.at,
      staffId: security.staffId,
      priority: 'elderly',
      checkedIn: true,
    });
  });

  it('counts nothing again: a full day does not stop it, as a check-in by NIK', () => {
    expect(run([slip()], input({ issuedToday: { 'jht-claim': 10 } })).snapshot.value).toBe('checkedIn');
    expect(run([slip()], input({ config: cap(0), issuedToday: {} })).snapshot.value).toBe('checkedIn');
  });

  it.each([security, officer, head])('$role may check the holder in on the slip', (actor) => {
    expect(run([slip({}, actor)]).snapshot.value).toBe('checkedIn');
  });

  it('admin may not', () => {
    expect(run([slip({}, admin)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it.each([
    { why: "another branch's slip", extra: { reference: 'UJI02:2026-03-02:A2-001' } },
    { why: 'a slip naming another number', extra: { reference: 'UJI01:2026-03-02:A2-002' } },
    { why: 'an appointment for another day', extra: { appointment: { date: '2026-03-04', time: '08:00' } } },
    { why: 'an appointment for an earlier day', extra: { appointment: { date: '2026-03-02', time: '14:00' } } },
    { why: 'an appointment already checked in', extra: { held: 'checkedIn' } },
    { why: 'an appointment served, gone or transferred', extra: { held: 'closed' } },
    { why: "a number without the service's letter", extra: { number: 'C2-001', reference: 'UJI01:2026-03-02:C2-001' } },
  ])('is refused for $why, and the visit is as it was: nothing stated, nothing issued', ({ extra }) => {
    const r = run([slip(extra)]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
    expect(r.snapshot.value).toBe('askingNeed');
    expect(r.snapshot.context.need).toBeNull();
    expect(r.snapshot.context.statedService).toBeNull();
    expect(r.snapshot.context.ticket).toBeNull();
  });

  it('is not taken once the visit began: a stated need is never dropped or switched by a scan', () => {
    expect(run([need('jmo-reset'), slip()]).rejected?.reason).toBe('NOT_EXPECTED_IN_STATE');
    expect(run([need('jht-claim'), slip()]).rejected?.reason).toBe('NOT_EXPECTED_IN_STATE');
    expect(run([need('info'), slip()]).rejected?.reason).toBe('NOT_EXPECTED_IN_STATE');
  });

  it('is refused when the door does not know its branch (an older door without one)', () => {
    const { branchCode, ...withoutBranch } = input();
    void branchCode;
    expect(run([slip()], withoutBranch).rejected?.reason).toBe('GUARD_FAILED');
  });

  it("is judged on the branch's own clock: just after midnight WITA it is already the appointment's day", () => {
    const wita: QueueConfig = { ...cap(10), zone: 'WITA' };
    // 23:30 WIB on Monday is 00:30 WITA on Tuesday.
    const late = slip({}, security, wib('2026-03-02', '23:30'));
    expect(run([late], input({ config: wita })).snapshot.value).toBe('checkedIn');
    expect(run([late], input()).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('prints the ticket once and is final', () => {
    let printed = 0;
    const actor = createActor(triageMachine.provide({ actions: { printTicket: () => void (printed += 1) } }), { input: input() }).start();
    actor.send(slip() as never);
    expect(actor.getSnapshot().status).toBe('done');
    expect(printed).toBe(1);
    actor.stop();
    const after = run([slip(), { ...need('jmo-reset'), at: wib('2026-03-03', '08:10') }]);
    expect(after.rejected).toMatchObject({ index: 1, reason: 'CASE_FINISHED' });
  });

  it('keeps the door invariants on its paths (a stated need ends with its ticket, no non-reason accepted, replay = live)', () => {
    for (const events of [[slip()], [slip({ priority: 'pregnant' })], [slip({}, head)]]) {
      expect(checkPath('triage', triageMachine, input(), events, { nonReasons: true, nonReasonActor: officer }).violations).toEqual([]);
    }
  });
});
