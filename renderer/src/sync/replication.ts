// Client replication with HQ: one RxDB replication per collection, whose pull and push handlers go
// through the bridge to main's HQ link (`sync.pull` / `sync.push`). The same module runs in the
// renderer (bridge = window.loket) and in the Node device simulations of tests/hq (bridge = main's
// dispatch), so the tests exercise this code, not a copy.
//
// - live, with `pull.stream$` fed by main's `sync.changed` events (HQ's SSE, relayed): a change at HQ
//   or a reconnect (RESYNC) makes the collection pull from its checkpoint; a slow poll is the safety
//   net if the event stream is down.
// - retries with exponential back-off (RxDB's `retryTime`, doubled on each failure, reset on success).
// - checkpoints and "what HQ has" persist in RxDB's replication meta instance, keyed by a stable
//   `replicationIdentifier` (HQ URL + branch + collection): a restart resumes where it stopped.
// - conflicts: the handlers of ./conflicts.ts (never "server wins").
// - status: every push answer and every pulled document updates the SyncStatusStore.
// - refusals: a row HQ refuses (403 FORBIDDEN_BRANCH / 422 DOCUMENT_REFUSED; the rest of the push is
//   stored) is answered to RxDB as written, so that the replication neither retries it forever nor
//   holds back the collection's other records; but it is never taken as HQ's copy. Before the
//   handler returns, the row's entry in RxDB's meta instance is rewritten with what HQ really holds
//   (its last acknowledged copy, or a marker for "nothing"), which makes RxDB's own write of the
//   refused state as the assumed master fail as stale (RxDB ignores that 409). The refusal itself
//   (id, fingerprint, reason) goes to a durable log (./refusals.ts): after a restart the record is
//   still pending and refused, with the reason, and in the hand-carry export. An edit of it is pushed
//   against HQ's real copy; once HQ stores one, it is acknowledged and the refusal is dropped.
// - upstream (issue 17): the same replication runs against the branch hub (`via: 'hub'`), under an
//   identifier of its own (the hub's fingerprint), so HQ's and the hub's checkpoints never mix; a
//   new hub simply receives everything. What the hub acknowledges is 'branch' level, not 'hq'.
import { Subject, Subscription } from 'rxjs';
import type { RxCollection, RxReplicationPullStreamItem, WithDeleted } from 'rxdb';
import { createRevision, now as rxNow, type BulkWriteRow, type RxStorageReplicationMeta } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { ResponseOf, SyncChanged } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import {
  isWritable,
  MAX_PULL_LIMIT,
  MAX_PUSH_ROWS,
  type Checkpoint,
  type Collection,
  type PushRow,
  type SyncDocument,
  type WritableCollection,
} from '@shared/sync/protocol';
import { conflictHandlerFor, type ConflictSink } from './conflicts';
import { FingerprintMemo, fingerprint } from './fingerprint';
import { configRefusalLog, memoryRefusalLog, type Refusal, type RefusalLog } from './refusals';
import type { SyncStatusStore, Upstream } from './status';

type Doc = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- collections of every document type replicate alike
type AnyCollection = RxCollection<any>;

/** What the replication needs from main: the two sync channels and the change notices. `via`: HQ (default) or the branch hub. */
export interface SyncBridge {
  pull(request: { collection: Collection; checkpoint: Checkpoint | null; limit: number; via?: Upstream }): Promise<IpcResult<ResponseOf<'sync.pull'>>>;
  push(request: { collection: WritableCollection; rows: PushRow[]; via?: Upstream }): Promise<IpcResult<ResponseOf<'sync.push'>>>;
  onChanged(listener: (event: SyncChanged) => void): () => void;
  /** The most bytes of rows one push call may carry on this transport (browser mode caps bodies at 64 KiB); unset: HQ's limit. */
  maxPushBytes?: number;
}

/** Local collection name → HQ collection name. They are the same today; the map makes it explicit. */
export const HQ_COLLECTION: Readonly<Record<string, Collection>> = {
  tickets: 'tickets',
  cases: 'cases',
  refusals: 'refusals',
  transfers: 'transfers',
  audit: 'audit',
  staff: 'staff', // pull only
  config: 'config', // pull only (HQ's branch configuration under BRANCH_CONFIG_KEY)
};

