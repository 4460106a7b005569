import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { replay } from '@state-machines/replay';
import { triageMachine, type TriageInput } from '@state-machines/triage.machine';
import { NIK_56, admin, ev, head, officer, security, wib } from './fixtures';

/**
 * The door (triage machine), rule by rule: who may act, what a ticket, an appointment, a check-in,
 * an answer and a decline record, and the capacity boundaries each is judged on.
 */
const MONDAY = wib('2026-03-02', '10:00');
const cap = (n: number): QueueConfig => ({ ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'bpu-resignation': n } });
type Loose = ReturnType<typeof ev> & Record<string, unknown>;
const run = (events: Loose[], input: TriageInput = { config: cap(10), issuedToday: { 'bpu-resignation': 3 } }) => replay(triageMachine, input, events);

const need = (service: string, actor = security, at = MONDAY) => ev('need.stated', { need: service }, actor, at);
const ticket = (extra: Record<string, unknown> = {}, actor = security) =>
  ev('ticket.issued', { service: 'bpu-resignation', nik: NIK_56, number: 'B1-004', ...extra }, actor, wib('2026-03-02', '10:01'));
const book = (date: string, time = '09:00', extra: Record<string, unknown> = {}) =>
  ev('appointment.booked', { service: 'bpu-resignation', nik: NIK_56, appointment: { date, time }, ...extra }, security, wib('2026-03-02', '10:02'));
const checkIn = (extra: Record<string, unknown> = {}) =>
  ev('appointment.checkedIn', { service: 'bpu-resignation', nik: NIK_56, number: 'B1-002', ...extra }, security, wib('2026-03-02', '10:03'));
const ask = (topic: string, time = '10:04') => ev('info.asked', { topic }, security, wib('2026-03-02', time));
const decline = (extra: Record<string, unknown> = {}) =>
  ev('visit.declined', { service: 'bpu-resignation', offered: 'ticket', info: ['bpuStop'], ...extra }, security, wib('2026-03-02', '10:05'));

