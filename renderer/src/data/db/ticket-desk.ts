import { z } from 'zod';
import type { QueueConfig } from '@shared/cases/config';
import { Appointment, PriorityCategory, Service } from '@shared/cases/schema';
import type { SlotProblem, SlotProposal } from '@shared/calendar';
import { CalendarDateSchema } from '@shared/dates';
import { Nik } from '@shared/identity/nik';
import type { AuditActor } from '../audit-chain';
import type { NikHasher } from '../nik-hash';
import { allocateAppointment, doorSlot, estimateWait, placesTaken, type PerService, type PlannedTicket, type WaitEstimate } from '@shared/queue/planning';
import type { TicketAllocator } from '@shared/queue/ticket-numbers';
import { branchDayOf } from '../branch-clock';
import type { LoketDatabase } from './database';
import type { TicketDoc, TicketStatus } from './schemas';
import { rxCounterStore, type AuditLog } from './stores';
import { beginMirror } from './write-mirror';

export const IssueTicket = z.object({
  service: Service,
  nik: Nik,
  appointment: Appointment.optional(),
  /** Priority service (UU 25/2009 Art. 29): the category only. */
  priority: PriorityCategory.optional(),
});
export type IssueTicket = z.input<typeof IssueTicket>;

/** `via: 'slip'`: checked in on the scan of the appointment slip alone, no NIK typed (issue 21); audited as such. */
export const CheckIn = z.object({ priority: PriorityCategory.optional(), via: z.literal('slip').optional() });
export type CheckIn = z.input<typeof CheckIn>;

/** "Declined by the person" at the door: the service asked for, what was offered, the info given (catalog topics). */
export const DoorDecline = z.object({
  service: Service,
  offered: z.enum(['ticket', 'appointment']),
  info: z.array(z.string().min(1).max(40)).max(20),
});
export type DoorDecline = z.input<typeof DoorDecline>;

/** The audit action of a door decline: the head's dashboard counts these per staff member. */
export const DOOR_DECLINE_ACTION = 'visit.declined';

export const BookAppointment = z.object({
  service: Service,
  nik: Nik,
  /** A later date the person asked for (DOMAIN "Queue"): its first free slot, recorded as their choice. */
  personAsked: CalendarDateSchema.optional(),
});
export type BookAppointment = z.input<typeof BookAppointment>;

/** Today's places for a service are all taken: the person gets a guaranteed appointment instead. */
export class CapacityReachedError extends Error {
  override readonly name = 'CapacityReachedError';
  readonly code = 'CAPACITY_REACHED';
  constructor(readonly service: Service) {
    super(`Today's capacity for ${service} is reached: book a guaranteed appointment.`);
  }
}

/**
 * The person already has a ticket for this service today that was marked a no-show: they are
 * served on that same ticket (DOMAIN.md), which a counter puts back in the queue. No second
 * ticket, so they are not counted against capacity twice.
 */
export class SameDayTicketError extends Error {
  override readonly name = 'SameDayTicketError';
  readonly code = 'SAME_DAY_TICKET';
  constructor(
    readonly service: Service,
    readonly ticketId: string,
    readonly number: string,
  ) {
    super(`This person's ticket ${number} for ${service} today was marked a no-show: serve them on it.`);
  }
}

/**
 * The person has an appointment for this service today: they are checked in on it (served at their
 * slot, already counted in today's places), not given a walk-in ticket that would count them twice.
 */
export class AppointmentTodayError extends Error {
  override readonly name = 'AppointmentTodayError';
  readonly code = 'APPOINTMENT_TODAY';
  constructor(
    readonly service: Service,
    readonly ticketId: string,
    readonly number: string,
    readonly time: string,
  ) {
    super(`This person has an appointment for ${service} today at ${time} (${number}): check them in on it.`);
  }
}

/** The appointment cannot be checked in: not found, not today's, no longer waiting, or already checked in. */
export class CheckInError extends Error {
  override readonly name = 'CheckInError';
  readonly code = 'CHECK_IN_REFUSED';
}

/**
 * The later date the person asked for cannot be given: a closed day (weekend, holiday, joint leave,
 * local closure), before the earliest free slot, or already full. Nothing is booked; the door says why.
 */
export class LaterDateError extends Error {
  override readonly name = 'LaterDateError';
  readonly code = 'LATER_DATE_REFUSED';
  constructor(
    readonly date: string,
    readonly problem: SlotProblem,
  ) {
    super(`No appointment on ${date}: ${problem.why}`);
  }
}

/** The reason alone, without the proposal's `ok` flag. */
function problemOf(p: SlotProposal & { ok: false }): SlotProblem {
  const { ok, ...problem } = p;
  void ok;
  return problem;
}

