// Main's side of "acknowledged means on disk": the journal file (./storage/ack-journal.ts), the
// database sentinel (which database epoch this device has written to) and the trim after HQ's
// push answers. No business rules: documents are opaque; only ids and exact content are compared.
import path from 'node:path';
import { z } from 'zod';
import { JournalEpoch, type JournalAppend, type JournalRecords } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import type { PushRow, SyncDocument } from '@shared/sync/protocol';
import type { Logger } from './log';
import { AckJournal, journalKeyFrom } from './storage/ack-journal';
import { JsonFile } from './store';

const Sentinels = z.object({ databases: z.record(z.string(), z.object({ epoch: JournalEpoch, at: z.string() })) });

export interface JournalServiceOptions {
  dir: string;
  /** The database key (base64): the journal is encrypted under a key derived from it. */
  dbKey: () => string;
  log: Logger;
  now?: () => Date;
}

export class JournalService {
  private journal: Promise<AckJournal> | null = null;
  private compacting = false;
  private readonly sentinels: JsonFile<typeof Sentinels>;

  constructor(private readonly o: JournalServiceOptions) {
    this.sentinels = new JsonFile(path.join(o.dir, 'sentinel.json'), Sentinels);
  }

  /** Opens the journal (cutting a torn tail); runs once, at start. */
  open(): Promise<AckJournal> {
    this.journal ??= (async () => {
      const started = Date.now();
      const j = await AckJournal.open({ dir: this.o.dir, key: journalKeyFrom(this.o.dbKey()) });
      const r = j.openReport;
      // Sizes and reasons only: never record contents.
      if (r.cutBytes || r.keptAside) this.o.log.warn('journal: cut a torn tail on open', { cutBytes: r.cutBytes, problem: r.problem, keptAside: r.keptAside });
      this.o.log.info('journal: open', { records: r.records, live: j.stats().liveRecords, ms: Date.now() - started });
      if (j.wantsCompaction()) await j.compact();
      return j;
    })();
    return this.journal;
  }

  private async ready(): Promise<AckJournal> {
    try {
      return await this.open();
    } catch (e) {
      this.o.log.error('journal: cannot open', { error: e instanceof Error ? e.message : String(e) });
      throw new IpcFailure('UNAVAILABLE', 'The journal of saved records cannot be opened: writes are not confirmed.');
    }
  }

  async append(entries: JournalAppend['entries']): Promise<{ seq: number }> {
    const j = await this.ready();
    try {
      return { seq: await j.append(entries) };
    } catch (e) {
      this.o.log.error('journal: append failed', { error: e instanceof Error ? e.message : String(e) });
      throw new IpcFailure('UNAVAILABLE', 'The record could not be written to disk: it is not confirmed as saved.');
    }
  }

  async records(): Promise<JournalRecords> {
    const j = await this.ready();
    return { records: j.records() as JournalRecords['records'] };
  }

  sentinel(database: string): { epoch: string | null } {
    return { epoch: this.sentinels.read()?.databases[database]?.epoch ?? null };
  }

  setSentinel(database: string, epoch: string): null {
    const current = this.sentinels.read() ?? { databases: {} };
    current.databases[database] = { epoch, at: (this.o.now ?? (() => new Date()))().toISOString() };
    this.sentinels.write(current);
    return null;
  }

  /**
   * HQ (or the hub) answered a push: every row it did not answer with a conflict is now held there
   * with exactly that content, so its journal record may go. The file is rewritten when enough
   * records are dead.
   */
  async acknowledgePushed(collection: string, rows: readonly PushRow[], conflicts: readonly SyncDocument[]): Promise<void> {
    if (!this.journal) return;
    const j = await this.journal.catch(() => null);
    if (!j) return;
    const conflicting = new Set(conflicts.map((d) => String(d.id)));
    for (const row of rows) {
      const id = String(row.newDocumentState.id);
      if (!conflicting.has(id)) j.acknowledge(collection, id, row.newDocumentState);
    }
    if (!this.compacting && j.wantsCompaction()) {
      this.compacting = true;
      try {
        const r = await j.compact();
        this.o.log.info('journal: trimmed to what HQ has not acknowledged', r);
      } catch (e) {
        this.o.log.error('journal: trim failed', { error: e instanceof Error ? e.message : String(e) });
      } finally {
        this.compacting = false;
      }
    }
  }

  async close(): Promise<void> {
    const j = await this.journal?.catch(() => null);
    await j?.close();
  }
}