describe('the door: who may act', () => {
  it.each([security, officer, head])('$role may take a person through the door', (actor) => {
    expect(run([need('bpu-resignation', actor), ticket({}, actor)]).snapshot.value).toBe('ticketIssued');
  });

  it('admin may not, at any step', () => {
    expect(run([need('bpu-resignation', admin)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([need('bpu-resignation'), ticket({}, admin)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([need('info'), ev('info.asked', { topic: 'fees' }, admin)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('the door: a ticket', () => {
  it('records the person’s ticket exactly: no priority and no check-in unless given', () => {
    const t = ticket();
    const r = run([need('bpu-resignation'), t]);
    expect(r.snapshot.context.ticket).toStrictEqual({ service: 'bpu-resignation', nik: NIK_56, number: 'B1-004', at: t.at, staffId: security.staffId });
    expect(r.snapshot.context.appointment).toBeNull();
  });

  it('a priority ticket carries its category', () => {
    const r = run([need('bpu-resignation'), ticket({ priority: 'pregnant' })]);
    expect(r.snapshot.context.ticket?.priority).toBe('pregnant');
    expect('checkedIn' in (r.snapshot.context.ticket ?? {})).toBe(false);
  });

  it('is for the service the person stated: restating the need changes it', () => {
    expect(run([need('jmo-reset'), ticket()]).rejected?.reason).toBe('GUARD_FAILED');
    const r = run([need('jmo-reset'), need('bpu-resignation'), ticket()]);
    expect(r.snapshot.value).toBe('ticketIssued');
    expect(r.snapshot.context.need).toBe('bpu-resignation');
    expect(r.snapshot.context.statedService).toBe('bpu-resignation');
  });

  it('the number carries the service’s letter at its start', () => {
    expect(run([need('bpu-resignation'), ticket({ number: 'A1-004' })]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it.each([
    { issued: 9, capacity: 10, ok: true },
    { issued: 10, capacity: 10, ok: false },
    { issued: 11, capacity: 10, ok: false },
    { issued: undefined, capacity: 1, ok: true },
    { issued: undefined, capacity: 0, ok: false },
  ])('with $issued issued of $capacity: a ticket → $ok', ({ issued, capacity, ok }) => {
    const r = run([need('bpu-resignation'), ticket()], { config: cap(capacity), issuedToday: issued === undefined ? {} : { 'bpu-resignation': issued } });
    expect(r.rejected?.reason ?? null).toBe(ok ? null : 'GUARD_FAILED');
  });

  it('without a branch queue config, the default capacity applies', () => {
    const r = run([need('bpu-resignation'), ticket()], { issuedToday: { 'bpu-resignation': 119 } });
    expect(r.snapshot.value).toBe('ticketIssued');
    expect(r.snapshot.context.config).toStrictEqual(DEFAULT_QUEUE_CONFIG);
    expect(run([need('bpu-resignation'), ticket()], { issuedToday: { 'bpu-resignation': 120 } }).rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('the door: an appointment when today is full', () => {
  it.each([
    { issued: 9, capacity: 10, ok: false },
    { issued: 10, capacity: 10, ok: true },
    { issued: 11, capacity: 10, ok: true },
    { issued: undefined, capacity: 0, ok: true },
    { issued: undefined, capacity: 1, ok: false },
  ])('with $issued issued of $capacity: an appointment → $ok', ({ issued, capacity, ok }) => {
    const r = run([need('bpu-resignation'), book('2026-03-03')], { config: cap(capacity), issuedToday: issued === undefined ? {} : { 'bpu-resignation': issued } });
    expect(r.rejected?.reason ?? null).toBe(ok ? null : 'GUARD_FAILED');
  });

  it('records the appointment exactly', () => {
    const b = book('2026-03-03', '13:30');
    const r = run([need('bpu-resignation'), b], { config: cap(10), issuedToday: { 'bpu-resignation': 10 } });
    expect(r.snapshot.value).toBe('appointmentBooked');
    expect(r.snapshot.context.appointment).toStrictEqual({ service: 'bpu-resignation', nik: NIK_56, appointment: { date: '2026-03-03', time: '13:30' }, at: b.at, staffId: security.staffId });
    expect(r.snapshot.context.ticket).toBeNull();
  });

  it('is on a working day inside the service hours, even where the branch also opens on Saturday', () => {
    const full = { 'bpu-resignation': 10 };
    const saturdayOpen: QueueConfig = { ...cap(10), serviceHours: { ...DEFAULT_SERVICE_HOURS, sat: { open: '08:00', close: '12:00' } } };
    expect(run([need('bpu-resignation'), book('2026-03-07', '09:00')], { config: saturdayOpen, issuedToday: full }).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([need('bpu-resignation'), book('2026-03-03', '15:00')], { config: cap(10), issuedToday: full }).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([need('bpu-resignation'), book('2026-03-03', '14:59')], { config: cap(10), issuedToday: full }).snapshot.value).toBe('appointmentBooked');
  });

  it('for the service stated, on a valid NIK', () => {
    const full = { config: cap(10), issuedToday: { 'bpu-resignation': 10 } };
    expect(run([need('bpu-resignation'), book('2026-03-03', '09:00', { service: 'jmo-reset' })], full).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([need('bpu-resignation'), book('2026-03-03', '09:00', { nik: '3171010101900000' })], full).rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('the door: an appointment holder checks in', () => {
  it('their appointment becomes their ticket, marked checked in, with a priority when given', () => {
    const c = checkIn({ priority: 'disability' });
    const r = run([need('bpu-resignation'), c]);
    expect(r.snapshot.value).toBe('checkedIn');
    expect(r.snapshot.context.ticket).toStrictEqual({ service: 'bpu-resignation', nik: NIK_56, number: 'B1-002', at: c.at, staffId: security.staffId, priority: 'disability', checkedIn: true });
  });

  it('for the service stated, with its letter and a valid NIK', () => {
    expect(run([need('jmo-reset'), checkIn()]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([need('bpu-resignation'), checkIn({ number: 'C1-002' })]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([need('bpu-resignation'), checkIn({ nik: '3171010101900000' })]).rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('the door: information only', () => {
  it('every answer is recorded in order; the visit ends only after at least one', () => {
    expect(run([need('info'), ev('visit.ended', {}, security, MONDAY)]).rejected?.reason).toBe('GUARD_FAILED');
    const r = run([need('info'), ask('fees', '10:04'), ask('anyBranch', '10:06'), ev('visit.ended', {}, security, wib('2026-03-02', '10:07'))]);
    expect(r.snapshot.value).toBe('answered');
    expect(r.snapshot.context.answers).toStrictEqual([
      { topic: 'fees', at: wib('2026-03-02', '10:04') },
      { topic: 'anyBranch', at: wib('2026-03-02', '10:06') },
    ]);
    expect(r.snapshot.context.statedService).toBeNull();
    expect(r.snapshot.context.need).toBe('info');
  });

  it('a stated service stays stated while the person asks questions, and can still be issued', () => {
    const r = run([need('bpu-resignation'), need('info'), ask('bpuStop'), need('bpu-resignation', security, wib('2026-03-02', '10:04')), { ...ticket(), at: wib('2026-03-02', '10:05') }]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('ticketIssued');
    const asking = run([need('bpu-resignation'), need('info')]);
    expect(asking.snapshot.value).toBe('informing');
    expect(asking.snapshot.context.statedService).toBe('bpu-resignation');
    expect(asking.snapshot.context.need).toBe('info');
  });
});

describe('the door: declined by the person', () => {
  it('with every piece of information from the catalog, or none at all', () => {
    expect(run([need('bpu-resignation'), decline({ info: ['bpuStop', 'resetWindow'] })]).rejected?.reason).toBe('GUARD_FAILED');
    const none = run([need('bpu-resignation'), decline({ info: [] })]);
    expect(none.snapshot.value).toBe('declined');
    expect(none.snapshot.context.declined?.info).toEqual([]);
  });

  it.each([
    { issued: 9, offered: 'ticket', ok: true },
    { issued: 9, offered: 'appointment', ok: false },
    { issued: 10, offered: 'ticket', ok: false },
    { issued: 10, offered: 'appointment', ok: true },
  ])('with $issued of 10 issued, declining a $offered → $ok', ({ issued, offered, ok }) => {
    const r = run([need('bpu-resignation'), decline({ offered })], { config: cap(10), issuedToday: { 'bpu-resignation': issued } });
    expect(r.rejected?.reason ?? null).toBe(ok ? null : 'GUARD_FAILED');
  });

  it('what is offered when nothing was issued yet: a ticket, unless the service takes no tickets today', () => {
    expect(run([need('bpu-resignation'), decline()], { config: cap(1), issuedToday: {} }).snapshot.value).toBe('declined');
    expect(run([need('bpu-resignation'), decline()], { config: cap(0), issuedToday: {} }).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([need('bpu-resignation'), decline({ offered: 'appointment' })], { config: cap(0), issuedToday: {} }).snapshot.value).toBe('declined');
  });
});
