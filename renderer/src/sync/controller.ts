// Starts and stops the replication with the data layer (DataProvider): replication runs while the
// local database is open and the device is enrolled at HQ; it restarts when the HQ link changes
// (a new enrolment). Conflicts the head must see are kept in the `conflicts` collection
// (./conflict-log.ts: collection, id, reason, kept, at; no personal data) until the head resolves them.
//
// Branch hub (issue 17): while main says the hub link is connected (`hub.changed`), the replication
// runs through the hub (`via: 'hub'`), else through HQ as before. Each upstream has its own
// replication identifier (`hub:<fingerprint>:<branch>` / `hq:<url>:<branch>`), so each keeps its own
// checkpoints; a switch stops one replication (its calls under way finish) before the other starts,
// so no record is pushed to both at once. And while the hub is reachable, the records it holds that
// HQ is not known to hold are asked about (`sync.atHq`, in batches, on a slow timer and after the
// hub's change notices): only the hub's report of what HQ acknowledged makes them 'hq'.
import type { HqStatus, HubStatus } from '@shared/ipc/contract';
import type { LoketApi } from '@shared/ipc/api';
import { MAX_AT_HQ_RECORDS, WRITABLE_COLLECTIONS, type WritableCollection } from '@shared/sync/protocol';
import { loket } from '../bridge';
import { casesOf, type LoketDatabase } from '../data/db/database';
import { rendererBridge } from './bridge';
import type { ConflictSink } from './conflicts';
import { importLegacyConflicts, listConflicts, recordConflict } from './conflict-log';
import { HQ_COLLECTION, startReplication, type Replication, type ReplicationOptions, type SyncBridge } from './replication';
import { syncStatus, type ConflictRecord, type SyncStatusStore, type Upstream } from './status';

export interface SyncController {
  stop(): Promise<void>;
  /** Which upstream the replication runs through now (null: none). */
  upstream(): Upstream | null;
  /** Asks the hub now which 'branch' records HQ holds (tests; the timer does it otherwise). */
  checkAtHq(): Promise<void>;
  /** The running replication (tests). */
  replication(): Promise<Replication | null>;
}

/** What the controller needs of main's API (the app: `window.loket`; Node tests: main's dispatch). */
export type SyncApi = Pick<LoketApi, 'hq' | 'hub' | 'sync' | 'on'>;

export interface SyncOptions {
  status?: SyncStatusStore;
  bridge?: SyncBridge;
  api?: SyncApi;
  /** The local collections to replicate (default: all of the app's). */
  collections?: ReplicationOptions['collections'];
  /** Replication settings (tests make them faster). */
  replication?: Pick<ReplicationOptions, 'retry' | 'pollMs'>;
  /** How often 'branch' records are asked about at the hub (default 30 s). */
  atHqMs?: number;
  /** Wait after a hub change notice before asking (several notices make one question; default 2 s). */
  atHqDelayMs?: number;
}

/** Most questions of MAX_AT_HQ_RECORDS records per collection in one round (the rest next round). */
const AT_HQ_BATCHES = 10;

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
      await casesOf(db).insert(copy as never).catch(() => undefined);
    },
  };
}

/** Open conflicts for the status store (earlier builds' config-document conflicts moved first). */
async function loadConflicts(db: LoketDatabase): Promise<ConflictRecord[]> {
  await importLegacyConflicts(db);
  const open = await listConflicts(db);
  return open.map((c) => ({ collection: c.sourceCollection, id: c.docId, reason: c.reason, kept: c.kept, at: c.lastAt }));
}

/** The hub's fingerprint as one stable text (`AB:CD:…` and `abcd…` name the same hub). */
const fingerprintKey = (fp: string) => fp.replace(/[^0-9a-f]/gi, '').toUpperCase();

/** Where to replicate now: the hub while it is connected, else HQ; null while not enrolled. */
export function upstreamFor(hq: HqStatus | null, hub: HubStatus | null): { key: string; upstream: Upstream } | null {
  if (!hq?.enrolled || !hq.url || !hq.branchCode) return null;
  if (hub?.connected && hub.hub) return { key: `hub:${fingerprintKey(hub.hub.fingerprint)}:${hq.branchCode}`, upstream: 'hub' };
  return { key: `hq:${hq.url}:${hq.branchCode}`, upstream: 'hq' };
}

