import type { Sql } from './db';
import { sha256Hex } from './crypto';
import { canonicalJson, sameJson } from '@shared/canonical-json';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import type { Checkpoint, Collection, PushRow, SyncDocument, WritableCollection } from '@shared/sync/protocol';
import { validateContent } from './validate';
import { storableJson, storableText } from '@shared/records';
import { utf8Length } from '@shared/records/limits';
import { bringCaseAlong, receivingBranches, transferScope } from './transfers';
import { notifyChanges, type ChangeNotice } from './notify';
import { openQuarantined, openStored, PERSON_FIELDS, sealQuarantined, sealStored } from './person-crypto';

// Replicated documents. Exactly once: a push whose document equals the stored master (see
// `sameStored`) is a no-op, so a retry after a timeout writes nothing and takes no new seq.
// Order: server_seq, per branch. A pull reads one branch's scope, so what it must never miss is a
// row of that scope committing later with a smaller seq. Every write that lands in a branch's scope
// allocates its seq holding that branch's transaction-scoped lock (`branchWriteTransaction`), so
// within a branch commits happen in seq order, and branches never wait on each other. A write in
// two scopes (a transfer: its sender's and receiver's; a transferred case) holds both locks.

export interface Device {
  deviceId: string;
  branchCode: string;
  name: string;
}

/** The stored master of a document, as the validation hook sees it. */
export interface Master {
  branchCode: string;
  seq: number;
  deleted: boolean;
  data: Record<string, unknown>;
}

/**
 * Advisory lock keys. ALL_BRANCHES (bigint key space): taken shared by every branch write and
 * exclusively by `writeTransaction`, a write that names no branch. BRANCH_LOCKS: the class id of
 * the per-branch locks (two-int key space, distinct from the bigint one), the branch's hash the other.
 */
const ALL_BRANCHES = 4790002;
const BRANCH_LOCKS = 4790003;

/**
 * Stored form: the document minus RxDB's bookkeeping (`_meta`, `_rev`, `_attachments` differ between
 * devices for the same content, never stored or compared) and `_deleted` (kept in the `deleted` column).
 */
export function storedData(doc: Record<string, unknown>): Record<string, unknown> {
  return withoutBookkeeping(doc);
}

/** JSON with object keys sorted at every level, so equal content gives equal text (shared with the devices). */
export { canonicalJson };

/**
 * What equality means for conflicts and retries: the same JSON content without `_meta`, `_rev`,
 * `_attachments`, with `_deleted` normalised to a boolean (key order does not matter).
 */
export function sameStored(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return (a._deleted === true) === (b._deleted === true) && sameJson(storedData(a), storedData(b));
}

export function masterDocument(m: Master): SyncDocument {
  return { ...m.data, _deleted: m.deleted } as SyncDocument;
}

/**
 * `later`: the document points at something HQ does not hold yet (a transfer or a refusal pushed
 * before its case): neither written nor quarantined, the push answers 409 and the device retries.
 */
export type Verdict = { ok: true } | { ok: false; reason: string; kind: 'branch' | 'invalid' | 'later' };

/** The branch that owns a document: the device's, except a transfer belongs to its sender. */
function claimedBranch(collection: WritableCollection, doc: Record<string, unknown>): unknown {
  return collection === 'transfers' ? doc.fromBranch : doc.branchCode;
}

/**
 * Whose id space a pushed document is looked up in: the pushing device's branch, except a
 * transfer, which lives in its sending branch's (the receiving branch decides on that one).
 * Ids are scoped by branch (migration 006): another branch's ids are never seen, taken or probed.
 */
export function ownerBranch(collection: WritableCollection, doc: Record<string, unknown>, device: Device): string {
  return collection === 'transfers' && typeof doc.fromBranch === 'string' ? doc.fromBranch : device.branchCode;
}

export interface ValidationContext {
  master: Master | null;
  /**
   * For checks that read what HQ stores, e.g. audit chains: the push transaction holding the write
   * lock for audit entries and transfers; for the other collections the checks run before the
   * lock and get the pool.
   */
  tx: Sql;
  /** The row is marked `pulled` by the pushing PC and the push takes marks (`PushOptions.pulledUnattributed`): not its write. */
  pulled?: boolean;
}

