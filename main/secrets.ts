import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from './log';

/** Keeps the local database key: created once, then returned as is. */
export interface SecretVault {
  dbKey(): string;
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
  };
}
