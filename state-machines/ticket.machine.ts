import { and, assign, not, setup } from 'xstate';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '../shared/cases/config';
import { CASE_WORKER_ROLES } from '../shared/cases/rules';
import type { Service, TicketEvent } from '../shared/cases/schema';

export interface TicketInput {
  number: string;
  service: Service;
  issuedAt: string;
  config?: QueueConfig;
}

export type TicketState = 'waiting' | 'called' | 'serving' | 'done' | 'noShow' | 'transferred';

export interface TicketContext {
  number: string;
  service: Service;
  issuedAt: string;
  noShowAfterCalls: number;
  calls: number;
  counter: string | null;
  transferredTo: Service | null;
  /** Every transition, time-stamped: the source of wait and handling statistics. */
  timeline: Array<{ state: TicketState; event: string; at: string; staffId: string | null }>;
}

type E = TicketEvent;
const is = <T extends E['type']>(e: E, t: T): e is Extract<E, { type: T }> => e.type === t;

/** Minutes from issue to first call (null while still waiting). */
export function waitMinutes(c: TicketContext): number | null {
  const first = c.timeline.find((t) => t.state === 'called');
  return first ? (Date.parse(first.at) - Date.parse(c.issuedAt)) / 60_000 : null;
}

export const ticketMachine = setup({
  types: {
    context: {} as TicketContext,
    events: {} as TicketEvent,
    input: {} as TicketInput,
  },
  guards: {
    byCounterStaff: ({ event }) => CASE_WORKER_ROLES.includes(event.actor.role),
    /** A no-show only after N calls (config), never after the first. */
    callLimitReached: ({ context }) => context.calls >= context.noShowAfterCalls,
    differentService: ({ context, event }) => is(event, 'ticket.transferred') && event.toService !== context.service,
  },
  actions: {
    stamp: assign({
      timeline: ({ context, event }, params: { state: TicketState }) => [
        ...context.timeline,
        { state: params.state, event: event.type, at: event.at, staffId: event.actor.staffId },
      ],
    }),
    countCall: assign({
      calls: ({ context }) => context.calls + 1,
      counter: ({ context, event }) => (is(event, 'ticket.called') ? event.counter : context.counter),
    }),
    recordTransfer: assign({ transferredTo: ({ event }) => (is(event, 'ticket.transferred') ? event.toService : null) }),
    // Effect: the waiting-room display announces the number (spoken in Indonesian).
    announce: () => {},
  },
}).createMachine({
  id: 'ticket',
  context: ({ input }) => {
    const config = input.config ?? DEFAULT_QUEUE_CONFIG;
    return {
      number: input.number,
      service: input.service,
      issuedAt: input.issuedAt,
      noShowAfterCalls: config.noShowAfterCalls,
      calls: 0,
      counter: null,
      transferredTo: null,
      timeline: [{ state: 'waiting' as const, event: 'ticket.issued', at: input.issuedAt, staffId: null }],
    };
  },
  initial: 'waiting',
  states: {
    waiting: {
      on: {
        'ticket.called': {
          guard: 'byCounterStaff',
          target: 'called',
          actions: ['countCall', { type: 'stamp', params: { state: 'called' } }, 'announce'],
        },
      },
    },
    called: {
      on: {
        'ticket.recalled': {
          guard: and(['byCounterStaff', not('callLimitReached')]),
          actions: ['countCall', { type: 'stamp', params: { state: 'called' } }, 'announce'],
        },
        'ticket.noShowMarked': {
          guard: and(['byCounterStaff', 'callLimitReached']),
          target: 'noShow',
          actions: { type: 'stamp', params: { state: 'noShow' } },
        },
        'service.started': { guard: 'byCounterStaff', target: 'serving', actions: { type: 'stamp', params: { state: 'serving' } } },
      },
    },
    serving: {
      on: {
        'service.finished': { guard: 'byCounterStaff', target: 'done', actions: { type: 'stamp', params: { state: 'done' } } },
        'ticket.transferred': {
          guard: and(['byCounterStaff', 'differentService']),
          target: 'transferred',
          actions: ['recordTransfer', { type: 'stamp', params: { state: 'transferred' } }],
        },
      },
    },
    done: { type: 'final' },
    noShow: { type: 'final' },
    transferred: { type: 'final' },
  },
});