export interface ReplicationOptions {
  /** The local collections to replicate (those of HQ_COLLECTION that exist in this database). */
  collections: Readonly<Record<string, AnyCollection | undefined>>;
  bridge: SyncBridge;
  status: SyncStatusStore;
  /** Stable for one upstream (HQ URL + branch, or the hub's fingerprint + branch): checkpoints resume after a restart. */
  identifier: string;
  /**
   * Where pulls and pushes go (default HQ): the branch hub (issue 17) or HQ. What the hub
   * acknowledges is 'branch' level in the status store, never 'hq'; only `sync.changed` notices of
   * this upstream wake the pulls.
   */
  upstream?: Upstream;
  conflicts: ConflictSink;
  retry?: { minMs?: number; maxMs?: number };
  /**
   * Rows RxDB hands to one push (default 1,000). They go to HQ in calls of at most MAX_PUSH_ROWS
   * rows and `maxPushBytes`, `pushConcurrency` calls at a time: RxDB itself sends one batch after
   * another, and waiting for each answer left both ends idle most of the time.
   */
  pushBatchSize?: number;
  /** Documents per pull (default MAX_PULL_LIMIT, HQ's largest). */
  pullBatchSize?: number;
  /** A bridge call carries at most about this many bytes of rows (default: the bridge's own limit, else 3 MiB). */
  maxPushBytes?: number;
  /** Push calls in flight at once for collections whose order does not matter (default 4). */
  pushConcurrency?: number;
  /** Pull every collection this often even without a notice from HQ (0 = never). */
  pollMs?: number;
  /** Where refusals by HQ are kept across restarts (default: the `config` collection when replicated, else memory). */
  refusals?: RefusalLog;
}

export interface Replication {
  states: ReadonlyMap<string, RxReplicationState<Doc, Checkpoint>>;
  /** Resolves when every replication has pushed and pulled what it knows of. */
  awaitInSync(): Promise<void>;
  /** Counters for the tests' report. */
  stats: { pulls: number; pushes: number; failures: number; conflicts: number; recorded: number };
  stop(): Promise<void>;
}

const describe = (r: Extract<IpcResult<unknown>, { ok: false }>): string => {
  const hq = r.error.details?.hq;
  return hq?.code ? `${r.error.code}:${hq.code} ${r.error.message}` : `${r.error.code} ${r.error.message}`;
};

