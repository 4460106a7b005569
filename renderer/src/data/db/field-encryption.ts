// RxDB storage wrapper that encrypts the fields a schema lists in `encrypted`, with WebCrypto
// AES-256-GCM. It replaces RxDB's crypto-js plugin, whose pure-JS AES and per-value key derivation
// (EvpKDF/MD5) made the app's storage ~10× slower than the storage under it (see
// tests/bench/results/local-db.json and sync.json).
//
// A document's encrypted fields are stored together as ONE value, in the field `sealed`:
// "g2:" + base64(iv ‖ ciphertext ‖ tag) of the JSON object {path: value}, where
//  - the key is HKDF-SHA-256 of the collection's root key (see below) with the collection's name in
//    its info, derived once per collection;
//  - the iv is 12 random bytes per value;
//  - the additional data is the collection and the document id, so a value copied into another
//    document or collection does not decrypt.
// One WebCrypto call per document rather than one per field: what made the app's storage stack sync
// slower than PouchDB (issue 19 pt 4). The encrypted fields themselves are absent from the stored
// document.
// Earlier builds stored one value per field ("g1:", one key for every collection, additional data
// id + path; before that crypto-js, OpenSSL format "U2FsdGVkX1…"). Both are still read; a document
// is sealed in the new format the next time it is written, and once after the database opens by the
// one-time rewrite (rewriteLegacyDocuments; database.ts starts it). crypto-js is imported only to
// read such a value, so a database the rewrite has finished never loads it.
// Recently read or written documents are remembered (RecentFields), so an unchanged document is
// neither decrypted nor encrypted again.
// Two root keys (issue 18 pt 6, least privilege): a collection that holds case data
// (shared/staff/case-access.ts) is sealed under the case root, which main hands only to roles that
// work cases (`secrets.caseKey`); every other collection under the queue root (`secrets.dbKey`), which
// every signed-in role gets. The roots reach this wrapper directly, not as RxDB's password: RxDB
// would store one password's hash for the whole database, and a door session has no case root.
// Installs from before the split keep their single key as the case root, so their cases still open.