/** No free slot within the horizon (the branch's hours or capacities leave none): the head must act. */
export class NoAppointmentSlotError extends Error {
  override readonly name = 'NoAppointmentSlotError';
  readonly code = 'NO_APPOINTMENT_SLOT';
  constructor(readonly service: Service) {
    super(`No free appointment slot for ${service} within the horizon.`);
  }
}

export interface ServiceBoard {
  /** Places taken today (walk-in tickets plus appointments booked for today). */
  issued: number;
  capacity: number;
  remaining: number;
  /** Walk-in tickets still waiting now. */
  waiting: number;
  /** The estimate for the next person issued now. */
  estimate: WaitEstimate;
}

export interface DoorBoard {
  day: string;
  services: PerService<ServiceBoard>;
}

/**
 * Tickets: personal (bound to the NIK through its keyed hash), numbered offline per device slot,
 * audited when issued. The queue query is served by the (branch, service, status, issuedAt) index.
 *
 * Appointments are tickets too (`appointment` set): their number is reserved on the day of booking
 * (never reused) and they take a place on the appointment's date, not in today's queue.
 */
export class TicketDesk {
  // Issues and bookings on this page run one after another, so the capacity check and the write
  // that takes the place cannot interleave with another issue.
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: LoketDatabase,
    private readonly hashNik: NikHasher,
    private readonly allocator: TicketAllocator,
    private readonly audit: AuditLog,
    private readonly branchCode: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.serial.then(task, task);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** The branch's calendar day now (Asia/Jakarta). */
  today(): string {
    return branchDayOf(this.now());
  }

  /**
   * Issues a walk-in ticket. With `limits.dailyCapacity`, refuses with CapacityReachedError when
   * today's places for the service are all taken (checked and written in one serial step).
   */
  issue(request: IssueTicket, by: AuditActor, limits: { dailyCapacity?: number } = {}): Promise<TicketDoc> {
    return this.serially(async () => {
      const r = IssueTicket.parse(request);
      if (!r.appointment) {
        const nikHash = await this.hashNik(r.nik);
        const absent = (await this.db.tickets.find({ selector: { branchCode: this.branchCode, nikHash, day: this.today(), service: r.service, status: 'no-show' } }).exec())[0];
        if (absent) throw new SameDayTicketError(r.service, absent.id, absent.number);
        const booked = await this.findAppointmentToday(nikHash, r.service);
        if (booked) throw new AppointmentTodayError(r.service, booked.id, booked.number, booked.appointment!.time);
      }
      if (limits.dailyCapacity !== undefined && !r.appointment) {
        const taken = placesTaken(await this.ticketsOn(this.today()), this.today())[r.service];
        if (taken >= limits.dailyCapacity) throw new CapacityReachedError(r.service);
      }
      return this.insert(r, by);
    });
  }

  /**
   * Books a guaranteed appointment: the first free slot on a later service day with room (see
   * `allocateAppointment`). Each slot is also reserved in this device's counter store by
   * compare-and-set before the ticket is written, so a slot is never handed out twice here even
   * if the write of an earlier booking is still in flight.
   */
  bookAppointment(request: BookAppointment, by: AuditActor, config: QueueConfig): Promise<TicketDoc> {
    return this.serially(async () => {
      const r = BookAppointment.parse(request);
      const today = this.today();
      const booked = (await this.appointmentsAfter(today)).filter((t) => t.service === r.service).map((t) => t.appointment!);
      const store = rxCounterStore(this.db.counters, this.now);
      const key = (a: Appointment) => `${this.branchCode}/appointment/${r.service}/${a.date}/${a.time}`;
      const tried = new Set<string>();
      for (;;) {
        const proposal = doorSlot({ service: r.service, today, config, booked, taken: (a) => tried.has(key(a)), ...(r.personAsked ? { personAsked: r.personAsked } : {}) });
        if (!proposal.ok) {
          if (r.personAsked && proposal.why !== 'NO_SLOT') throw new LaterDateError(r.personAsked, problemOf(proposal));
          throw new NoAppointmentSlotError(r.service);
        }
        const slot: Appointment = proposal.chosenByPerson ? { date: proposal.date, time: proposal.time, chosenByPerson: true } : { date: proposal.date, time: proposal.time };
        tried.add(key(slot));
        if (await store.compareAndSet(key(slot), null, 1)) return this.insert({ ...r, appointment: slot }, by);
      }
    });
  }

