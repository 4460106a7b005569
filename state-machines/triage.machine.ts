import { and, assign, setup } from 'xstate';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '../shared/cases/config';
import { TRIAGE_ROLES } from '../shared/cases/rules';
import { SERVICE_LETTER, type Appointment, type Service, type TriageEvent } from '../shared/cases/schema';
import { localDateOf } from '../shared/dates';
import { parseNik } from '../shared/identity/nik';
import { isSlotInServiceHours } from '../shared/policy/hours';
import { INFO_TOPICS, type InfoTopic } from '../shared/policy/info';

/**
 * Security staff at the door. Every outcome is a personal (NIK-bound) ticket, a guaranteed
 * appointment when today's capacity is reached, or an answer from the info catalog. There is no
 * refusal and no redirect event in this machine at all.
 */
export interface TriageInput {
  config?: QueueConfig;
  /** Tickets already issued today per service (from the queue store). */
  issuedToday: Partial<Record<Service, number>>;
}

export interface TriageContext {
  config: QueueConfig;
  issuedToday: Partial<Record<Service, number>>;
  need: Service | 'info' | null;
  ticket: { service: Service; nik: string; number: string; at: string; staffId: string } | null;
  appointment: { service: Service; nik: string; appointment: Appointment; at: string; staffId: string } | null;
  answers: Array<{ topic: InfoTopic; at: string }>;
}

type E = TriageEvent;
type Ev<T extends E['type']> = Extract<E, { type: T }>;
const is = <T extends E['type']>(e: E, t: T): e is Ev<T> => e.type === t;

function serviceOf(e: E): Service | null {
  return is(e, 'ticket.issued') || is(e, 'appointment.booked') ? e.service : null;
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
    nikValid: ({ event }) => (is(event, 'ticket.issued') || is(event, 'appointment.booked')) && parseNik(event.nik, localDateOf(event.at)).ok,
    /** The number's letter is the service's (A = JHT, B = BPU, C = JMO, D = general). */
    numberMatchesService: ({ event }) => is(event, 'ticket.issued') && event.number.startsWith(SERVICE_LETTER[event.service]),
    capacityAvailable: ({ context, event }) => {
      const s = serviceOf(event);
      return s !== null && (context.issuedToday[s] ?? 0) < context.config.dailyCapacity[s];
    },
    capacityReached: ({ context, event }) => {
      const s = serviceOf(event);
      return s !== null && (context.issuedToday[s] ?? 0) >= context.config.dailyCapacity[s];
    },
    /** A real slot: a later day, inside the published service hours. Never "come back early tomorrow". */
    appointmentGuaranteed: ({ context, event }) =>
      is(event, 'appointment.booked') &&
      event.appointment.date > localDateOf(event.at) &&
      isSlotInServiceHours(context.config.serviceHours, event.appointment.date, event.appointment.time),
    knownInfoTopic: ({ event }) => is(event, 'info.asked') && event.topic in INFO_TOPICS,
    infoAnswered: ({ context }) => context.answers.length > 0,
  },
  actions: {
    recordNeed: assign({ need: ({ event }) => (is(event, 'need.stated') ? event.need : null) }),
    recordTicket: assign({
      ticket: ({ event }) =>
        is(event, 'ticket.issued') ? { service: event.service, nik: event.nik, number: event.number, at: event.at, staffId: event.actor.staffId } : null,
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
  },
}).createMachine({
  id: 'triage',
  context: ({ input }) => ({
    config: input.config ?? DEFAULT_QUEUE_CONFIG,
    issuedToday: input.issuedToday,
    need: null,
    ticket: null,
    appointment: null,
    answers: [],
  }),
  initial: 'askingNeed',
  states: {
    askingNeed: {},
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
      },
    },
    informing: {
      on: {
        'info.asked': { guard: and(['byTriageRole', 'knownInfoTopic']), actions: 'recordAnswer' },
        'visit.ended': { guard: and(['byTriageRole', 'infoAnswered']), target: 'answered' },
      },
    },
    ticketIssued: { type: 'final' },
    appointmentBooked: { type: 'final' },
    answered: { type: 'final' },
  },
  on: {
    // The person may restate the need until a ticket or appointment is issued.
    'need.stated': [
      { guard: and(['byTriageRole', 'needIsService']), target: '.issuing', actions: 'recordNeed' },
      { guard: and(['byTriageRole', 'needIsInfo']), target: '.informing', actions: 'recordNeed' },
    ],
  },
});
