import { and, assign, setup } from 'xstate';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { CASE_WORKER_ROLES } from '@shared/cases/rules';
import type { Service, TicketEvent } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';

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
  /** Minutes between counted calls, and after the last call, before a no-show (config). */
  noShowCallGapMinutes: number;
  /** Calls since the ticket (last) entered the queue. */
  calls: number;
  /** Their times (event `at`), oldest first: what the no-show rule is judged on. */
  callTimes: string[];
  counter: string | null;
  transferredTo: Service | null;
  /** Every transition, time-stamped: the source of wait and handling statistics. */
  timeline: Array<{ state: TicketState; event: string; at: string; staffId: string | null }>;
}

type E = TicketEvent;
const is = <T extends E['type']>(e: E, t: T): e is Extract<E, { type: T }> => e.type === t;

/** The rule before issue 16, for histories written under it: a no-show after three calls. */
export const LEGACY_NO_SHOW_AFTER_CALLS = 3;

export interface NoShowCheck {
  ok: boolean;
  /** Calls that count: each at least the gap after the previous counted one. */
  counted: number;
  needed: number;
  gapMinutes: number;
  /** When a recall would count (null once enough calls count). */
  nextCountingCallAt: string | null;
  /** The earliest time a no-show can be marked, if the calls still needed are made on time. */
  earliestAt: string;
}

/**
 * DOMAIN.md: a no-show only after the configured number of calls spaced at least the configured
 * gap, and the person is given that gap after the last call too. Calls closer together than the
 * gap are made (and announced) but do not count.
 */
export function noShowCheck(c: Pick<TicketContext, 'callTimes' | 'noShowAfterCalls' | 'noShowCallGapMinutes'>, at: string): NoShowCheck {
  const gap = Math.max(0, c.noShowCallGapMinutes) * 60_000;
  const needed = Math.max(2, c.noShowAfterCalls);
  let counted = 0;
  let lastCounted = -Infinity;
  for (const t of c.callTimes) {
    const ms = Date.parse(t);
    if (ms - lastCounted >= gap) {
      counted += 1;
      lastCounted = ms;
    }
  }
  const lastCall = c.callTimes.length ? Date.parse(c.callTimes[c.callTimes.length - 1]!) : Number.NaN;
  const missing = Math.max(0, needed - counted);
  const nextCountingCall = missing > 0 ? (counted > 0 ? lastCounted + gap : Date.parse(at)) : null;
  const earliest = missing > 0 ? nextCountingCall! + (missing - 1) * gap + gap : lastCall + gap;
  const ok = missing === 0 && Date.parse(at) - lastCall >= gap;
  return {
    ok,
    counted,
    needed,
    gapMinutes: c.noShowCallGapMinutes,
    nextCountingCallAt: nextCountingCall === null ? null : new Date(nextCountingCall).toISOString(),
    earliestAt: new Date(Number.isNaN(earliest) ? Date.parse(at) : earliest).toISOString(),
  };
}

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
    /**
     * A no-show only after N calls spaced by the gap (config; `noShowCheck`). An unmarked no-show
     * comes from a history written before that rule and is held to the rule of its day.
     */
    noShowRuleHolds: ({ context, event }) =>
      is(event, 'ticket.noShowMarked') &&
      (event.rule === 'spacedCalls' ? noShowCheck(context, event.at).ok : context.calls >= LEGACY_NO_SHOW_AFTER_CALLS),
    /** The person came back on the day the ticket was marked a no-show. */
    sameDayAsNoShow: ({ context, event }) => {
      const marked = [...context.timeline].reverse().find((t) => t.state === 'noShow');
      return !!marked && localDateOf(marked.at) === localDateOf(event.at);
    },
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
      callTimes: ({ context, event }) => [...context.callTimes, event.at],
      counter: ({ context, event }) => (is(event, 'ticket.called') ? event.counter : context.counter),
    }),
    backInQueue: assign({ calls: 0, callTimes: () => [], counter: null }),
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
      noShowCallGapMinutes: config.noShowCallGapMinutes,
      calls: 0,
      callTimes: [],
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
        // Always possible: more calls never send anyone away (only spaced ones count, see noShowCheck).
        'ticket.recalled': {
          guard: 'byCounterStaff',
          actions: ['countCall', { type: 'stamp', params: { state: 'called' } }, 'announce'],
        },
        'ticket.noShowMarked': {
          guard: and(['byCounterStaff', 'noShowRuleHolds']),
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
    // Not final: a person who returns the same day is served on the same ticket (DOMAIN.md).
    noShow: {
      on: {
        'ticket.returned': {
          guard: and(['byCounterStaff', 'sameDayAsNoShow']),
          target: 'waiting',
          actions: ['backInQueue', { type: 'stamp', params: { state: 'waiting' } }],
        },
      },
    },
    transferred: { type: 'final' },
  },
});
