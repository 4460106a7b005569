import type { AuditActor } from './audit-chain';
import { casesOf, type LoketDatabase } from './db/database';
import type { TicketCalls } from './db/ticket-calls';

/**
 * A finished case finishes its ticket, through the ticket machine, also after a restart.
 *
 * The rule used to live in the case view, so it held only while a desk had that case on screen
 * (issue 19 pt 2). Here it holds while this officer's data is open, whatever screen shows: each time a
 * case is written closed (and once at the start), the tickets this staff member is serving whose case
 * reached its final state are finished in their name. Only their own tickets (`TicketCalls.mine`), so
 * two PCs never race to finish the same one.
 */
export function finishTicketsOfFinishedCases(db: LoketDatabase, calls: TicketCalls, by: AuditActor): { stop(): void } {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const sweep = async (): Promise<void> => {
    const serving = (await calls.mine(by)).filter((t) => t.status === 'serving');
    if (stopped || !serving.length) return;
    const cases = await casesOf(db).find({ selector: { ticketId: { $in: serving.map((t) => t.id) } } }).exec();
    for (const c of cases) {
      // The machine's own word for "final" (the `status` field also reads 'closed' for these).
      const done = (c.snapshot as { status?: unknown }).status === 'done';
      if (done && c.ticketId && !stopped) await calls.finish(c.ticketId, by);
    }
  };
  // One sweep at a time; a write during a sweep asks for one more.
  const trigger = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = sweep()
      .catch(() => undefined) // the next write or start tries again; nothing is lost
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          trigger();
        }
      });
  };

  trigger();
  const subs = [
    // Most case writes are steps of an open case: only a write that leaves it not open can finish a ticket.
    casesOf(db).$.subscribe((ev) => {
      const d = ev.documentData as { status?: string; ticketId?: string } | undefined;
      if (d?.ticketId && d.status !== 'open') trigger();
    }),
    // A ticket that starts serving after its case was closed (or comes back by replication).
    db.tickets.$.subscribe((ev) => {
      if ((ev.documentData as { status?: string } | undefined)?.status === 'serving') trigger();
    }),
  ];
  return {
    stop() {
      stopped = true;
      for (const s of subs) s.unsubscribe();
    },
  };
}