import {
  clone,
  getPrimaryFieldOfPrimaryKey,
  getProperty,
  hasEncryption,
  prepareQuery,
  randomToken,
  setProperty,
  wrapRxStorageInstance,
  type BulkWriteRow,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import type * as CryptoJsPlugin from 'rxdb/plugins/encryption-crypto-js';
import { holdsCaseData } from '@shared/staff/case-access';
import { base64ToBytes, bytesToBase64 } from '@shared/base64';

/** One value per field (earlier builds; still read). */
export const FIELD_CIPHER_PREFIX = 'g1:';
/** One value per document: all its encrypted fields (what is written). */
export const DOC_CIPHER_PREFIX = 'g2:';
/** The stored field that holds a document's sealed value; a schema may not use the name. */
export const SEALED_FIELD = 'sealed';
const MIN_PASSWORD_LENGTH = 8;
const IV_BYTES = 12; // a multiple of 3: encryptWith encodes the iv and the ciphertext apart
const INFO = new TextEncoder().encode('loket/rxdb-fields/v1');
const DOC_INFO = 'loket/rxdb-doc/v2\u0000';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The root keys of this session: `case` is null for a role that does not work cases (the door). */
export interface RootKeys {
  queue: string;
  case: string | null;
}

/** The root a collection's sealed documents are derived from; null: this session may not open it. */
export function rootKeyFor(keys: RootKeys, collection: string): string | null {
  return holdsCaseData(collection) ? keys.case : keys.queue;
}

/**
 * RxDB's replication state of a collection (its "meta instance", `rx-replication-meta-<hash>`, and a
 * schema migration's `rx-migration-state-meta-<collection>-<version>`) keeps the master's (HQ's)
 * copy of each document in `docData`, with the same personal fields, encrypted as `docData`. Its
 * name does not say whose state it is (a hash of collection and replication id), so it is sealed
 * under the key of the collection(s) it replicates (`parents`): HQ's copy of a case under the case
 * key. A state whose collection is not known is case data (fail closed).
 */
export function rootsFor(keys: RootKeys, collection: string, parents: readonly string[] | null): { root: string | null; earlier?: string } {
  if (parents === null) return { root: rootKeyFor(keys, collection) };
  if (parents.length > 0 && !parents.some(holdsCaseData)) return { root: keys.queue };
  // Builds before this one sealed every replication state under the queue root: still read, and
  // sealed anew under the case root by the one-time rewrite (rewriteLegacyDocuments).
  return { root: keys.case, earlier: keys.case !== null && keys.case !== keys.queue ? keys.queue : undefined };
}

/** RxDB's META_INSTANCE_SCHEMA_TITLE: the schema of a replication state. */
const REPLICATION_STATE_TITLE = 'RxReplicationProtocolMetaData';
const MIGRATION_STATE_NAME = /^rx-migration-state-meta-(.+)-\d+$/;

/** JSON with sorted keys: the same schema whatever the order its properties were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The encrypted collections a storage has opened, by database and the shape of their documents:
 * RxDB opens a collection before its replication state, whose `docData` has the collection's
 * properties, so the state's collection is found by that shape.
 */
class OpenedCollections {
  private readonly byShape = new Map<string, Set<string>>();

  add(databaseName: string, collection: string, schema: RxJsonSchema<unknown>) {
    const shape = `${databaseName}\u0000${canonical(schema.properties)}`;
    let names = this.byShape.get(shape);
    if (!names) this.byShape.set(shape, (names = new Set()));
    names.add(collection);
  }

  /** null: not a replication state; [] a state of no collection opened here. */
  parentsOf(databaseName: string, collection: string, schema: RxJsonSchema<unknown>): string[] | null {
    if (schema.title !== REPLICATION_STATE_TITLE) return null;
    const migrating = MIGRATION_STATE_NAME.exec(collection);
    if (migrating) return [migrating[1]!];
    const docData = (schema.properties as Record<string, { properties?: unknown } | undefined>).docData;
    return [...(this.byShape.get(`${databaseName}\u0000${canonical(docData?.properties)}`) ?? [])];
  }
}

/** A field that cannot be decrypted: wrong key, damaged data or a value moved from elsewhere. */
export class FieldDecryptionError extends Error {
  constructor(collection: string, id: string, path: string) {
    super(`cannot decrypt ${collection}.${path} of ${id}: wrong database key or damaged data`);
    this.name = 'FieldDecryptionError';
  }
}

export async function deriveFieldKey(password: string): Promise<CryptoKey> {
  const subtle = globalThis.crypto.subtle;
  const master = await subtle.importKey('raw', encoder.encode(password), 'HKDF', false, ['deriveKey']);
  return subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO }, master, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

/** The key of one collection's sealed documents: another collection's key does not open them. */
export async function deriveDocKey(password: string, collection: string): Promise<CryptoKey> {
  const subtle = globalThis.crypto.subtle;
  const master = await subtle.importKey('raw', encoder.encode(password), 'HKDF', false, ['deriveKey']);
  return subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: encoder.encode(DOC_INFO + collection) }, master, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

const aad = (id: string, path: string) => encoder.encode(`${id}\u0000${path}`);
const docAad = (collection: string, id: string) => encoder.encode(`${collection}\u0000${id}`);

/**
 * WebCrypto calls in flight at once. RxDB seals or opens every document of a bulk write or read at
 * once (a pull of 1,000 cases started 1,000 calls), and each call then took ~25× longer than with a
 * few in flight: Node's crypto thread pool, like Chromium's WebCrypto worker, only queues them, at a
 * cost per call waiting. The queue is kept here instead (issue 19 pt 4).
 */
export const MAX_CRYPTO_IN_FLIGHT = 16;
let inFlight = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (inFlight < MAX_CRYPTO_IN_FLIGHT) inFlight++;
  else await new Promise<void>((resume) => waiting.push(resume)); // the slot is handed over, not counted again
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  }
}

async function encryptWith(key: CryptoKey, prefix: string, additionalData: BufferSource, json: string): Promise<string> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(await limited(() => globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, encoder.encode(json))));
  // base64(iv ‖ ct) without copying both into one buffer: 12 bytes are 16 characters, no padding.
  return prefix + bytesToBase64(iv) + bytesToBase64(ct);
}

