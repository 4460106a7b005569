import type { RxCollection } from 'rxdb';
import { appendEntry, verifyChain, type AuditEntry, type AuditEntryInput, type ChainVerdict } from '../audit-chain';
import type { CounterStore } from '@shared/queue/ticket-numbers';
import type { AuditDoc, KeyValueDoc } from './schemas';
import { mirrorOf } from './write-mirror';

function isConflict(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'CONFLICT';
}

/**
 * Ticket counters in RxDB: compare-and-set through the document revision. The write has reached
 * IndexedDB when this returns true, so a number is reserved before anyone sees it.
 */
export function rxCounterStore(counters: RxCollection<KeyValueDoc>, now: () => Date = () => new Date()): CounterStore {
  return {
    async get(key) {
      const doc = await counters.findOne(key).exec();
      return doc ? ((doc.value as { n?: number }).n ?? null) : null;
    },
    async compareAndSet(key, expected, next) {
      const doc = await counters.findOne(key).exec();
      const current = doc ? ((doc.value as { n?: number }).n ?? null) : null;
      if (current !== expected) return false;
      const stored = { key, value: { n: next }, updatedAt: now().toISOString() };
      try {
        if (!doc) await counters.insert(stored);
        else await doc.patch({ value: stored.value, updatedAt: stored.updatedAt });
      } catch (e) {
        if (isConflict(e)) return false;
        throw e;
      }
      // Reserved only once main's journal has it: a power cut must not hand the number out again.
      await mirrorOf(counters.database).append([{ collection: 'counters', id: key, doc: stored }]);
      return true;
    },
  };
}

function toEntry(doc: AuditDoc): AuditEntry {
  const { id: _id, ...entry } = doc;
  return entry as unknown as AuditEntry;
}

export const auditId = (deviceId: string, seq: number) => `${deviceId}:${String(seq).padStart(10, '0')}`;

/**
 * This device's audit chain in RxDB. Appends are serialised in this page; the entry id is fixed by
 * (device, seq), so a second writer (another window) fails with a conflict instead of forking the
 * chain, and we retry on top of its entry.
 *
 * `anchor` (the app: main's `audit.anchor`) gets the chain's new head after every append, in order:
 * main writes it into its own signed chain (issue 18 pt 7), so a cut or rewritten tail of this chain,
 * which verifies on its own, no longer matches a head main holds. Anchoring never holds up the append;
 * a failed one (no session, main busy) is made good by the next.
 *
 * `sign` (the app: main's `audit.sign`) gets each new entry before it is stored and answers the
 * device key's signature of it (issue 17): HQ and the hub take an entry another PC relays only with
 * its author's signature. Main refusing (no session) or failing leaves the entry unsigned, which its
 * own device's push still delivers: signing never fails an append.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private anchoring: Promise<void> = Promise.resolve();

  constructor(
    private readonly audit: RxCollection<AuditDoc>,
    readonly deviceId: string,
    private readonly anchor?: (head: { seq: number; hash: string }) => Promise<unknown>,
    private readonly sign?: (entry: AuditEntry) => Promise<string | null>,
  ) {}

  /** Resolves once every head anchored so far has been answered (tests, sign-out). */
  anchored(): Promise<void> {
    return this.anchoring;
  }

  private async last(): Promise<AuditEntry | null> {
    const doc = await this.audit.findOne({ selector: { deviceId: this.deviceId }, sort: [{ deviceId: 'desc' }, { seq: 'desc' }] }).exec();
    return doc ? toEntry(doc.toMutableJSON()) : null;
  }

  append(input: Omit<AuditEntryInput, 'deviceId'>): Promise<AuditEntry> {
    const run = async (): Promise<AuditEntry> => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const unsigned = await appendEntry(await this.last(), { ...input, deviceId: this.deviceId });
        const signature = this.sign ? await this.sign(unsigned).catch(() => null) : null;
        const entry: AuditEntry = signature ? { ...unsigned, signature } : unsigned;
        try {
          await this.audit.insert({ id: auditId(this.deviceId, entry.seq), ...entry });
          return entry;
        } catch (e) {
          if (!isConflict(e)) throw e;
        }
      }
      throw new Error('audit log: could not append after 5 attempts (another writer keeps appending)');
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    // Mirrored outside the queue: the next entry need not wait for this one's disk flush.
    return next.then(async (entry) => {
      const id = auditId(this.deviceId, entry.seq);
      const mirrored = mirrorOf(this.audit.database).append([{ collection: 'audit', id, doc: { id, ...entry } }]);
      // Anchored in chain order, and only once the entry is in main's journal (a crash cannot leave
      // main holding a head this chain never kept).
      const anchor = this.anchor;
      if (anchor) {
        this.anchoring = this.anchoring
          .then(() => mirrored)
          .then(() => anchor({ seq: entry.seq, hash: entry.hash }))
          .then(
            () => undefined,
            () => undefined,
          );
      }
      await mirrored;
      return entry;
    });
  }

  async entries(): Promise<AuditEntry[]> {
    const docs = await this.audit.find({ selector: { deviceId: this.deviceId }, sort: [{ deviceId: 'asc' }, { seq: 'asc' }] }).exec();
    return docs.map((d) => toEntry(d.toMutableJSON()));
  }

  /** Verifies the whole chain of this device; reports the first broken link. */
  async verify(): Promise<ChainVerdict> {
    return verifyChain(await this.entries(), { deviceId: this.deviceId });
  }
}
