import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { loket } from '../bridge';
import type { LoketDatabase } from './db/database';
import type { CaseJournal, RestoreReport } from './db/case-journal';

/**
 * The local database, opened once a staff member is signed in (its key comes from main through
 * `secrets.dbKey`, which answers only an unlocked session). On open, every open case is replayed
 * and checked against its snapshot; disagreements are flagged for the head.
 */
export type DataState =
  | { phase: 'closed' }
  | { phase: 'opening' }
  | { phase: 'ready'; db: LoketDatabase; cases: CaseJournal; restore: RestoreReport }
  | { phase: 'error'; message: string };

const DataContext = createContext<DataState>({ phase: 'closed' });

/**
 * `sessionKey` identifies who is signed in on which branch (null when nobody is): the database
 * closes when it changes. It opens only while `unlocked` (main hands out the key only then) and
 * stays open while the screen is locked, so an open case is not interrupted.
 */
export function DataProvider({ sessionKey, branchCode, unlocked, children }: { sessionKey: string | null; branchCode: string | null; unlocked: boolean; children: ReactNode }) {
  const [state, setState] = useState<DataState>({ phase: 'closed' });
  const db = useRef<Promise<LoketDatabase | null> | null>(null);

  // Close on sign-out or when another staff member signs in.
  useEffect(() => {
    return () => {
      const closing = db.current;
      db.current = null;
      void closing?.then((d) => d?.close());
      setState({ phase: 'closed' });
    };
  }, [sessionKey]);

  useEffect(() => {
    if (!sessionKey || !branchCode || !unlocked || db.current) return;
    setState({ phase: 'opening' });
    const opening = openLocalData(branchCode).then(
      (ready) => {
        if (db.current === opening) setState({ phase: 'ready', ...ready });
        return ready.db;
      },
      (e: unknown) => {
        if (db.current === opening) {
          db.current = null;
          setState({ phase: 'error', message: e instanceof Error ? e.message : String(e) });
        }
        return null;
      },
    );
    db.current = opening;
  }, [sessionKey, branchCode, unlocked]);

  return <DataContext.Provider value={state}>{children}</DataContext.Provider>;
}

async function openLocalData(branchCode: string): Promise<{ db: LoketDatabase; cases: CaseJournal; restore: RestoreReport }> {
  const key = await loket().secrets.dbKey();
  if (!key.ok) throw new Error(key.error.message);
  // Loaded on demand: the sign-in screen does not need RxDB.
  const [{ openDatabase }, { CaseJournal }, { createNikHasher }] = await Promise.all([
    import('./db/database'),
    import('./db/case-journal'),
    import('./nik-hash'),
  ]);
  const db = await openDatabase({ name: `loket-${branchCode.toLowerCase()}`, key: key.value.key });
  const cases = new CaseJournal(db, await createNikHasher(key.value.key), branchCode);
  return { db, cases, restore: await cases.restoreOpen() };
}

export function useData(): DataState {
  return useContext(DataContext);
}
