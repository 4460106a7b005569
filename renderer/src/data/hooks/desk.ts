import { useEffect, useMemo } from 'react';
import type { AuditActor } from '../audit-chain';
import type { LocalData } from '../DataProvider';
import type { CaseDoc, TicketDoc } from '../db/schemas';
import { TicketCalls } from '../db/ticket-calls';
import { bridgeHubCaller } from '../hub-calls';
import { finishTicketsOfFinishedCases } from '../ticket-follows-case';
import { useLive } from './live';
import { casesOf } from '../db/database';

/** The officer's side of the queue for this PC; while the branch hub is reachable, "call next" is decided there. */
export function useTicketCalls(data: LocalData, branchCode: string, deviceId: string): TicketCalls {
  return useMemo(() => new TicketCalls(data.db, data.audit, branchCode, deviceId, undefined, undefined, bridgeHubCaller()), [data.db, data.audit, branchCode, deviceId]);
}

export interface DeskQueues {
  /** null until the first read. */
  waiting: TicketDoc[] | null;
  /** Called or serving, by any desk. */
  active: TicketDoc[] | null;
  noShows: TicketDoc[] | null;
  openCases: CaseDoc[] | null;
}

/** The branch's queue and open cases, live from the local database. */
export function useDeskQueues(data: LocalData, branchCode: string): DeskQueues {
  const waiting = useLive(() => data.db.tickets.find({ selector: { branchCode, status: 'waiting' } }).$, [data.db, branchCode]);
  const active = useLive(() => data.db.tickets.find({ selector: { branchCode, status: { $in: ['called', 'serving'] } } }).$, [data.db, branchCode]);
  const noShows = useLive(() => data.db.tickets.find({ selector: { branchCode, status: 'no-show' } }).$, [data.db, branchCode]);
  const openCases = useLive(() => casesOf(data.db).find({ selector: { branchCode, status: 'open' } }).$, [data.db, branchCode]);
  return useMemo(
    () => ({
      waiting: waiting && waiting.map((d) => d.toMutableJSON()),
      active: active && active.map((d) => d.toMutableJSON()),
      noShows: noShows && noShows.map((d) => d.toMutableJSON()),
      openCases: openCases && openCases.map((d) => d.toMutableJSON()),
    }),
    [waiting, active, noShows, openCases],
  );
}

/** One case, live (null until read, or when there is no such case). */
export function useCaseDoc(data: LocalData, caseId: string): CaseDoc | null {
  const live = useLive(() => casesOf(data.db).findOne(caseId).$, [data.db, caseId]);
  return useMemo(() => (live ? live.toMutableJSON() : null), [live]);
}

/** Whether a case is in this PC's database (a case opened elsewhere may not have synced in yet). */
export async function caseExists(data: LocalData, caseId: string): Promise<boolean> {
  return (await casesOf(data.db).findOne(caseId).exec()) !== null;
}

/** Keeps "a finished case finishes its ticket" (./ticket-follows-case.ts) while this officer's desk is open. */
export function useTicketFollowsCase(data: LocalData, calls: TicketCalls, by: AuditActor): void {
  useEffect(() => {
    const rule = finishTicketsOfFinishedCases(data.db, calls, by);
    return () => rule.stop();
  }, [data.db, calls, by]);
}
