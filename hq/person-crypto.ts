import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
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
//   stay in clear. Other collections carry no person fields (tickets hold only `nikHash`).
// - Bound: the associated data is the collection, the owning branch and the record id, so a sealed
//   value copied onto another record (or collection) does not open.
// - Keys: outside the database, in a JSON file HQ reads at start (`HQ_PERSON_KEYS_FILE`):
//   `{ "current": "<keyId>", "keys": { "<keyId>": "<32 bytes, base64>" } }`. New values are sealed
//   with `current`; every key id still in the file opens what was sealed with it (rotation).
// - Rows written before this (clear) are read as they are; `resealPersonFields` rewrites them,
//   and rows of retired keys, under the current key.
// - The stores find the keys through the Sql handle (`withPersonKeys`), so store.ts, validate.ts
//   and transfers.ts need no extra parameter; a handle without keys writes as before (the branch
//   hub: hq/README.md says why it is exempt) but refuses to read a sealed row.

export const SEALED_FIELD = '$sealed';
const PREFIX = 'lkp1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** A LIKE pattern matching values sealed with this key id (`_` is a LIKE wildcard). */
const sealedWith = (keyId: string) => `${PREFIX}.${keyId.replace(/_/g, '\\_')}.%`;

/** The collections with person fields, and those fields. */
export const PERSON_FIELDS: Readonly<Partial<Record<string, readonly string[]>>> = {
  cases: ['person', 'input', 'events', 'snapshot', 'flag'],
};

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

/** The stored form: the person fields of `collection` sealed into `$sealed` (other collections: unchanged). */
export function sealDocument(keys: PersonKeys, collection: string, branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  const fields = PERSON_FIELDS[collection];
  if (!fields) return data;
  const secret: Record<string, unknown> = {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (fields.includes(k)) secret[k] = v;
    else if (k !== SEALED_FIELD) out[k] = v;
  }
  out[SEALED_FIELD] = sealText(keys, JSON.stringify(secret), aad(collection, branch, id));
  return out;
}

/** The document as it was pushed: a sealed row opened; a row stored before sealing (clear) as it is. */
export function openDocument(keys: PersonKeys | null, collection: string, branch: string, id: string, data: Record<string, unknown>): Record<string, unknown> {
  const sealed = data[SEALED_FIELD];
  if (sealed === undefined) return data;
  if (!keys) throw new PersonKeyError(`${collection} ${id}: its person fields are sealed and this HQ was started without HQ_PERSON_KEYS_FILE`);
  if (typeof sealed !== 'string') throw new PersonKeyError(`${collection} ${id}: ${SEALED_FIELD} is not a sealed value`);
  const secret = JSON.parse(openText(keys, sealed, aad(collection, branch, id), `${collection} ${id}`)) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (k !== SEALED_FIELD) out[k] = v;
  return { ...out, ...secret };
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

/**
 * Rewrites every row of the person collections that is clear or sealed with another key than the
 * current one, in batches, without a new server_seq (the content is the same: devices need not
 * pull it again). A row a push changed meanwhile is left to that push (the update checks the seq).
 * Then retires the keys nothing is sealed with any more.
 */
export async function resealPersonFields(db: Sql, keys: PersonKeys, batch = 500): Promise<ResealReport> {
  let resealed = 0;
  for (const collection of Object.keys(PERSON_FIELDS)) {
    let after = { branch: '', id: '' };
    for (;;) {
      const { rows } = await db.query<{ id: string; branch_code: string; server_seq: string; data: Record<string, unknown> }>(
        `SELECT id, branch_code, server_seq::text, data FROM documents
          WHERE collection = $1 AND (branch_code, id) > ($2, $3) AND coalesce(data ->> '${SEALED_FIELD}', '') NOT LIKE $4
          ORDER BY branch_code, id LIMIT $5`,
        [collection, after.branch, after.id, sealedWith(keys.currentId), batch],
      );
      for (const r of rows) {
        const data = sealDocument(keys, collection, r.branch_code, r.id, openDocument(keys, collection, r.branch_code, r.id, r.data));
        const done = await db.query(
          `UPDATE documents SET data = $5::jsonb, data_bytes = $6 WHERE collection = $1 AND branch_code = $2 AND id = $3 AND server_seq = $4::bigint RETURNING 1`,
          [collection, r.branch_code, r.id, r.server_seq, JSON.stringify(data), Buffer.byteLength(JSON.stringify(data), 'utf8')],
        );
        resealed += done.rows.length;
      }
      const last = rows.at(-1);
      if (!last || rows.length < batch) break;
      after = { branch: last.branch_code, id: last.id };
    }
  }
  const retired: string[] = [];
  for (const keyId of keys.keys.keys()) {
    if (keyId === keys.currentId) continue;
    const used = await db.query(
      `SELECT 1 FROM documents WHERE collection = ANY($1::text[]) AND data ->> '${SEALED_FIELD}' LIKE $2 LIMIT 1`,
      [Object.keys(PERSON_FIELDS), sealedWith(keyId)],
    );
    if (used.rows.length === 0) {
      await db.query('DELETE FROM person_keys WHERE key_id = $1', [keyId]);
      retired.push(keyId);
    }
  }
  return { resealed, retired };
}
