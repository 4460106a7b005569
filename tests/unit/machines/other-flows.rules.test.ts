import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { DEFAULT_CASE_CONFIG, DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { bpuResignationMachine, jhtClaimAfterBpu } from '@state-machines/bpu-resignation.machine';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { refusalReviewMachine, reviewSlotProblem } from '@state-machines/refusal-review.machine';
import { replay } from '@state-machines/replay';
import { ticketMachine, waitMinutes } from '@state-machines/ticket.machine';
import { triageMachine } from '@state-machines/triage.machine';
import { K3, NIK_56, admin, ev, head, makeNik, officer, sampleRefusal, security, wib } from './fixtures';

describe('BPU resignation', () => {
  const nik = makeNik('1985-07-01', 'female', 2);
  const input = { caseId: 'B-1', nik, config: DEFAULT_CASE_CONFIG };
  const run = (events: ReturnType<typeof ev>[]) => replay(bpuResignationMachine, input, events);
  const start = [
    ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
    ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: ['autoDebit', 'paymentApp'] }),
  ];

  it.each([
    { stopDate: '2026-03-02', ok: true, label: 'the day of the request' },
    { stopDate: '2026-03-01', ok: false, label: 'backdated' },
    { stopDate: '2026-04-01', ok: false, label: 'postponed to next month' },
  ])('stop date $label → accepted: $ok', ({ stopDate, ok }) => {
    const r = run([...start, ev('stop.recorded', { stopDate })]);
    expect(r.rejected === null).toBe(ok);
  });

  it('every billing channel must be stopped before the receipt; the receipt names them with the instruction sent', () => {
    const stopped = [...start, ev('stop.recorded', { stopDate: '2026-03-02' }), ev('billingStop.recorded', { channel: 'autoDebit', instruction: 'mandat dicabut' })];
    expect(run([...stopped, ev('jht.declined', {})]).rejected?.reason).toBe('NOT_EXPECTED_IN_STATE');
    expect(run([...stopped, ev('billingStop.recorded', { channel: 'other', instruction: 'tidak ada' })]).rejected?.reason).toBe('GUARD_FAILED');
    const r = run([...stopped, ev('billingStop.recorded', { channel: 'paymentApp', instruction: 'tagihan dihentikan' }), ev('jht.declined', {}), ev('receipt.issued', {})]);
    expect(r.snapshot.value).toBe('closed');
    const c = r.snapshot.context;
    expect(c.receipt?.nextStep.id).toContain('autodebet (mandat dicabut), aplikasi pembayaran (tagihan dihentikan)');
    expect(c.receipt?.nextStep.en).toContain('(mandat dicabut)');
    expect(c.receipt?.nextStep.id).toContain('2026-03-02');
  });

  it('continues into a JHT claim with cause "BPU stopped working" and identity already verified', () => {
    const r = run([...start.slice(0, 1), ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: [] }), ev('stop.recorded', { stopDate: '2026-03-02' }), ev('jht.continued', {}), ev('receipt.issued', {})]);
    expect(r.snapshot.value).toBe('closed');
    const next = jhtClaimAfterBpu(r.snapshot.context, 'C-2', wib('2026-03-02'));
    const claim = replay(jhtClaimMachine, next.input, [ev('cause.selected', { cause: next.cause.cause, effectiveDate: next.cause.effectiveDate ?? undefined })]);
    expect(claim.rejected).toBeNull();
    expect(claim.snapshot.value).toBe('kpjListing');
  });

  it('NOT_A_PARTICIPANT only after the membership search found nothing', () => {
    const id = ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true });
    expect(run([id, ev('refusal.requested', { code: 'NOT_A_PARTICIPANT' })]).snapshot.value).toBe('membership');
    expect(run([id, ev('bpu.membershipNotFound', {}), ev('refusal.requested', { code: 'NOT_A_PARTICIPANT' })]).snapshot.value).toBe('refused');
  });

  it('"go to your home branch" is not a transfer reason', () => {
    const r = run([...start, ev('transfer.requested', { targetBranch: 'SMG01', reason: 'HOME_BRANCH', slaDeadline: wib('2026-03-03') })]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('JMO reset', () => {
  const input = (config = DEFAULT_CASE_CONFIG) => ({ caseId: 'J-1', nik: makeNik('1992-11-23'), config });
  const run = (events: ReturnType<typeof ev>[], config = DEFAULT_CASE_CONFIG) => replay(jmoResetMachine, input(config), events);
  const verified = (at?: string) => ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, officer, at);

  it.each(['08:00', '08:31', '09:15', '14:59'])('is served at %s on a weekday: there is no reset window', (time) => {
    const at = wib('2026-03-02', time);
    const r = run([
      verified(at),
      ev('contact.updated', { email: 'peserta@example.com', phone: '+6281234567890' }, officer, at),
      ev('reset.requested', {}, officer, at),
      ev('reset.confirmed', {}, officer, at),
      ev('receipt.issued', {}, officer, at),
    ]);
    expect(r.snapshot.value).toBe('closed');
    expect(run([ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '08:00' } }, officer, at)]).snapshot.value).toBe('identity');
  });

  it.each([
    { at: wib('2026-03-02', '07:59'), appt: { date: '2026-03-02', time: '08:00' }, label: 'before opening (appointment same morning)' },
    { at: wib('2026-03-02', '15:00'), appt: { date: '2026-03-03', time: '08:00' }, label: 'at closing time' },
    { at: wib('2026-03-07', '10:00'), appt: { date: '2026-03-09', time: '10:00' }, label: 'on Saturday' },
  ])('OUTSIDE_SERVICE_HOURS holds $label', ({ at, appt }) => {
    expect(run([ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: appt }, officer, at)]).snapshot.value).toBe('refused');
  });

  it('service hours are configuration: a branch open on Saturday cannot refuse on Saturday', () => {
    const config = { ...DEFAULT_CASE_CONFIG, serviceHours: { ...DEFAULT_SERVICE_HOURS, sat: { open: '08:00', close: '12:00' } } };
    const r = run([ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-09', time: '10:00' } }, officer, wib('2026-03-07', '10:00'))], config);
    expect(r.snapshot.value).toBe('identity');
  });

  it('identity is verified in person: e-KTP, NIK and KPJ must match', () => {
    const mismatch = ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false });
    expect(run([mismatch]).snapshot.value).toBe('identity');
    expect(run([mismatch, ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' })]).snapshot.value).toBe('refused');
    expect(run([verified()]).snapshot.value).toBe('contact');
  });

  it.each([
    { email: 'peserta@example.com', phone: '081234567890', ok: true },
    { email: 'peserta@example', phone: '081234567890', ok: false },
    { email: 'peserta@example.com', phone: '0212345678', ok: false },
    { email: 'peserta@example.com', phone: '+6281234567890', ok: true },
  ])('contact $email / $phone valid: $ok', ({ email, phone, ok }) => {
    const r = run([verified(), ev('contact.updated', { email, phone })]);
    expect(r.snapshot.value).toBe(ok ? 'resetPending' : 'contact');
    expect((r.snapshot.context).contact !== null).toBe(ok);
  });
});

describe('triage at the door', () => {
  const capacity = { ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jmo-reset': 40 } };
  // Events are loosely typed here: several tests send a variant with a wrong or extra field on purpose.
  const run = (issued: number, events: (ReturnType<typeof ev> & Record<string, unknown>)[]) => replay(triageMachine, { config: capacity, issuedToday: { 'jmo-reset': issued } }, events);
  const need = ev('need.stated', { need: 'jmo-reset' }, security);
  const ticket = ev('ticket.issued', { service: 'jmo-reset', nik: NIK_56, number: 'C1-040' }, security);
  const appt = (date: string, time: string) => ev('appointment.booked', { service: 'jmo-reset', nik: NIK_56, appointment: { date, time } }, security);

  it.each([
    { issued: 39, ticket: true },
    { issued: 40, ticket: false },
  ])('with $issued of 40 issued: ticket $ticket, else a guaranteed appointment', ({ issued, ticket: ok }) => {
    expect(run(issued, [need, ticket]).snapshot.value).toBe(ok ? 'ticketIssued' : 'issuing');
    expect(run(issued, [need, appt('2026-03-03', '09:00')]).snapshot.value).toBe(ok ? 'issuing' : 'appointmentBooked');
  });

  it.each([
    { date: '2026-03-02', time: '14:00', label: 'today' },
    { date: '2026-03-03', time: '07:00', label: 'before opening ("come early tomorrow")' },
    { date: '2026-03-07', time: '09:00', label: 'on a closed day' },
  ])('an appointment $label is not a guaranteed appointment', ({ date, time }) => {
    expect(run(40, [need, appt(date, time)]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('tickets are personal: a NIK with an impossible birth date is rejected', () => {
    const bad = ev('ticket.issued', { service: 'jmo-reset', nik: '3171013202900001', number: 'C1-041' }, security);
    expect(run(0, [need, bad]).rejected?.reason).toBe('GUARD_FAILED');
    expect((run(0, [need, ticket]).snapshot.context).ticket?.nik).toBe(NIK_56);
  });

  it('answers info questions only from the catalog, and has no refusal or redirect at all', () => {
    const info = [ev('need.stated', { need: 'info' }, security), ev('info.asked', { topic: 'jmoReset' }, security)];
    expect(run(0, [...info, ev('visit.ended', {}, security)]).snapshot.value).toBe('answered');
    expect(run(0, [...info.slice(0, 1), ev('info.asked', { topic: 'resetWindow' }, security)]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run(0, [need, ev('refusal.requested', { code: 'QUOTA_FULL' }, security)]).rejected?.reason).toBe('INVALID_EVENT');
    expect(triageMachine.root.events.filter((t) => /^(refusal|transfer)\./.test(t))).toEqual([]);
  });

  it('the person cannot be sent away after stating a service need', () => {
    expect(run(0, [need, ev('visit.ended', {}, security)]).rejected?.reason).toBe('NOT_EXPECTED_IN_STATE');
  });

  // Issue 16 pt 7: switching the need to "info" does not end a visit whose service need was stated.
  it('a stated service need is not ended by switching the need to info and ending the visit', () => {
    const info = [ev('need.stated', { need: 'info' }, security), ev('info.asked', { topic: 'jmoReset' }, security)];
    const r = run(0, [need, ...info, ev('visit.ended', {}, security)]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
    expect(r.snapshot.status).toBe('active');
  });

  it('a visit with a stated need ends with a ticket, an appointment, or "declined by the person" with the info given', () => {
    const declined = ev('visit.declined', { service: 'jmo-reset', offered: 'ticket', info: ['jmoReset'] }, security);
    const r = run(0, [need, ev('need.stated', { need: 'info' }, security), ev('info.asked', { topic: 'jmoReset' }, security), declined]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('declined');
    expect(r.snapshot.context.declined).toEqual({ service: 'jmo-reset', offered: 'ticket', info: ['jmoReset'], at: declined.at, staffId: security.staffId });
    // Declining another service than the one stated, an invented topic, or with no need stated: not taken.
    expect(run(0, [need, { ...declined, service: 'jht-claim' }]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run(0, [need, { ...declined, info: ['resetWindow'] }]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run(0, [ev('need.stated', { need: 'info' }, security), declined]).rejected?.reason).toBe('GUARD_FAILED');
    // Only the person declines an appointment when today is full (no ticket was available to offer).
    expect(run(40, [need, declined]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run(40, [need, { ...declined, offered: 'appointment' }]).snapshot.value).toBe('declined');
  });

  it('an appointment holder is checked in on their appointment: no capacity taken again (the appointment counted it)', () => {
    const checkIn = ev('appointment.checkedIn', { service: 'jmo-reset', nik: NIK_56, number: 'C1-012' }, security);
    // Today full: the check-in still ends the visit with their ticket.
    const r = run(40, [need, checkIn]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('checkedIn');
    expect(r.snapshot.context.ticket).toMatchObject({ service: 'jmo-reset', number: 'C1-012', checkedIn: true });
    expect(run(0, [need, { ...checkIn, number: 'A1-012' }]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('a ticket may be marked priority with a category from UU 25/2009 Art. 29, nothing else', () => {
    const r = run(0, [need, { ...ticket, priority: 'elderly' }]);
    expect(r.snapshot.context.ticket?.priority).toBe('elderly');
    expect(run(0, [need, { ...ticket, priority: 'vip' }]).rejected?.reason).toBe('INVALID_EVENT');
  });

  it('admin is not a triage role', () => {
    expect(run(0, [ev('need.stated', { need: 'info' }, admin)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('ticket', () => {
  const input = (n = 3) => ({ number: 'A1-004', service: 'jht-claim' as const, issuedAt: wib('2026-03-02', '08:05'), config: { ...DEFAULT_QUEUE_CONFIG, noShowAfterCalls: n } });
  const call = (time: string) => ev('ticket.called', { counter: '3' }, officer, wib('2026-03-02', time));
  const recall = (time: string) => ev('ticket.recalled', {}, officer, wib('2026-03-02', time));
  const noShow = ev('ticket.noShowMarked', { rule: 'spacedCalls' as const }, officer, wib('2026-03-02', '09:30'));

  it.each([
    { n: 3, calls: 2, noShow: false },
    { n: 3, calls: 3, noShow: true },
    { n: 2, calls: 2, noShow: true },
  ])('no-show after $n calls: with $calls calls → $noShow', ({ n, calls, noShow: ok }) => {
    const events = [call('09:00'), ...['09:05', '09:10'].slice(0, calls - 1).map(recall), noShow];
    expect(replay(ticketMachine, input(n), events).snapshot.value).toBe(ok ? 'noShow' : 'called');
  });

  it('can be called again beyond N times (the spacing rule is in ticket.rules.test.ts)', () => {
    expect(replay(ticketMachine, input(2), [call('09:00'), recall('09:05'), recall('09:10')]).rejected).toBeNull();
  });

  it('time-stamps every transition for the wait statistics', () => {
    const r = replay(ticketMachine, input(), [
      call('09:00'),
      ev('service.started', {}, officer, wib('2026-03-02', '09:02')),
      ev('ticket.transferred', { toService: 'bpu-resignation' }, officer, wib('2026-03-02', '09:20')),
    ]);
    const c = r.snapshot.context;
    expect(c.timeline.map((t) => [t.state, t.at.slice(11, 16)])).toEqual([
      ['waiting', '08:05'],
      ['called', '09:00'],
      ['serving', '09:02'],
      ['transferred', '09:20'],
    ]);
    expect(waitMinutes(c)).toBe(55);
  });

  it('security does not call tickets', () => {
    expect(replay(ticketMachine, input(), [ev('ticket.called', { counter: '3' }, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('refusal review (branch head)', () => {
  const input = { caseId: 'C-1', flow: 'jht-claim' as const, refusal: sampleRefusal };
  it('only the head decides', () => {
    expect(replay(refusalReviewMachine, input, [ev('review.upheld', {}, officer)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(replay(refusalReviewMachine, input, [ev('review.upheld', {}, admin)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(replay(refusalReviewMachine, input, [ev('review.upheld', {}, head)]).snapshot.value).toBe('upheld');
  });

  it('an overturn is tagged with an Ombudsman category and opens a follow-up', () => {
    const r = replay(refusalReviewMachine, input, [ev('review.overturned', { category: 'proceduralDeviation', followUp: 'reopenCase' }, head)]);
    expect(r.snapshot.value).toBe('overturned');
    expect((r.snapshot.context).decision).toMatchObject({ kind: 'overturned', category: 'proceduralDeviation', followUp: 'reopenCase' });
    expect(r.emitted).toEqual([expect.objectContaining({ type: 'followUp.opened', followUp: 'reopenCase', caseId: 'C-1' })]);
  });

  it('an appointment follow-up needs the slot; an unknown category is not accepted', () => {
    expect(replay(refusalReviewMachine, input, [ev('review.overturned', { category: 'undueDelay', followUp: 'appointment' }, head)]).rejected?.reason).toBe('GUARD_FAILED');
    expect(replay(refusalReviewMachine, input, [ev('review.overturned', { category: 'rudeness', followUp: 'callBack' }, head)]).rejected?.reason).toBe('INVALID_EVENT');
  });

  it('an appointment follow-up is a slot the branch serves in: an open day, from opening to before closing', () => {
    const overturn = (date: string, time: string, refusal = sampleRefusal) =>
      replay(refusalReviewMachine, { ...input, refusal }, [ev('review.overturned', { category: 'undueDelay', followUp: 'appointment', appointment: { date, time } }, head)]);
    // 2026-03-04 is a Wednesday (08:00–15:00 by default); 2026-03-08 a Sunday; 2026-03-19 Nyepi.
    expect(overturn('2026-03-04', '08:00').snapshot.value).toBe('overturned');
    expect(overturn('2026-03-04', '14:59').snapshot.value).toBe('overturned');
    for (const [date, time] of [['2026-03-04', '07:59'], ['2026-03-04', '15:00'], ['2026-03-04', '16:30'], ['2026-03-08', '09:00'], ['2026-03-19', '09:00']] as const) {
      expect(overturn(date, time).rejected?.reason, `${date} ${time}`).toBe('GUARD_FAILED');
    }
    // The branch's own closures, from the refusal's facts.
    const closedLocally = { ...sampleRefusal, facts: { ...sampleRefusal.facts, localClosures: ['2026-03-04'] } };
    expect(overturn('2026-03-04', '09:00', closedLocally).rejected?.reason).toBe('GUARD_FAILED');
    expect(overturn('2026-03-05', '09:00', closedLocally).snapshot.value).toBe('overturned');
    expect(reviewSlotProblem(sampleRefusal, { date: '2026-03-08', time: '09:00' })).toBe('CLOSED_DAY');
    expect(reviewSlotProblem(sampleRefusal, { date: '2026-03-04', time: '15:00' })).toBe('OUTSIDE_HOURS');
    expect(reviewSlotProblem(sampleRefusal, { date: '2026-03-04', time: '09:00' })).toBeNull();
  });
});

describe('triage ticket numbers', () => {
  it('the number carries the service letter', () => {
    const need = ev('need.stated', { need: 'bpu-resignation' }, security);
    const run = (number: string) =>
      replay(triageMachine, { config: DEFAULT_QUEUE_CONFIG, issuedToday: {} }, [need, ev('ticket.issued', { service: 'bpu-resignation', nik: NIK_56, number }, security)]);
    expect(run('B2-017').snapshot.value).toBe('ticketIssued');
    expect(run('A2-017').rejected?.reason).toBe('GUARD_FAILED');
  });
});
