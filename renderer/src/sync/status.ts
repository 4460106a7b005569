// The sync status store: what HQ has and has not acknowledged, per record, and the link's health.
//
// A record is acknowledged only when HQ answered the push that carried that exact content (its
// fingerprint) without a conflict, or when the content came from HQ (pulled). Anything else is
// pending: written here and not yet answered, answered with a conflict, or refused by HQ
// (quarantined there; shown with the reason). Never "synced" before HQ said so.
//
// With a branch hub (issue 17) each record has one of three levels: 'local' (only on this PC),
// 'branch' (the hub acknowledged this content: shared in the branch), 'hq' (HQ acknowledged it
// directly, or the hub reported that HQ holds exactly this content: `POST /v1/hub/at-hq`). A
// record at 'branch' is still pending for HQ (a hand-carry file includes it).
//
// A row main held back from an upstream (a version this PC only pulled, and an upstream too old to
// take it marked: main/hub/push-marked.ts) is not acknowledged by it: it keeps its level, and is
// counted as waiting, for its writer's own push or for an upgraded upstream.
import type { HqStatus, HubStatus } from '@shared/ipc/contract';

/** How far this content has gone. */
export type SyncLevel = 'local' | 'branch' | 'hq';
/** Who acknowledged content: HQ itself, or the branch hub. */
export type Upstream = 'hq' | 'hub';

export interface PendingRecord {
  collection: string;
  id: string;
  /** When this record first had content HQ had not acknowledged (ms since epoch). */
  since: number;
  /** Why it is stuck, when known (HQ refused it). */
  error: string | null;
  /** 'local' (only on this PC) or 'branch' (the hub has it; HQ not yet). */
  level: Exclude<SyncLevel, 'hq'>;
  /** Held back from the upstream (written on another PC): it waits for its writer, or for an upgraded HQ or hub. */
  heldBack?: true;
}

export interface SyncErrorEntry {
  at: number;
  collection: string | null;
  message: string;
}

/** A conflict the replication could not merge: for the branch head. No personal data. */
export interface ConflictRecord {
  collection: string;
  id: string;
  reason: string;
  /** Which copy the device kept: HQ's, its own, or a merge. */
  kept: 'hq' | 'local' | 'merged';
  at: string;
}

export interface SyncSnapshot {
  link: HqStatus | null;
  /** This PC's link to the branch hub (null: not known yet; role 'none': no hub configured). */
  hub: HubStatus | null;
  /** Which upstream the replication runs through now (null: not running). */
  upstream: Upstream | null;
  /** Records per level; a record whose content HQ refused counts in refusedCount instead (pendingCount = local + branch + refusedCount). */
  levels: Record<SyncLevel, number>;
  /** Replication is running (the data layer is open and the device is enrolled). */
  running: boolean;
  pendingCount: number;
  oldestPendingSince: number | null;
  /** Pending records whose current content HQ refused (quarantined), and the reason of the latest refusal. */
  refusedCount: number;
  /** Pending records held back from the upstream (written on another PC, for an HQ or hub too old to take them from this one). */
  heldBackCount: number;
  lastRefusal: { collection: string; id: string; reason: string } | null;
  /** Oldest first, at most MAX_LISTED. */
  pending: PendingRecord[];
  /** Newest first, at most MAX_ERRORS. */
  errors: SyncErrorEntry[];
  lastError: SyncErrorEntry | null;
  conflicts: ConflictRecord[];
}

interface Entry {
  collection: string;
  id: string;
  current: string | null;
  /** Content HQ acknowledged directly (or that came from HQ). */
  acked: string | null;
  /** Content the hub acknowledged (or that came from the hub). */
  branch: string | null;
  /** Content the hub reported HQ holds. */
  atHq: string | null;
  since: number;
  rejected: { fp: string; reason: string; at: number } | null;
  /** Content main held back from an upstream (not sent there). */
  heldBack: string | null;
}

const MAX_LISTED = 500;
const MAX_ERRORS = 50;
const NOTIFY_MS = 100;

