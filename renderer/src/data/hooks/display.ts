import type { LocalData } from '../DataProvider';
import type { LoketDatabase } from '../db/database';
import type { TicketDoc } from '../db/schemas';

/**
 * Today's tickets, live: walk-ins issued today and appointments for today. Calls `onChange` with
 * the current set at once and after every change (RxDB query observable); returns the stop function.
 * The waiting-room display reads the queue through this, not RxDB (issue 19 pt 2).
 */
export function watchTodaysTickets(db: Pick<LoketDatabase, 'tickets'>, today: string, onChange: (tickets: TicketDoc[]) => void): () => void {
  const sub = db.tickets
    .find({ selector: { $or: [{ day: today }, { 'appointment.date': today }] } })
    .$.subscribe((docs) => onChange(docs.map((d) => d.toMutableJSON())));
  return () => sub.unsubscribe();
}

/** `watchTodaysTickets` on this session's database. */
export function watchTodaysTicketsOf(data: LocalData, today: string, onChange: (tickets: TicketDoc[]) => void): () => void {
  return watchTodaysTickets(data.db, today, onChange);
}
