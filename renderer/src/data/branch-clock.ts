// The queue on this renderer's branch clock. The pure planning and numbering are in shared/queue/
// (planning.ts, ticket-numbers.ts, call-order.ts); here only what reads the branch's zone as this
// renderer knows it (./branch-zone.ts: WIB until the branch profile says otherwise).
import { offsetOfZone, type BranchZone, type CalendarDate } from '@shared/dates';
import { callOrder as callOrderIn, type OrderedTicket } from '@shared/queue/call-order';
import { branchDayOf as branchDayAt, createTicketAllocator as createAllocator, type TicketAllocator, type TicketAllocatorOptions } from '@shared/queue/ticket-numbers';
import { branchZone } from './branch-zone';

/**
 * The order in which waiting tickets are called (shared/queue/call-order.ts `callOrder`: priority,
 * then checked-in appointments whose slot has come, then by queue time), on the branch's clock.
 */
export function callOrder<T extends OrderedTicket>(tickets: readonly T[], now: string, zone: BranchZone = branchZone()): T[] {
  return callOrderIn(tickets, now, zone);
}

/** The branch's calendar day (in the branch's zone, WIB until known) of an instant. */
export function branchDayOf(at: Date | number, offsetMinutes: number = offsetOfZone(branchZone())): CalendarDate {
  return branchDayAt(at, offsetMinutes);
}

/** A ticket allocator whose days are the branch's days (its zone read at each call). */
export function createTicketAllocator(options: Omit<TicketAllocatorOptions, 'zoneOffset'>): TicketAllocator {
  return createAllocator({ ...options, zoneOffset: () => offsetOfZone(branchZone()) });
}