export class SyncStatusStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private errors: SyncErrorEntry[] = [];
  private conflicts: ConflictRecord[] = [];
  private link: HqStatus | null = null;
  private hub: HubStatus | null = null;
  private upstream: Upstream | null = null;
  private running = false;
  private snapshot: SyncSnapshot | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly now: () => number = () => Date.now()) {}

  private entry(collection: string, id: string): Entry {
    const key = `${collection}\u0000${id}`;
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { collection, id, current: null, acked: null, branch: null, atHq: null, since: 0, rejected: null, heldBack: null }));
    return e;
  }

  private static atHq(e: Entry): boolean {
    return e.current !== null && (e.current === e.acked || e.current === e.atHq);
  }

  /** Not (yet) at HQ: the PC holds content HQ has not acknowledged, nor the hub reported at HQ. */
  private static pending(e: Entry): boolean {
    return e.current !== null && !SyncStatusStore.atHq(e);
  }

  private static level(e: Entry): SyncLevel {
    if (SyncStatusStore.atHq(e)) return 'hq';
    return e.current === e.branch ? 'branch' : 'local';
  }

  /** The device holds this content now (a local write, a pull, a conflict resolution). `since`: when it changed. */
  observe(collection: string, id: string, fp: string, since?: number, onlyIfUnknown = false): void {
    const e = this.entry(collection, id);
    if (onlyIfUnknown && e.current !== null) return; // a startup scan must not undo a fresher change event
    const wasPending = SyncStatusStore.pending(e);
    e.current = fp;
    if (!wasPending && SyncStatusStore.pending(e)) e.since = since ?? this.now();
    this.changed();
  }

  /**
   * `by` (HQ unless told) answered a push carrying `fp` without a conflict, or `fp` came from it.
   * When the record became pending is kept: an acknowledgement by the hub does not end that.
   */
  acknowledge(collection: string, id: string, fp: string, by: Upstream = 'hq'): void {
    const e = this.entry(collection, id);
    if (by === 'hub') {
      e.branch = fp;
    } else {
      e.acked = fp;
      if (e.rejected && e.rejected.fp !== fp) e.rejected = null;
    }
    this.changed();
  }

  /** Startup: what the replication's own bookkeeping says `by` last acknowledged (never overrides a fresher answer). */
  seedAcknowledged(collection: string, id: string, fp: string, by: Upstream = 'hq'): void {
    const e = this.entry(collection, id);
    if (by === 'hub') e.branch ??= fp;
    else e.acked ??= fp;
    this.changed();
  }

  /** The hub reported that HQ holds exactly `fp` (it acknowledged that content to the hub, or the hub pulled it from HQ). */
  reportAtHq(collection: string, id: string, fp: string): void {
    const e = this.entries.get(`${collection}\u0000${id}`);
    if (!e) return;
    e.atHq = fp;
    this.changed();
  }

  /** The level of what the PC holds now (null: nothing known of this record). */
  levelOf(collection: string, id: string): SyncLevel | null {
    const e = this.entries.get(`${collection}\u0000${id}`);
    return e && e.current !== null ? SyncStatusStore.level(e) : null;
  }

  /** Records the hub holds and HQ is not known to (what to ask the hub about), oldest first, at most `limit`. */
  branchRecords(limit: number, collection?: string): { collection: string; id: string; fp: string }[] {
    const out: { collection: string; id: string; fp: string; since: number }[] = [];
    for (const e of this.entries.values()) {
      if (collection !== undefined && e.collection !== collection) continue;
      // Content HQ already refused is not asked about again (an edit is new content, asked about anew).
      const refused = e.rejected !== null && e.rejected.fp === e.current;
      if (e.current !== null && !refused && SyncStatusStore.level(e) === 'branch') out.push({ collection: e.collection, id: e.id, fp: e.current, since: e.since });
    }
    out.sort((a, b) => a.since - b.since);
    return out.slice(0, limit).map(({ collection: c, id, fp }) => ({ collection: c, id, fp }));
  }

  /**
   * Main held this content back from the upstream (never sent: a version this PC only pulled, for an
   * upstream too old to take it marked). Nothing is acknowledged: the record keeps its level.
   */
  holdBack(collection: string, id: string, fp: string): void {
    const e = this.entry(collection, id);
    e.heldBack = fp;
    this.changed();
  }

  /** HQ refused this content (quarantined): it stays pending, with the reason. */
  reject(collection: string, id: string, fp: string, reason: string): void {
    const e = this.entry(collection, id);
    e.rejected = { fp, reason, at: this.now() };
    this.changed();
  }

  isAcknowledged(collection: string, id: string): boolean {
    const e = this.entries.get(`${collection}\u0000${id}`);
    return e !== undefined && e.current !== null && !SyncStatusStore.pending(e);
  }

  /** Every record HQ has not acknowledged (the snapshot lists at most MAX_LISTED): what a hand-carry file must hold. */
  pendingKeys(): { collection: string; id: string }[] {
    const out: { collection: string; id: string }[] = [];
    for (const e of this.entries.values()) if (SyncStatusStore.pending(e)) out.push({ collection: e.collection, id: e.id });
    return out;
  }

  recordError(collection: string | null, message: string): void {
    const entry = { at: this.now(), collection, message };
    const last = this.errors[0];
    // The same error repeating on every retry is one line, refreshed.
    if (last && last.collection === collection && last.message === message) this.errors[0] = entry;
    else this.errors = [entry, ...this.errors].slice(0, MAX_ERRORS);
    this.changed();
  }

  addConflict(c: ConflictRecord): void {
    this.conflicts = [c, ...this.conflicts.filter((x) => !(x.collection === c.collection && x.id === c.id))];
    this.changed();
  }

  setConflicts(list: ConflictRecord[]): void {
    this.conflicts = list;
    this.changed();
  }

  setLink(link: HqStatus | null): void {
    this.link = link;
    this.changed(true);
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.changed(true);
  }

  setHub(hub: HubStatus | null): void {
    this.hub = hub;
    this.changed(true);
  }

  /** Which upstream the replication runs through (null: none). */
  setUpstream(upstream: Upstream | null): void {
    this.upstream = upstream;
    this.changed(true);
  }

  /** Forget every record (the data layer closed: another user or branch may open next). */
  reset(): void {
    this.entries.clear();
    this.errors = [];
    this.conflicts = [];
    this.running = false;
    this.upstream = null;
    this.changed(true);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SyncSnapshot => {
    this.snapshot ??= this.compute();
    return this.snapshot;
  };

  private compute(): SyncSnapshot {
    const pending: PendingRecord[] = [];
    let oldest: number | null = null;
    let count = 0;
    let refusedCount = 0;
    let heldBackCount = 0;
    let lastRefusal: (SyncSnapshot['lastRefusal'] & { at: number }) | null = null;
    const levels: Record<SyncLevel, number> = { local: 0, branch: 0, hq: 0 };
    for (const e of this.entries.values()) {
      if (e.current === null) continue;
      const level = SyncStatusStore.level(e);
      const refused = level !== 'hq' && e.rejected && e.rejected.fp === e.current ? e.rejected : null;
      // Refused by HQ is shown as that (with the reason), not as shared in the branch.
      if (!refused) levels[level]++;
      if (level === 'hq') continue;
      count++;
      if (oldest === null || e.since < oldest) oldest = e.since;
      if (refused) {
        refusedCount++;
        if (!lastRefusal || refused.at >= lastRefusal.at) lastRefusal = { collection: e.collection, id: e.id, reason: refused.reason, at: refused.at };
      }
      const heldBack = e.heldBack !== null && e.heldBack === e.current;
      if (heldBack) heldBackCount++;
      pending.push({ collection: e.collection, id: e.id, since: e.since, error: refused ? refused.reason : null, level, ...(heldBack ? { heldBack: true as const } : {}) });
    }
    pending.sort((a, b) => a.since - b.since);
    return {
      link: this.link,
      hub: this.hub,
      upstream: this.upstream,
      levels,
      running: this.running,
      pendingCount: count,
      oldestPendingSince: oldest,
      refusedCount,
      heldBackCount,
      lastRefusal: lastRefusal ? { collection: lastRefusal.collection, id: lastRefusal.id, reason: lastRefusal.reason } : null,
      pending: pending.slice(0, MAX_LISTED),
      errors: this.errors,
      lastError: this.errors[0] ?? null,
      conflicts: this.conflicts,
    };
  }

  private changed(now = false): void {
    this.snapshot = null;
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      for (const l of this.listeners) l();
      return;
    }
    // Many records change at once during a sync: tell the screens at most every NOTIFY_MS.
    this.timer ??= setTimeout(() => {
      this.timer = null;
      for (const l of this.listeners) l();
    }, NOTIFY_MS);
  }
}

/** The renderer's one store: the status bar and the Sync page read it; replication writes it. */
export const syncStatus = new SyncStatusStore();