/** Shape and branch scope: may this device write this document at all? */
export function checkScope(collection: WritableCollection, doc: unknown, device: Device, master: Master | null): Verdict {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || typeof (doc as { id?: unknown }).id !== 'string') {
    return { ok: false, kind: 'invalid', reason: 'shape: not an object with a string id' };
  }
  const d = doc as Record<string, unknown>;
  // Transfers: the sending branch creates, only the receiving branch accepts or declines (hq/transfers.ts).
  if (collection === 'transfers') {
    const ruling = transferScope(d, device, master);
    if (!ruling.ok) return ruling;
    if (master || d.fromBranch === device.branchCode) return { ok: true };
  }
  const claimed = claimedBranch(collection, d);
  const field = collection === 'transfers' ? 'fromBranch' : 'branchCode';
  // Audit entries carry no branch; they belong to the pushing device's branch.
  if (claimed === undefined && collection !== 'audit') return { ok: false, kind: 'branch', reason: `branch: ${field} missing` };
  if (claimed !== undefined && claimed !== device.branchCode) {
    return { ok: false, kind: 'branch', reason: `branch: ${field} is not the device's branch` };
  }
  if (master && master.branchCode !== device.branchCode) {
    return { ok: false, kind: 'branch', reason: 'branch: this id belongs to another branch' };
  }
  return { ok: true };
}

async function isBranchDevice(db: Sql, deviceId: string, branchCode: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM devices WHERE device_id::text = $1 AND branch_code = $2', [deviceId, branchCode]);
  return rows.length > 0;
}

/**
 * Per-document check on push: shape and branch scope (`checkScope`), then the content
 * (validate.ts: the shared record schema, case journal replay, audit chain). Anything refused goes
 * to quarantine with the reason.
 */
export async function validateIncoming(collection: WritableCollection, doc: unknown, device: Device, context: ValidationContext): Promise<Verdict> {
  const scope = checkScope(collection, doc, device, context.master);
  if (!scope.ok) return scope;
  // An audit entry a PC pulled (marked): another device's chain, which it must continue as HQ holds
  // it; that device must be of the pusher's branch. Stored without an author (`PushOptions`).
  let chainOf = device.deviceId;
  if (context.pulled === true && collection === 'audit') {
    const named = (doc as Record<string, unknown>).deviceId;
    if (typeof named !== 'string' || !(await isBranchDevice(context.tx, named, device.branchCode))) {
      return { ok: false, kind: 'invalid', reason: 'audit: a pulled entry names no device of this branch' };
    }
    chainOf = named;
  }
  const content = await validateContent(collection, doc as Record<string, unknown>, {
    deviceId: chainOf,
    branchCode: device.branchCode,
    master: context.master,
    tx: context.tx,
    relayed: chainOf !== device.deviceId,
  });
  if (content.ok) return { ok: true };
  return { ok: false, kind: content.later ? 'later' : 'invalid', reason: content.reason };
}

export type Validator = (collection: WritableCollection, doc: unknown, device: Device, context: ValidationContext) => Promise<Verdict>;

interface DocRow {
  id: string;
  branch_code: string;
  server_seq: string | number | bigint;
  deleted: boolean;
  data: Record<string, unknown>;
}

/** The stored row as pushed: person fields opened (hq/person-crypto.ts) when sealed. */
function toMaster(db: Sql, collection: Collection, r: DocRow): Master {
  return { branchCode: r.branch_code, seq: Number(r.server_seq), deleted: r.deleted, data: openStored(db, collection, r.branch_code, r.id, r.data) };
}

/** Documents per pull answer are also bounded by bytes: a few MB whatever the documents (one always goes). */
export const PULL_MAX_BYTES = 4 * 1024 * 1024;

/** A pull answer, already as the JSON text of a `PullResponse`. */
export interface PullPage {
  json: string;
  count: number;
  checkpoint: Checkpoint | null;
  /** The page was cut at the byte budget: more documents follow at once (RxDB takes a short page as the end). */
  more: boolean;
}

/**
 * Documents after the checkpoint in server order, scoped to the branch (transfers: also addressed
 * to it). The stored JSON goes out as PostgreSQL writes it, with `_deleted` appended: parsing
 * every document into objects only to serialise them again was most of HQ's time in a pull.
 */
