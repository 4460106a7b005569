import type { Logger } from 'pino';
import { z } from 'zod';
import { COLLECTIONS } from '@shared/sync/protocol';
import type { Collection, HubAnnounce, PullResponse, SyncDocument, WritableCollection } from '@shared/sync/protocol';
import type { Sql } from '../db';
import { sameStored, storedData, writeTransaction } from '../store';
import type { StreamHub } from '../stream';
import { utf8Length } from '@shared/records/limits';
import { keepBothCalls } from '@shared/queue/call-order';
import { keepHqRefusal } from './at-hq';
import { noteDevicesAsOf } from './roster';
import { HubDeviceListSchema, ORIGIN_DEVICE_HEADER } from './hq-side';

// The hub's link to HQ. Each round: the branch's profile and device list (who may connect, who is
// revoked), then the relay (what the branch's PCs pushed to the hub, pushed on to HQ as each PC's,
// with the HQ version the hub last saw as the assumed master), then the pull (what HQ holds that
// the hub does not: staff, config, and what PCs pushed to HQ directly while the hub was away).
// HQ is the authority: a relay HQ answers with a conflict is replaced at the hub by HQ's version
// (the PC's version is kept in hub_conflicts), and a pulled version replaces the hub's unless the
// hub holds a newer write not yet relayed, which the next relay puts to HQ, who decides.

export interface UpstreamOptions {
  db: Sql;
  log: Logger;
  branchCode: string;
  /** HQ's base URL and the hub PC's own device token (HQ issued it at enrolment). */
  url: string;
  deviceToken: string;
  streams: StreamHub;
  timeoutMs?: number;
  /** Between rounds when nothing asks for one sooner (default 5 s). */
  intervalMs?: number;
  fetch?: typeof fetch;
  /** Told to HQ each round, for the branch's PCs: where the hub listens and its certificate's fingerprint. */
  announce?: HubAnnounce;
}

export interface UpstreamStatus {
  /** `ok`: the last round reached HQ; `unreachable`: it did not; `refused`: HQ refused the hub (not its branch's hub, revoked). */
  hq: 'unknown' | 'ok' | 'unreachable' | 'refused';
  lastContactAt: string | null;
  lastError: string | null;
  /** Records relayed to HQ and acknowledged (written or already there), since start. */
  relayed: number;
  /** Relayed records HQ refused (in HQ's quarantine) or whose author HQ no longer accepts. */
  refused: number;
  /** Relayed records HQ answered with a conflict: HQ's version now stands at the hub. */
  conflicts: number;
}

/** Relay order: a refusal or transfer points at its case, so cases go first. */
const RELAY_ORDER: readonly WritableCollection[] = ['tickets', 'cases', 'transfers', 'refusals', 'audit'];
const RELAY_ROWS = 50;
const RELAY_BYTES = 1024 * 1024;

/** A hub row relayed to HQ in one round, as `takeRelayAnswer` needs it. */
interface RelayedRow {
  id: string;
  branch_code: string;
  server_seq: string | number;
  deleted: boolean;
  data: Record<string, unknown>;
}
const PULL_LIMIT = 200;
const MAX_PULL_PAGES = 50;

class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });
const Conflicts = z.array(z.looseObject({ id: z.string() }));
const BranchBody = z.object({ branch: z.object({ code: z.string(), name: z.string(), serviceHours: z.unknown(), counters: z.number() }), pulledMarks: z.boolean().optional() });

export class Upstream {
  readonly status: UpstreamStatus = { hq: 'unknown', lastContactAt: null, lastError: null, relayed: 0, refused: 0, conflicts: 0 };
  private timer: NodeJS.Timeout | undefined;
  /** Rounds run one after another, never two at once (the relay cursor is read, then moved). */
  private chain: Promise<unknown> = Promise.resolve();
  private queued = false;
  private stopped = false;
  private readonly fetch: typeof fetch;

  constructor(private readonly o: UpstreamOptions) {
    this.fetch = o.fetch ?? fetch;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.chain;
  }

