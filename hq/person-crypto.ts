import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Sql } from './db';

// Person fields at HQ are sealed by HQ itself before PostgreSQL sees them (issue 18 pt 8): anyone
// reading the database (a dump, a backup, a DBA, a leaked replica) sees no NIK, name, contact,
// birth date or balance, only what HQ needs in clear to route and order documents.
//
// - What is sealed: of a case, `person`, `input`, `events`, `snapshot` and `flag` (the NIK, name,
//   phone and e-mail, birth date, KPJ balances all live there), as ONE AES-256-GCM value in the
//   field `$sealed`: `lkp1.<keyId>.<base64url(iv | ciphertext | tag)>`. The id, branch, flow,
//   status, `nikHash` (the keyed hash NIK lookups use), ticket id, journal length and timestamps
//   stay in clear. The same for a refusal's `review`, an audit entry's `details`, a transfer's
//   `declineReason` (PERSON_FIELDS), the `details` of main's chains (`device_audit`), and refused
//   documents of those collections, sealed whole in `quarantine`. Tickets hold only `nikHash`.
// - Bound: the associated data is the collection, the owning branch and the record id, so a sealed
//   value copied onto another record (or collection) does not open.
// - Keys: outside the database, in a JSON file HQ reads at start (`HQ_PERSON_KEYS_FILE`):
//   `{ "current": "<keyId>", "keys": { "<keyId>": "<32 bytes, base64>" } }`. New values are sealed
//   with `current`; every key id still in the file opens what was sealed with it (rotation).
// - Rows written before this (clear) are read as they are; `resealPersonFields` rewrites them,
//   and rows of retired keys, under the current key; at start only when no complete re-seal has
//   finished under this key and layout (`resealPersonFieldsIfNeeded`, `person_seal_runs`).
// - The stores find the keys through the Sql handle (`withPersonKeys`), so store.ts, validate.ts
//   and transfers.ts need no extra parameter; a handle without keys writes as before (the branch
//   hub: hq/README.md says why it is exempt) but refuses to read a sealed row.

export const SEALED_FIELD = '$sealed';
const PREFIX = 'lkp1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** A LIKE pattern matching values sealed with this key id (`_` is a LIKE wildcard). */
const sealedWith = (keyId: string) => `${PREFIX}.${keyId.replace(/_/g, '\\_')}.%`;

/**
 * The collections with person fields, and those fields. Besides a case: a refusal's `review` (the
 * head's free-text note, on the record and in its events), an audit entry's `details` (a pending-KPJ
 * review holds the KPJ number and the note; other actions free text), a transfer's `declineReason`
 * (the receiving head's free text). What HQ queries, orders or chains by stays in clear.
 */
export const PERSON_FIELDS: Readonly<Partial<Record<string, readonly string[]>>> = {
  cases: ['person', 'input', 'events', 'snapshot', 'flag'],
  refusals: ['review'],
  transfers: ['declineReason'],
  audit: ['details'],
};

/** Of an entry of a PC's main chain (table `device_audit`): its `details`; seq, hash and signature stay in clear. */
export const DEVICE_AUDIT_FIELDS: readonly string[] = ['details'];

export class PersonKeyError extends Error {
  override name = 'PersonKeyError';
}