async function decryptWith(key: CryptoKey, prefix: string, additionalData: BufferSource, stored: string): Promise<string> {
  const bytes = base64ToBytes(stored.slice(prefix.length));
  const plain = await limited(() => globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData }, key, bytes.subarray(IV_BYTES)));
  return decoder.decode(plain);
}

/** A document's encrypted fields as one value (`json`: the JSON text of {path: value}). */
export function sealFields(key: CryptoKey, where: { collection: string; id: string }, json: string): Promise<string> {
  return encryptWith(key, DOC_CIPHER_PREFIX, docAad(where.collection, where.id), json);
}

/** The JSON text sealed in `stored`; throws FieldDecryptionError rather than ever answering with garbage. */
export async function openSealed(key: CryptoKey, where: { collection: string; id: string }, stored: unknown): Promise<string> {
  try {
    if (typeof stored !== 'string' || !stored.startsWith(DOC_CIPHER_PREFIX)) throw new Error('not a sealed value');
    return await decryptWith(key, DOC_CIPHER_PREFIX, docAad(where.collection, where.id), stored);
  } catch {
    throw new FieldDecryptionError(where.collection, where.id, SEALED_FIELD);
  }
}

export function encryptField(key: CryptoKey, id: string, path: string, value: unknown): Promise<string> {
  return encryptJson(key, id, path, JSON.stringify(value));
}

function encryptJson(key: CryptoKey, id: string, path: string, json: string): Promise<string> {
  return encryptWith(key, FIELD_CIPHER_PREFIX, aad(id, path), json);
}

/** Throws FieldDecryptionError rather than ever answering with garbage. */
export async function decryptField(key: CryptoKey, password: string, where: { collection: string; id: string; path: string }, stored: unknown): Promise<unknown> {
  return JSON.parse(await decryptJson(key, password, where, stored)) as unknown;
}

let cryptoJs: Promise<typeof CryptoJsPlugin> | null = null;
let cryptoJsReads = 0;
/**
 * crypto-js (discontinued) is loaded only to read a value of the builds before AES-GCM, which the
 * one-time rewrite (rewriteLegacyDocuments) removes: a database it has finished never loads it.
 */
function loadCryptoJs() {
  cryptoJsReads++;
  return (cryptoJs ??= import('rxdb/plugins/encryption-crypto-js'));
}
/** How many values were read with crypto-js so far in this page (tests). */
export const cryptoJsReadCount = () => cryptoJsReads;

/** The field's JSON text. AES-GCM text is authenticated as written; crypto-js text is checked to parse. */
async function decryptJson(key: CryptoKey, password: string, where: { collection: string; id: string; path: string }, stored: unknown): Promise<string> {
  const fail = () => new FieldDecryptionError(where.collection, where.id, where.path);
  if (typeof stored !== 'string') throw fail();
  try {
    let json: string;
    if (stored.startsWith(FIELD_CIPHER_PREFIX)) {
      json = await decryptWith(key, FIELD_CIPHER_PREFIX, aad(where.id, where.path), stored);
    } else {
      json = (await loadCryptoJs()).decryptString(stored, password);
      JSON.parse(json); // unauthenticated: a wrong key gives text, not an error
    }
    return json;
  } catch {
    throw fail();
  }
}

/**
 * The last plaintext (as JSON text) and ciphertext of recently read or written fields, by document
 * and path. A write whose field is unchanged (RxDB's `previous`, or `person` on a case append)
 * keeps the stored ciphertext instead of encrypting again, and a read of an unchanged ciphertext
 * skips decryption. Matched by content, so a value changed in place is still encrypted anew.
 */
export class RecentFields {
  private readonly entries = new Map<string, { json: string; stored: string }>();
  constructor(private readonly capacity: number) {}

  private static key(id: string, path: string) {
    return `${id}\u0000${path}`;
  }

  storedFor(id: string, path: string, json: string): string | undefined {
    const e = this.entries.get(RecentFields.key(id, path));
    return e?.json === json ? e.stored : undefined;
  }

  jsonFor(id: string, path: string, stored: string): string | undefined {
    const e = this.entries.get(RecentFields.key(id, path));
    return e?.stored === stored ? e.json : undefined;
  }

