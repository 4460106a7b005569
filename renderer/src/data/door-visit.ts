import type { SlotProblem } from '@shared/calendar';
import type { QueueConfig } from '@shared/cases/config';
import { SERVICE_LETTER, type Appointment, type PriorityCategory, type Service, type TriageEvent } from '@shared/cases/schema';
import type { InfoTopic } from '@shared/policy/info';
import type { AuditActor } from './audit-chain';
import type { LocalData } from './DataProvider';
import type { TicketDoc } from './db/schemas';
import { AppointmentTodayError, CapacityReachedError, CheckInError, LaterDateError, NoAppointmentSlotError, SameDayTicketError, type DoorBoard } from './db/ticket-desk';
import type { WaitEstimate } from '@shared/queue/planning';

/**
 * The door's orchestration (issue 19 pt 6), below the screen: for one stated need, what is written
 * (check-in on today's appointment, a ticket, or an appointment when today is full; or a recorded
 * decline) and the triage event that records it. Each step first asks the machine (`offer`) whether
 * it takes the event, so nothing is written that the visit cannot record. The screen turns the
 * outcome into words and a print.
 */

/** The visit's machine, as the orchestration sees it: the event if it can take it now, else null. */
export type Offer = (event: unknown) => TriageEvent | null;

export type DoorResult =
  | { kind: 'ticket'; doc: TicketDoc; estimate: WaitEstimate }
  /** `bySlip`: checked in on the scan of the appointment slip alone (issue 21). */
  | { kind: 'checkedIn'; doc: TicketDoc; estimate: WaitEstimate; bySlip?: true }
  | { kind: 'appointment'; doc: TicketDoc; appointment: Appointment }
  | {
      kind: 'declined';
      reference: string;
      service: Service;
      offered: { kind: 'ticket'; ahead: number; waitMinutes: number } | { kind: 'appointment'; appointment: Appointment | null };
      info: InfoTopic[];
      at: string;
    };

/** Why the door could not serve the need, for the screen to say in words. */
export type DoorProblem =
  | { why: 'notOffered' }
  | { why: 'noSlot' }
  | { why: 'laterDate'; date: string; problem: SlotProblem }
  | { why: 'capacityReached' }
  | { why: 'sameDayTicket'; number: string }
  | { why: 'appointmentToday'; number: string; time: string }
  | { why: 'checkIn'; message: string }
  | { why: 'save'; message: string }
  /** Issue 21: a scanned slip this branch does not hold, for another day, or already checked in (or finished). */
  | { why: 'slipUnknown' }
  | { why: 'slipNotToday'; date: string }
  | { why: 'slipDone'; number: string };

export type DoorOutcome = { ok: true; result: DoorResult; event: TriageEvent } | { ok: false; problem: DoorProblem };

