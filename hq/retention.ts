// Keep only what the law needs, at HQ (issue 18 pt 8; the table: shared/records/retention.ts, the
// README's "Retention"). Once a day HQ deletes replicated records and quarantined pushes whose
// latest version it received longer ago than their class's window. The head (highest seq) of each
// device's audit chain is always kept: the next entry that device pushes is checked against it.
// Main's signed chains (device_audit, migration 011) are audit too: entries HQ received longer ago than
// the audit window go, each device's newest kept for the same reason, with the flags raised on them.
// Deleted in batches so a first run over years of data never holds a long lock.
import type { Logger } from 'pino';
import { COLLECTION_CLASS, DEFAULT_RETENTION, retentionCutoff, type RetentionTable } from '@shared/records/retention';
import { WRITABLE_COLLECTIONS, type WritableCollection } from '@shared/sync/protocol';
import type { Sql } from './db';

const BATCH = 5_000;

export interface HqPurgeReport {
  documents: Partial<Record<WritableCollection, number>>;
  quarantine: number;
  /** Entries of the PCs' main audit chains (device_audit), and audit_flags rows. */
  deviceAudit: number;
  auditFlags: number;
}

const KEYS = { documents: '(collection, id)', quarantine: 'qid', device_audit: '(device_id, seq)', audit_flags: 'flag_id' } as const;

async function deleteInBatches(db: Sql, select: string, params: unknown[], table: keyof typeof KEYS): Promise<number> {
  const key = KEYS[table];
  let total = 0;
  for (;;) {
    const { rows } = await db.query<{ n: string }>(
      `WITH gone AS (DELETE FROM ${table} WHERE ${key} IN (${select} LIMIT ${BATCH}) RETURNING 1) SELECT count(*)::text AS n FROM gone`,
      params,
    );
    const n = Number(rows[0]?.n ?? 0);
    total += n;
    if (n < BATCH) return total;
  }
}

/** Deletes what has outlived its window at HQ; returns how many rows went, by collection. */
export async function purgeHq(db: Sql, o: { now: Date; table?: RetentionTable }): Promise<HqPurgeReport> {
  const table = o.table ?? DEFAULT_RETENTION;
  const report: HqPurgeReport = { documents: {}, quarantine: 0, deviceAudit: 0, auditFlags: 0 };
  for (const collection of WRITABLE_COLLECTIONS) {
    const cutoff = retentionCutoff(table, COLLECTION_CLASS[collection], 'hq', o.now);
    if (!cutoff) continue;
    // A chain's head is its highest seq, as hq/validate.ts reads it: by the device the entries name,
    // not by the row's author (null for an entry stored without one, issue 17) or its newest row
    // (a version claimed by its writer later gets a new server_seq).
    const keepChainHeads =
      collection === 'audit'
        ? `AND server_seq NOT IN (SELECT DISTINCT ON (branch_code, data ->> 'deviceId') server_seq FROM documents
             WHERE collection = 'audit' ORDER BY branch_code, data ->> 'deviceId', (data ->> 'seq')::bigint DESC NULLS LAST, server_seq DESC)`
        : '';
    const n = await deleteInBatches(
      db,
      `SELECT collection, id FROM documents WHERE collection = $1 AND received_at < $2 ${keepChainHeads}`,
      [collection, cutoff.toISOString()],
      'documents',
    );
    if (n > 0) report.documents[collection] = n;
  }
  const qCutoff = retentionCutoff(table, 'quarantine', 'hq', o.now);
  if (qCutoff) {
    report.quarantine = await deleteInBatches(db, 'SELECT qid FROM quarantine WHERE last_received_at < $1', [qCutoff.toISOString()], 'quarantine');
  }
  const aCutoff = retentionCutoff(table, 'audit', 'hq', o.now);
  if (aCutoff) {
    report.deviceAudit = await deleteInBatches(
      db,
      `SELECT device_id, seq FROM device_audit WHERE received_at < $1
         AND (device_id, seq) NOT IN (SELECT device_id, max(seq) FROM device_audit GROUP BY device_id)`,
      [aCutoff.toISOString()],
      'device_audit',
    );
    report.auditFlags = await deleteInBatches(db, 'SELECT flag_id FROM audit_flags WHERE flagged_at < $1', [aCutoff.toISOString()], 'audit_flags');
  }
  return report;
}

/** Runs the purge now and every `everyMs` (default a day); a failed run is logged and tried again next time. */
export function scheduleHqPurge(db: Sql, log: Logger, o: { everyMs?: number; now?: () => Date; table?: RetentionTable } = {}): () => void {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= purgeHq(db, { now: (o.now ?? (() => new Date()))(), ...(o.table ? { table: o.table } : {}) })
      .then((r) => {
        const total = r.quarantine + r.deviceAudit + r.auditFlags + Object.values(r.documents).reduce((a, b) => a + b, 0);
        if (total > 0) log.info({ documents: r.documents, quarantine: r.quarantine, deviceAudit: r.deviceAudit, auditFlags: r.auditFlags }, 'retention: purged');
      })
      .catch((err: unknown) => log.error({ err }, 'retention: purge failed'))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, o.everyMs ?? 86_400_000);
  timer.unref();
  return () => clearInterval(timer);
}