  remember(id: string, path: string, json: string, stored: string) {
    const k = RecentFields.key(id, path);
    this.entries.delete(k); // re-inserted last: the Map's order is the recency order
    this.entries.set(k, { json, stored });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size() {
    return this.entries.size;
  }
}

/** Documents remembered per collection (~1 MB of case text). */
const RECENT_DOCS = 400;

/**
 * The schema below the wrapper: the encrypted fields leave the document for `sealed`; a value of an
 * earlier build (one per field) is a string where the field was, until the document is written again.
 */
function storedSchema<T>(schema: RxJsonSchema<RxDocumentData<T>>, paths: readonly string[]): RxJsonSchema<RxDocumentData<T>> {
  type Level = { properties?: Record<string, unknown>; required?: string[] };
  const out = clone(schema) as RxJsonSchema<RxDocumentData<T>> & Level;
  const top = out.properties as Record<string, unknown>;
  delete out.encrypted;
  if (top[SEALED_FIELD]) throw new Error(`a collection with encrypted fields may not have a field named "${SEALED_FIELD}"`);
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts[parts.length - 1]!;
    let level: Level = out;
    for (const part of parts.slice(0, -1)) level = level.properties![part] as Level;
    level.properties![last] = { type: 'string' };
    if (level.required) level.required = level.required.filter((r) => r !== last);
  }
  top[SEALED_FIELD] = { type: 'string' };
  return out;
}

function deletePath(doc: object, path: string): void {
  const parts = path.split('.');
  const parent = parts.length === 1 ? doc : (getProperty(doc, parts.slice(0, -1).join('.')) as unknown);
  if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[parts[parts.length - 1]!];
}

/**
 * A collection's stored form both ways: what the wrapper below applies, and the one-time rewrite.
 * `earlier`: a root values were sealed under before (read when `password` does not open them,
 * never written; see rootsFor).
 */
interface DocumentCodec<RxDocType> {
  paths: readonly string[];
  primary: string;
  toStorage(doc: RxDocumentData<RxDocType>): Promise<RxDocumentData<RxDocType>>;
  fromStorage(doc: RxDocumentData<RxDocType>): Promise<RxDocumentData<RxDocType>>;
  /** Whether the document is sealed in the current format under this root (nothing to rewrite). */
  current(doc: RxDocumentData<RxDocType>): Promise<boolean>;
}

async function documentCodec<RxDocType>(schema: RxJsonSchema<RxDocumentData<RxDocType>>, collection: string, password: string, earlier?: string): Promise<DocumentCodec<RxDocType>> {
  const paths = schema.encrypted ?? [];
  const primary = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  // Fields are removed inside a copied parent, never inside the caller's document.
  const copy = paths.some((p) => p.includes('.')) ? (d: RxDocumentData<RxDocType>) => clone(d) : (d: RxDocumentData<RxDocType>) => ({ ...d });
  const key = await deriveDocKey(password, collection);
  let fieldKey: Promise<CryptoKey> | null = null; // earlier builds' key: derived only if one of their values is read
  const recent = new RecentFields(RECENT_DOCS);

  const toStorage = async (doc: RxDocumentData<RxDocType>) => {
    const id = String((doc as Record<string, unknown>)[primary]);
    const out = copy(doc) as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    for (const path of paths) {
      const value = getProperty(doc, path) as unknown;
      if (value === undefined) continue;
      fields[path] = value;
      deletePath(out, path);
    }
    const json = JSON.stringify(fields);
    let stored = recent.storedFor(id, SEALED_FIELD, json);
    if (stored === undefined) {
      stored = await sealFields(key, { collection, id }, json);
      recent.remember(id, SEALED_FIELD, json, stored);
    }
    out[SEALED_FIELD] = stored;
    return out as RxDocumentData<RxDocType>;
  };
  const earlierCodec = earlier === undefined ? null : documentCodec(schema, collection, earlier);
  const fromStorage = async (doc: RxDocumentData<RxDocType>) => {
    if (!earlierCodec) return fromOwnRoot(doc);
    try {
      return await fromOwnRoot(doc);
    } catch (e) {
      if (!(e instanceof FieldDecryptionError)) throw e;
      // Not remembered in `recent`: its next write is sealed anew, under this root.
      return (await earlierCodec).fromStorage(doc).catch(() => Promise.reject(e));
    }
  };
  const current = async (doc: RxDocumentData<RxDocType>) => {
    const sealed = (doc as Record<string, unknown>)[SEALED_FIELD];
    if (sealed === undefined) return false;
    const id = String((doc as Record<string, unknown>)[primary]);
    return openSealed(key, { collection, id }, sealed).then(
      () => true,
      () => false,
    );
  };
  const fromOwnRoot = async (doc: RxDocumentData<RxDocType>) => {
    const id = String((doc as Record<string, unknown>)[primary]);
    const out = copy(doc) as Record<string, unknown>;
    const sealed = out[SEALED_FIELD];
    if (sealed !== undefined) {
      delete out[SEALED_FIELD];
      let json = typeof sealed === 'string' ? recent.jsonFor(id, SEALED_FIELD, sealed) : undefined;
      if (json === undefined) {
        json = await openSealed(key, { collection, id }, sealed);
        recent.remember(id, SEALED_FIELD, json, sealed as string);
      }
      for (const [path, value] of Object.entries(JSON.parse(json) as Record<string, unknown>)) setProperty(out, path, value);
      return out as RxDocumentData<RxDocType>;
    }
    // Written by an earlier build: one value per field.
    await Promise.all(
      paths.map(async (path) => {
        const stored = getProperty(doc, path) as unknown;
        if (stored === undefined) return;
        fieldKey ??= deriveFieldKey(password);
        const json = await decryptJson(await fieldKey, password, { collection, id, path }, stored);
        setProperty(out, path, JSON.parse(json));
      }),
    );
    return out as RxDocumentData<RxDocType>;
  };
  return { paths, primary, toStorage, fromStorage, current };
}