export async function pull(
  db: Sql,
  collection: Collection,
  branchCode: string,
  after: Checkpoint | null,
  limit: number,
  maxBytes = PULL_MAX_BYTES,
): Promise<PullPage> {
  const params: unknown[] = [collection, branchCode, after?.seq ?? -1, after?.id ?? '', limit, maxBytes];
  const scope = collection === 'transfers' ? `(branch_code = $2 OR (data ->> 'toBranch') = $2)` : `branch_code = $2`;
  const own = `SELECT id, server_seq, deleted, data_bytes FROM documents
      WHERE collection = $1 AND ${scope} AND (server_seq, id) > ($3::bigint, $4::text)
      ORDER BY server_seq, id LIMIT $5`;
  // A case travels with its transfer: the receiving branch also pulls the cases transferred to it
  // (read-only: checkScope refuses its pushes of them). Two index-friendly halves, merged in seq order.
  const sql =
    collection === 'cases'
      ? `SELECT * FROM ((${own}) UNION ALL (
           SELECT d.id, d.server_seq, d.deleted, d.data_bytes FROM documents d
            WHERE d.collection = 'cases' AND d.branch_code <> $2 AND (d.server_seq, d.id) > ($3::bigint, $4::text)
              AND d.id IN (SELECT t.data ->> 'caseId' FROM documents t
                            WHERE t.collection = 'transfers' AND (t.data ->> 'toBranch') = $2 AND t.branch_code = d.branch_code)
            ORDER BY d.server_seq, d.id LIMIT $5)) x
         ORDER BY server_seq, id LIMIT $5`
      : own;
  // The page is cut at the byte budget from the stored sizes, before any document is read: rows
  // while the total before them is under the budget (so one always goes, however large).
  const bounded = `WITH page AS (${sql}),
      sized AS (SELECT id, server_seq, deleted, sum(data_bytes) OVER (ORDER BY server_seq, id) - data_bytes AS before, count(*) OVER () AS page_rows FROM page)
    SELECT s.id, s.server_seq, s.deleted, s.page_rows, d.branch_code, d.data::text AS data FROM sized s
      JOIN documents d ON d.server_seq = s.server_seq
     WHERE s.before < $6 ORDER BY s.server_seq, s.id`;
  const { rows } = await db.query<{ id: string; server_seq: string | number; deleted: boolean; page_rows: string | number; branch_code: string; data: string }>(bounded, params);
  // Sealed person fields (hq/person-crypto.ts) are opened: only those rows are parsed.
  const sealed = PERSON_FIELDS[collection] !== undefined;
  const text = (r: (typeof rows)[number]) =>
    sealed && r.data.includes('"$sealed"') ? JSON.stringify(openStored(db, collection, r.branch_code, r.id, JSON.parse(r.data) as Record<string, unknown>)) : r.data;
  // Stored data never holds `_deleted` (storedData); appended last, the column would win anyway.
  const docs = rows.map((r) => {
    const data = text(r);
    return `${data.slice(0, -1)}${data.trim() === '{}' ? '' : ','}"_deleted":${r.deleted ? 'true' : 'false'}}`;
  });
  const last = rows.at(-1);
  const checkpoint = last ? { id: last.id, seq: Number(last.server_seq) } : null;
  const more = last !== undefined && rows.length < Number(last.page_rows);
  return { json: `{"documents":[${docs.join(',')}],"checkpoint":${JSON.stringify(checkpoint)}${more ? ',"more":true' : ''}}`, count: rows.length, checkpoint, more };
}

export interface PushResult {
  conflicts: SyncDocument[];
  rejected: { id: string; reason: string; kind: 'branch' | 'invalid' }[];
  /** Rows HQ cannot judge yet (what they point at has not arrived): not written, not quarantined. */
  deferred: { id: string; reason: string }[];
  written: { id: string; seq: number }[];
  /** Branches whose devices should hear about the write, with the highest new seq. */
  changed: Map<string, number>;
  /** Writes to another collection the push caused (a transferred case re-sequenced for the receiving branch). */
  alsoChanged: { collection: Collection; branch: string; seq: number }[];
}

