import { and, assign, emit, setup } from 'xstate';
import { appointmentSlotProblem, branchCalendar } from '@shared/calendar';
import type { RefusalRecord } from '@shared/cases/records';
import { REVIEW_ROLES } from '@shared/cases/rules';
import type { Actor, Appointment, CaseFlow, FollowUp, OmbudsmanCategory, RefusalReviewEvent } from '@shared/cases/schema';

export interface RefusalReviewInput {
  caseId: string;
  flow: CaseFlow;
  refusal: RefusalRecord;
}

export interface RefusalReviewContext extends RefusalReviewInput {
  decision:
    | { kind: 'upheld'; at: string; actor: Actor; note: string | null }
    | { kind: 'overturned'; at: string; actor: Actor; category: OmbudsmanCategory; followUp: FollowUp; appointment: Appointment | null; note: string | null }
    | null;
}

export type RefusalReviewEmitted = {
  type: 'followUp.opened';
  caseId: string;
  flow: CaseFlow;
  followUp: FollowUp;
  appointment: Appointment | null;
};

type E = RefusalReviewEvent;

/** Why an overturn's follow-up appointment cannot be given (a closed day, outside the hours), or null. */
export function reviewSlotProblem(refusal: RefusalRecord, slot: Appointment): 'CLOSED_DAY' | 'OUTSIDE_HOURS' | null {
  const problem = appointmentSlotProblem(slot, refusal.facts.serviceHours, branchCalendar(refusal.facts.localClosures ?? []));
  if (!problem) return null;
  return problem.why === 'CLOSED_DAY' ? 'CLOSED_DAY' : 'OUTSIDE_HOURS';
}

export const refusalReviewMachine = setup({
  types: {
    context: {} as RefusalReviewContext,
    events: {} as RefusalReviewEvent,
    input: {} as RefusalReviewInput,
    emitted: {} as RefusalReviewEmitted,
  },
  guards: {
    byBranchHead: ({ event }) => REVIEW_ROLES.includes(event.actor.role),
    /**
     * An overturn always opens a follow-up; an appointment follow-up needs a slot the branch serves
     * in: an open day, within its published hours (the refusal's facts; HQ checks it again).
     */
    followUpComplete: ({ context, event }) =>
      event.type === 'review.overturned' &&
      (event.followUp !== 'appointment' || (event.appointment !== undefined && reviewSlotProblem(context.refusal, event.appointment) === null)),
  },
  actions: {
    recordUpheld: assign({
      decision: ({ event }: { event: E }) => ({ kind: 'upheld' as const, at: event.at, actor: event.actor, note: event.type === 'review.upheld' ? (event.note ?? null) : null }),
    }),
    recordOverturned: assign({
      decision: ({ context, event }) =>
        event.type === 'review.overturned'
          ? {
              kind: 'overturned' as const,
              at: event.at,
              actor: event.actor,
              category: event.category,
              followUp: event.followUp,
              appointment: event.appointment ?? null,
              note: event.note ?? null,
            }
          : context.decision,
    }),
    openFollowUp: emit(({ context, event }) => ({
      type: 'followUp.opened' as const,
      caseId: context.caseId,
      flow: context.flow,
      followUp: event.type === 'review.overturned' ? event.followUp : ('callBack' as const),
      appointment: event.type === 'review.overturned' ? (event.appointment ?? null) : null,
    })),
  },
}).createMachine({
  id: 'refusal-review',
  context: ({ input }) => ({ ...input, decision: null }),
  initial: 'pending',
  states: {
    pending: {
      on: {
        'review.upheld': { guard: 'byBranchHead', target: 'upheld', actions: 'recordUpheld' },
        'review.overturned': {
          guard: and(['byBranchHead', 'followUpComplete']),
          target: 'overturned',
          actions: ['recordOverturned', 'openFollowUp'],
        },
      },
    },
    upheld: { type: 'final' },
    overturned: { type: 'final' },
  },
});