  /** Today's appointment of this person (by the NIK's keyed hash) for the service, still waiting; null when none. */
  async appointmentToday(nik: string, service: Service): Promise<TicketDoc | null> {
    return this.findAppointmentToday(await this.hashNik(Nik.parse(nik)), Service.parse(service));
  }

  /**
   * Issue 21: the appointment an appointment slip's QR names (its reference, the ticket id
   * branch:day:number; no personal data), read at the door's scanner. 'notToday': booked for another
   * day; 'done': already checked in, served or gone; null: this branch has no such appointment.
   */
  async scannedAppointment(reference: string): Promise<{ ok: true; doc: TicketDoc } | { ok: false; why: 'notToday' | 'done'; doc: TicketDoc } | null> {
    const found = await this.db.tickets.findOne(reference).exec();
    const doc = found?.toMutableJSON();
    if (!doc?.appointment || doc.branchCode !== this.branchCode) return null;
    if (doc.status !== 'waiting' || doc.checkedInAt) return { ok: false, why: 'done', doc };
    if (doc.appointment.date !== this.today()) return { ok: false, why: 'notToday', doc };
    return { ok: true, doc };
  }

  private async findAppointmentToday(nikHash: string, service: Service): Promise<TicketDoc | null> {
    const docs = await this.db.tickets.find({ selector: { branchCode: this.branchCode, nikHash, service, status: 'waiting', 'appointment.date': this.today() } }).exec();
    return docs[0]?.toMutableJSON() ?? null;
  }

  /**
   * Checks an appointment holder in on their day: the appointment joins today's queue (called at
   * its slot ahead of walk-ins, see `callOrder`). Its place was counted when it was booked; nothing
   * is counted again. Audited.
   */
  checkIn(ticketId: string, by: AuditActor, options: CheckIn = {}): Promise<TicketDoc> {
    return this.serially(async () => {
      const o = CheckIn.parse(options);
      const current = await this.db.tickets.findOne(ticketId).exec();
      const today = this.today();
      const at = this.now().toISOString();
      let refused: string | null = current ? null : `no ticket ${ticketId}`;
      const written = current
        ? await current.incrementalModify((doc) => {
            refused = null;
            if (doc.appointment?.date !== today) refused = `ticket ${doc.number} is not an appointment for today`;
            else if (doc.status !== 'waiting') refused = `ticket ${doc.number} is ${doc.status}`;
            else if (doc.checkedInAt) refused = `ticket ${doc.number} was already checked in`;
            if (refused) return doc;
            return { ...doc, checkedInAt: at, updatedAt: at, ...(o.priority ? { priority: o.priority } : {}) };
          })
        : null;
      if (refused || !written) throw new CheckInError(refused ?? `no ticket ${ticketId}`);
      const doc = written.toMutableJSON();
      const mirrored = beginMirror(this.db, [{ collection: 'tickets', id: doc.id, doc }]);
      await this.audit.append({
        at,
        actor: by,
        action: 'appointment.checkedIn',
        subject: { kind: 'ticket', id: doc.id },
        details: { number: doc.number, service: doc.service, appointment: doc.appointment!, ...(doc.priority ? { priority: doc.priority } : {}), ...(o.via ? { via: o.via } : {}) },
      });
      await mirrored();
      return doc;
    });
  }

  /**
   * Records that the person declined the ticket or appointment offered for the service they asked
   * for, with the information they were given (no NIK: they may not have given one). It lands in
   * the device's audit chain, which syncs to HQ, and is counted for the head per staff member.
   */
  async recordDecline(decline: DoorDecline, by: AuditActor): Promise<{ id: string; at: string }> {
    const d = DoorDecline.parse(decline);
    const at = this.now().toISOString();
    const id = `${this.branchCode}:${this.today()}:declined:${globalThis.crypto.randomUUID()}`;
    await this.audit.append({ at, actor: by, action: DOOR_DECLINE_ACTION, subject: { kind: 'visit', id }, details: { service: d.service, offered: d.offered, info: d.info } });
    return { id, at };
  }

  /** The slot `bookAppointment` would give now (not reserved): shown to the guard before booking. */
  async proposeAppointment(service: Service, config: QueueConfig): Promise<Appointment | null> {
    const today = this.today();
    const booked = (await this.appointmentsAfter(today)).filter((t) => t.service === service).map((t) => t.appointment!);
    return allocateAppointment({ service, today, config, booked });
  }