export function wrappedFieldEncryptionStorage<Internals, InstanceCreationOptions>(args: {
  storage: RxStorage<Internals, InstanceCreationOptions>;
  keys: RootKeys;
}): RxStorage<Internals, InstanceCreationOptions> {
  const opened = new OpenedCollections();
  return {
    ...args.storage,
    async createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, InstanceCreationOptions>) {
      if (!hasEncryption(params.schema)) return args.storage.createStorageInstance(params);
      const parents = opened.parentsOf(params.databaseName, params.collectionName, params.schema as RxJsonSchema<unknown>);
      const { password, earlier } = checkedRoots(args.keys, params.collectionName, params.schema, parents);
      if (parents === null) opened.add(params.databaseName, params.collectionName, params.schema as RxJsonSchema<unknown>);
      const codec = await documentCodec(params.schema, params.collectionName, password, earlier);
      const instance = await args.storage.createStorageInstance({ ...params, schema: storedSchema(params.schema, codec.paths) });

      // The plaintext document behind each document object this wrapper handed to the storage. RxDB
      // decrypts every write again for its change event, and storages emit (and memory storage
      // returns) that very object: it is answered with the document RxDB wrote, as a storage without
      // this wrapper would, with no decryption, no parse and no bound to keep.
      const plainOf = new WeakMap<object, RxDocumentData<RxDocType>>();
      const toStorage = async (doc: RxDocumentData<RxDocType>) => {
        const out = await codec.toStorage(doc);
        plainOf.set(out, doc);
        return out;
      };
      const fromStorage = (doc: RxDocumentData<RxDocType>) => {
        const written = plainOf.get(doc);
        return written ? Promise.resolve(written) : codec.fromStorage(doc);
      };
      return wrapRxStorageInstance(params.schema, instance, toStorage, fromStorage);
    },
  };
}

function checkedRoots(keys: RootKeys, collection: string, schema: { attachments?: { encrypted?: boolean } }, parents: readonly string[] | null): { password: string; earlier?: string } {
  const { root: password, earlier } = rootsFor(keys, collection, parents);
  if (password === null) throw new Error(`collection ${collection} holds case data: this role gets no case key`);
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`collection ${collection} has encrypted fields: open the database with its key (${MIN_PASSWORD_LENGTH}+ characters)`);
  }
  if (schema.attachments?.encrypted) throw new Error(`collection ${collection}: encrypted attachments are not supported`);
  return { password, earlier };
}

/**
 * The storage as this wrapper leaves it, for reading and removing stored documents without a key:
 * a collection's schema becomes its stored form (sealed values, no `encrypted`), nothing is opened.
 */
