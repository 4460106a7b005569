// RxDB storage wrapper that encrypts the fields a schema lists in `encrypted`, with WebCrypto
// AES-256-GCM. It replaces RxDB's crypto-js plugin, whose pure-JS AES and per-value key derivation
// (EvpKDF/MD5) made the app's storage ~10× slower than the storage under it (see
// tests/bench/results/local-db.json and sync.json).
//
// Stored value of an encrypted field: "g1:" + base64(iv ‖ ciphertext ‖ tag), where
//  - the key is HKDF-SHA-256 of the database password (`secrets.dbKey`), derived once per collection;
//  - the iv is 12 random bytes per value;
//  - the additional data is the document id and the field path, so a value copied into another
//    document or field does not decrypt.
// Values written by earlier builds (crypto-js, OpenSSL format "U2FsdGVkX1…") are still read; they are
// written in the new format the next time their document is written.
// Recently read or written fields are remembered (RecentFields), so an unchanged field is neither
// decrypted nor encrypted again.

import {
  clone,
  getPrimaryFieldOfPrimaryKey,
  getProperty,
  hasEncryption,
  setProperty,
  wrapRxStorageInstance,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstanceCreationParams,
} from 'rxdb';
import { decryptString as decryptCryptoJs } from 'rxdb/plugins/encryption-crypto-js';
import { base64ToBytes, bytesToBase64 } from '../base64';

export const FIELD_CIPHER_PREFIX = 'g1:';
const MIN_PASSWORD_LENGTH = 8;
const IV_BYTES = 12;
const INFO = new TextEncoder().encode('loket/rxdb-fields/v1');
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

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

const aad = (id: string, path: string) => encoder.encode(`${id}\u0000${path}`);

export function encryptField(key: CryptoKey, id: string, path: string, value: unknown): Promise<string> {
  return encryptJson(key, id, path, JSON.stringify(value));
}

async function encryptJson(key: CryptoKey, id: string, path: string, json: string): Promise<string> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(id, path) }, key, encoder.encode(json)));
  const out = new Uint8Array(IV_BYTES + ct.length);
  out.set(iv);
  out.set(ct, IV_BYTES);
  return FIELD_CIPHER_PREFIX + bytesToBase64(out);
}

/** Throws FieldDecryptionError rather than ever answering with garbage. */
export async function decryptField(key: CryptoKey, password: string, where: { collection: string; id: string; path: string }, stored: unknown): Promise<unknown> {
  return JSON.parse(await decryptJson(key, password, where, stored)) as unknown;
}

/** The field's JSON text. AES-GCM text is authenticated as written; crypto-js text is checked to parse. */
async function decryptJson(key: CryptoKey, password: string, where: { collection: string; id: string; path: string }, stored: unknown): Promise<string> {
  const fail = () => new FieldDecryptionError(where.collection, where.id, where.path);
  if (typeof stored !== 'string') throw fail();
  try {
    let json: string;
    if (stored.startsWith(FIELD_CIPHER_PREFIX)) {
      const bytes = base64ToBytes(stored.slice(FIELD_CIPHER_PREFIX.length));
      const plain = await globalThis.crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: aad(where.id, where.path) },
        key,
        bytes.subarray(IV_BYTES),
      );
      json = decoder.decode(plain);
    } else {
      json = decryptCryptoJs(stored, password);
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

/** Fields remembered per collection: a few hundred documents' worth (~1 MB of case text). */
const RECENT_FIELDS = 1_000;

/** Encrypted fields are kept as strings: their schema becomes `{ type: 'string' }` below the wrapper. */
function schemaWithCiphertext<T>(schema: RxJsonSchema<RxDocumentData<T>>, paths: readonly string[]): RxJsonSchema<RxDocumentData<T>> {
  const out = clone(schema) as RxJsonSchema<RxDocumentData<T>> & { properties: Record<string, { properties?: Record<string, unknown> }> };
  delete out.encrypted;
  for (const path of paths) {
    const parts = path.split('.');
    let level: { properties?: Record<string, unknown> } = out;
    for (const part of parts.slice(0, -1)) level = level.properties![part] as { properties?: Record<string, unknown> };
    level.properties![parts[parts.length - 1]!] = { type: 'string' };
  }
  return out;
}

export function wrappedFieldEncryptionStorage<Internals, InstanceCreationOptions>(args: {
  storage: RxStorage<Internals, InstanceCreationOptions>;
}): RxStorage<Internals, InstanceCreationOptions> {
  return {
    ...args.storage,
    async createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, InstanceCreationOptions>) {
      if (!hasEncryption(params.schema)) return args.storage.createStorageInstance(params);
      const password: unknown = params.password;
      if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
        throw new Error(`collection ${params.collectionName} has encrypted fields: open the database with its key (${MIN_PASSWORD_LENGTH}+ characters)`);
      }
      if (params.schema.attachments?.encrypted) throw new Error(`collection ${params.collectionName}: encrypted attachments are not supported`);
      const paths = params.schema.encrypted ?? [];
      const primary = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as string;
      const collection = params.collectionName;
      // A nested path is set inside a copied parent, never inside the caller's document.
      const copy = paths.some((p) => p.includes('.')) ? (d: RxDocumentData<RxDocType>) => clone(d) : (d: RxDocumentData<RxDocType>) => ({ ...d });
      const key = await deriveFieldKey(password);
      const instance = await args.storage.createStorageInstance({ ...params, schema: schemaWithCiphertext(params.schema, paths) });

      const recent = new RecentFields(RECENT_FIELDS);
      // The plaintext JSON of each document object this wrapper handed to the storage. RxDB decrypts
      // every write again for its change event, and storages emit (and memory storage returns) that
      // very object: it is answered from here, with no decryption and no bound to keep.
      const plainOf = new WeakMap<object, Map<string, string>>();

      const toStorage = async (doc: RxDocumentData<RxDocType>) => {
        const id = String((doc as Record<string, unknown>)[primary]);
        const out = copy(doc);
        const plain = new Map<string, string>();
        await Promise.all(
          paths.map(async (path) => {
            const value = getProperty(doc, path) as unknown;
            if (value === undefined) return;
            const json = JSON.stringify(value);
            plain.set(path, json);
            let stored = recent.storedFor(id, path, json);
            if (stored === undefined) {
              stored = await encryptJson(key, id, path, json);
              recent.remember(id, path, json, stored);
            }
            setProperty(out, path, stored);
          }),
        );
        plainOf.set(out, plain);
        return out;
      };
      const fromStorage = async (doc: RxDocumentData<RxDocType>) => {
        const id = String((doc as Record<string, unknown>)[primary]);
        const out = copy(doc);
        const written = plainOf.get(doc);
        await Promise.all(
          paths.map(async (path) => {
            const stored = getProperty(doc, path) as unknown;
            if (stored === undefined) return;
            let json = written?.get(path) ?? (typeof stored === 'string' ? recent.jsonFor(id, path, stored) : undefined);
            if (json === undefined) {
              json = await decryptJson(key, password, { collection, id, path }, stored);
              // Not a crypto-js value: its next write is to be in AES-GCM even if unchanged.
              if ((stored as string).startsWith(FIELD_CIPHER_PREFIX)) recent.remember(id, path, json, stored as string);
            }
            setProperty(out, path, JSON.parse(json));
          }),
        );
        return out;
      };
      return wrapRxStorageInstance(params.schema, instance, toStorage, fromStorage);
    },
  };
}