/** 32-bit FNV-1a of the branch code as a signed int: the branch's lock. Two branches sharing one only wait on each other. */
export function branchLockKey(branch: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < branch.length; i++) h = Math.imul(h ^ branch.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * The locks of these branches, in one statement: ALL_BRANCHES shared first, then the branches'
 * locks in ascending key order (a fixed order: two writes locking the same two branches cannot
 * deadlock). The keys are integers we computed, so they are written into the text.
 */
async function lockBranches(tx: Sql, branches: Iterable<string>): Promise<void> {
  const keys = [...new Set([...branches].map(branchLockKey))].sort((x, y) => x - y);
  // Target list items are evaluated left to right.
  await tx.query(`SELECT pg_advisory_xact_lock_shared(${ALL_BRANCHES}::bigint)${keys.map((k) => `, pg_advisory_xact_lock(${BRANCH_LOCKS}, ${k})`).join('')}`);
}

/** Thrown inside a branch write that finds it touches a branch it did not lock: retried with it. */
class MoreBranches extends Error {
  constructor(readonly branches: string[]) {
    super(`write also needs the locks of ${branches.join(', ')}`);
  }
}

/** The branches a branch write holds; `require` asks for more (the transaction starts again with them). */
export interface BranchLocks {
  has(branch: string): boolean;
  require(branches: Iterable<unknown>): void;
}

const MAX_LOCK_ROUNDS = 4;

/** Upserts one document with a fresh server_seq. Caller holds the lock of `branchCode` (inside `branchWriteTransaction`). */
async function upsert(
  tx: Sql,
  collection: Collection,
  id: string,
  branchCode: string,
  deleted: boolean,
  data: Record<string, unknown>,
  deviceId: string | null,
  now: Date,
): Promise<number> {
  const text = JSON.stringify(sealStored(tx, collection, branchCode, id, data));
  const { rows } = await tx.query<{ server_seq: string | number }>(
    `INSERT INTO documents (collection, id, branch_code, server_seq, deleted, data, received_at, device_id, data_bytes)
     VALUES ($1, $2, $3, nextval('documents_seq'), $4, $5::jsonb, $6, $7, $8)
     ON CONFLICT (collection, branch_code, id) DO UPDATE SET server_seq = EXCLUDED.server_seq,
       deleted = EXCLUDED.deleted, data = EXCLUDED.data, received_at = EXCLUDED.received_at, device_id = EXCLUDED.device_id,
       data_bytes = EXCLUDED.data_bytes
     RETURNING server_seq`,
    [collection, id, branchCode, deleted, text, now.toISOString(), deviceId, utf8Length(text)],
  );
  return Number(rows[0]!.server_seq);
}

interface PendingWrite {
  id: string;
  owner: string;
  deleted: boolean;
  data: Record<string, unknown>;
}

/**
 * `upsert` for many documents in ONE statement, seqs allocated in the given order (volatile
 * nextval() is evaluated after ORDER BY). Ids must be distinct. Caller holds the owners' locks.
 */
async function upsertMany(tx: Sql, collection: Collection, writes: readonly PendingWrite[], deviceId: string, now: Date): Promise<{ id: string; owner: string; seq: number }[]> {
  const { rows } = await tx.query<{ id: string; server_seq: string | number }>(
    `INSERT INTO documents (collection, id, branch_code, server_seq, deleted, data, received_at, device_id, data_bytes)
     SELECT $1, w.r ->> 'id', w.r ->> 'owner', nextval('documents_seq'), (w.r ->> 'deleted')::boolean, w.r -> 'data', $2, $3,
            (w.r ->> 'bytes')::integer
       FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS w(r, ord) ORDER BY w.ord
     ON CONFLICT (collection, branch_code, id) DO UPDATE SET server_seq = EXCLUDED.server_seq,
       deleted = EXCLUDED.deleted, data = EXCLUDED.data, received_at = EXCLUDED.received_at, device_id = EXCLUDED.device_id,
       data_bytes = EXCLUDED.data_bytes
     RETURNING id, server_seq`,
    [
      collection,
      now.toISOString(),
      deviceId,
      JSON.stringify(
        writes.map((w) => {
          const data = sealStored(tx, collection, w.owner, w.id, w.data); // person fields sealed (hq/person-crypto.ts)
          return { ...w, data, bytes: utf8Length(JSON.stringify(data)) };
        }),
      ),
    ],
  );
  const seqs = new Map(rows.map((r) => [r.id, Number(r.server_seq)]));
  return writes.map((w) => ({ id: w.id, owner: w.owner, seq: seqs.get(w.id)! }));
}

/**
 * A write transaction holding the locks of `branches`: every document write of HQ goes through
 * here or `writeTransaction`. A seq allocated for a row must be in the scope of a locked branch
 * (pulls: the owner's, a transfer's receiver's too, a transferred case's receiver's too); when fn
 * finds a branch it did not lock, it calls `locks.require`, and the transaction is rolled back and
 * run again with that branch's lock too (rare: only what a transfer involves).
 */
export async function branchWriteTransaction<R>(db: Sql, branches: Iterable<string>, fn: (tx: Sql, locks: BranchLocks) => Promise<R>): Promise<R> {
  const held = new Set(branches);
  for (let round = 1; ; round++) {
    try {
      return await db.transaction(async (tx) => {
        await lockBranches(tx, held);
        return fn(tx, {
          has: (branch) => held.has(branch),
          require: (more) => {
            const missing = [...more].filter((b): b is string => typeof b === 'string' && !held.has(b));
            if (missing.length > 0) throw new MoreBranches(missing);
          },
        });
      });
    } catch (err) {
      if (!(err instanceof MoreBranches) || round >= MAX_LOCK_ROUNDS) throw err;
      for (const b of err.branches) held.add(b);
    }
  }
}

/**
 * A write transaction that excludes every branch write (it does not say which branches it
 * touches): the branch hub's own writes (hq/hub/), on a one-connection PGlite where nothing runs
 * alongside anyway.
 */
export function writeTransaction<R>(db: Sql, fn: (tx: Sql) => Promise<R>): Promise<R> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${ALL_BRANCHES}::bigint)`);
    return fn(tx);
  });
}

/** HQ-originated document (staff directory, branch config): written unless equal to the stored one. */
export async function putHqDocument(
  db: Sql,
  collection: Collection,
  rowId: string,
  branchCode: string,
  doc: Record<string, unknown>,
  now: Date,
): Promise<number | null> {
  return branchWriteTransaction(db, [branchCode], async (tx) => {
    const { rows } = await tx.query<DocRow>(
      'SELECT id, branch_code, server_seq, deleted, data FROM documents WHERE collection = $1 AND branch_code = $2 AND id = $3',
      [collection, branchCode, rowId],
    );
    const existing = rows[0];
    if (existing && sameStored(masterDocument(toMaster(tx, collection, existing)), doc)) return null;
    const seq = await upsert(tx, collection, rowId, branchCode, false, storedData(doc), null, now);
    await notifyChanges(tx, [{ branch: branchCode, collection, seq }]); // devices hear it, whichever process (or the admin CLI) wrote
    return seq;
  });
}

const keyOf = (branch: string, id: string) => `${branch}\u0000${id}`;

/** The stored masters of these (owner branch, id) pairs, keyed by `keyOf`. */
async function readMasters(db: Sql, collection: Collection, keys: readonly { owner: string; id: string }[]): Promise<Map<string, Master>> {
  const { rows } = await db.query<DocRow>(
    `SELECT d.id, d.branch_code, d.server_seq, d.deleted, d.data FROM documents d
       JOIN unnest($2::text[], $3::text[]) AS k(branch_code, id) ON d.branch_code = k.branch_code AND d.id = k.id
      WHERE d.collection = $1`,
    [collection, keys.map((k) => k.owner), keys.map((k) => k.id)],
  );
  return new Map(rows.map((r) => [keyOf(r.branch_code, r.id), toMaster(db, collection, r)]));
}

export interface PushOptions {
  /**
   * Issue 17, at a branch hub and at HQ alike: a row the PC marks `pulled` (it holds that version
   * from a pull, it did not write it) is stored without an author, so a hub never relays it as the
   * pusher's and HQ never records the pusher as its author; it is validated as any write (a pulled
   * audit entry must continue the chain of the device it names, `validateIncoming`). A version
   * stored so is claimed by the first device that pushes it unmarked (its writer: an honest PC
   * marks what it pulled; an audit entry only by its own device), and a hub then relays it as the
   * writer's (`claimUnattributed`). False: every row is the pusher's.
   */
  pulledUnattributed?: boolean;
}

/** RxDB push semantics per row, in one transaction. */
export async function push(
  db: Sql,
  collection: WritableCollection,
  device: Device,
  rows: readonly PushRow[],
  now: Date,
  validate: Validator = validateIncoming,
  options: PushOptions = {},
): Promise<PushResult> {
  const isPulled = (row: PushRow) => options.pulledUnattributed === true && row.pulled === true;
  const owners = new Map(rows.map((r) => [r, ownerBranch(collection, r.newDocumentState, device)]));
  const keys = rows.map((r) => ({ owner: owners.get(r)!, id: r.newDocumentState.id }));
  const masterOf = (masters: Map<string, Master>, row: PushRow) => masters.get(keyOf(owners.get(row)!, row.newDocumentState.id)) ?? null;
  // Rows whose checks read nothing but the document and its master (not audit chains, not
  // transfers) are checked BEFORE the write lock, against the masters as committed now: a journal
  // replay is the costly part of a push, and under the lock it made every device's pushes wait in
  // one line. Under the lock a row is checked again only if its master changed in between (a new
  // server_seq means a new master). These rows are also upserted together after the loop, in row
  // order (one round trip per row made a 20-case push wait ~20 PostgreSQL round trips); the others
  // stay one by one.
  const batched = collection !== 'audit' && collection !== 'transfers';
  const prechecked = new Map<PushRow, { masterSeq: number | null; verdict: Verdict }>();
  if (batched) {
    const before = await readMasters(db, collection, keys);
    for (const row of rows) {
      const master = masterOf(before, row);
      prechecked.set(row, { masterSeq: master?.seq ?? null, verdict: await validate(collection, row.newDocumentState, device, { master, tx: db, pulled: isPulled(row) }) });
    }
  }
  // The branches whose scope the push writes into: the owners (the device's branch; a transfer's
  // sender), a transfer's receiver. A case's receiving branches are found under the lock (below).
  const branches = new Set([device.branchCode, ...owners.values()]);
  if (collection === 'transfers') for (const r of rows) if (typeof r.newDocumentState.toBranch === 'string') branches.add(r.newDocumentState.toBranch);
  return branchWriteTransaction(db, branches, async (tx, locks) => {
    const masters = await readMasters(tx, collection, keys);
    // A case transferred to another branch is in that branch's scope too (store.pull): its writes
    // hold that branch's lock. Transfers of these cases are written under their owner's lock, held
    // here, so the list cannot grow until commit.
    const receivers = collection === 'cases' ? await receivingBranches(tx, rows.map((r) => r.newDocumentState.id), device.branchCode) : [];
    locks.require(receivers);
    const result: PushResult = { conflicts: [], rejected: [], deferred: [], written: [], changed: new Map(), alsoChanged: [] };
    const notify = (branch: unknown, seq: number) => {
      if (typeof branch === 'string') result.changed.set(branch, Math.max(seq, result.changed.get(branch) ?? 0));
    };
    const pending: PendingWrite[] = [];
    /** Versions the pusher sent unmarked that the hub already holds (`claimUnattributed`). */
    const claims: { id: string; owner: string; seq: number }[] = [];
    const flushPending = async () => {
      if (pending.length === 0) return;
      for (const w of await upsertMany(tx, collection, pending.splice(0), device.deviceId, now)) {
        result.written.push({ id: w.id, seq: w.seq });
        notify(w.owner, w.seq);
      }
    };

    for (const row of inChainOrder(collection, rows)) {
      const doc = row.newDocumentState;
      const master = masterOf(masters, row);
      const pre = prechecked.get(row);
      const verdict = pre && pre.masterSeq === (master?.seq ?? null) ? pre.verdict : await validate(collection, doc, device, { master, tx, pulled: isPulled(row) });
      if (!verdict.ok) {
        const { kind, reason } = verdict;
        if (kind === 'later') {
          result.deferred.push({ id: doc.id, reason });
        } else {
          await quarantine(tx, collection, doc, device, reason, now);
          result.rejected.push({ id: doc.id, reason, kind });
        }
        continue;
      }
      if (master) {
        const current = masterDocument(master);
        if (sameStored(current, doc)) {
          // A retry of a write already held; perhaps its writer's claim on a version stored without an author (`claimUnattributed`).
          if (options.pulledUnattributed && !isPulled(row)) claims.push({ id: doc.id, owner: owners.get(row)!, seq: master.seq });
          continue;
        }
        if (row.assumedMasterState === null || !sameStored(current, row.assumedMasterState)) {
          result.conflicts.push(masterDocument(master));
          continue;
        }
      }
      const owner = owners.get(row)!;
      // A version the pusher did not write (marked pulled) is stored without an author, one by one (`claimUnattributed`).
      const author = isPulled(row) ? null : device.deviceId;
      if (batched && author !== null) {
        if (pending.some((w) => w.id === doc.id)) await flushPending(); // the same id twice: keep the rows' order
        pending.push({ id: doc.id, owner, deleted: doc._deleted === true, data: storedData(doc) });
        continue;
      }
      // Whatever this write touches must be locked (a transfer's receiver, before and after).
      locks.require([owner, ...(collection === 'transfers' ? [doc.toBranch, master?.data.toBranch] : [])]);
      const seq = await upsert(tx, collection, doc.id, owner, doc._deleted === true, storedData(doc), author, now);
      result.written.push({ id: doc.id, seq });
      notify(owner, seq);
      if (collection === 'transfers') {
        notify(doc.toBranch, seq);
        notify(master?.data.toBranch, seq);
        if (!master) {
          const caseSeq = await bringCaseAlong(tx, String(doc.caseId), owner);
          if (caseSeq !== null) result.alsoChanged.push({ collection: 'cases', branch: String(doc.toBranch), seq: caseSeq });
        }
      }
    }
    await flushPending();
    for (const w of await claimUnattributed(tx, collection, device.deviceId, claims, now)) {
      result.written.push({ id: w.id, seq: w.seq });
      notify(w.owner, w.seq);
    }
    if (collection === 'cases' && result.written.length > 0) {
      // A case written after its transfer: the receiving branches hear of it too (a notice to one
      // whose case was not among those written only makes it pull for nothing).
      const last = result.written.at(-1)!.seq;
      for (const branch of receivers) notify(branch, last);
    }
    // Every HQ process's streams hear of it once this commits (hq/notify.ts).
    await notifyChanges(tx, pushNotices(collection, result));
    return result;
  });
}

/**
 * Versions stored without an author (a PC pushed them marked as pulled; at a hub, also what it took
 * from HQ) that `deviceId` pushed unmarked, i.e. as their writer, become its writes with a new seq,
 * so a hub's relay takes them to HQ as its: HQ may hold that version without an author too (pushed
 * there marked), and makes it the writer's the same way; one HQ holds with an author stays its
 * author's there (the relay is a no-op). An audit entry only by the device whose chain it is. An
 * attributed version is never taken from its author.
 */
async function claimUnattributed(tx: Sql, collection: WritableCollection, deviceId: string, claims: readonly { id: string; owner: string; seq: number }[], now: Date): Promise<{ id: string; owner: string; seq: number }[]> {
  if (claims.length === 0) return [];
  const { rows } = await tx.query<{ id: string; branch_code: string; server_seq: string | number }>(
    `UPDATE documents d SET server_seq = nextval('documents_seq'), device_id = $2, received_at = $3
       FROM unnest($4::text[], $5::text[], $6::bigint[]) AS k(branch_code, id, seq)
      WHERE d.collection = $1 AND d.branch_code = k.branch_code AND d.id = k.id AND d.server_seq = k.seq AND d.device_id IS NULL
        AND ($1 <> 'audit' OR (d.data ->> 'deviceId') = $7)
      RETURNING d.id, d.branch_code, d.server_seq`,
    [collection, deviceId, now.toISOString(), claims.map((c) => c.owner), claims.map((c) => c.id), claims.map((c) => c.seq), deviceId],
  );
  return rows.map((r) => ({ id: r.id, owner: r.branch_code, seq: Number(r.server_seq) }));
}

/** What a push tells the devices: per branch, the collection and the highest new seq. */
export function pushNotices(collection: Collection, result: PushResult): ChangeNotice[] {
  return [...[...result.changed].map(([branch, seq]) => ({ branch, collection, seq })), ...result.alsoChanged];
}

/** Audit entries are checked against the chain HQ stores, so a batch is taken in chain order (by seq). */
function inChainOrder(collection: WritableCollection, rows: readonly PushRow[]): readonly PushRow[] {
  if (collection !== 'audit') return rows;
  const seq = (r: PushRow) => (typeof r.newDocumentState.seq === 'number' ? r.newDocumentState.seq : Infinity);
  return [...rows].sort((a, b) => (seq(a) < seq(b) ? -1 : seq(a) > seq(b) ? 1 : 0));
}

/** Refused documents are kept with the reason; an identical retry bumps `attempts` instead of a new row. */
async function quarantine(tx: Sql, collection: Collection, doc: SyncDocument, device: Device, reason: string, now: Date): Promise<void> {
  // Kept as it arrived, except text PostgreSQL cannot store (lone surrogates, U+0000) as U+FFFD;
  // the hash is of the original, so an identical retry still counts as one. A refused case is
  // sealed whole (hq/person-crypto.ts): it holds the same person fields as a stored one.
  const id = storableText(doc.id);
  const data = JSON.stringify(sealQuarantined(tx, collection, device.branchCode, id, storableJson(doc)));
  await tx.query(
    `INSERT INTO quarantine (collection, id, branch_code, device_id, reason, data, data_hash, received_at, last_received_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $8)
     ON CONFLICT (collection, id, device_id, data_hash)
       DO UPDATE SET attempts = quarantine.attempts + 1, last_received_at = EXCLUDED.last_received_at, reason = EXCLUDED.reason`,
    [collection, id, device.branchCode, device.deviceId, reason, data, sha256Hex(canonicalJson(doc)), now.toISOString()],
  );
}

export interface QuarantineEntry {
  /** Position in the quarantine (newest = highest): the paging cursor. */
  qid: number;
  collection: string;
  id: string;
  branchCode: string;
  deviceId: string;
  reason: string;
  receivedAt: string;
  lastReceivedAt: string;
  attempts: number;
  /** The refused document as it arrived. */
  data: Record<string, unknown>;
}

export interface QuarantinePage {
  entries: QuarantineEntry[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  next: number | null;
}

/** Quarantined documents, newest first, `limit` per page, older than the `before` cursor; one branch or all. */
export async function listQuarantine(db: Sql, options: { branchCode?: string; limit: number; before?: number }): Promise<QuarantinePage> {
  const params: unknown[] = [options.before ?? null, options.limit + 1];
  let scope = '';
  if (options.branchCode !== undefined) {
    params.push(options.branchCode);
    scope = 'AND branch_code = $3';
  }
  const { rows } = await db.query<{
    qid: string | number;
    collection: string;
    id: string;
    branch_code: string;
    device_id: string;
    reason: string;
    received_at: Date | string;
    last_received_at: Date | string;
    attempts: number;
    data: Record<string, unknown>;
  }>(
    `SELECT qid, collection, id, branch_code, device_id, reason, received_at, last_received_at, attempts, data FROM quarantine
      WHERE ($1::bigint IS NULL OR qid < $1::bigint) ${scope}
      ORDER BY qid DESC LIMIT $2`,
    params,
  );
  const iso = (d: Date | string) => new Date(d).toISOString();
  const page = rows.slice(0, options.limit).map((r) => ({
    qid: Number(r.qid),
    collection: r.collection,
    id: r.id,
    branchCode: r.branch_code,
    deviceId: r.device_id,
    reason: r.reason,
    receivedAt: iso(r.received_at),
    lastReceivedAt: iso(r.last_received_at),
    attempts: r.attempts,
    data: openQuarantined(db, r.collection, r.branch_code, r.id, r.data) as Record<string, unknown>,
  }));
  return { entries: page, next: rows.length > options.limit ? (page.at(-1)?.qid ?? null) : null };
}