  /**
   * The slot on the later date the person asks for (not reserved), marked as their choice, or why
   * that date cannot be given (closed, too early, full): shown to the guard before booking.
   */
  async proposeLaterDate(service: Service, config: QueueConfig, personAsked: string): Promise<{ ok: true; appointment: Appointment } | { ok: false; problem: SlotProblem }> {
    const date = CalendarDateSchema.parse(personAsked);
    const today = this.today();
    const booked = (await this.appointmentsAfter(today)).filter((t) => t.service === service).map((t) => t.appointment!);
    const p = doorSlot({ service, today, config, booked, personAsked: date });
    if (!p.ok) return { ok: false, problem: problemOf(p) };
    return { ok: true, appointment: p.chosenByPerson ? { date: p.date, time: p.time, chosenByPerson: true } : { date: p.date, time: p.time } };
  }

  private async insert(r: z.output<typeof IssueTicket>, by: AuditActor): Promise<TicketDoc> {
    const issued = await this.allocator.issue(r.service);
    const at = this.now().toISOString();
    const doc: TicketDoc = {
      id: `${this.branchCode}:${issued.day}:${issued.number}`,
      branchCode: this.branchCode,
      service: r.service,
      status: 'waiting',
      number: issued.number,
      day: issued.day,
      slot: issued.slot,
      seq: issued.seq,
      nikHash: await this.hashNik(r.nik),
      issuedAt: at,
      updatedAt: at,
      history: [{ status: 'waiting', at }],
      ...(r.appointment ? { appointment: r.appointment } : {}),
      ...(r.priority ? { priority: r.priority } : {}),
    };
    const inserted = (await this.db.tickets.insert(doc)).toMutableJSON();
    const mirrored = beginMirror(this.db, [{ collection: 'tickets', id: doc.id, doc: inserted }]);
    await this.audit.append({
      at,
      actor: by,
      action: r.appointment ? 'appointment.booked' : 'ticket.issued',
      subject: { kind: 'ticket', id: doc.id },
      details: { number: doc.number, service: doc.service, ...(r.appointment ? { appointment: r.appointment } : {}), ...(r.priority ? { priority: r.priority } : {}) },
    });
    await mirrored();
    return doc;
  }

  /** Tickets that take a place on `day`: issued that day, or booked for it. */
  private async ticketsOn(day: string): Promise<TicketDoc[]> {
    const [walkIns, booked] = await Promise.all([
      this.db.tickets.find({ selector: { branchCode: this.branchCode, day } }).exec(),
      this.db.tickets.find({ selector: { branchCode: this.branchCode, 'appointment.date': day } }).exec(),
    ]);
    const byId = new Map([...walkIns, ...booked].map((d) => [d.id, d.toMutableJSON()]));
    return [...byId.values()];
  }

  private async appointmentsAfter(day: string): Promise<TicketDoc[]> {
    const docs = await this.db.tickets.find({ selector: { branchCode: this.branchCode, 'appointment.date': { $gt: day } } }).exec();
    return docs.map((d) => d.toMutableJSON()).filter((t) => t.appointment !== undefined);
  }

  /** Today at the door: places taken and left per service, people waiting, the next estimate. */
  async board(config: QueueConfig, branchCounters: number): Promise<DoorBoard> {
    const day = this.today();
    const tickets: PlannedTicket[] = await this.ticketsOn(day);
    const taken = placesTaken(tickets, day);
    const services = Object.fromEntries(
      (Object.keys(taken) as Service[]).map((s) => {
        const estimate = estimateWait({ tickets, service: s, day, before: null, config, branchCounters });
        const capacity = config.dailyCapacity[s];
        return [s, { issued: taken[s], capacity, remaining: Math.max(0, capacity - taken[s]), waiting: estimate.ahead, estimate }];
      }),
    ) as PerService<ServiceBoard>;
    return { day, services };
  }

  /** The estimate printed on a ticket: the people issued before it and still waiting. */
  async estimateFor(ticket: Pick<TicketDoc, 'service' | 'day' | 'issuedAt'>, config: QueueConfig, branchCounters: number): Promise<WaitEstimate> {
    const tickets = await this.ticketsOn(ticket.day);
    return estimateWait({ tickets, service: ticket.service, day: ticket.day, before: ticket.issuedAt, config, branchCounters });
  }

  /** Oldest first: who is next for a service. Appointments are not in the walk-in queue. */
  async queue(service: z.infer<typeof Service>, status: TicketStatus = 'waiting', limit = 50): Promise<TicketDoc[]> {
    const docs = await this.db.tickets
      .find({
        selector: { branchCode: this.branchCode, service, status, appointment: { $exists: false } },
        sort: [{ branchCode: 'asc' }, { service: 'asc' }, { status: 'asc' }, { issuedAt: 'asc' }],
        limit,
      })
      .exec();
    return docs.map((d) => d.toMutableJSON());
  }
}