export function storedFormStorage<Internals, InstanceCreationOptions>(storage: RxStorage<Internals, InstanceCreationOptions>): RxStorage<Internals, InstanceCreationOptions> {
  return {
    ...storage,
    createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, InstanceCreationOptions>) {
      if (!hasEncryption(params.schema)) return storage.createStorageInstance(params);
      return storage.createStorageInstance({ ...params, schema: storedSchema(params.schema, params.schema.encrypted ?? []) });
    },
  };
}

/** Documents read and written per step of the rewrite; the event loop is given back between steps. */
const REWRITE_PAGE = 50;

export interface LegacyRewriteResult {
  /** Documents now sealed in the current format. */
  rewritten: number;
  /** Documents whose old values do not open with this key: left as they are (counted, never dropped). */
  unreadable: number;
}

/**
 * The one-time rewrite (issue 18 pt 11): every stored document of `collectionName` that still holds
 * values of an earlier build (crypto-js "U2FsdGVkX1…" or per-field "g1:", i.e. no `sealed` field) is
 * sealed in the current format, in place, below RxDB:
 *  - through a storage instance of its own, so no change event reaches the collection or its
 *    replication (nothing is pushed; HQ sees no new revision, so no conflict and no duplicate);
 *  - keeping `_rev` and `_meta`: the content is the same document, only its stored form changes;
 *  - with the stored document as `previous`: a write RxDB made meanwhile wins (a conflict here), and
 *    that write sealed it in the current format already.
 * For RxDB's replication state of case data (`parents`, see rootsFor), every document sealed under
 * the queue root by the builds before it was keyed by its collection is sealed anew under the case
 * root, the same way (issue 18 pt 6).
 */
export async function rewriteLegacyDocuments<Internals, InstanceCreationOptions>(args: {
  storage: RxStorage<Internals, InstanceCreationOptions>;
  keys: RootKeys;
  databaseName: string;
  collectionName: string;
  schema: RxJsonSchema<RxDocumentData<unknown>>;
  /** For RxDB's replication state of a collection: that collection (rootsFor). */
  parents?: readonly string[];
  options: InstanceCreationOptions;
  onProgress?: (done: number) => void;
}): Promise<LegacyRewriteResult> {
  const result: LegacyRewriteResult = { rewritten: 0, unreadable: 0 };
  if (!hasEncryption(args.schema)) return result;
  const { password, earlier } = checkedRoots(args.keys, args.collectionName, args.schema, args.parents ?? null);
  const codec = await documentCodec(args.schema, args.collectionName, password, earlier);
  const instance = await args.storage.createStorageInstance({
    databaseName: args.databaseName,
    collectionName: args.collectionName,
    schema: storedSchema(args.schema, codec.paths),
    options: args.options,
    multiInstance: false,
    devMode: false,
    databaseInstanceToken: randomToken(10),
  });
  try {
    // Under another root, a document of the current format is old too: every one is looked at.
    const old = earlier === undefined ? { [SEALED_FIELD]: { $exists: false } } : {};
    let after: string | null = null;
    for (;;) {
      const selector: Record<string, unknown> = after === null ? old : { ...old, [codec.primary]: { $gt: after } };
      const query = prepareQuery(instance.schema, { selector, sort: [{ [codec.primary]: 'asc' }], skip: 0, limit: REWRITE_PAGE } as never);
      const page = (await instance.query(query)).documents;
      if (page.length === 0) break;
      const rows: BulkWriteRow<RxDocumentData<unknown>>[] = [];
      for (const stored of page) {
        try {
          if (earlier !== undefined && (await codec.current(stored))) continue;
          const sealed = await codec.toStorage(await codec.fromStorage(stored));
          rows.push({ previous: stored, document: { ...sealed, _rev: stored._rev, _meta: stored._meta } });
        } catch {
          result.unreadable++;
        }
      }
      if (rows.length > 0) {
        const written = await instance.bulkWrite(rows, 'loket-legacy-rewrite');
        result.rewritten += rows.length - written.error.length;
      }
      after = String((page[page.length - 1] as Record<string, unknown>)[codec.primary]);
      args.onProgress?.(result.rewritten + result.unreadable);
      await new Promise((resume) => setTimeout(resume, 0));
    }
  } finally {
    await instance.close();
  }
  return result;
}
