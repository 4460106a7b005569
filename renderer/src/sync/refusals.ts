// Records HQ refused (quarantined), kept on this device so that a restart still shows them as
// refused, with HQ's reason: which record, which content (its fingerprint), why, and when. One small
// `config` document per collection (`sync:refused:<collection>`; config only pulls, so these never
// leave the device). No personal data: ids, fingerprints and HQ's reason text only.
//
// An entry goes when HQ answers for that record again without refusing it (an accepted edit, a
// conflict answer) or sends its own copy (a pull).
import type { RxCollection } from 'rxdb';
import type { KeyValueDoc } from '../data/db/schemas';

export interface Refusal {
  id: string;
  /** Fingerprint of the content HQ refused (./fingerprint.ts). */
  fp: string;
  reason: string;
  /** When HQ refused it (ISO). */
  at: string;
}

export interface RefusalLog {
  load(collection: string): Promise<Refusal[]>;
  /** Adds (or replaces) `put` and removes `remove`, in one write. */
  update(collection: string, put: readonly Refusal[], remove: readonly string[]): Promise<void>;
}

export const REFUSAL_KEY_PREFIX = 'sync:refused:';
const MAX_REASON = 500;

const clip = (s: string) => ([...s].length > MAX_REASON ? [...s].slice(0, MAX_REASON - 1).join('') + '…' : s);

type Entries = Record<string, { fp: string; reason: string; at: string }>;

function entriesOf(value: unknown): Entries {
  const raw = (value as { entries?: unknown } | null)?.entries;
  if (!raw || typeof raw !== 'object') return {};
  const out: Entries = {};
  for (const [id, e] of Object.entries(raw as Record<string, unknown>)) {
    const x = e as { fp?: unknown; reason?: unknown; at?: unknown } | null;
    if (x && typeof x.fp === 'string' && typeof x.reason === 'string' && typeof x.at === 'string') out[id] = { fp: x.fp, reason: x.reason, at: x.at };
  }
  return out;
}

function apply(entries: Entries, put: readonly Refusal[], remove: readonly string[]): Entries {
  const next = { ...entries };
  for (const id of remove) delete next[id];
  for (const r of put) next[r.id] = { fp: r.fp, reason: clip(r.reason), at: r.at };
  return next;
}

/** The log in the local `config` collection (durable, encrypted at rest like the rest of the database). */
export function configRefusalLog(config: RxCollection<KeyValueDoc>, now: () => Date = () => new Date()): RefusalLog {
  // One write at a time per collection: pushes of one collection may answer concurrently.
  const queues = new Map<string, Promise<void>>();
  return {
    load: async (collection) => {
      const doc = await config.findOne(REFUSAL_KEY_PREFIX + collection).exec();
      return Object.entries(entriesOf(doc?.value)).map(([id, e]) => ({ id, ...e }));
    },
    update: (collection, put, remove) => {
      const key = REFUSAL_KEY_PREFIX + collection;
      const run = async () => {
        const doc = await config.findOne(key).exec();
        if (!doc) {
          if (put.length === 0) return;
          await config.insert({ key, value: { entries: apply({}, put, []) }, updatedAt: now().toISOString() });
          return;
        }
        await doc.incrementalModify((d) => ({ ...d, value: { entries: apply(entriesOf(d.value), put, remove) }, updatedAt: now().toISOString() }));
      };
      const next = (queues.get(collection) ?? Promise.resolve()).then(run, run);
      queues.set(collection, next.catch(() => undefined));
      return next;
    },
  };
}

/** A log that lives as long as the process (no local `config` collection to keep it in). */
export function memoryRefusalLog(): RefusalLog {
  const store = new Map<string, Entries>();
  return {
    load: (collection) => Promise.resolve(Object.entries(store.get(collection) ?? {}).map(([id, e]) => ({ id, ...e }))),
    update: (collection, put, remove) => {
      store.set(collection, apply(store.get(collection) ?? {}, put, remove));
      return Promise.resolve();
    },
  };
}