interface DoorContext {
  data: Pick<LocalData, 'tickets'>;
  config: QueueConfig;
  by: AuditActor;
  /** The stamp every triage event carries: when and by whom. */
  stamp: () => { at: string; actor: TriageEvent['actor'] };
  offer: Offer;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Serve a stated need: an appointment holder on their day is checked in on it (counted once, full or
 * not); otherwise a ticket while today has room; otherwise the earliest free slot, or the later date
 * the person asked for (recorded as theirs).
 */
export async function serveNeed(
  ctx: DoorContext & { counters: number; deviceSlot: number },
  need: { service: Service; nik: string; full: boolean; priority: PriorityCategory | null; personAsked: string | null },
): Promise<DoorOutcome> {
  const { data, config, by, stamp, offer, counters, deviceSlot } = ctx;
  const { service, nik, full, priority, personAsked } = need;
  const prio = priority ? { priority } : {};
  try {
    const booked = await data.tickets.appointmentToday(nik, service);
    if (booked) {
      const probe = { type: 'appointment.checkedIn', service, nik, number: booked.number, ...prio, ...stamp() };
      if (!offer(probe)) return { ok: false, problem: { why: 'notOffered' } };
      const doc = await data.tickets.checkIn(booked.id, by, prio);
      const estimate = await data.tickets.estimateFor({ service, day: doc.appointment!.date, issuedAt: doc.checkedInAt! }, config, counters);
      return { ok: true, result: { kind: 'checkedIn', doc, estimate }, event: { ...probe, at: doc.checkedInAt! } as TriageEvent };
    }
    if (!full) {
      const probe = { type: 'ticket.issued', service, nik, number: `${SERVICE_LETTER[service]}${deviceSlot}-001`, ...prio, ...stamp() };
      if (!offer(probe)) return { ok: false, problem: { why: 'notOffered' } };
      const doc = await data.tickets.issue({ service, nik, ...prio }, by, { dailyCapacity: config.dailyCapacity[service] });
      const estimate = await data.tickets.estimateFor(doc, config, counters);
      return { ok: true, result: { kind: 'ticket', doc, estimate }, event: { ...probe, number: doc.number, at: doc.issuedAt } as TriageEvent };
    }
    let proposal: Appointment | null;
    if (personAsked) {
      const later = await data.tickets.proposeLaterDate(service, config, personAsked);
      if (!later.ok) return { ok: false, problem: { why: 'laterDate', date: personAsked, problem: later.problem } };
      proposal = later.appointment;
    } else proposal = await data.tickets.proposeAppointment(service, config);
    if (!proposal) return { ok: false, problem: { why: 'noSlot' } };
    const probe = { type: 'appointment.booked', service, nik, appointment: proposal, ...stamp() };
    if (!offer(probe)) return { ok: false, problem: { why: 'notOffered' } };
    const doc = await data.tickets.bookAppointment({ service, nik, ...(personAsked ? { personAsked } : {}) }, by, config);
    const appointment = doc.appointment!;
    return { ok: true, result: { kind: 'appointment', doc, appointment }, event: { ...probe, appointment, at: doc.issuedAt } as TriageEvent };
  } catch (e) {
    if (e instanceof CapacityReachedError) return { ok: false, problem: { why: 'capacityReached' } };
    if (e instanceof NoAppointmentSlotError) return { ok: false, problem: { why: 'noSlot' } };
    if (e instanceof LaterDateError) return { ok: false, problem: { why: 'laterDate', date: e.date, problem: e.problem } };
    if (e instanceof SameDayTicketError) return { ok: false, problem: { why: 'sameDayTicket', number: e.number } };
    if (e instanceof AppointmentTodayError) return { ok: false, problem: { why: 'appointmentToday', number: e.number, time: e.time } };
    if (e instanceof CheckInError) return { ok: false, problem: { why: 'checkIn', message: e.message } };
    return { ok: false, problem: { why: 'save', message: messageOf(e) } };
  }
}

/** The appointment as the branch holds it when its slip is scanned (the triage event's `held`). */
function heldOf(doc: TicketDoc): 'waiting' | 'checkedIn' | 'closed' {
  if (doc.checkedInAt) return 'checkedIn';
  return doc.status === 'waiting' ? 'waiting' : 'closed';
}

/**
 * Issue 21: an appointment slip's QR scanned between visits checks its holder in on the scan alone:
 * the triage event carries the slip's reference, the appointment as this branch holds it, and the
 * NIK hash recorded at booking, so no NIK is typed (identity is checked at the counter, as for
 * everyone). The visit's machine decides (this branch, today, still waiting); nothing is written
 * when it refuses. The ticket is the same as a check-in by NIK: counted once, called at its slot.
 */
export async function serveSlip(ctx: DoorContext & { counters: number }, slip: { reference: string }): Promise<DoorOutcome> {
  const { data, config, by, stamp, offer, counters } = ctx;
  try {
    const found = await data.tickets.scannedAppointment(slip.reference);
    if (!found) return { ok: false, problem: { why: 'slipUnknown' } };
    const booked = found.doc;
    const appointment = booked.appointment!;
    const probe = {
      type: 'appointment.checkedInBySlip',
      service: booked.service,
      reference: slip.reference,
      number: booked.number,
      nikHash: booked.nikHash,
      appointment: appointment.chosenByPerson ? { date: appointment.date, time: appointment.time, chosenByPerson: true } : { date: appointment.date, time: appointment.time },
      held: heldOf(booked),
      ...stamp(),
    };
    if (!offer(probe)) {
      if (found.ok) return { ok: false, problem: { why: 'notOffered' } };
      return { ok: false, problem: found.why === 'done' ? { why: 'slipDone', number: booked.number } : { why: 'slipNotToday', date: appointment.date } };
    }
    const doc = await data.tickets.checkIn(booked.id, by, { via: 'slip' });
    const estimate = await data.tickets.estimateFor({ service: doc.service, day: doc.appointment!.date, issuedAt: doc.checkedInAt! }, config, counters);
    return { ok: true, result: { kind: 'checkedIn', doc, estimate, bySlip: true }, event: { ...probe, at: doc.checkedInAt! } as TriageEvent };
  } catch (e) {
    if (e instanceof CheckInError) return { ok: false, problem: { why: 'checkIn', message: e.message } };
    return { ok: false, problem: { why: 'save', message: messageOf(e) } };
  }
}

/**
 * Issue 16: the person declined what the door offers for the service they named. Recorded (audit
 * chain, counted for the head) with what was offered and the info given, which is printed for them.
 */
export async function declineNeed(
  ctx: DoorContext & { board: DoorBoard },
  visit: { service: Service; full: boolean; info: InfoTopic[] },
): Promise<DoorOutcome> {
  const { data, config, by, stamp, offer, board } = ctx;
  const { service, full, info } = visit;
  const probe = { type: 'visit.declined', service, offered: full ? 'appointment' : 'ticket', info, ...stamp() };
  if (!offer(probe)) return { ok: false, problem: { why: 'notOffered' } };
  try {
    const offered = full
      ? ({ kind: 'appointment', appointment: await data.tickets.proposeAppointment(service, config).catch(() => null) } as const)
      : ({ kind: 'ticket', ahead: board.services[service].estimate.ahead, waitMinutes: board.services[service].estimate.minutes } as const);
    const rec = await data.tickets.recordDecline({ service, offered: full ? 'appointment' : 'ticket', info }, by);
    return { ok: true, result: { kind: 'declined', reference: rec.id, service, offered, info, at: rec.at }, event: { ...probe, at: rec.at } as TriageEvent };
  } catch (e) {
    return { ok: false, problem: { why: 'save', message: messageOf(e) } };
  }
}
