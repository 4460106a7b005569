// Which versions of the branch's records this PC holds from a pull and did not write (issue 17).
// A PC that starts replicating with a new hub pushes every record it holds, those it only pulled
// from HQ or the old hub included; nothing in a record names or proves its writer, so the hub took
// every row as the pusher's and relayed it to HQ so. Main sees every version that comes and goes:
// a version it saw first in a pull (or in a push answer's conflicts) was written elsewhere; one it
// saw first in a push is this PC's own (no one else can hold a version before its writer pushed it).
// Rows going to a hub or straight to HQ are marked `pulled` accordingly (shared/sync/protocol.ts
// `PushRow`); either keeps them without an author until their writer pushes them (hq/store.ts
// `PushOptions`).
// Only the last version of each record is kept (its fingerprint, shared/sync/fingerprint.ts), in an
// append-only file read back at start, compacted when mostly stale and bounded (oldest go first:
// an unknown version is pushed unmarked, as before this file existed). Ids and fingerprints only.
import fs from 'node:fs';
import type { PushRow, WritableCollection } from '@shared/sync/protocol';
import { fingerprint } from '@shared/sync/fingerprint';
import type { Logger } from '../log';

interface Seen {
  fp: string;
  pulled: boolean;
}

const DEFAULT_MAX = 200_000;

/** The file under userData (erased when the PC is decommissioned: main/retention.ts). */
export const PULLED_VERSIONS_FILE = 'hub-pulled-versions.log';

export class PulledVersions {
  private readonly seen = new Map<string, Seen>();
  private lines = 0;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
    private readonly max = DEFAULT_MAX,
  ) {
    this.load();
  }

  /** Versions that came from the upstream (a pull, or the upstream's copies in a push answer). */
  pulled(collection: WritableCollection, docs: readonly Record<string, unknown>[]): void {
    const changes: [string, Seen][] = [];
    for (const doc of docs) {
      if (typeof doc.id !== 'string') continue;
      const key = keyOf(collection, doc.id);
      const fp = fingerprint(doc);
      // The same version again (this PC's own write coming back, or a pull repeated): as first seen.
      if (this.seen.get(key)?.fp === fp) continue;
      changes.push([key, { fp, pulled: true }]);
    }
    this.record(changes);
  }

  /** Versions this PC wrote that reached it another way first (a call decided at the hub). */
  own(collection: WritableCollection, docs: readonly Record<string, unknown>[]): void {
    this.record(docs.filter((d): d is Record<string, unknown> & { id: string } => typeof d.id === 'string').map((d) => [keyOf(collection, d.id), { fp: fingerprint(d), pulled: false }]));
  }

  /**
   * Rows about to be pushed: those holding a version this PC pulled are marked `pulled` (what an
   * upstream that does not take the mark gets: ./push-marked.ts); any other version is this PC's
   * own from now on. A mark the page sent is never kept.
   */
  forPush(collection: WritableCollection, rows: readonly PushRow[]): PushRow[] {
    const changes: [string, Seen][] = [];
    const out = rows.map((row) => {
      const { pulled: _ignored, ...plain } = row;
      const key = keyOf(collection, row.newDocumentState.id);
      const fp = fingerprint(row.newDocumentState);
      const known = this.seen.get(key);
      if (known?.fp === fp) return known.pulled ? { ...plain, pulled: true as const } : plain;
      changes.push([key, { fp, pulled: false }]);
      return plain;
    });
    this.record(changes);
    return out;
  }

  private record(changes: readonly [string, Seen][]): void {
    if (changes.length === 0) return;
    for (const [key, s] of changes) {
      this.seen.delete(key); // to the end: the oldest go first when over the bound
      this.seen.set(key, s);
    }
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
    try {
      fs.appendFileSync(this.file, changes.map(([k, s]) => `${JSON.stringify([k, s.fp, s.pulled ? 1 : 0])}\n`).join(''), { mode: 0o600 });
      this.lines += changes.length;
      if (this.lines > 2 * this.seen.size + 10_000) this.compact();
    } catch (e) {
      // Kept in memory for this run; after a restart such a version is pushed unmarked (as before).
      this.log.warn('pulled versions: not written to disk', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('pulled versions: not read', { error: e instanceof Error ? e.message : String(e) });
      return;
    }
    let bad = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.lines++;
      try {
        const [key, fp, pulled] = JSON.parse(line) as unknown[];
        if (typeof key !== 'string' || typeof fp !== 'string') throw new Error('shape');
        this.seen.delete(key);
        this.seen.set(key, { fp, pulled: pulled === 1 });
      } catch {
        bad++; // a torn last line after a crash
      }
    }
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
    if (bad > 0) this.log.warn('pulled versions: unreadable lines skipped', { lines: bad });
    if (this.lines > 2 * this.seen.size + 10_000 || bad > 0) this.compact();
  }

  /** Rewrites the file with the last version of each record (temp file + rename). */
  private compact(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, [...this.seen].map(([k, s]) => `${JSON.stringify([k, s.fp, s.pulled ? 1 : 0])}\n`).join(''), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.lines = this.seen.size;
  }
}

function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