export function startSync(db: LoketDatabase, o: SyncOptions = {}): SyncController {
  const status = o.status ?? syncStatus;
  const api = o.api ?? loket();
  const bridge = o.bridge ?? rendererBridge();
  const collections: ReplicationOptions['collections'] = o.collections ?? {
      tickets: db.tickets,
      // Not opened in a session without case access (the door): nothing of it to replicate.
      ...(db.cases ? { cases: db.cases } : {}),
      refusals: db.refusals,
      transfers: db.transfers,
      audit: db.audit,
      staff: db.staff,
      config: db.config,
    };
  let stopped = false;
  let hq: HqStatus | null = null;
  let hub: HubStatus | null = null;
  let running: { key: string; upstream: Upstream; replication: Promise<Replication | null> } | null = null;
  let queue: Promise<void> = Promise.resolve();

  // Each step reads the latest link states: a burst of hub/HQ changes ends in one switch.
  const apply = () => {
    queue = queue.then(async () => {
      const want = stopped ? null : upstreamFor(hq, hub);
      if (running?.key === (want?.key ?? null)) return;
      if (running) {
        const r = await running.replication;
        running = null;
        status.setRunning(false);
        status.setUpstream(null);
        await r?.stop();
      }
      if (!want || stopped) return;
      const replication = startReplication({
        collections,
        bridge,
        status,
        identifier: want.key,
        upstream: want.upstream,
        conflicts: conflictSink(db, status),
        pollMs: 60_000,
        ...o.replication,
      }).catch((e: unknown) => {
        status.recordError(null, `replication did not start: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      });
      running = { ...want, replication };
      status.setRunning(true);
      status.setUpstream(want.upstream);
      await replication;
      // Records the hub holds may already be at HQ (the hub relayed them while this PC was elsewhere).
      if (hub?.connected) askSoon(0);
    });
  };

  // "Received by HQ" through the hub: one round at a time, bounded in size.
  let asking: Promise<void> | null = null;
  const askRound = async (): Promise<void> => {
    for (const collection of WRITABLE_COLLECTIONS as readonly WritableCollection[]) {
      const local = Object.keys(collections).find((name) => HQ_COLLECTION[name] === collection && collections[name]);
      if (!local) continue;
      const todo = status.branchRecords(MAX_AT_HQ_RECORDS * AT_HQ_BATCHES, local);
      for (let i = 0; i < todo.length && !stopped && hub?.connected; i += MAX_AT_HQ_RECORDS) {
        const batch = todo.slice(i, i + MAX_AT_HQ_RECORDS);
        const r = await api.sync.atHq({ collection, records: batch.map(({ id, fp }) => ({ id, fp })) });
        if (!r.ok) return; // the hub went away or refused: the next round asks again
        const at = new Set(r.value.atHq);
        const refused = new Map((r.value.refused ?? []).map((x) => [x.id, x.reason]));
        // The answer is about the content asked for: a newer edit since then stays below 'hq'.
        for (const rec of batch) {
          if (at.has(rec.id)) status.reportAtHq(local, rec.id, rec.fp);
          // HQ refused this content when the hub relayed it: shown refused with HQ's reason, not 'branch'.
          const reason = refused.get(rec.id);
          if (reason !== undefined) status.reject(local, rec.id, rec.fp, reason);
        }
      }
    }
  };
  const checkAtHq = (): Promise<void> => {
    // `finally` runs after the assignment even when a round has nothing to ask (it ends at once).
    asking ??= askRound()
      .catch(() => undefined) // a transport failure: the next round asks again
      .finally(() => {
        asking = null;
      });
    return asking;
  };
  let askTimer: ReturnType<typeof setTimeout> | null = null;
  const askSoon = (delay = o.atHqDelayMs ?? 2_000) => {
    if (stopped || askTimer) return;
    askTimer = setTimeout(() => {
      askTimer = null;
      if (!stopped && hub?.connected) void checkAtHq();
    }, delay);
  };
  const atHqTimer = setInterval(() => {
    if (hub?.connected) void checkAtHq();
  }, o.atHqMs ?? 30_000);

  const onHq = (link: HqStatus) => {
    hq = link;
    status.setLink(link);
    apply();
  };
  const onHub = (h: HubStatus) => {
    const wasConnected = hub?.connected ?? false;
    hub = h;
    status.setHub(h);
    apply();
    if (h.connected && !wasConnected) askSoon();
  };

  void loadConflicts(db)
    .then((list) => status.setConflicts(list))
    .catch(() => undefined);
  const unsubscribe = [
    api.on('hq.changed', onHq),
    api.on('hub.changed', onHub),
    // The hub relayed something or pulled from HQ: some 'branch' records may be at HQ now.
    api.on('sync.changed', (event) => {
      if (event.via === 'hub') askSoon();
    }),
  ];
  // The hub's state first, so that a PC with a connected hub does not start with HQ and switch at once.
  void api.hub
    .status()
    .then((r) => {
      if (r.ok && !hub) onHub(r.value);
    })
    .catch(() => undefined)
    .then(() => api.hq.status())
    .then((r) => {
      if (r.ok && !hq) onHq(r.value);
    })
    .catch(() => undefined);

  return {
    upstream: () => running?.upstream ?? null,
    checkAtHq,
    replication: async () => {
      await queue;
      return (await running?.replication) ?? null;
    },
    stop: async () => {
      stopped = true;
      for (const off of unsubscribe) off();
      clearInterval(atHqTimer);
      if (askTimer) clearTimeout(askTimer);
      apply();
      await queue;
      await asking;
      status.reset();
    },
  };
}
