// "Saved" means on disk: every write the screen confirms (a case's journal, a ticket, a ticket
// counter, an audit entry) is also appended to main's fsync'd journal (main/storage/ack-journal.ts)
// before the write path returns. IndexedDB commits without fsync; the journal is what a power cut
// cannot take back, and what ./recovery.ts restores from.
import type { JournalCollection } from '../../../../shared/ipc/contract';
import type { IpcResult } from '../../../../shared/ipc/result';

export interface MirrorEntry {
  collection: JournalCollection;
  id: string;
  /** A JSON document as stored (RxDB's own `_` fields are left out on the wire). */
  doc: object;
}

export interface WriteMirror {
  /** Resolves once main has the entries on disk; rejects with NotSavedError otherwise. */
  append(entries: MirrorEntry[]): Promise<void>;
}

/** The write reached IndexedDB but not main's journal: it must not be shown as saved. */
export class NotSavedError extends Error {
  override readonly name = 'NotSavedError';
  readonly code = 'NOT_SAVED';
}

/** The bridge's `journal.append` (window.loket in the app; the harness' own endpoint in tests). */
export type JournalAppendCall = (request: { entries: { collection: JournalCollection; id: string; doc: Record<string, unknown> }[] }) => Promise<IpcResult<{ seq: number }>>;

/** RxDB's own fields (`_rev`, `_meta`, …) are not part of a record. */
function plain(doc: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));
}

export function journalMirror(call: JournalAppendCall): WriteMirror {
  return {
    async append(entries) {
      const r = await call({ entries: entries.map((e) => ({ ...e, doc: plain(e.doc) })) }).catch((e: unknown) => ({
        ok: false as const,
        error: { code: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) },
      }));
      if (!r.ok) throw new NotSavedError(`not confirmed as saved: ${r.error.message}`);
    },
  };
}

/** A mirror that keeps nothing (tests and tools that run without main). */
export const NO_MIRROR: WriteMirror = { append: () => Promise.resolve() };

// One mirror per open database, so every write path of that database (case journal, ticket desk,
// ticket calls, counters, audit log) finds it without each constructor taking it.
const mirrors = new WeakMap<object, WriteMirror>();

export function setWriteMirror(db: object, mirror: WriteMirror): void {
  mirrors.set(db, mirror);
}

export function mirrorOf(db: object): WriteMirror {
  return mirrors.get(db) ?? NO_MIRROR;
}

/**
 * Starts mirroring now and returns the wait for it, so the disk flush overlaps the rest of the
 * write path (the audit entry): the caller awaits it before reporting the write as saved.
 */
export function beginMirror(db: object, entries: MirrorEntry[]): () => Promise<void> {
  const settled = mirrorOf(db)
    .append(entries)
    .then(
      () => null,
      (e: unknown) => (e instanceof Error ? e : new NotSavedError(String(e))),
    );
  return async () => {
    const failure = await settled;
    if (failure) throw failure;
  };
}
