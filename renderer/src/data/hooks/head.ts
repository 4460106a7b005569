import type { AuditActor } from '../audit-chain';
import type { LocalData } from '../DataProvider';
import { acknowledgeRestoreNotice, restoreNotice$, type RestoreNotice } from '../db/recovery';
import type { ConflictDoc } from '../db/schemas';
import { resolveConflict } from '../../sync/conflict-log';
import { useLive } from './live';

/** The pending "records restored after an unclean shutdown" notice, live (null when none). */
export function useRestoreNotice(data: LocalData): RestoreNotice | null {
  return useLive(() => restoreNotice$(data.db), [data.db]);
}

/** A branch head has seen the restore notice. */
export function acknowledgeRestore(data: LocalData): Promise<void> {
  return acknowledgeRestoreNotice(data.db);
}

/** The head marks a sync conflict resolved, with a note (audited). */
export function resolveConflictIn(data: LocalData, id: string, by: AuditActor, note: string): Promise<ConflictDoc> {
  return resolveConflict(data.db, id, by, note, data.audit);
}
