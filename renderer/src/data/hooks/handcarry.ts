import type { LocalData } from '../DataProvider';
import { collectPendingRecords, type PendingRecordSource } from '../handcarry-collect';

/** The records not yet sent to HQ (`keys`), read from this PC's collections, for a hand-carry file. */
export function collectPendingFrom(data: LocalData, keys: Parameters<typeof collectPendingRecords>[0], progress?: Parameters<typeof collectPendingRecords>[2]): ReturnType<typeof collectPendingRecords> {
  const db = data.db;
  // A session without case access (the door) has no case records to send.
  const sources: Record<string, PendingRecordSource> = { tickets: db.tickets, ...(db.cases ? { cases: db.cases } : {}), refusals: db.refusals, transfers: db.transfers, audit: db.audit };
  return collectPendingRecords(keys, sources, progress);
}
