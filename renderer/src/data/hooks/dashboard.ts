import { useEffect, useState } from 'react';
import type { LocalData } from '../DataProvider';
import type { RefusalDoc, TicketDoc, TransferDoc } from '../db/schemas';
import { doorDeclinesByStaff, type DoorDeclineRow, type rangeOf } from '../reports/dashboard';
import { pendingKpjsByStaff, pendingKpjsOf, type PendingKpjRow } from '../reports/pending-kpjs';
import { listConflicts } from '../../sync/conflict-log';
import { casesOf } from '../db/database';

// The head's dashboard reads through these hooks, never RxDB directly (issue 19 pt 2).

export interface Sources {
  tickets: TicketDoc[];
  refusals: RefusalDoc[];
  transfers: TransferDoc[];
  /** Open sync conflicts (the persistent log, not only this session's). */
  openConflicts: number;
}

/** Everything the dashboard counts, reloaded (at most once a second) when the data changes. */
export function useSources(local: LocalData | null, fromDay: string): { sources: Sources | null; error: string | null } {
  const [sources, setSources] = useState<Sources | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!local) return;
    let alive = true;
    const load = async () => {
      try {
        // `day` is the ticket's branch day: only the range's days are read; the reports filter exactly.
        const [tickets, appointments, refusals, transfers, conflicts] = await Promise.all([
          local.db.tickets.find({ selector: { day: { $gte: fromDay } } }).exec(),
          // An appointment booked before the range for a day in it counts on its own day (issue 16).
          local.db.tickets.find({ selector: { 'appointment.date': { $gte: fromDay } } }).exec(),
          local.db.refusals.find().exec(),
          local.db.transfers.find().exec(),
          listConflicts(local.db, { status: 'open' }),
        ]);
        if (!alive) return;
        setSources({
          tickets: [...new Map([...tickets, ...appointments].map((d) => [d.id, d.toMutableJSON()])).values()],
          refusals: refusals.map((d) => d.toMutableJSON()),
          transfers: transfers.map((d) => d.toMutableJSON()),
          openConflicts: conflicts.length,
        });
        setError(null);
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void load();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void load();
      }, 1000);
    };
    const subs = [local.db.tickets.$.subscribe(schedule), local.db.refusals.$.subscribe(schedule), local.db.transfers.$.subscribe(schedule), local.db.conflicts.$.subscribe(schedule)];
    return () => {
      alive = false;
      subs.forEach((s) => s.unsubscribe());
      if (timer) clearTimeout(timer);
    };
  }, [local, fromDay]);
  return { sources, error };
}

/** Issue 16: KPJs left pending in JHT claims, per staff member (from the cases), live. */
export function usePendingKpjs(local: LocalData | null, range: ReturnType<typeof rangeOf>): PendingKpjRow[] {
  const [rows, setRows] = useState<PendingKpjRow[]>([]);
  const today = range.toDay;
  useEffect(() => {
    if (!local) return;
    const sub = casesOf(local.db).find({ selector: { flow: 'jht-claim' } }).$.subscribe((docs) => setRows(pendingKpjsByStaff(pendingKpjsOf(docs.map((d) => d.toMutableJSON()), today), range)));
    return () => sub.unsubscribe();
  }, [local, range, today]);
  return rows;
}

/** Issue 16: door visits that ended "declined by the person", per staff member (from the audit chain), live. */
export function useDoorDeclines(local: LocalData | null, range: ReturnType<typeof rangeOf>): DoorDeclineRow[] {
  const [rows, setRows] = useState<DoorDeclineRow[]>([]);
  useEffect(() => {
    if (!local) return;
    const sub = local.db.audit.find({ selector: { action: 'visit.declined' } }).$.subscribe((docs) => setRows(doorDeclinesByStaff(docs.map((d) => d.toMutableJSON()), range)));
    return () => sub.unsubscribe();
  }, [local, range]);
  return rows;
}
