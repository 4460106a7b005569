// Starts and stops the replication with the data layer (DataProvider): replication runs while the
// local database is open and the device is enrolled at HQ; it restarts when the HQ link changes
// (a new enrolment). Conflicts the head must see are kept in the `conflicts` collection
// (./conflict-log.ts: collection, id, reason, kept, at; no personal data) until the head resolves them.
import type { HqStatus } from '../../../shared/ipc/contract';
import { loket } from '../bridge';
import type { LoketDatabase } from '../data/db/database';
import { rendererBridge } from './bridge';
import type { ConflictSink } from './conflicts';
import { importLegacyConflicts, listConflicts, recordConflict } from './conflict-log';
import { startReplication, type Replication, type SyncBridge } from './replication';
import { syncStatus, type ConflictRecord, type SyncStatusStore } from './status';


export interface SyncController {
  stop(): Promise<void>;
}

function conflictSink(db: LoketDatabase, status: SyncStatusStore): ConflictSink {
  return {
    record: (c) => {
      // The status store already shows it; a failed write is reported there rather than lost quietly.
      void recordConflict(db, c).catch((e: unknown) => status.recordError(c.collection, `conflict not stored: ${e instanceof Error ? e.message : String(e)}`));
    },
    keepLocalCopy: async (collection, doc) => {
      if (collection !== 'cases') return;
      const copy: Record<string, unknown> = { ...doc };
      delete copy._deleted;
      delete copy._meta;
      delete copy._rev;
      delete copy._attachments;
      // A copy under a derived id: the journal this device had is kept (encrypted like any case) and syncs to HQ.
      await db.cases.insert(copy as never).catch(() => undefined);
    },
  };
}

/** Open conflicts for the status store (earlier builds' config-document conflicts moved first). */
async function loadConflicts(db: LoketDatabase): Promise<ConflictRecord[]> {
  await importLegacyConflicts(db);
  const open = await listConflicts(db);
  return open.map((c) => ({ collection: c.sourceCollection, id: c.docId, reason: c.reason, kept: c.kept, at: c.lastAt }));
}

export function startSync(db: LoketDatabase, o: { status?: SyncStatusStore; bridge?: SyncBridge } = {}): SyncController {
  const status = o.status ?? syncStatus;
  const bridge = o.bridge ?? rendererBridge();
  let stopped = false;
  let running: { key: string; replication: Promise<Replication | null> } | null = null;
  let queue: Promise<void> = Promise.resolve();

  const apply = (link: HqStatus | null) => {
    queue = queue.then(async () => {
      const key = link?.enrolled && link.url && link.branchCode ? `hq:${link.url}:${link.branchCode}` : null;
      if (stopped || running?.key === key) return;
      if (running) {
        const r = await running.replication;
        running = null;
        status.setRunning(false);
        await r?.stop();
      }
      if (!key || stopped) return;
      const replication = startReplication({
        collections: { tickets: db.tickets, cases: db.cases, refusals: db.refusals, transfers: db.transfers, audit: db.audit, staff: db.staff, config: db.config },
        bridge,
        status,
        identifier: key,
        conflicts: conflictSink(db, status),
        pollMs: 60_000,
      }).catch((e: unknown) => {
        status.recordError(null, `replication did not start: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      });
      running = { key, replication };
      status.setRunning(true);
      await replication;
    });
  };

  void loadConflicts(db)
    .then((list) => status.setConflicts(list))
    .catch(() => undefined);
  const unsubscribeLink = loket().on('hq.changed', (link) => {
    status.setLink(link);
    apply(link);
  });
  void loket()
    .hq.status()
    .then((r) => {
      if (!r.ok) return;
      status.setLink(r.value);
      apply(r.value);
    });

  return {
    stop: async () => {
      stopped = true;
      unsubscribeLink();
      await queue;
      const r = await running?.replication;
      running = null;
      await r?.stop();
      status.reset();
    },
  };
}
