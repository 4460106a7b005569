import { and, assign, setup } from 'xstate';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { TRIAGE_ROLES } from '@shared/cases/rules';
import { SERVICE_LETTER, type Appointment, type PriorityCategory, type Service, type TriageEvent } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';
import { parseNik } from '@shared/identity/nik';
import { isSlotInServiceHours } from '@shared/policy/hours';
import { branchCalendar, closedDayOn, isWeekend } from '@shared/calendar/open-days';
import { INFO_TOPICS, type InfoTopic } from '@shared/policy/info';

/**
 * Security staff at the door. Every outcome is a personal (NIK-bound) ticket, a guaranteed
 * appointment when today's capacity is reached, an appointment holder checked in on their
 * appointment (by NIK, or on the scan of their slip alone, issue 21), or an answer from the info
 * catalog. There is no refusal and no redirect event in this machine at all. Once the person has
 * stated a service need, the visit ends only with a ticket or an appointment for it, or with
 * "declined by the person" (recorded with the information they were given, which is printed for
 * them): switching the need to "info" does not end it.
 */
export interface TriageInput {
  config?: QueueConfig;
  /** Tickets already issued today per service (from the queue store). */
  issuedToday: Partial<Record<Service, number>>;
  /** The branch this door serves: only its appointment slips check a holder in (issue 21). Absent: none do. */
  branchCode?: string;
}

export interface TriageContext {
  config: QueueConfig;
  issuedToday: Partial<Record<Service, number>>;
  branchCode: string | null;
  need: Service | 'info' | null;
  /** The service the person said they came for (kept when they go on to ask info questions). */
  statedService: Service | null;
  /**
   * The person's ticket: bound to the NIK typed, or, checked in on their appointment slip's scan
   * alone (issue 21), to the NIK hash recorded at booking, with the slip's reference.
   */
  ticket: {
    service: Service;
    nik?: string;
    nikHash?: string;
    slip?: string;
    number: string;
    at: string;
    staffId: string;
    priority?: PriorityCategory;
    checkedIn?: true;
  } | null;
  appointment: { service: Service; nik: string; appointment: Appointment; at: string; staffId: string } | null;
  answers: Array<{ topic: InfoTopic; at: string }>;
  /** "Declined by the person": what was offered and the information they were given. */
  declined: { service: Service; offered: 'ticket' | 'appointment'; info: InfoTopic[]; at: string; staffId: string } | null;
}

type E = TriageEvent;
type Ev<T extends E['type']> = Extract<E, { type: T }>;
const is = <T extends E['type']>(e: E, t: T): e is Ev<T> => e.type === t;

function serviceOf(e: E): Service | null {
  return is(e, 'ticket.issued') || is(e, 'appointment.booked') || is(e, 'appointment.checkedIn') || is(e, 'visit.declined') ? e.service : null;
}

const ticketOf = (e: Ev<'ticket.issued'> | Ev<'appointment.checkedIn'> | Ev<'appointment.checkedInBySlip'>): NonNullable<TriageContext['ticket']> => ({
  service: e.service,
  ...(is(e, 'appointment.checkedInBySlip') ? { number: e.number, nikHash: e.nikHash, slip: e.reference } : { nik: e.nik, number: e.number }),
  at: e.at,
  staffId: e.actor.staffId,
  ...(e.priority ? { priority: e.priority } : {}),
  ...(is(e, 'appointment.checkedIn') || is(e, 'appointment.checkedInBySlip') ? { checkedIn: true as const } : {}),
});

/** A slip's reference, branch:day-of-booking:number, in its parts. */
function slipParts(reference: string): { branch: string; number: string } {
  const [branch = '', , number = ''] = reference.split(':');
  return { branch, number };
}

