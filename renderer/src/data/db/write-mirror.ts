// "Saved" means on disk: every write the screen confirms (a case's journal, a ticket, a ticket
// counter, an audit entry) is also appended to main's fsync'd journal (main/storage/ack-journal.ts)
// before the write path returns. IndexedDB commits without fsync; the journal is what a power cut
// cannot take back, and what ./recovery.ts restores from.
import type { JournalAppend, JournalCollection } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';

export interface MirrorEntry {
  collection: JournalCollection;
  id: string;
  /** A JSON document as stored (RxDB's own `_` fields are left out on the wire). */
  doc: object;
}

/** Takes back an entry whose database write failed: `doc` is what the database holds (null: nothing). */
export interface MirrorUndo {
  collection: JournalCollection;
  id: string;
  undo: true;
  doc: object | null;
}

export interface WriteMirror {
  /** Resolves once main has the entries on disk; rejects with NotSavedError otherwise. */
  append(entries: (MirrorEntry | MirrorUndo)[]): Promise<void>;
}

/** The write reached IndexedDB but not main's journal: it must not be shown as saved. */
export class NotSavedError extends Error {
  override readonly name = 'NotSavedError';
  readonly code = 'NOT_SAVED';
}

/** The bridge's `journal.append` (window.loket in the app; the harness' own endpoint in tests). */
export type JournalAppendCall = (request: JournalAppend) => Promise<IpcResult<{ seq: number }>>;

/** RxDB's own fields (`_rev`, `_meta`, …) are not part of a record. */
function plain(doc: object): Record<string, unknown> {
  return withoutBookkeeping(doc);
}

export function journalMirror(call: JournalAppendCall): WriteMirror {
  // Undos that could not be sent (main unreachable): they go first with the next append, so they
  // still land before any later record of the same document.
  let owed: MirrorUndo[] = [];
  const send = async (entries: (MirrorEntry | MirrorUndo)[]) => {
    const wire = entries.map((e) => ('undo' in e ? { ...e, doc: e.doc ? plain(e.doc) : null } : { ...e, doc: plain(e.doc) })) as JournalAppend['entries'];
    const r = await call({ entries: wire }).catch((e: unknown) => ({
      ok: false as const,
      error: { code: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) },
    }));
    if (!r.ok) throw new NotSavedError(`not confirmed as saved: ${r.error.message}`);
  };
  return {
    async append(entries) {
      while (owed.length) {
        const batch = owed.slice(0, 16);
        await send(batch);
        owed = owed.slice(batch.length);
      }
      try {
        await send(entries);
      } catch (e) {
        const undos = entries.filter((x): x is MirrorUndo => 'undo' in x);
        if (undos.length) owed.push(...undos);
        throw e;
      }
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

/**
 * A database write whose journal append starts before the write itself, so the disk flush in main
 * runs while IndexedDB commits: "saved" is reported once both are done. If the write fails (or the
 * write path decides not to write after all), the journal entry is taken back by an undo carrying
 * what the database still holds, so a restore never brings back a write the screen reported as failed.
 *
 * `start` may be called more than once (incrementalModify runs its modifier again after a write
 * conflict): each attempt's entry follows the previous one in the journal, and the last one counts.
 */
export class ParallelWrite {
  private last: { entry: MirrorEntry; prior: object | null; settled: Promise<Error | null> } | null = null;
  /** What the database holds when the last attempt wrote nothing. */
  private unchanged: { prior: object | null } | null = null;

  constructor(
    private readonly db: object,
    private readonly collection: JournalCollection,
    private readonly id: string,
  ) {}

  /** The write is about to store `next` over `prior` (null: a new document): the journal append starts now. */
  start(next: object, prior: object | null): void {
    const entry: MirrorEntry = { collection: this.collection, id: this.id, doc: next };
    const settled = mirrorOf(this.db)
      .append([entry])
      .then(
        () => null,
        (e: unknown) => (e instanceof Error ? e : new NotSavedError(String(e))),
      );
    this.last = { entry, prior, settled };
    this.unchanged = null;
  }

  /** The last attempt writes nothing: the database keeps `prior`. */
  keep(prior: object | null): void {
    this.unchanged = { prior };
  }

  /** The write is in the database: resolves once the journal has it too, or throws NotSavedError. */
  async done(): Promise<void> {
    if (!this.last) return;
    if (this.unchanged) return this.undo(this.unchanged.prior);
    const failure = await this.last.settled;
    if (failure) throw failure;
  }

  /** The write failed: the journal entry (if any went) is taken back; the caller rethrows the write's error. */
  async failed(): Promise<void> {
    if (!this.last) return;
    await this.undo(this.unchanged ? this.unchanged.prior : this.last.prior);
  }

  private async undo(prior: object | null): Promise<void> {
    // Wait for the entry first: the undo must follow it in the journal.
    await this.last?.settled;
    this.last = null;
    await mirrorOf(this.db)
      .append([{ collection: this.collection, id: this.id, undo: true, doc: prior }])
      .catch(() => undefined); // kept by the mirror and sent first with the next append
  }
}
