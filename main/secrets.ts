import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from './log';

/** Keeps the local database key: created once, then returned as is. */
export interface SecretVault {
  dbKey(): string;
  /** Another device secret kept the same way (e.g. the hand-carry signing key): `create()` runs once, on first use. */
  secret(name: SecretName, create: () => string): string;
}

/** Names of the other secrets: a fixed list, so a name never comes from a request. */
export type SecretName = 'handcarry-signing-key' | 'local-nik-key';

/**
 * The key of the NIK's keyed hash: the branch-wide one HQ issued at enrolment, or before that a key
 * made on this PC at first use (`scope: 'local'`: lookups by NIK then work only on this PC; joining
 * HQ makes them branch-wide). Kept apart from the database key so enrolment never re-keys the database.
 */
export function nikHashKey(vault: SecretVault, branchKey: string | null | undefined): { key: string; scope: 'branch' | 'local' } {
  if (branchKey) return { key: branchKey, scope: 'branch' };
  return { key: vault.secret('local-nik-key', newKey), scope: 'local' };
}

/** Electron's OS-backed encryption (DPAPI on Windows), injected so this file stays testable. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const newKey = () => randomBytes(32).toString('base64');

/** Electron: the key encrypted with safeStorage in `<userData>/secrets/db.key.enc`. */
export function safeStorageVault(dir: string, safeStorage: SafeStorageLike): SecretVault {
  const file = path.join(dir, 'db.key.enc');
  let cached: string | null = null;
  return {
    dbKey() {
      if (cached) return cached;
      if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption (safeStorage) is not available');
      if (fs.existsSync(file)) {
        cached = safeStorage.decryptString(fs.readFileSync(file));
      } else {
        cached = newKey();
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(file, safeStorage.encryptString(cached), { mode: 0o600, flag: 'wx' });
      }
      return cached;
    },
    secret(name, create) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption (safeStorage) is not available');
      const at = path.join(dir, `${name}.enc`);
      if (fs.existsSync(at)) return safeStorage.decryptString(fs.readFileSync(at));
      const value = create();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(at, safeStorage.encryptString(value), { mode: 0o600, flag: 'wx' });
      return value;
    },
  };
}

/** Browser mode has no OS keychain: a 0600 file, with a warning in the log when it is created or used. */
export function fileVault(dir: string, log: Logger): SecretVault {
  const file = path.join(dir, 'db.key');
  let cached: string | null = null;
  return {
    dbKey() {
      if (cached) return cached;
      if (fs.existsSync(file)) {
        cached = fs.readFileSync(file, 'utf8').trim();
      } else {
        cached = newKey();
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(file, cached, { mode: 0o600, flag: 'wx' });
      }
      log.warn('browser mode: the database key is kept in a plain 0600 file, not in the OS keychain', { file });
      return cached;
    },
    secret(name, create) {
      const at = path.join(dir, name);
      if (fs.existsSync(at)) return fs.readFileSync(at, 'utf8');
      const value = create();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(at, value, { mode: 0o600, flag: 'wx' });
      log.warn('browser mode: a device secret is kept in a plain 0600 file, not in the OS keychain', { name });
      return value;
    },
  };
}