export interface PersonKeys {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KeyFile = z.strictObject({
  current: z.string().regex(KEY_ID, 'a key id: 1-32 letters, digits, _ or -'),
  keys: z.record(z.string().regex(KEY_ID, 'a key id: 1-32 letters, digits, _ or -'), z.string()),
});

/** Parses the key file's content; every problem is a PersonKeyError naming what is wrong (never a key). */
export function parsePersonKeys(text: string): PersonKeys {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PersonKeyError('person key file: not JSON');
  }
  const parsed = KeyFile.safeParse(json);
  if (!parsed.success) {
    throw new PersonKeyError(`person key file: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, b64] of Object.entries(parsed.data.keys)) {
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32 || key.toString('base64') !== b64.replace(/\s/g, '')) {
      throw new PersonKeyError(`person key file: key ${id} is not 32 bytes of base64 (AES-256)`);
    }
    keys.set(id, key);
  }
  if (!keys.has(parsed.data.current)) throw new PersonKeyError(`person key file: the current key ${parsed.data.current} is not in keys`);
  return { currentId: parsed.data.current, keys };
}

/** The keys from `HQ_PERSON_KEYS_FILE`: required, HQ never falls back to storing person fields in clear. */
export function loadPersonKeys(env: NodeJS.ProcessEnv): PersonKeys {
  const path = env.HQ_PERSON_KEYS_FILE;
  if (!path) {
    throw new PersonKeyError(
      'HQ_PERSON_KEYS_FILE is not set: HQ seals person fields with keys kept outside the database and will not store them in clear. ' +
        'Make one with `node -e "console.log(JSON.stringify({current:\'k1\',keys:{k1:require(\'crypto\').randomBytes(32).toString(\'base64\')}}))"` (see hq/README.md).',
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PersonKeyError(`HQ_PERSON_KEYS_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsePersonKeys(text);
}

/**
 * HQ on PGlite without HQ_PERSON_KEYS_FILE (development, a one-PC trial): a key file in its data
 * folder, made once (0600). It keeps dumps and copies of the database tables sealed, not a copy
 * of the whole folder: said in the log and the README; real deployments set HQ_PERSON_KEYS_FILE.
 */
export function dataDirPersonKeys(dir: string, log: { warn(o: object, msg: string): void }): PersonKeys {
  const path = join(dir, 'person-keys.json');
  try {
    writeFileSync(path, newPersonKeyFile(), { mode: 0o600, flag: 'wx' });
    log.warn({ path }, 'person fields: made a key file in the data folder (set HQ_PERSON_KEYS_FILE to keep keys apart from the data)');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new PersonKeyError(`person key file in the data folder cannot be made (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsePersonKeys(readFileSync(path, 'utf8'));
}

/** A new key file's content (one fresh key), for set-up and tests. */
export function newPersonKeyFile(keyId = 'k1'): string {
  return JSON.stringify({ current: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } });
}

const aad = (collection: string, branch: string, id: string) => Buffer.from(`loket/hq-person/v1\u0000${collection}\u0000${branch}\u0000${id}`, 'utf8');

function sealText(keys: PersonKeys, plain: string, ad: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.keys.get(keys.currentId)!, iv);
  cipher.setAAD(ad);
  const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}.${keys.currentId}.${body.toString('base64url')}`;
}

/** The key id a sealed value names, or null if it is not one. */
export function sealedKeyId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const [prefix, keyId] = value.split('.', 2);
  return prefix === PREFIX && keyId !== undefined && KEY_ID.test(keyId) ? keyId : null;
}

function openText(keys: PersonKeys, sealed: string, ad: Buffer, what: string): string {
  const keyId = sealedKeyId(sealed);
  if (keyId === null) throw new PersonKeyError(`${what}: not a sealed value`);
  const key = keys.keys.get(keyId);
  if (!key) throw new PersonKeyError(`${what}: sealed with key ${keyId}, which HQ_PERSON_KEYS_FILE does not hold`);
  const body = Buffer.from(sealed.slice(PREFIX.length + keyId.length + 2), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
    decipher.setAAD(ad);
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new PersonKeyError(`${what}: does not open with key ${keyId} (another key under that id, or the value was altered or moved)`);
  }
}

/** `data` with `fields` sealed into `$sealed`, bound to `bind` (collection or table), branch and id. */
function sealFields(keys: PersonKeys, bind: string, fields: readonly string[], branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  const secret: Record<string, unknown> = {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (fields.includes(k)) secret[k] = v;
    else if (k !== SEALED_FIELD) out[k] = v;
  }
  out[SEALED_FIELD] = sealText(keys, JSON.stringify(secret), aad(bind, branch, id));
  return out;
}

/** `data` with its `$sealed` opened; a row stored before sealing (clear) as it is. */
function openFields(keys: PersonKeys | null, bind: string, branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  const sealed = data[SEALED_FIELD];
  if (sealed === undefined) return data;
  if (!keys) throw new PersonKeyError(`${bind} ${id}: its person fields are sealed and this HQ was started without HQ_PERSON_KEYS_FILE`);
  if (typeof sealed !== 'string') throw new PersonKeyError(`${bind} ${id}: ${SEALED_FIELD} is not a sealed value`);
  const secret = JSON.parse(openText(keys, sealed, aad(bind, branch, id), `${bind} ${id}`)) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (k !== SEALED_FIELD) out[k] = v;
  return { ...out, ...secret };
}

/** The stored form: the person fields of `collection` sealed into `$sealed` (other collections: unchanged). */
export function sealDocument(keys: PersonKeys, collection: string, branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  const fields = PERSON_FIELDS[collection];
  return fields ? sealFields(keys, collection, fields, branch, id, data) : data;
}

/** The document as it was pushed: a sealed row opened; a row stored before sealing (clear) as it is. */
export function openDocument(keys: PersonKeys | null, collection: string, branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  return openFields(keys, collection, branch, id, data);
}

/** An entry of a PC's main chain as `device_audit` stores it: `details` sealed (when the handle has keys). */
const deviceAuditId = (deviceId: string, seq: unknown) => `${deviceId.toLowerCase()}:${String(seq)}`;
export function sealDeviceAudit(db: Sql, branch: string, entry: { deviceId: string; seq: number }): Record<string, unknown> {
  const keys = personKeysOf(db);
  const data = entry as unknown as Record<string, unknown>;
  return keys ? sealFields(keys, 'device_audit', DEVICE_AUDIT_FIELDS, branch, deviceAuditId(entry.deviceId, entry.seq), data) : data;
}

/** The entry as the PC sent it (what its hash and signature cover): `details` opened. */
export function openDeviceAudit(db: Sql, branch: string, data: Record<string, unknown>): Record<string, unknown> {
  return openFields(personKeysOf(db), 'device_audit', branch, deviceAuditId(String(data.deviceId), data.seq), data);
}

/**
 * A refused document (the `quarantine` table) of a collection with person fields, kept as it
 * arrived, whatever its shape: sealed whole. Bound to `quarantine`, the collection, branch and id.
 */
export function sealQuarantined(db: Sql, collection: string, branch: string, id: string, data: unknown): unknown {
  const keys = personKeysOf(db);
  if (!keys || !PERSON_FIELDS[collection]) return data;
  return { [SEALED_FIELD]: sealText(keys, JSON.stringify(data), aad(`quarantine/${collection}`, branch, id)) };
}

/**
 * The refused document as it arrived: opened when sealed, else as stored. Without keys (the admin
 * CLI, which prints only ids and reasons) it stays sealed: nothing is written back from it.
 */
export function openQuarantined(db: Sql, collection: string, branch: string, id: string, data: unknown): unknown {
  const sealed = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)[SEALED_FIELD] : undefined;
  const keys = personKeysOf(db);
  if (typeof sealed !== 'string' || Object.keys(data as object).length !== 1 || !keys) return data;
  return JSON.parse(openText(keys, sealed, aad(`quarantine/${collection}`, branch, id), `quarantined ${collection} ${id}`));
}

// ---- the keys travel with the database handle ---------------------------------------------------

const handles = new WeakMap<Sql, PersonKeys>();

/** The database handle with these keys: store.ts seals and opens through it, and through its transactions. */
export function withPersonKeys(db: Sql, keys: PersonKeys): Sql {
  const wrapped: Sql = {
    kind: db.kind,
    query: (text, params) => db.query(text, params),
    exec: (text) => db.exec(text),
    transaction: (fn) => db.transaction((tx) => fn(withPersonKeys(tx, keys))),
    close: () => db.close(),
    ...(db.listen ? { listen: db.listen.bind(db) } : {}),
    ...(db.poolUse ? { poolUse: db.poolUse.bind(db) } : {}),
  };
  handles.set(wrapped, keys);
  return wrapped;
}

/** The keys of this handle, or null (a handle without keys: writes as before, refuses sealed reads). */
export function personKeysOf(db: Sql): PersonKeys | null {
  return handles.get(db) ?? null;
}

/** `sealDocument` when the handle has keys. */
export function sealStored(db: Sql, collection: string, branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  const keys = personKeysOf(db);
  return keys ? sealDocument(keys, collection, branch, id, data) : data;
}

/** `openDocument` with the handle's keys. */
export function openStored(db: Sql, collection: string, branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  return openDocument(personKeysOf(db), collection, branch, id, data);
}

// ---- start-up check and re-sealing -------------------------------------------------------------

const CHECK_AAD = (keyId: string) => Buffer.from(`loket/hq-person-key-check/v1\u0000${keyId}`, 'utf8');

/**
 * At start: every key the database has seen (`person_keys`, migration 013) must be in the file and
 * be the same key (its check value opens), else HQ refuses to start: a wrong or missing key file
 * must never mean unreadable rows or a silent fallback. Keys new to the database are recorded.
 */
export async function checkPersonKeys(db: Sql, keys: PersonKeys): Promise<void> {
  for (const [keyId, key] of keys.keys) {
    const check = sealText({ currentId: keyId, keys: new Map([[keyId, key]]) }, 'loket', CHECK_AAD(keyId));
    await db.query('INSERT INTO person_keys (key_id, check_value) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING', [keyId, check]);
  }
  const { rows } = await db.query<{ key_id: string; check_value: string }>('SELECT key_id, check_value FROM person_keys ORDER BY key_id');
  for (const row of rows) {
    if (!keys.keys.has(row.key_id)) {
      throw new PersonKeyError(`HQ_PERSON_KEYS_FILE lacks key ${row.key_id}, with which stored person fields are sealed (keep it until re-sealing retires it)`);
    }
    try {
      openText(keys, row.check_value, CHECK_AAD(row.key_id), `key ${row.key_id}`);
    } catch {
      throw new PersonKeyError(`HQ_PERSON_KEYS_FILE: key ${row.key_id} is not the key the stored person fields were sealed with (wrong key file?)`);
    }
  }
}

export interface ResealReport {
  resealed: number;
  /** Key ids no longer in use, removed from `person_keys` (they may now leave the key file). */
  retired: string[];
}

/** Rows of `table` not sealed with the current key, in batches by primary key: `reseal` rewrites each. */
async function resealTable<R extends Record<string, unknown>>(
  db: Sql,
  keys: PersonKeys,
  o: { select: string; params: unknown[]; cursor: (r: R) => unknown[]; start: unknown[]; batch: number; reseal: (r: R) => Promise<number> },
): Promise<number> {
  let resealed = 0;
  let after = o.start;
  for (;;) {
    // After `params`: the cursor, the LIKE pattern of the current key, the batch size.
    const { rows } = await db.query<R>(o.select, [...o.params, ...after, sealedWith(keys.currentId), o.batch]);
    for (const r of rows) resealed += await o.reseal(r);
    const last = rows.at(-1);
    if (!last || rows.length < o.batch) return resealed;
    after = o.cursor(last);
  }
}

/**
 * Rewrites every stored value that is clear or sealed with another key than the current one, in
 * batches: the person fields of `documents` (without a new server_seq: the content is the same,
 * devices need not pull it again; a row a push changed meanwhile is left to that push, the update
 * checks the seq), refused documents in `quarantine` (sealed whole), and the `details` of main's
 * chains in `device_audit` (append-only). Then retires the keys nothing is sealed with any more.
 */
export async function resealPersonFields(db: Sql, keys: PersonKeys, batch = 500): Promise<ResealReport> {
  let resealed = 0;
  const notCurrent = `coalesce(data ->> '${SEALED_FIELD}', '') NOT LIKE`;
  for (const collection of Object.keys(PERSON_FIELDS)) {
    type Row = { id: string; branch_code: string; server_seq: string; data: Record<string, unknown> };
    resealed += await resealTable<Row>(db, keys, {
      select: `SELECT id, branch_code, server_seq::text, data FROM documents
                WHERE collection = $1 AND (branch_code, id) > ($2, $3) AND ${notCurrent} $4
                ORDER BY branch_code, id LIMIT $5`,
      params: [collection],
      start: ['', ''],
      cursor: (r) => [r.branch_code, r.id],
      batch,
      reseal: async (r) => {
        const text = JSON.stringify(sealDocument(keys, collection, r.branch_code, r.id, openDocument(keys, collection, r.branch_code, r.id, r.data)));
        const done = await db.query(
          `UPDATE documents SET data = $5::jsonb, data_bytes = $6 WHERE collection = $1 AND branch_code = $2 AND id = $3 AND server_seq = $4::bigint RETURNING 1`,
          [collection, r.branch_code, r.id, r.server_seq, text, Buffer.byteLength(text, 'utf8')],
        );
        return done.rows.length;
      },
    });
  }
  type QRow = { qid: string; collection: string; id: string; branch_code: string; data: unknown };
  resealed += await resealTable<QRow>(db, keys, {
    select: `SELECT qid::text, collection, id, branch_code, data FROM quarantine
              WHERE collection = ANY($1::text[]) AND qid > $2::bigint AND ${notCurrent} $3
              ORDER BY qid LIMIT $4`,
    params: [Object.keys(PERSON_FIELDS)],
    start: ['0'],
    cursor: (r) => [r.qid],
    batch,
    reseal: async (r) => {
      const bind = `quarantine/${r.collection}`;
      const d = r.data as Record<string, unknown> | null;
      const sealed = typeof d === 'object' && d !== null && !Array.isArray(d) && Object.keys(d).length === 1 && typeof d[SEALED_FIELD] === 'string' ? d[SEALED_FIELD] : null;
      let plain: unknown = r.data;
      if (sealed !== null) {
        // A refused document that merely looks sealed (pushed so, stored in clear) is sealed as it is.
        try {
          plain = JSON.parse(openText(keys, sealed, aad(bind, r.branch_code, r.id), `quarantined ${r.collection} ${r.id}`));
        } catch {
          plain = r.data;
        }
      }
      const text = JSON.stringify({ [SEALED_FIELD]: sealText(keys, JSON.stringify(plain), aad(bind, r.branch_code, r.id)) });
      const done = await db.query('UPDATE quarantine SET data = $2::jsonb WHERE qid = $1::bigint RETURNING 1', [r.qid, text]);
      return done.rows.length;
    },
  });
  type ARow = { device_id: string; seq: string; branch_code: string; data: Record<string, unknown> };
  resealed += await resealTable<ARow>(db, keys, {
    select: `SELECT device_id::text, seq::text, branch_code, data FROM device_audit
              WHERE (device_id, seq) > ($1::uuid, $2::bigint) AND ${notCurrent} $3
              ORDER BY device_id, seq LIMIT $4`,
    params: [],
    start: ['00000000-0000-0000-0000-000000000000', '-1'],
    cursor: (r) => [r.device_id, r.seq],
    batch,
    reseal: async (r) => {
      const id = deviceAuditId(r.device_id, r.seq);
      const text = JSON.stringify(sealFields(keys, 'device_audit', DEVICE_AUDIT_FIELDS, r.branch_code, id, openFields(keys, 'device_audit', r.branch_code, id, r.data)));
      const done = await db.query('UPDATE device_audit SET data = $3::jsonb WHERE device_id = $1::uuid AND seq = $2::bigint RETURNING 1', [r.device_id, r.seq, text]);
      return done.rows.length;
    },
  });
  const retired: string[] = [];
  for (const keyId of keys.keys.keys()) {
    if (keyId === keys.currentId) continue;
    const used = await db.query(
      `SELECT 1 FROM documents WHERE collection = ANY($1::text[]) AND data ->> '${SEALED_FIELD}' LIKE $2
       UNION ALL SELECT 1 FROM quarantine WHERE collection = ANY($1::text[]) AND data ->> '${SEALED_FIELD}' LIKE $2
       UNION ALL SELECT 1 FROM device_audit WHERE data ->> '${SEALED_FIELD}' LIKE $2 LIMIT 1`,
      [Object.keys(PERSON_FIELDS), sealedWith(keyId)],
    );
    if (used.rows.length === 0) {
      await db.query('DELETE FROM person_keys WHERE key_id = $1', [keyId]);
      retired.push(keyId);
    }
  }
  return { resealed, retired };
}

/**
 * What is sealed where (collections and fields, quarantine, main's chains): a complete re-seal is
 * recorded under this value, so a change of it (a field or collection newly sealed) scans again.
 */
export const SEAL_LAYOUT = createHash('sha256')
  .update(JSON.stringify({ documents: PERSON_FIELDS, quarantine: Object.keys(PERSON_FIELDS), device_audit: DEVICE_AUDIT_FIELDS }))
  .digest('hex')
  .slice(0, 16);

/**
 * At start: `resealPersonFields` only when no complete re-seal has finished under the current key
 * and this layout (`person_seal_runs`, migration 014); otherwise one small read, so a national
 * database is not scanned at every start. Every write since such a run is sealed with the current
 * key, so nothing can be left. A finished run replaces the records of other keys: going back to a
 * key used before scans again (rows sealed with the one in between).
 */
export async function resealPersonFieldsIfNeeded(db: Sql, keys: PersonKeys, batch = 500): Promise<ResealReport & { skipped: boolean }> {
  const { rows } = await db.query('SELECT 1 FROM person_seal_runs WHERE key_id = $1 AND layout = $2', [keys.currentId, SEAL_LAYOUT]);
  if (rows.length > 0) return { skipped: true, resealed: 0, retired: [] };
  const report = await resealPersonFields(db, keys, batch);
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM person_seal_runs WHERE key_id <> $1 OR layout <> $2', [keys.currentId, SEAL_LAYOUT]);
    await tx.query(
      `INSERT INTO person_seal_runs (key_id, layout, finished_at, resealed) VALUES ($1, $2, now(), $3)
       ON CONFLICT (key_id, layout) DO UPDATE SET finished_at = EXCLUDED.finished_at, resealed = EXCLUDED.resealed`,
      [keys.currentId, SEAL_LAYOUT, report.resealed],
    );
  });
  return { skipped: false, ...report };
}
