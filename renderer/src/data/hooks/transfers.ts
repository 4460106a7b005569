import { useMemo } from 'react';
import type { LocalData } from '../DataProvider';
import { TransferDesk } from '../db/transfers';
import { casesOf } from '../db/database';

/** This branch's transfers desk (null while the data is not open or the branch is unknown). */
export function useTransferDesk(local: LocalData | null, branchCode: string | null): TransferDesk | null {
  return useMemo(() => (local && branchCode ? new TransferDesk(local.db, branchCode, local.audit) : null), [local, branchCode]);
}

/** Calls `onChange` after any write to transfers or cases (a pull from HQ included); returns the unsubscribe. */
export function watchTransfers(local: LocalData, onChange: () => void): () => void {
  const subs = [local.db.transfers.$.subscribe(onChange), casesOf(local.db).$.subscribe(onChange)];
  return () => subs.forEach((s) => s.unsubscribe());
}