  /** A round as soon as the current one ends (a PC pushed something), then every `intervalMs`. */
  kick(): void {
    if (this.stopped || this.queued) return;
    this.queued = true;
    clearTimeout(this.timer);
    this.chain = this.chain
      .then(async () => {
        this.queued = false;
        if (!this.stopped) await this.round();
      })
      .finally(() => {
        if (this.stopped || this.queued) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.kick(), this.o.intervalMs ?? 5_000);
        this.timer.unref();
      });
  }

  /** One round, after any running one; resolves with the status (also when HQ was unreachable). */
  syncOnce(): Promise<UpstreamStatus> {
    const p = this.chain.then(() => this.round());
    this.chain = p;
    return p;
  }

  private async round(): Promise<UpstreamStatus> {
    try {
      // HQ of this release takes push rows marked `pulled`; an older one refuses them (strict rows).
      const takesMarks = await this.syncBranch();
      await this.syncDevices();
      if (this.o.announce) {
        const { status, json } = await this.call('PUT', '/v1/hub/announce', this.o.announce);
        if (status !== 200) this.fail('/v1/hub/announce', status, json);
      }
      for (const c of RELAY_ORDER) {
        await this.relay(c);
        if (takesMarks) await this.relayPulled(c);
      }
      for (const c of COLLECTIONS) await this.pull(c);
      this.status.hq = 'ok';
      this.status.lastContactAt = new Date().toISOString();
      this.status.lastError = null;
    } catch (err) {
      const e = err as UpstreamError;
      this.status.hq = e.status === 401 || e.code === 'NOT_BRANCH_HUB' ? 'refused' : 'unreachable';
      this.status.lastError = e.message;
      this.o.log.warn({ err: { message: e.message }, status: e.status }, 'hub: HQ round failed');
    }
    return { ...this.status };
  }

  private async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await this.fetch(new URL(path, this.o.url), {
        method,
        headers: { authorization: `Bearer ${this.o.deviceToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new UpstreamError(`HQ unreachable: ${(err as Error).message}`, null, null);
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json };
  }

  private fail(path: string, status: number, json: unknown): never {
    const e = ErrorBody.safeParse(json);
    throw new UpstreamError(`${path}: ${status} ${e.success ? `${e.data.error.code} ${e.data.error.message}` : ''}`.trim(), status, e.success ? e.data.error.code : null);
  }

  /** The branch's row (name, hours, counters): what the hub answers on /v1/branch. True: HQ takes rows marked `pulled`. */
  private async syncBranch(): Promise<boolean> {
    const { status, json } = await this.call('GET', '/v1/branch');
    if (status !== 200) this.fail('/v1/branch', status, json);
    const body = BranchBody.parse(json);
    const b = body.branch;
    if (b.code !== this.o.branchCode) throw new UpstreamError(`HQ says this hub is of branch ${b.code}, not ${this.o.branchCode}`, 403, 'FORBIDDEN_BRANCH');
    await this.o.db.query(
      `INSERT INTO branches (code, name, config, created_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, config = EXCLUDED.config`,
      [b.code, b.name, JSON.stringify({ serviceHours: b.serviceHours, counters: b.counters }), new Date().toISOString()],
    );
    return body.pulledMarks === true;
  }

  /** Who may connect: the branch's devices with their token hashes; a newly revoked one loses its streams at once. */
  private async syncDevices(): Promise<void> {
    const { status, json } = await this.call('GET', '/v1/hub/devices');
    if (status !== 200) this.fail('/v1/hub/devices', status, json);
    const list = HubDeviceListSchema.parse(json);
    if (list.branchCode !== this.o.branchCode) throw new UpstreamError('device list of another branch', 403, 'FORBIDDEN_BRANCH');
    const revoked = await this.o.db.transaction(async (tx) => {
      const before = await tx.query<{ device_id: string }>('SELECT device_id::text AS device_id FROM devices WHERE revoked_at IS NOT NULL');
      const known = new Set(before.rows.map((r) => r.device_id));
      // A token hash moves with its device only: clear hashes that now belong to another id first.
      await tx.query(
        `INSERT INTO devices (device_id, branch_code, name, token_hash, enrolled_at, revoked_at, public_key)
         SELECT d."deviceId", $2, d.name, d."tokenHash", d."enrolledAt", d."revokedAt", d."publicKey"
           FROM jsonb_to_recordset($1::jsonb) AS d("deviceId" uuid, name text, "tokenHash" text, "enrolledAt" timestamptz, "revokedAt" timestamptz, "publicKey" jsonb)
         ON CONFLICT (device_id) DO UPDATE SET name = EXCLUDED.name, token_hash = EXCLUDED.token_hash, revoked_at = EXCLUDED.revoked_at,
           public_key = COALESCE(EXCLUDED.public_key, devices.public_key)`,
        [JSON.stringify(list.devices), this.o.branchCode],
      );
      // A device HQ no longer lists for this branch is refused too.
      await tx.query(
        `UPDATE devices SET revoked_at = COALESCE(revoked_at, now()) WHERE NOT (device_id = ANY($1::uuid[]))`,
        [list.devices.map((d) => d.deviceId)],
      );
      // What the hub knows is now as new as this list: an older roster given at a restart is not taken in.
      if (list.issuedAt) await noteDevicesAsOf(tx, list.issuedAt);
      const after = await tx.query<{ device_id: string }>('SELECT device_id::text AS device_id FROM devices WHERE revoked_at IS NOT NULL');
      return after.rows.map((r) => r.device_id).filter((id) => !known.has(id));
    });
    for (const id of revoked) {
      const ended = this.o.streams.endDevice(id);
      this.o.log.info({ deviceId: id, streams: ended }, 'hub: device revoked at HQ');
    }
  }

  private async cursor(tx: Sql, key: string): Promise<unknown> {
    const { rows } = await tx.query<{ value: unknown }>('SELECT value FROM hub_state WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  private async setCursor(tx: Sql, key: string, value: unknown): Promise<void> {
    await tx.query('INSERT INTO hub_state (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, JSON.stringify(value)]);
  }

  /** Pushes what the branch's PCs wrote at the hub (and HQ has not acknowledged) to HQ, as each PC's. */
  private async relay(collection: WritableCollection): Promise<void> {
    const key = `relay:${collection}`;
    for (let round = 0; round < 1000; round++) {
      const after = Number((await this.cursor(this.o.db, key)) ?? 0);
      const { rows } = await this.o.db.query<{ id: string; branch_code: string; server_seq: string | number; deleted: boolean; data: Record<string, unknown>; device_id: string; data_bytes: number; up_deleted: boolean | null; up_data: Record<string, unknown> | null }>(
        `SELECT d.id, d.branch_code, d.server_seq, d.deleted, d.data, d.device_id::text AS device_id, d.data_bytes,
                u.deleted AS up_deleted, u.data AS up_data
           FROM documents d LEFT JOIN hub_upstream u ON u.collection = d.collection AND u.branch_code = d.branch_code AND u.id = d.id
          WHERE d.collection = $1 AND d.server_seq > $2 AND d.device_id IS NOT NULL
          ORDER BY d.server_seq LIMIT $3`,
        [collection, after, RELAY_ROWS],
      );
      if (rows.length === 0) {
        // Nothing of a PC's is waiting: the cursor may jump over HQ's own writes.
        return;
      }
      // One author per call, in seq order: the first run of rows by the same device, bounded in bytes.
      const author = rows[0]!.device_id;
      const run: typeof rows = [];
      let bytes = 0;
      for (const r of rows) {
        if (r.device_id !== author || (run.length > 0 && bytes + r.data_bytes > RELAY_BYTES)) break;
        run.push(r);
        bytes += r.data_bytes;
      }
      const body = run.map((r) => ({
        assumedMasterState: r.up_data ? { ...r.up_data, _deleted: r.up_deleted === true } : null,
        newDocumentState: { ...r.data, _deleted: r.deleted },
      }));
      const path = `/v1/hub/relay/${collection}/push`;
      const { status, json } = await this.call('POST', path, body, { [ORIGIN_DEVICE_HEADER]: author });
      let conflicts: SyncDocument[] = [];
      /** Refused record → HQ's reason (kept at the hub for the PC that wrote it: hq/hub/at-hq.ts). */
      let refused = new Map<string, string>();
      if (status === 200) {
        conflicts = Conflicts.parse(json);
      } else {
        const err = ErrorBody.safeParse(json);
        const code = err.success ? err.data.error.code : null;
        const details = err.success ? err.data.error.details : undefined;
        if ((code === 'DOCUMENT_REFUSED' || code === 'FORBIDDEN_BRANCH') && details && Array.isArray(details.rejected)) {
          // HQ stored the rest and keeps these in its quarantine with the reason, for the head.
          refused = new Map((details.rejected as { id: string; reason?: unknown }[]).map((r) => [r.id, typeof r.reason === 'string' ? r.reason : 'refused by HQ']));
          conflicts = Conflicts.safeParse(details.conflicts).data ?? [];
        } else if (code === 'ORIGIN_DEVICE_REFUSED') {
          // The author was revoked at HQ after writing here: HQ takes nothing more of it.
          refused = new Map(run.map((r) => [r.id, 'device: HQ no longer accepts records of this device (revoked)']));
          this.o.log.warn({ deviceId: author, records: run.length }, 'hub: HQ no longer accepts records of this device');
        } else {
          // Not yet received (409), unreachable, refused as a whole: this round stops; the same
          // rows go again next round, and what HQ already stored is a no-op there.
          this.fail(path, status, json);
        }
      }
      // Every row of the run is the author's (the run stops at another device's row).
      await this.takeRelayAnswer(collection, run, { author, refused, conflicts, cursorKey: key, cursorTo: Number(run.at(-1)!.server_seq) });
    }
  }

  /**
   * What PCs pushed marked as pulled (stored here without an author) in a version HQ is not known to
   * hold: pushed to HQ marked, as this hub PC's own push, so HQ keeps it without an author (hq/store.ts
   * `PushOptions`). A record whose writer pushed only to a hub that died before relaying it, then
   * never came back, still reaches HQ this way, from the PCs that pulled it; its writer's own push,
   * if it comes, is relayed by `relay` as its and makes it its at HQ. HQ's answers are taken as in
   * `relay`: a conflict leaves HQ's version here, a refusal is kept for the PCs to see.
   */
  private async relayPulled(collection: WritableCollection): Promise<void> {
    const key = `relay-pulled:${collection}`;
    for (let round = 0; round < 1000; round++) {
      const after = Number((await this.cursor(this.o.db, key)) ?? 0);
      const { rows: scanned } = await this.o.db.query<{ id: string; branch_code: string; server_seq: string | number; deleted: boolean; data: Record<string, unknown>; data_bytes: number; up_deleted: boolean | null; up_data: Record<string, unknown> | null }>(
        `SELECT d.id, d.branch_code, d.server_seq, d.deleted, d.data, d.data_bytes, u.deleted AS up_deleted, u.data AS up_data
           FROM documents d LEFT JOIN hub_upstream u ON u.collection = d.collection AND u.branch_code = d.branch_code AND u.id = d.id
          WHERE d.collection = $1 AND d.server_seq > $2 AND d.device_id IS NULL
          ORDER BY d.server_seq LIMIT $3`,
        [collection, after, RELAY_ROWS],
      );
      if (scanned.length === 0) return;
      // HQ's own versions (taken from its pulls and answers) are skipped: only what HQ lacks goes.
      const run: typeof scanned = [];
      let bytes = 0;
      let upTo = after;
      for (const r of scanned) {
        const atHq = r.up_data !== null && sameStored({ ...r.up_data, _deleted: r.up_deleted === true }, { ...r.data, _deleted: r.deleted });
        if (!atHq) {
          if (run.length > 0 && bytes + r.data_bytes > RELAY_BYTES) break;
          run.push(r);
          bytes += r.data_bytes;
        }
        upTo = Number(r.server_seq);
      }
      if (run.length === 0) {
        await this.setCursor(this.o.db, key, upTo);
        continue;
      }
      const body = run.map((r) => ({
        assumedMasterState: r.up_data ? { ...r.up_data, _deleted: r.up_deleted === true } : null,
        newDocumentState: { ...r.data, _deleted: r.deleted },
        pulled: true,
      }));
      const path = `/v1/sync/${collection}/push`;
      const { status, json } = await this.call('POST', path, body);
      let conflicts: SyncDocument[] = [];
      let refused = new Map<string, string>();
      if (status === 200) {
        conflicts = Conflicts.parse(json);
      } else {
        const err = ErrorBody.safeParse(json);
        const details = err.success ? err.data.error.details : undefined;
        if (err.success && (err.data.error.code === 'DOCUMENT_REFUSED' || err.data.error.code === 'FORBIDDEN_BRANCH') && details && Array.isArray(details.rejected)) {
          refused = new Map((details.rejected as { id: string; reason?: unknown }[]).map((r) => [r.id, typeof r.reason === 'string' ? r.reason : 'refused by HQ']));
          conflicts = Conflicts.safeParse(details.conflicts).data ?? [];
        } else {
          this.fail(path, status, json); // not yet received, unreachable: the same rows go next round
        }
      }
      // Rows skipped after the last one sent stay ahead of the cursor: scanned again next time.
      await this.takeRelayAnswer(collection, run, { author: null, refused, conflicts, cursorKey: key, cursorTo: Number(run.at(-1)!.server_seq) });
    }
  }

  /**
   * HQ's answer to one relay round, taken into the hub's database, for `relay` (rows pushed as their
   * `author`'s) and `relayPulled` (rows pushed marked as pulled: `author` null). A refused row is
   * kept with HQ's reason for the PC that wrote it (hq/hub/at-hq.ts); an accepted one is noted as
   * HQ's version; a conflict is recorded and HQ's version taken here, except that a ticket with an
   * author that two counters called while apart keeps both calls (`bothCalls`). In the same
   * transaction the round's cursor moves to `cursorTo`; then the branch's PCs hear what changed.
   */
  private async takeRelayAnswer(
    collection: WritableCollection,
    run: readonly RelayedRow[],
    o: { author: string | null; refused: ReadonlyMap<string, string>; conflicts: readonly SyncDocument[]; cursorKey: string; cursorTo: number },
  ): Promise<void> {
    const { author, refused } = o;
    const conflictById = new Map(o.conflicts.map((c) => [c.id, c]));
    const adopted = await writeTransaction(this.o.db, async (tx) => {
      const changed: number[] = [];
      for (const r of run) {
        const reason = refused.get(r.id);
        if (reason !== undefined) {
          await keepHqRefusal(tx, collection, r.branch_code, r.id, { ...r.data, _deleted: r.deleted }, reason);
          continue;
        }
        const hqDoc = conflictById.get(r.id);
        if (!hqDoc) {
          await this.setUpstream(tx, collection, r.branch_code, r.id, r.deleted, r.data);
          continue;
        }
        await tx.query(
          'INSERT INTO hub_conflicts (collection, branch_code, id, device_id, data, hq_data, at) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)',
          [collection, r.branch_code, r.id, author, JSON.stringify({ ...r.data, _deleted: r.deleted }), JSON.stringify(hqDoc), new Date().toISOString()],
        );
        const both = author !== null && collection === 'tickets' ? this.bothCalls(r.data, r.deleted, hqDoc) : null;
        const kept = both && author !== null ? await this.keepAsDevice(tx, r.branch_code, r.id, author, Number(r.server_seq), both, hqDoc) : null;
        const seq = kept ?? (await this.adopt(tx, collection, r.branch_code, r.id, hqDoc, Number(r.server_seq)));
        if (seq !== null) changed.push(seq);
      }
      await this.setCursor(tx, o.cursorKey, o.cursorTo);
      return changed;
    });
    this.status.relayed += run.length - refused.size - conflictById.size;
    this.status.refused += refused.size;
    this.status.conflicts += conflictById.size;
    if (adopted.length > 0) this.o.streams.publish(this.o.branchCode, { type: 'changed', collection, seq: Math.max(...adopted) });
  }

  /**
   * A ticket two counters called while they could not see each other (one through the hub, one
   * straight to HQ): HQ's copy stands, with the PC's call added to its history
   * (shared/queue/call-order.ts `keepBothCalls`), so neither call is lost and the double call
   * reaches the head on every PC. Null for any other conflict (HQ's copy is adopted as it is).
   */
  private bothCalls(data: Record<string, unknown>, deleted: boolean, hqDoc: SyncDocument): Record<string, unknown> | null {
    if (deleted || hqDoc._deleted === true) return null;
    const pc = data as { number: string; history: { status?: unknown; at?: unknown; event?: unknown }[] };
    const hq = storedData(hqDoc) as typeof pc;
    if (typeof pc.number !== 'string' || !Array.isArray(pc.history) || !Array.isArray(hq.history)) return null;
    return keepBothCalls(pc, hq);
  }

  /**
   * Writes `data` at the hub as `deviceId`'s in place of the relayed version `seq` (relayed next,
   * with HQ's copy as the assumed master, so HQ takes it or answers again: HQ decides). Null when a
   * PC wrote the ticket again meanwhile (that write goes to HQ next, as `adopt` does).
   */
  private async keepAsDevice(tx: Sql, owner: string, id: string, deviceId: string, seq: number, data: Record<string, unknown>, hqDoc: SyncDocument): Promise<number | null> {
    const text = JSON.stringify(storedData(data));
    const written = await tx.query<{ server_seq: string | number }>(
      `UPDATE documents SET server_seq = nextval('documents_seq'), deleted = false, data = $4::jsonb, received_at = $5, device_id = $6, data_bytes = $7
        WHERE collection = $1 AND branch_code = $2 AND id = $3 AND server_seq = $8 RETURNING server_seq`,
      ['tickets', owner, id, text, new Date().toISOString(), deviceId, utf8Length(text), seq],
    );
    const next = written.rows[0]?.server_seq;
    if (next === undefined) return null;
    await this.setUpstream(tx, 'tickets', owner, id, false, hqDoc);
    return Number(next);
  }

  private async setUpstream(tx: Sql, collection: Collection, owner: string, id: string, deleted: boolean, data: Record<string, unknown>): Promise<void> {
    await tx.query(
      `INSERT INTO hub_upstream (collection, branch_code, id, deleted, data) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (collection, branch_code, id) DO UPDATE SET deleted = EXCLUDED.deleted, data = EXCLUDED.data`,
      [collection, owner, id, deleted, JSON.stringify(storedData(data))],
    );
  }

  /**
   * HQ's version becomes the hub's (written as HQ's: device_id null, so never relayed back), unless
   * the hub holds a write of a PC newer than `unlessNewerThan` (not relayed yet): that one goes to
   * HQ next, and HQ decides. Returns the new seq, or null when nothing was written.
   */
  private async adopt(tx: Sql, collection: Collection, owner: string, id: string, doc: Record<string, unknown>, unlessNewerThan: number | null): Promise<number | null> {
    const deleted = doc._deleted === true;
    const data = storedData(doc);
    const { rows } = await tx.query<{ server_seq: string | number; deleted: boolean; data: Record<string, unknown>; device_id: string | null }>(
      'SELECT server_seq, deleted, data, device_id::text AS device_id FROM documents WHERE collection = $1 AND branch_code = $2 AND id = $3',
      [collection, owner, id],
    );
    const mine = rows[0];
    if (mine) {
      if (sameStored({ ...mine.data, _deleted: mine.deleted }, doc)) {
        await this.setUpstream(tx, collection, owner, id, deleted, data);
        return null;
      }
      // A PC's write not relayed yet: HQ's version stays out, and so does the assumed master, so
      // that relay meets HQ's version as a conflict and HQ's version comes back here.
      const relayedUpTo = Number((await this.cursor(tx, `relay:${collection}`)) ?? 0);
      const limit = unlessNewerThan ?? relayedUpTo;
      if (mine.device_id !== null && Number(mine.server_seq) > limit) return null;
    }
    await this.setUpstream(tx, collection, owner, id, deleted, data);
    await tx.query(`INSERT INTO branches (code, name, config, created_at) VALUES ($1, $1, '{}'::jsonb, now()) ON CONFLICT (code) DO NOTHING`, [owner]);
    const text = JSON.stringify(data);
    const written = await tx.query<{ server_seq: string | number }>(
      `INSERT INTO documents (collection, id, branch_code, server_seq, deleted, data, received_at, device_id, data_bytes)
       VALUES ($1, $2, $3, nextval('documents_seq'), $4, $5::jsonb, $6, NULL, $7)
       ON CONFLICT (collection, branch_code, id) DO UPDATE SET server_seq = EXCLUDED.server_seq, deleted = EXCLUDED.deleted,
         data = EXCLUDED.data, received_at = EXCLUDED.received_at, device_id = NULL, data_bytes = EXCLUDED.data_bytes
       RETURNING server_seq`,
      [collection, id, owner, deleted, text, new Date().toISOString(), utf8Length(text)],
    );
    return Number(written.rows[0]!.server_seq);
  }

  /** The owner branch of a document HQ sends: a transfer is its sender's, a case its branch's, the rest the hub's. */
  private ownerOf(collection: Collection, doc: Record<string, unknown>): string {
    const field = collection === 'transfers' ? doc.fromBranch : collection === 'cases' ? doc.branchCode : undefined;
    return typeof field === 'string' ? field : this.o.branchCode;
  }

  /**
   * The row id HQ stores a document under. HQ's own documents (staff, config) carry no `id`: HQ
   * keeps them as `<branch>:<staffId>` and `<branch>:<key>` (hq/admin.ts, hq/branch-rules.ts).
   */
  private rowIdOf(collection: Collection, doc: Record<string, unknown>): string | null {
    if (typeof doc.id === 'string') return doc.id;
    const own = collection === 'staff' ? doc.staffId : collection === 'config' ? doc.key : undefined;
    return typeof own === 'string' ? `${this.o.branchCode}:${own}` : null;
  }

  /** Takes in what HQ holds for the branch since the hub's checkpoint. */
  private async pull(collection: Collection): Promise<void> {
    const key = `pull:${collection}`;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const checkpoint = (await this.cursor(this.o.db, key)) as { id: string; seq: number } | null;
      const q = new URLSearchParams({ limit: String(PULL_LIMIT) });
      if (checkpoint) {
        q.set('id', checkpoint.id);
        q.set('seq', String(checkpoint.seq));
      }
      const path = `/v1/sync/${collection}/pull?${q.toString()}`;
      const { status, json } = await this.call('GET', path);
      if (status !== 200) this.fail(path, status, json);
      const res = json as PullResponse;
      if (!res.checkpoint || res.documents.length === 0) return;
      const seqs = await writeTransaction(this.o.db, async (tx) => {
        const out: number[] = [];
        for (const doc of res.documents) {
          const id = this.rowIdOf(collection, doc);
          if (id === null) continue;
          const seq = await this.adopt(tx, collection, this.ownerOf(collection, doc), id, doc, null);
          if (seq !== null) out.push(seq);
        }
        await this.setCursor(tx, key, res.checkpoint);
        return out;
      });
      if (seqs.length > 0) this.o.streams.publish(this.o.branchCode, { type: 'changed', collection, seq: Math.max(...seqs) });
      if (res.documents.length < PULL_LIMIT && res.more !== true) return; // a page cut by bytes is not the end
    }
  }
}

