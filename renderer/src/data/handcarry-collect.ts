// The records a hand-carry file carries (issue 5 pt 6; the format is ./handcarry.ts and
// docs/handcarry-format.md): what this PC has not had acknowledged by HQ, read from its local
// collections in the shape a push carries.
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import type { HandcarryRecord } from './handcarry';

/** What the export needs of a local RxDB collection: its storage instance, read with deleted documents. */
export interface PendingRecordSource {
  storageInstance: { findDocumentsById(ids: string[], withDeleted: boolean): Promise<readonly object[]> };
}

const READ_CHUNK = 500;

/**
 * Reads the current local content of every pending record, in the shape a push carries: the
 * document without RxDB's bookkeeping, `_deleted` as a boolean (a pending deletion travels too),
 * and its revision as `rev`. Throws if a pending record cannot be read: a file that silently
 * misses records would tell HQ it has everything.
 */
export async function collectPendingRecords(
  keys: readonly { collection: string; id: string }[],
  collections: Readonly<Record<string, PendingRecordSource | undefined>>,
  onProgress?: (done: number, total: number) => void,
): Promise<HandcarryRecord[]> {
  const byCollection = new Map<string, string[]>();
  for (const k of keys) byCollection.set(k.collection, [...(byCollection.get(k.collection) ?? []), k.id]);
  const records: HandcarryRecord[] = [];
  let unreadable = 0;
  for (const [collection, ids] of [...byCollection].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const source = collections[collection];
    if (!source) {
      unreadable += ids.length;
      continue;
    }
    const sorted = [...new Set(ids)].sort();
    for (let i = 0; i < sorted.length; i += READ_CHUNK) {
      const chunk = sorted.slice(i, i + READ_CHUNK);
      const found = new Map<string, Record<string, unknown>>();
      for (const raw of await source.storageInstance.findDocumentsById(chunk, true)) {
        const d = raw as Record<string, unknown>;
        // The primary key is `id` for every collection that pushes (tickets, cases, refusals, transfers, audit).
        if (typeof d.id === 'string') found.set(d.id, d);
      }
      for (const id of chunk) {
        const d = found.get(id);
        if (!d || typeof d._rev !== 'string') {
          unreadable++;
          continue;
        }
        // RxDB's local bookkeeping is not part of the record HQ stores (as in the push, sync/fingerprint.ts).
        const doc: Record<string, unknown> = { ...withoutBookkeeping(d), _deleted: d._deleted === true };
        records.push({ collection, id, rev: d._rev, doc });
      }
      onProgress?.(records.length + unreadable, keys.length);
    }
  }
  if (unreadable > 0) throw new Error(`${unreadable} pending record(s) could not be read from the local database.`);
  return records;
}
