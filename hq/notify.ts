import type { Logger } from 'pino';
import type { Collection } from '@shared/sync/protocol';
import type { Sql } from './db';
import type { StreamHub } from './stream';
import { forgetBranchRules } from './branch-rules';

// Change notices across HQ processes (issue 20 pt 2). Several HQ processes serve one PostgreSQL
// database; a device's event stream is held by one of them, the write may come through another.
// Every write transaction sends one NOTIFY with what it changed (branch, collection, seq: small),
// delivered by PostgreSQL on commit and only on commit; each process LISTENs on one connection of
// its own and hands the notices to its streams. Its own writes come back the same way.
// PGlite (one process: the branch hub, a laptop HQ) publishes in process, as before.

export const CHANGES_CHANNEL = 'loket_changes';

export interface ChangeNotice {
  branch: string;
  collection: Collection;
  seq: number;
}

/** NOTIFY payloads are limited to 8000 bytes; a push touches a handful of branches, so this is room to spare. */
const MAX_PAYLOAD = 7_000;

/** Inside the write transaction (pg only): one NOTIFY per ~7 KB of notices, sent by PostgreSQL at commit. */
export async function notifyChanges(tx: Sql, notices: readonly ChangeNotice[]): Promise<void> {
  if (tx.kind !== 'pg' || notices.length === 0) return;
  const payloads: string[] = [];
  let batch: [string, string, number][] = [];
  for (const n of notices) {
    batch.push([n.branch, n.collection, n.seq]);
    if (JSON.stringify(batch).length > MAX_PAYLOAD && batch.length > 1) {
      payloads.push(JSON.stringify(batch.slice(0, -1)));
      batch = batch.slice(-1);
    }
  }
  payloads.push(JSON.stringify(batch));
  await tx.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [CHANGES_CHANNEL, payloads]);
}

/** A notice payload: `[[branch, collection, seq], ...]`; anything else is ignored. */
export function parseNotices(payload: string): ChangeNotice[] {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.flatMap((v: unknown) =>
    Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' && typeof v[2] === 'number' ? [{ branch: v[0], collection: v[1] as Collection, seq: v[2] }] : [],
  );
}

/**
 * Delivers change notices to this process's streams. On PostgreSQL it LISTENs; after its listening
 * connection was lost and came back, every stream is told to resync (notices may have been missed
 * meanwhile), and while it is not listening, this process's own writes are published directly.
 */
export class ChangeFeed {
  private stopListening: (() => Promise<void>) | undefined;
  private listening = false;

  constructor(
    private readonly db: Sql,
    private readonly hub: StreamHub,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.db.kind !== 'pg' || !this.db.listen) return;
    try {
      this.stopListening = await this.db.listen(
        CHANGES_CHANNEL,
        (payload) => {
          for (const n of parseNotices(payload)) {
            // A new branch config means new rules: this process's cache of them is dropped at once, not after 10 s.
            if (n.collection === 'config') forgetBranchRules(this.db, n.branch);
            this.hub.publish(n.branch, { type: 'changed', collection: n.collection, seq: n.seq });
          }
        },
        () => {
          this.listening = true;
          this.hub.resyncAll();
        },
        // Until the connection is back, this process's own writes are published here, not lost.
        () => (this.listening = false),
      );
      this.listening = true;
    } catch (err) {
      // This process's streams still hear its own writes (below); other processes' only on resync.
      this.log.warn({ err: { message: (err as Error).message } }, 'cannot listen for change notices; other HQ processes’ writes reach these streams only when they resync');
    }
  }

  async stop(): Promise<void> {
    this.listening = false;
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.();
  }

  /** After a write of this process: published here unless the notice comes back through PostgreSQL. */
  wrote(notices: readonly ChangeNotice[]): void {
    if (this.listening) return;
    for (const n of notices) this.hub.publish(n.branch, { type: 'changed', collection: n.collection, seq: n.seq });
  }
}
