import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { replay } from '@state-machines/replay';
import { triageMachine, type TriageInput } from '@state-machines/triage.machine';
import { NIK_56, ev, security, wib } from './fixtures';

// Boundary tests for the door machine's configuration (the module-load, "static" mutants of
// Stryker, issue 16): the print effects the door supplies run on every outcome that hands the
// person a paper, every outcome is final, and a replay checks door events against their schema
// (found by the machine's id).

const MONDAY = wib('2026-03-02', '10:00');
const cap = (n: number): QueueConfig => ({ ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'bpu-resignation': n } });
const input = (issued = 3, capacity = 10): TriageInput => ({ config: cap(capacity), issuedToday: { 'bpu-resignation': issued } });
const need = (service: string, at = MONDAY) => ev('need.stated', { need: service }, security, at);
/** A need stated after the visit ended. */
const later = () => need('jmo-reset', wib('2026-03-02', '10:30'));
const ticket = () => ev('ticket.issued', { service: 'bpu-resignation', nik: NIK_56, number: 'B1-004' }, security, wib('2026-03-02', '10:01'));
const book = () => ev('appointment.booked', { service: 'bpu-resignation', nik: NIK_56, appointment: { date: '2026-03-03', time: '09:00' } }, security, wib('2026-03-02', '10:02'));
const checkIn = () => ev('appointment.checkedIn', { service: 'bpu-resignation', nik: NIK_56, number: 'B1-002' }, security, wib('2026-03-02', '10:03'));
const ask = () => ev('info.asked', { topic: 'bpuStop' }, security, wib('2026-03-02', '10:04'));
const decline = () => ev('visit.declined', { service: 'bpu-resignation', offered: 'ticket', info: ['bpuStop'] }, security, wib('2026-03-02', '10:05'));
const ended = () => ev('visit.ended', {}, security, wib('2026-03-02', '10:06'));

/** Runs the events on a live actor with the door's print effects counted. */
function printsOf(events: ReturnType<typeof ev>[], start: TriageInput = input()) {
  const printed = { ticket: 0, declineSlip: 0 };
  const machine = triageMachine.provide({
    actions: {
      printTicket: () => {
        printed.ticket += 1;
      },
      printDeclineSlip: () => {
        printed.declineSlip += 1;
      },
    },
  });
  const actor = createActor(machine, { input: start }).start();
  for (const e of events) actor.send(e as never);
  const snap = actor.getSnapshot();
  actor.stop();
  return { printed, value: snap.value, status: snap.status };
}

describe('door machine configuration (static mutants)', () => {
  it('a ticket, an appointment and a check-in each print the person’s slip once', () => {
    expect(printsOf([need('bpu-resignation'), ticket()])).toEqual({ printed: { ticket: 1, declineSlip: 0 }, value: 'ticketIssued', status: 'done' });
    expect(printsOf([need('bpu-resignation'), book()], input(10))).toEqual({ printed: { ticket: 1, declineSlip: 0 }, value: 'appointmentBooked', status: 'done' });
    expect(printsOf([need('bpu-resignation'), checkIn()])).toEqual({ printed: { ticket: 1, declineSlip: 0 }, value: 'checkedIn', status: 'done' });
  });

  it('a decline prints the information given, from the issuing step and after info questions', () => {
    expect(printsOf([need('bpu-resignation'), decline()])).toEqual({ printed: { ticket: 0, declineSlip: 1 }, value: 'declined', status: 'done' });
    expect(printsOf([need('bpu-resignation'), need('info'), ask(), decline()])).toEqual({ printed: { ticket: 0, declineSlip: 1 }, value: 'declined', status: 'done' });
  });

  it('an info-only visit ends answered, finished, with nothing printed', () => {
    expect(printsOf([need('info'), ask(), ended()])).toEqual({ printed: { ticket: 0, declineSlip: 0 }, value: 'answered', status: 'done' });
  });

  it('every outcome is final: nothing more is accepted after it', () => {
    for (const events of [[need('bpu-resignation'), ticket()], [need('bpu-resignation'), checkIn()], [need('bpu-resignation'), decline()], [need('info'), ask(), ended()]]) {
      const r = replay(triageMachine, input(), [...events, later()]);
      expect(r.snapshot.status).toBe('done');
      expect(r.rejected).toMatchObject({ index: events.length, reason: 'CASE_FINISHED' });
    }
    const booked = replay(triageMachine, input(10), [need('bpu-resignation'), book(), later()]);
    expect(booked.rejected).toMatchObject({ index: 2, reason: 'CASE_FINISHED' });
  });

  it('a visit starts by asking the need: nothing is issued before it', () => {
    const r = replay(triageMachine, input(), [ticket()]);
    expect(r.snapshot.value).toBe('askingNeed');
    expect(r.rejected).toMatchObject({ index: 0 });
  });

  it('a replay checks door events against the door schema: a need that is no service is invalid', () => {
    const r = replay(triageMachine, input(), [ev('need.stated', { need: 'tukar-uang' }, security, MONDAY)]);
    expect(r.rejected).toMatchObject({ index: 0, reason: 'INVALID_EVENT' });
  });
});
