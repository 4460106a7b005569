// Sync conflicts for the branch head, in their own collection (`conflicts`, schemas.ts). The
// replication's conflict handlers (./conflicts.ts) report what they could not settle alone; each
// becomes a record here until the head marks it resolved with a note (audited). A repeat of an open
// conflict on the same record counts as an occurrence of it, never a silent drop and never a flood
// of copies. Earlier builds kept conflicts as `sync:conflict:*` config documents:
// `importLegacyConflicts` moves them here once.
import { z } from 'zod';
import type { AuditActor } from '../data/audit-chain';
import type { LoketDatabase } from '../data/db/database';
import type { ConflictDoc } from '../data/db/schemas';
import type { AuditLog } from '../data/db/stores';
import type { ConflictRecord } from './status';
import { flagDoubleCalls } from './double-calls';

export const LEGACY_CONFLICT_KEY_PREFIX = 'sync:conflict:';
const MAX_REASON = 500;
export const MAX_NOTE = 500;

export type ConflictView = ConflictDoc;

const clip = (s: string, n: number) => ([...s].length > n ? [...s].slice(0, n - 1).join('') + '…' : s);

/** Records a conflict: a new open record, or one more occurrence of the open one for the same record. */
export async function recordConflict(db: LoketDatabase, c: ConflictRecord): Promise<ConflictDoc> {
  const docId = clip(String(c.id), 160);
  const collection = clip(c.collection, 20);
  const reason = clip(c.reason, MAX_REASON);
  const open = await db.conflicts.findOne({ selector: { sourceCollection: collection, docId, status: 'open' } }).exec();
  if (open) {
    const updated = await open.incrementalModify((d) => ({
      ...d,
      reason,
      kept: c.kept,
      lastAt: c.at > d.lastAt ? c.at : d.lastAt,
      occurrences: d.occurrences + 1,
      updatedAt: c.at > d.updatedAt ? c.at : d.updatedAt,
    }));
    return updated.toMutableJSON();
  }
  const doc: ConflictDoc = {
    id: clip(`${collection}|${docId}|${c.at}`, 200),
    sourceCollection: collection,
    docId,
    reason,
    kept: c.kept,
    at: c.at,
    lastAt: c.at,
    occurrences: 1,
    status: 'open',
    updatedAt: c.at,
  };
  // The same conflict reported twice at the same instant: one record, counted.
  const inserted = await db.conflicts.bulkInsert([doc]);
  if (inserted.error.length > 0) {
    const existing = await db.conflicts.findOne(doc.id).exec();
    if (!existing) throw new Error(`conflict record ${doc.id} could not be stored`);
    return (await existing.incrementalModify((d) => ({ ...d, occurrences: d.occurrences + 1 }))).toMutableJSON();
  }
  return doc;
}

/** Conflicts for the head's review: open ones (default) oldest first, or every one. */
export async function listConflicts(db: LoketDatabase, options: { status?: 'open' | 'resolved' | 'all' } = {}): Promise<ConflictView[]> {
  const status = options.status ?? 'open';
  // A ticket two counters called while the hub was unreachable is one of them (./double-calls.ts).
  if (status !== 'resolved') await flagDoubleCalls(db);
  const docs = await db.conflicts.find({ selector: status === 'all' ? {} : { status }, sort: [{ at: 'asc' }] }).exec();
  return docs.map((d) => d.toMutableJSON());
}

export const ResolveConflictInput = z.object({
  id: z.string().min(1).max(200),
  note: z.string().trim().min(5, 'catatan minimal 5 karakter').max(MAX_NOTE),
  by: z.object({ staffId: z.string().min(1), role: z.enum(['head', 'admin']) }),
});

export class ConflictError extends Error {
  constructor(
    readonly code: 'INVALID' | 'NOT_FOUND' | 'ALREADY_RESOLVED',
    message: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * The head marks a conflict resolved, with a note of what was done (audited). Only the head or an
 * admin; the record stays, resolved, for later review.
 */
export async function resolveConflict(
  db: LoketDatabase,
  id: string,
  by: AuditActor,
  note: string,
  audit: AuditLog,
  now: () => Date = () => new Date(),
): Promise<ConflictDoc> {
  const input = ResolveConflictInput.safeParse({ id, note, by });
  if (!input.success) throw new ConflictError('INVALID', input.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  const doc = await db.conflicts.findOne(id).exec();
  if (!doc) throw new ConflictError('NOT_FOUND', `no conflict ${id}`);
  if (doc.status === 'resolved') throw new ConflictError('ALREADY_RESOLVED', `conflict ${id} is already resolved`);
  const at = now().toISOString();
  let raced = false;
  const written = await doc.incrementalModify((d) => {
    if (d.status === 'resolved') {
      raced = true;
      return d;
    }
    return { ...d, status: 'resolved', resolution: { by: { staffId: by.staffId, role: by.role }, at, note: input.data.note }, updatedAt: at };
  });
  if (raced) throw new ConflictError('ALREADY_RESOLVED', `conflict ${id} is already resolved`);
  // The note is the head's text: it goes into the local record, the audit keeps only its length.
  await audit.append({
    at,
    actor: { staffId: by.staffId, role: by.role },
    action: 'conflict.resolved',
    subject: { kind: 'conflict', id: clip(id, 100) },
    details: { collection: doc.sourceCollection, docId: doc.docId, noteLength: input.data.note.length },
  });
  return written.toMutableJSON();
}

const LegacyConflict = z.object({
  collection: z.string().min(1),
  id: z.string().min(1),
  reason: z.string(),
  kept: z.enum(['hq', 'local', 'merged']),
  at: z.string().min(1),
});

/**
 * Moves conflicts kept as `sync:conflict:*` config documents (earlier builds) into the collection.
 * A document that does not parse stays where it is and is reported, never dropped. Idempotent.
 */
export async function importLegacyConflicts(db: LoketDatabase): Promise<{ moved: number; kept: string[] }> {
  const docs = await db.config.find({ selector: { key: { $regex: `^${LEGACY_CONFLICT_KEY_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } } }).exec();
  let moved = 0;
  const kept: string[] = [];
  for (const d of docs) {
    const parsed = LegacyConflict.safeParse(d.value);
    if (!parsed.success) {
      kept.push(d.key);
      continue;
    }
    await recordConflict(db, parsed.data);
    await d.remove();
    moved++;
  }
  return { moved, kept };
}
