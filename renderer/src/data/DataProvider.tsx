import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { readsCaseData } from '@shared/staff/case-access';
import { loket } from '../bridge';
import type { LoketDatabase } from './db/database';
import type { AuditActor } from './audit-chain';
import type { CaseJournal, RestoreReport } from './db/case-journal';
import type { AuditLog } from './db/stores';
import type { RecoveryReport } from './db/recovery';
import type { TicketDesk } from './db/ticket-desk';

/**
 * The local database, opened once a staff member is signed in (its keys come from main through
 * `secrets.dbKey` and, for roles that work cases, `secrets.caseKey`; both answer only an unlocked
 * session). On open, every open case is replayed and checked against its snapshot; disagreements
 * are flagged for the head. A door (security) session gets no case key: its database has no case
 * collection, and nothing of a case is read or replicated on it (issue 18 pt 6).
 */
export type DataState =
  | { phase: 'closed' }
  | { phase: 'opening' }
  | ({ phase: 'ready' } & LocalData)
  | { phase: 'error'; message: string };

const DataContext = createContext<DataState>({ phase: 'closed' });

/**
 * `sessionKey` identifies who is signed in on which branch (null when nobody is): the database
 * closes when it changes. It opens only while `unlocked` (main hands out the key only then) and
 * stays open while the screen is locked, so an open case is not interrupted.
 */
/** Who is signed in on which device: what the data layer needs to number tickets and audit. */
export interface DataIdentity {
  branchCode: string;
  deviceId: string;
  deviceSlot: number;
  actor: AuditActor;
}

export interface LocalData {
  db: LoketDatabase;
  /** On a door session (no case key) there is no case collection under it: the door never uses it. */
  cases: CaseJournal;
  tickets: TicketDesk;
  audit: AuditLog;
  restore: RestoreReport;
  /** What came back from main's journal after an unclean shutdown (./db/recovery.ts). */
  recovery: RecoveryReport;
}

export function DataProvider({ identity, unlocked, children }: { identity: DataIdentity | null; unlocked: boolean; children: ReactNode }) {
  const sessionKey = identity ? `${identity.branchCode}:${identity.deviceId}:${identity.actor.staffId}` : null;
  const identityRef = useRef(identity);
  identityRef.current = identity;
  const [state, setState] = useState<DataState>({ phase: 'closed' });
  const db = useRef<Promise<LoketDatabase | null> | null>(null);
  // Replication with HQ runs while the database is open (renderer/src/sync/controller.ts).
  const sync = useRef<Promise<{ stop(): Promise<void> } | null> | null>(null);

  // Close on sign-out or when another staff member signs in.
  useEffect(() => {
    return () => {
      const closing = db.current;
      const syncing = sync.current;
      db.current = null;
      sync.current = null;
      void (async () => {
        const s = await syncing;
        await s?.stop().catch(() => undefined);
        const d = await closing;
        await d?.close();
      })();
      setState({ phase: 'closed' });
    };
  }, [sessionKey]);

  useEffect(() => {
    const who = identityRef.current;
    if (!sessionKey || !who || !unlocked || db.current) return;
    setState({ phase: 'opening' });
    const opening = openLocalData(who).then(
      (ready) => {
        if (db.current === opening) {
          setState({ phase: 'ready', ...ready });
          sync.current = import('../sync/controller').then(
            ({ startSync }) => startSync(ready.db),
            () => null,
          );
        }
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
  }, [sessionKey, unlocked]);

  return <DataContext.Provider value={state}>{children}</DataContext.Provider>;
}

async function openLocalData(who: DataIdentity): Promise<LocalData> {
  const key = await loket().secrets.dbKey();
  if (!key.ok) throw new Error(key.error.message);
  const withCases = readsCaseData(who.actor.role);
  const caseKey = withCases ? await loket().secrets.caseKey() : null;
  if (caseKey && !caseKey.ok) throw new Error(caseKey.error.message);
  // Loaded on demand: the sign-in screen does not need RxDB.
  const [{ openDatabase }, { CaseJournal }, { TicketDesk }, { AuditLog, rxCounterStore }, { createNikHasher, ensureNikHashKey, nikHashScope }, { createTicketAllocator }] = await Promise.all([
    import('./db/database'),
    import('./db/case-journal'),
    import('./db/ticket-desk'),
    import('./db/stores'),
    import('./nik-hash'),
    import('./branch-clock'),
  ]);
  const [{ checkSentinel, restoreFromJournal }, { journalMirror, setWriteMirror }] = await Promise.all([import('./db/recovery'), import('./db/write-mirror')]);
  const name = `loket-${who.branchCode.toLowerCase()}`;
  // Before RxDB touches IndexedDB: is this still the database main knows, or did Chromium wipe it?
  const sentinel = await checkSentinel(name, loket().journal);
  const db = await openDatabase({ name, key: key.value.key, caseKey: caseKey ? caseKey.value.key : null });
  // Every write path of this database reports "saved" only once main's journal has it on disk.
  setWriteMirror(db, journalMirror((request) => loket().journal.append(request)));
  const recovery = await restoreFromJournal(db, sentinel, loket().journal);
  // HQ's branch-wide key once enrolled (the same hash on every PC of the branch, and the one HQ
  // checks); cases hashed under an earlier key are hashed again.
  const hashNik = await createNikHasher(key.value);
  // Without the case key there are no cases to hash again: the next case-working session does it.
  if (withCases) await ensureNikHashKey(db, hashNik, { branchCode: who.branchCode, scope: nikHashScope(key.value) });
  // Each new head of this chain is anchored in main's signed chain (issue 18 pt 7).
  // Each entry is signed by main with the device key first (issue 17: no PC can pass off an entry as another's).
  const audit = new AuditLog(
    db.audit,
    who.deviceId,
    (head) => loket().audit.anchor(head),
    async (entry) => {
      const signed = await loket().audit.sign({ entry });
      return signed.ok ? signed.value.signature : null;
    },
  );
  const cases = new CaseJournal(db, hashNik, who.branchCode, undefined, audit);
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters), branchCode: who.branchCode, slot: who.deviceSlot, now: () => new Date() });
  const tickets = new TicketDesk(db, hashNik, allocator, audit, who.branchCode);
  for (const id of recovery.restoredCases) await cases.rederive(id);
  if (recovery.restored > 0 || recovery.wiped) {
    // In the device's audit chain, which syncs to HQ: counts only, no personal data.
    await audit.append({
      at: new Date().toISOString(),
      actor: who.actor,
      action: 'database.restored',
      subject: { kind: 'device', id: who.deviceId },
      details: { restored: recovery.restored, wiped: recovery.wiped ?? 'no', conflicts: recovery.conflicts.length, ...recovery.byCollection },
    });
  }
  // A door session: the sealed case data this PC kept from case-working sessions goes once HQ holds it
  // (issue 18 pts 6, 8). In the background; when it is not safe yet, it stays until a later session.
  if (!withCases) {
    void import('./db/door-case-purge')
      .then(({ purgeDoorCases }) =>
        purgeDoorCases({
          db,
          audit,
          actor: who.actor,
          caseRecordsInJournal: async () => {
            const r = await loket().journal.records();
            return r.ok ? (r.value.withheld ?? null) : null;
          },
        }),
      )
      .catch((e: unknown) => console.warn('door case purge failed; retried at the next door session', e));
  }
  return { db, cases, tickets, audit, restore: withCases ? await cases.restoreOpen(who.actor) : { restored: [], flagged: [] }, recovery };
}

export function useData(): DataState {
  return useContext(DataContext);
}