/** Splits rows so that each bridge call stays under `maxRows` and `maxBytes` (a single larger row goes alone). */
function chunkRows(rows: PushRow[], maxRows: number, maxBytes: number): PushRow[][] {
  const out: PushRow[][] = [];
  let current: PushRow[] = [];
  let size = 0;
  for (const row of rows) {
    const n = JSON.stringify(row).length;
    if (current.length > 0 && (size + n > maxBytes || current.length >= maxRows)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** HQ accepts 4 MiB per push; leave room for the envelope. */
const HQ_PUSH_BYTES = 3 * 1024 * 1024;
const PUSH_BATCH_ROWS = 1_000;
/** Pages of one pull (each at most HQ's byte budget, 4 MiB) gathered into one RxDB batch. */
const MAX_PULL_PAGES = 8;

/**
 * Audit entries continue a chain HQ checks entry by entry, and a transfer must reach HQ before its
 * decision: their pushes go out one at a time, in the order RxDB made them. The others are
 * independent documents (one row per id), so their calls may overlap.
 */
const ORDERED: ReadonlySet<Collection> = new Set(['audit', 'transfers']);

/** Runs `tasks` with at most `limit` at once; resolves when all have settled, rejects with the first failure. */
async function inPool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * The assumed master RxDB keeps for a record HQ holds no copy of, after a refusal: a deleted stub.
 * It never equals a live document, and goes to HQ as "no master" (null).
 */
const isNoMasterMarker = (d: Doc | null | undefined): boolean => !!d && d._deleted === true && Object.keys(d).every((k) => k === 'id' || k === '_deleted');

type MetaDoc = RxStorageReplicationMeta<Doc, Checkpoint>;

/**
 * Called from the push handler, before RxDB records the answered rows as HQ's copies: rewrites the
 * meta entries of the refused ids with what HQ really holds (the copy RxDB assumed before this push,
 * or a no-master marker), under a new revision. RxDB's own meta write for these rows then carries a
 * stale `previous` and fails with a 409, which RxDB ignores; every other row is recorded as usual.
 */
async function keepHqCopyAsMaster(state: RxReplicationState<Doc, Checkpoint>, ids: readonly string[], token: string): Promise<void> {
  const meta = state.metaInstance;
  let todo = [...new Set(ids)];
  for (let attempt = 0; meta && todo.length > 0 && attempt < 3; attempt++) {
    const found = await meta.findDocumentsById(
      todo.map((id) => `${id}|0`),
      true,
    );
    const byId = new Map(found.map((m) => [m.itemId, m]));
    const rows: BulkWriteRow<MetaDoc>[] = todo.map((id) => {
      const previous = byId.get(id);
      const document = previous
        ? { ...previous, _meta: { ...previous._meta, lwt: rxNow() }, _rev: createRevision(token, previous) }
        : {
            id: `${id}|0`,
            isCheckpoint: '0' as const,
            itemId: id,
            docData: { id, _deleted: true },
            _attachments: {},
            _deleted: false,
            _meta: { lwt: rxNow() },
            _rev: createRevision(token),
          };
      return previous ? { previous, document } : { document };
    });
    const written = await meta.bulkWrite(rows, 'loket-refused-keep-hq-copy');
    // A meta write in between (a pull of the same record): read again and rewrite.
    todo = written.error.filter((e) => e.status === 409).map((e) => e.documentId.replace(/\|0$/, ''));
  }
}

function timeOf(doc: Doc): number | undefined {
  for (const k of ['updatedAt', 'at', 'issuedAt', 'openedAt']) {
    const v = doc[k];
    if (typeof v === 'string') {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) return t;
    }
  }
  return undefined;
}

export async function startReplication(o: ReplicationOptions): Promise<Replication> {
  const minRetry = o.retry?.minMs ?? 1_000;
  const maxRetry = o.retry?.maxMs ?? 60_000;
  const maxBytes = o.maxPushBytes ?? o.bridge.maxPushBytes ?? HQ_PUSH_BYTES;
  const concurrency = Math.max(1, o.pushConcurrency ?? 4);
  const stats = { pulls: 0, pushes: 0, failures: 0, conflicts: 0, recorded: 0 };
  const upstream: Upstream = o.upstream ?? 'hq';
  const by = upstream === 'hub' ? 'the branch hub' : 'HQ';
  /**
   * Bridge calls under way. RxDB's cancel does not wait for a handler that is running, so stop()
   * does: the next replication (the other upstream) never pushes while this one still is.
   */
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.then(
      () => inFlight.delete(p),
      () => inFlight.delete(p),
    );
    return p;
  };
  const config = o.collections.config;
  const refusalLog = o.refusals ?? (config ? configRefusalLog(config) : memoryRefusalLog());
  /** Per collection: what HQ refused and the log still holds (id → refusal). */
  const refusals = new Map<string, Map<string, Refusal>>();
  const refusalText = (r: { id: string; reason: string }, code?: string) => `push: ${r.id} refused by ${by}${code ? ` (${code})` : ''}: ${r.reason}`;
  const states = new Map<string, RxReplicationState<Doc, Checkpoint>>();
  const streams = new Map<string, Subject<RxReplicationPullStreamItem<Doc, Checkpoint>>>();
  const subs: Subscription[] = [];

  const sink: ConflictSink = {
    record: (c) => {
      stats.recorded++;
      o.status.addConflict(c);
      o.conflicts.record(c);
    },
    ...(o.conflicts.keepLocalCopy ? { keepLocalCopy: o.conflicts.keepLocalCopy.bind(o.conflicts) } : {}),
  };

  for (const [name, collection] of Object.entries(o.collections)) {
    const remote = HQ_COLLECTION[name];
    if (!collection || !remote) continue;
    const writable = isWritable(remote);
    const stream$ = new Subject<RxReplicationPullStreamItem<Doc, Checkpoint>>();
    streams.set(name, stream$);
    let state: RxReplicationState<Doc, Checkpoint> | null = null;
    const failed = (message: string): Error => {
      stats.failures++;
      o.status.recordError(name, message);
      if (state) state.retryTime = Math.min(maxRetry, Math.max(minRetry, (state.retryTime ?? minRetry) * 2));
      return new Error(message);
    };
    const succeeded = () => {
      if (state) state.retryTime = minRetry;
    };
    const ordered: { tail: Promise<void>; pending: number } = { tail: Promise.resolve(), pending: 0 };
    const prints = new FingerprintMemo();
    const refused = new Map<string, Refusal>();
    refusals.set(name, refused);
    if (writable) {
      for (const r of await refusalLog.load(name).catch((e: unknown) => {
        o.status.recordError(name, `refusals not read: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }))
        refused.set(r.id, r);
    }
    /** HQ answered for these ids without refusing them, or sent its copy: their refusals are over. */
    const settled = (ids: readonly string[]): Promise<void> => {
      const gone = ids.filter((id) => refused.delete(id));
      if (gone.length === 0) return Promise.resolve();
      return refusalLog.update(name, [], gone).catch((e: unknown) => o.status.recordError(name, `refusals not stored: ${e instanceof Error ? e.message : String(e)}`));
    };

    // RxDB reads the collection's conflict handler when the replication starts.
    if (writable) (collection as { conflictHandler: unknown }).conflictHandler = conflictHandlerFor(name, sink);

    state = replicateRxCollection<Doc, Checkpoint>({
      replicationIdentifier: `${o.identifier}:${remote}`,
      collection: collection as RxCollection<Doc>,
      live: true,
      retryTime: minRetry,
      waitForLeadership: false,
      toggleOnDocumentVisible: false,
      autoStart: true,
      pull: {
        batchSize: Math.min(MAX_PULL_LIMIT, o.pullBatchSize ?? MAX_PULL_LIMIT),
        stream$: stream$.asObservable(),
        handler: async (checkpoint, batchSize) => {
          // RxDB ends its catch-up at a page shorter than the batch, and HQ (or the hub) also cuts a
          // page at its byte budget: such a page says `more`, and the next one is asked for at once,
          // up to the batch (or MAX_PULL_PAGES pages; the stream's next resync goes on from there).
          const documents: WithDeleted<Doc>[] = [];
          let at = checkpoint;
          let more = false;
          for (let page = 0; page < MAX_PULL_PAGES && documents.length < batchSize; page++) {
            stats.pulls++;
            const r = await track(o.bridge.pull({ collection: remote, checkpoint: at ?? null, limit: batchSize - documents.length, via: upstream }));
            if (!r.ok) throw failed(`pull: ${describe(r)}`);
            succeeded();
            documents.push(...(r.value.documents as WithDeleted<Doc>[]));
            // HQ sends null when nothing came back: keep the checkpoint we had.
            at = r.value.checkpoint ?? at;
            more = r.value.more === true && r.value.documents.length > 0;
            if (!more) break;
          }
          // Stopped by the page bound with more to come: RxDB will see a short batch, so it is told to resync.
          if (more && documents.length < batchSize) setTimeout(() => stream$.next('RESYNC'), 0);
          return { documents, checkpoint: at ?? undefined };
        },
      },
      ...(writable
        ? {
            push: {
              batchSize: o.pushBatchSize ?? PUSH_BATCH_ROWS,
              handler: async (rows) => {
                const conflicts: SyncDocument[] = [];
                const wire: PushRow[] = rows.map((r) => ({
                  assumedMasterState: (isNoMasterMarker(r.assumedMasterState) ? null : (r.assumedMasterState ?? null)) as SyncDocument | null,
                  newDocumentState: r.newDocumentState as SyncDocument,
                }));
                const send = async (chunk: PushRow[]) => {
                  stats.pushes++;
                  const r = await track(o.bridge.push({ collection: remote, rows: chunk, via: upstream }));
                  let answered: SyncDocument[];
                  const refusedNow = new Map<string, string>();
                  // Rows main did not send (main/hub/push-marked.ts): the upstream does not hold them.
                  let heldBack = new Set<string>();
                  if (r.ok) {
                    if (Array.isArray(r.value)) answered = r.value;
                    else {
                      answered = r.value.conflicts;
                      heldBack = new Set(r.value.heldBack);
                    }
                  } else {
                    const hq = r.error.details?.hq;
                    const details = hq?.details as { rejected?: { id: string; reason: string }[]; conflicts?: SyncDocument[] } | undefined;
                    if ((r.error.code === 'HQ_REJECTED' || r.error.code === 'HUB_REJECTED') && Array.isArray(details?.rejected)) {
                      // HQ (or the hub) stored the rest of the batch and refused these: they stay pending, with the reason.
                      for (const x of details.rejected) refusedNow.set(x.id, x.reason);
                      answered = details.conflicts ?? [];
                    } else {
                      throw failed(`push: ${describe(r)}`);
                    }
                  }
                  const conflicting = new Map(answered.map((d) => [String(d.id), d]));
                  const at = new Date().toISOString();
                  const newlyRefused: Refusal[] = [];
                  const answeredIds: string[] = [];
                  const heldIds: string[] = [];
                  for (const row of chunk) {
                    const id = row.newDocumentState.id;
                    const master = conflicting.get(id);
                    const reason = refusedNow.get(id);
                    if (heldBack.has(id)) {
                      // Not acknowledged (never "received by HQ" for it): it waits for its writer's push or an upgraded upstream.
                      heldIds.push(id);
                      o.status.holdBack(name, id, prints.of(id, row.newDocumentState));
                    } else if (reason !== undefined) {
                      const fp = prints.of(id, row.newDocumentState);
                      newlyRefused.push({ id, fp, reason, at });
                      o.status.reject(name, id, fp, reason);
                    } else {
                      answeredIds.push(id);
                      // No conflict: the upstream now holds exactly this content. A conflict: it holds its master.
                      o.status.acknowledge(name, id, master ? fingerprint(master) : prints.of(id, row.newDocumentState), upstream);
                    }
                  }
                  if (heldIds.length > 0) {
                    // The upstream's copy stays the assumed master (as for a refusal): a restart never seeds
                    // these as acknowledged, and they are offered again to the next upstream.
                    await keepHqCopyAsMaster(state!, heldIds, collection.database.token).catch((e: unknown) =>
                      o.status.recordError(name, `held-back rows not kept out of the replication state: ${e instanceof Error ? e.message : String(e)}`),
                    );
                  }
                  if (newlyRefused.length > 0) {
                    // Before RxDB hears back: HQ's real copy stays the assumed master, and the refusal is durable.
                    // If this fails, the durable refusal still keeps the record from being seeded as acknowledged.
                    await keepHqCopyAsMaster(
                      state!,
                      newlyRefused.map((x) => x.id),
                      collection.database.token,
                    ).catch((e: unknown) => o.status.recordError(name, `refused rows not kept out of the replication state: ${e instanceof Error ? e.message : String(e)}`));
                    for (const x of newlyRefused) refused.set(x.id, x);
                    await refusalLog.update(name, newlyRefused, []).catch((e: unknown) => o.status.recordError(name, `refusals not stored: ${e instanceof Error ? e.message : String(e)}`));
                    const code = r.ok ? undefined : r.error.details?.hq?.code;
                    const first = newlyRefused[0]!;
                    o.status.recordError(name, newlyRefused.length === 1 ? refusalText(first, code) : `${refusalText(first, code)} (+${newlyRefused.length - 1})`);
                  }
                  await settled(answeredIds);
                  stats.conflicts += answered.length;
                  conflicts.push(...answered);
                };
                const chunks = chunkRows(wire, MAX_PUSH_ROWS, maxBytes);
                if (ORDERED.has(remote)) {
                  // RxDB may call this handler for several batches at once: they go in call order,
                  // and a batch queued behind one that failed fails too, unsent (an audit entry
                  // after a gap would be refused). RxDB retries them all, in order, after its back-off.
                  const previous = ordered.pending === 0 ? Promise.resolve() : ordered.tail;
                  ordered.pending++;
                  const turn = previous
                    .then(async () => {
                      for (const chunk of chunks) await send(chunk);
                    })
                    .finally(() => ordered.pending--);
                  ordered.tail = turn;
                  await turn;
                } else {
                  await inPool(
                    chunks.map((chunk) => () => send(chunk)),
                    concurrency,
                  );
                }
                succeeded();
                return conflicts as WithDeleted<Doc>[];
              },
            },
          }
        : {}),
    });
    states.set(name, state);
    const s = state;
    subs.push(
      s.received$.subscribe((doc) => {
        if (!writable) return;
        const id = String((doc as Doc).id);
        o.status.acknowledge(name, id, prints.of(id, doc), upstream);
        void settled([id]);
      }),
    );
    if (writable) {
      subs.push(
        collection.$.subscribe((ev) => {
          const doc = ev.documentData as Doc;
          o.status.observe(name, String(ev.documentId), prints.of(String(ev.documentId), doc), timeOf(doc));
        }),
      );
    }
  }

  subs.push(
    new Subscription(
      o.bridge.onChanged((event) => {
        // A notice of the other upstream says nothing about this one's checkpoint.
        if ((event.via ?? 'hq') !== upstream) return;
        if ('resync' in event) for (const s of streams.values()) s.next('RESYNC');
        else
          for (const [name, s] of streams) {
            if (HQ_COLLECTION[name] === event.collection) s.next('RESYNC');
          }
      }),
    ),
  );
  if (o.pollMs && o.pollMs > 0) {
    const timer = setInterval(() => {
      for (const s of streams.values()) s.next('RESYNC');
    }, o.pollMs);
    subs.push(new Subscription(() => clearInterval(timer)));
  }

  // What the upstream had acknowledged before this start: RxDB's meta instance keeps the assumed master state.
  await Promise.all(
    [...states].map(async ([name, state]) => {
      const collection = o.collections[name];
      if (!collection || !isWritable(HQ_COLLECTION[name]!)) return;
      await state.startPromise;
      const docs = (await collection.find().exec()) as { toJSON(): Doc; primary: string }[];
      for (const d of docs) {
        const data = d.toJSON();
        o.status.observe(name, d.primary, fingerprint(data), timeOf(data), true);
      }
      // What HQ refused, with its reason (shown while the record still holds that content).
      const refused = refusals.get(name) ?? new Map<string, Refusal>();
      let newest: Refusal | null = null;
      for (const r of refused.values()) {
        o.status.reject(name, r.id, r.fp, r.reason);
        if (!newest || r.at > newest.at) newest = r;
      }
      if (newest) o.status.recordError(name, refused.size === 1 ? refusalText(newest) : `${refusalText(newest)} (+${refused.size - 1})`);
      const meta = state.metaInstance;
      if (!meta || docs.length === 0) return;
      const found = await meta.findDocumentsById(
        docs.map((d) => `${d.primary}|0`),
        true,
      );
      for (const m of found) {
        if (!m.docData || isNoMasterMarker(m.docData as Doc)) continue;
        const fp = fingerprint(m.docData as Doc);
        // An earlier build let RxDB record a refused row as HQ's copy: never take that as acknowledged.
        if (refused.get(m.itemId)?.fp === fp) continue;
        o.status.seedAcknowledged(name, m.itemId, fp, upstream);
      }
    }),
  );

  return {
    states,
    stats,
    awaitInSync: async () => {
      await Promise.all([...states.values()].map((s) => s.awaitInSync()));
    },
    stop: async () => {
      for (const sub of subs) sub.unsubscribe();
      for (const s of streams.values()) s.complete();
      await Promise.all([...states.values()].map((s) => s.cancel()));
      // Calls already sent finish (each bridge call has its own timeout) before the next upstream starts.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
