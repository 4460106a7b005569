import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG, DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { bpuResignationMachine } from '@state-machines/bpu-resignation.machine';
import { replay } from '@state-machines/replay';
import { triageMachine } from '@state-machines/triage.machine';
import { K3, NIK_56, ev, makeNik, security } from '../machines/fixtures';

// Issue 16 (9, 10) in the machines: the branch's zone from its config, no appointment on a closed day.
describe('triage: no appointment on a closed day', () => {
  const config = { ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jmo-reset': 40 } };
  const at = '2026-12-22T10:00:00+07:00';
  const run = (date: string, zone?: 'WIB' | 'WITA' | 'WIT', when = at) =>
    replay(triageMachine, { config: { ...config, ...(zone ? { zone } : {}) }, issuedToday: { 'jmo-reset': 40 } }, [
      ev('need.stated', { need: 'jmo-reset' }, security, when),
      ev('appointment.booked', { service: 'jmo-reset', nik: NIK_56, appointment: { date, time: '09:00' } }, security, when),
    ]);

  it.each([
    { date: '2026-12-24', label: 'joint leave (cuti bersama Natal)' },
    { date: '2026-12-25', label: 'a national holiday (Natal)' },
    { date: '2026-12-26', label: 'a Saturday' },
  ])('an appointment on $label is refused', ({ date }) => {
    expect(run(date).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('the first working day after them is accepted', () => {
    expect(run('2026-12-28').snapshot.value).toBe('appointmentBooked');
  });

  it("'a later day' is judged on the branch's date: 23:30 WIB on the 22nd is the 23rd in a WIT branch", () => {
    expect(run('2026-12-23', 'WIB', '2026-12-22T23:30:00+07:00').snapshot.value).toBe('appointmentBooked');
    expect(run('2026-12-23', 'WIT', '2026-12-22T23:30:00+07:00').rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('case machines on the branch clock', () => {
  it("BPU stop date is the request day in the branch's zone (WITA)", () => {
    const nik = makeNik('1985-07-01', 'female', 2);
    const at = '2026-03-02T16:30:00Z'; // 3 March 00:30 WITA, still 2 March 23:30 WIB
    const run = (zone: 'WIB' | 'WITA', stopDate: string) =>
      replay(bpuResignationMachine, { caseId: 'B-1', nik, config: { ...DEFAULT_CASE_CONFIG, zone } }, [
        ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, undefined, at),
        ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: ['autoDebit', 'paymentApp'] }, undefined, at),
        ev('stop.recorded', { stopDate }, undefined, at),
      ]);
    expect(run('WIB', '2026-03-02').rejected).toBeNull();
    expect(run('WITA', '2026-03-03').rejected).toBeNull();
    expect(run('WITA', '2026-03-02').rejected).not.toBeNull();
  });
});

describe("triage: the head's local closures", () => {
  it('an appointment on a local closed day of the branch is refused', () => {
    const config = { ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jmo-reset': 40 } };
    const at = '2026-12-22T10:00:00+07:00';
    const run = (localClosures?: string[]) =>
      replay(triageMachine, { config: { ...config, ...(localClosures ? { localClosures } : {}) }, issuedToday: { 'jmo-reset': 40 } }, [
        ev('need.stated', { need: 'jmo-reset' }, security, at),
        ev('appointment.booked', { service: 'jmo-reset', nik: NIK_56, appointment: { date: '2026-12-28', time: '09:00' } }, security, at),
      ]);
    expect(run().snapshot.value).toBe('appointmentBooked');
    expect(run(['2026-12-28']).rejected?.reason).toBe('GUARD_FAILED');
  });
});
