// The NIK is stored only encrypted; lookups go through a keyed hash (HMAC-SHA-256), so the index
// reveals nothing without the key. The HMAC key is derived (HKDF) from the secret that
// `secrets.dbKey` answers with:
//  - `nikKey` (scope 'branch'): the branch-wide key HQ issues at enrolment, the same on every PC of
//    the branch, so a NIK hashed on one PC is found on another;
//  - `nikKey` (scope 'local'): before enrolment, a key made on this PC (lookups stay on this PC);
//  - only `key` (older main builds): the database key itself, as before (per device).
// Every hasher of one device must be made from the same answer: pass the whole answer.
// Changing the key changes every hash: records hashed under the old key are not found by NIK until
// they are hashed again (cases keep the NIK encrypted and can be; tickets keep only the hash).

import { base64ToBytes } from '@shared/base64';
import { casesOf, type LoketDatabase } from './db/database';

const INFO = new TextEncoder().encode('loket/nik-hash/v1');

export type NikHasher = (nik: string) => Promise<string>;

/** `secrets.dbKey`'s answer (or, as before, the database key alone). */
export type NikKeySource = string | { key: string; nikKey?: { key: string; scope: 'branch' | 'local' } | undefined };

/** Which key a source hashes with: 'branch' (HQ's, cross-PC), 'local' or 'device' (this PC only). */
export function nikHashScope(source: NikKeySource): 'branch' | 'local' | 'device' {
  return typeof source === 'string' || !source.nikKey ? 'device' : source.nikKey.scope;
}

export async function createNikHasher(source: NikKeySource): Promise<NikHasher> {
  const secret = typeof source === 'string' ? source : (source.nikKey?.key ?? source.key);
  const subtle = globalThis.crypto.subtle;
  const master = await subtle.importKey('raw', base64ToBytes(secret), 'HKDF', false, ['deriveKey']);
  const hmacKey = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO },
    master,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
  return async (nik: string) => {
    const mac = new Uint8Array(await subtle.sign('HMAC', hmacKey, new TextEncoder().encode(nik)));
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  };
}

/** Not a NIK (16 digits): a fixed label whose keyed hash identifies the key without revealing it. */
const KEY_PROBE = 'loket/nik-hash/key-fingerprint';
export const NIK_KEY_CONFIG = 'nik-hash:key';

/**
 * Keeps the stored NIK hashes in step with the key: when the hash key changed since the last start
 * (a device that used its local key is now enrolled and has the branch's), this branch's own cases
 * are hashed again from their (encrypted) NIK, so lookups by NIK keep finding them. Cases of other
 * branches (transferred here, read-only) are left alone; tickets keep only the hash and are
 * day-bound, so earlier tickets are not found by NIK after a key change.
 */
export async function ensureNikHashKey(
  db: LoketDatabase,
  hasher: NikHasher,
  o: { branchCode: string; scope: 'branch' | 'local' | 'device'; now?: () => Date },
): Promise<{ changed: boolean; rehashed: number }> {
  const fingerprint = await hasher(KEY_PROBE);
  const stored = await db.config.findOne(NIK_KEY_CONFIG).exec();
  const before = stored?.value.fingerprint;
  let rehashed = 0;
  if (typeof before === 'string' && before !== fingerprint) {
    for (const c of await casesOf(db).find({ selector: { branchCode: o.branchCode } }).exec()) {
      const nikHash = await hasher(c.person.nik);
      if (nikHash !== c.nikHash) {
        await c.incrementalPatch({ nikHash });
        rehashed++;
      }
    }
  }
  if (before !== fingerprint || stored?.value.scope !== o.scope) {
    await db.config.upsert({ key: NIK_KEY_CONFIG, value: { fingerprint, scope: o.scope }, updatedAt: (o.now ?? (() => new Date()))().toISOString() });
  }
  return { changed: typeof before === 'string' && before !== fingerprint, rehashed };
}