export const triageMachine = setup({
  types: {
    context: {} as TriageContext,
    events: {} as TriageEvent,
    input: {} as TriageInput,
  },
  guards: {
    byTriageRole: ({ event }) => TRIAGE_ROLES.includes(event.actor.role),
    needIsService: ({ event }) => is(event, 'need.stated') && event.need !== 'info',
    needIsInfo: ({ event }) => is(event, 'need.stated') && event.need === 'info',
    serviceMatchesNeed: ({ context, event }) => serviceOf(event) !== null && serviceOf(event) === context.need,
    /** Tickets are personal: a valid NIK, so numbers cannot be brokered. */
    nikValid: ({ context, event }) =>
      (is(event, 'ticket.issued') || is(event, 'appointment.booked') || is(event, 'appointment.checkedIn')) &&
      parseNik(event.nik, localDateOf(event.at, context.config.zone)).ok,
    /** The number's letter is the service's (A = JHT, B = BPU, C = JMO, D = general). */
    numberMatchesService: ({ event }) =>
      (is(event, 'ticket.issued') || is(event, 'appointment.checkedIn') || is(event, 'appointment.checkedInBySlip')) && event.number.startsWith(SERVICE_LETTER[event.service]),
    /**
     * Issue 21: a slip scanned at the door checks its holder in only on this branch's appointment
     * (the slip names this branch and the number checked in), on the appointment's day (the
     * branch's clock), while it still waits for its holder (not checked in, served or gone).
     */
    slipOfThisBranch: ({ context, event }) =>
      is(event, 'appointment.checkedInBySlip') &&
      context.branchCode !== null &&
      slipParts(event.reference).branch === context.branchCode &&
      slipParts(event.reference).number === event.number,
    slipForToday: ({ context, event }) => is(event, 'appointment.checkedInBySlip') && event.appointment.date === localDateOf(event.at, context.config.zone),
    slipStillWaiting: ({ event }) => is(event, 'appointment.checkedInBySlip') && event.held === 'waiting',
    capacityAvailable: ({ context, event }) => {
      const s = serviceOf(event);
      return s !== null && (context.issuedToday[s] ?? 0) < context.config.dailyCapacity[s];
    },
    capacityReached: ({ context, event }) => {
      const s = serviceOf(event);
      return s !== null && (context.issuedToday[s] ?? 0) >= context.config.dailyCapacity[s];
    },
    /**
     * A real slot: a later day (on the branch's clock), inside the published service hours, never on
     * a closed day (weekend, national holiday, joint leave). Never "come back early tomorrow".
     */
    appointmentGuaranteed: ({ context, event }) =>
      is(event, 'appointment.booked') &&
      event.appointment.date > localDateOf(event.at, context.config.zone) &&
      !isWeekend(event.appointment.date) &&
      closedDayOn(event.appointment.date, branchCalendar(context.config.localClosures)) === null &&
      isSlotInServiceHours(context.config.serviceHours, event.appointment.date, event.appointment.time),
    knownInfoTopic: ({ event }) => is(event, 'info.asked') && event.topic in INFO_TOPICS,
    infoAnswered: ({ context }) => context.answers.length > 0,
    /** Only a visit without a stated service need ends with an answer alone. */
    noServiceNeedStated: ({ context }) => context.statedService === null,
    /** The person declines what the door offers for the service they asked for, told only catalog information. */
    declinesStatedService: ({ context, event }) => is(event, 'visit.declined') && context.statedService !== null && event.service === context.statedService,
    declinedInfoFromCatalog: ({ event }) => is(event, 'visit.declined') && event.info.every((topic) => topic in INFO_TOPICS),
    /** What was declined is what the door could offer: a ticket while places are left today, else an appointment. */
    declinedWhatWasOffered: ({ context, event }) => {
      if (!is(event, 'visit.declined')) return false;
      const full = (context.issuedToday[event.service] ?? 0) >= context.config.dailyCapacity[event.service];
      return event.offered === (full ? 'appointment' : 'ticket');
    },
  },
  actions: {
    recordNeed: assign({
      need: ({ event }) => (is(event, 'need.stated') ? event.need : null),
      // A stated service stays stated when the person goes on to ask info questions.
      statedService: ({ context, event }) => (is(event, 'need.stated') && event.need !== 'info' ? event.need : context.statedService),
    }),
    recordSlipNeed: assign({
      need: ({ context, event }) => (is(event, 'appointment.checkedInBySlip') ? event.service : context.need),
      statedService: ({ context, event }) => (is(event, 'appointment.checkedInBySlip') ? event.service : context.statedService),
    }),
    recordTicket: assign({
      ticket: ({ event }) => (is(event, 'ticket.issued') || is(event, 'appointment.checkedIn') || is(event, 'appointment.checkedInBySlip') ? ticketOf(event) : null),
    }),
    recordDecline: assign({
      declined: ({ event }) =>
        is(event, 'visit.declined') ? { service: event.service, offered: event.offered, info: event.info as InfoTopic[], at: event.at, staffId: event.actor.staffId } : null,
    }),
    recordAppointment: assign({
      appointment: ({ event }) =>
        is(event, 'appointment.booked')
          ? { service: event.service, nik: event.nik, appointment: event.appointment, at: event.at, staffId: event.actor.staffId }
          : null,
    }),
    recordAnswer: assign({
      answers: ({ context, event }) => (is(event, 'info.asked') ? [...context.answers, { topic: event.topic as InfoTopic, at: event.at }] : context.answers),
    }),
    // Effect: prints the ticket or appointment slip (with the honest wait estimate); via .provide().
    printTicket: () => {},
    // Effect: prints the information the person was given when they declined; via .provide().
    printDeclineSlip: () => {},
  },
}).createMachine({
  id: 'triage',
  context: ({ input }) => ({
    config: input.config ?? DEFAULT_QUEUE_CONFIG,
    issuedToday: input.issuedToday,
    branchCode: input.branchCode ?? null,
    need: null,
    statedService: null,
    ticket: null,
    appointment: null,
    answers: [],
    declined: null,
  }),
  initial: 'askingNeed',
  states: {
    askingNeed: {
      on: {
        // Issue 21: the scan of an appointment slip alone, before anything is asked: the slip states
        // the need (its service) and checks its holder in, as a check-in by NIK does (no capacity
        // check, nothing counted again); the holder's NIK hash is the one recorded at booking. A
        // slip refused leaves the visit as it was: nothing stated, nothing issued.
        'appointment.checkedInBySlip': {
          guard: and(['byTriageRole', 'numberMatchesService', 'slipOfThisBranch', 'slipForToday', 'slipStillWaiting']),
          target: 'checkedIn',
          actions: ['recordSlipNeed', 'recordTicket', 'printTicket'],
        },
      },
    },
    issuing: {
      on: {
        'ticket.issued': {
          guard: and(['byTriageRole', 'serviceMatchesNeed', 'numberMatchesService', 'nikValid', 'capacityAvailable']),
          target: 'ticketIssued',
          actions: ['recordTicket', 'printTicket'],
        },
        'appointment.booked': {
          guard: and(['byTriageRole', 'serviceMatchesNeed', 'nikValid', 'capacityReached', 'appointmentGuaranteed']),
          target: 'appointmentBooked',
          actions: ['recordAppointment', 'printTicket'],
        },
        // The appointment already took its place on this day: no capacity check, nothing counted again.
        'appointment.checkedIn': {
          guard: and(['byTriageRole', 'serviceMatchesNeed', 'numberMatchesService', 'nikValid']),
          target: 'checkedIn',
          actions: ['recordTicket', 'printTicket'],
        },
        'visit.declined': { guard: and(['byTriageRole', 'declinesStatedService', 'declinedInfoFromCatalog', 'declinedWhatWasOffered']), target: 'declined', actions: ['recordDecline', 'printDeclineSlip'] },
      },
    },
    informing: {
      on: {
        'info.asked': { guard: and(['byTriageRole', 'knownInfoTopic']), actions: 'recordAnswer' },
        'visit.ended': { guard: and(['byTriageRole', 'infoAnswered', 'noServiceNeedStated']), target: 'answered' },
        'visit.declined': { guard: and(['byTriageRole', 'declinesStatedService', 'declinedInfoFromCatalog', 'declinedWhatWasOffered']), target: 'declined', actions: ['recordDecline', 'printDeclineSlip'] },
      },
    },
    ticketIssued: { type: 'final' },
    appointmentBooked: { type: 'final' },
    checkedIn: { type: 'final' },
    answered: { type: 'final' },
    declined: { type: 'final' },
  },
  on: {
    // The person may restate the need until a ticket or appointment is issued.
    'need.stated': [
      { guard: and(['byTriageRole', 'needIsService']), target: '.issuing', actions: 'recordNeed' },
      { guard: and(['byTriageRole', 'needIsInfo']), target: '.informing', actions: 'recordNeed' },
    ],
  },
});
