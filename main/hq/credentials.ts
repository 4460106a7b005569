import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SecureUrl } from '@shared/net/secure-url';
import type { Logger } from '../log';
import type { SafeStorageLike } from '../secrets';

/** What enrolment gives this device: HQ's address, the branch it is enrolled to, its token and the branch's NIK hash key. */
export const HqCredentials = z.object({
  /** https (http only to this PC): credentials to a plain-http HQ are not used (issue 18 pt 5). */
  url: SecureUrl,
  branchCode: z.string(),
  token: z.string().min(10),
  enrolledAt: z.string(),
  /** The branch-wide NIK hash key from HQ (absent for devices enrolled before HQ issued it). */
  nikKey: z.string().min(32).optional(),
});
export type HqCredentials = z.infer<typeof HqCredentials>;

/** Keeps the device token. Only main reads it; it never crosses the bridge. */
export interface CredentialStore {
  read(): HqCredentials | null;
  write(c: HqCredentials): void;
}

function writeAtomic(file: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function parse(text: string): HqCredentials | null {
  try {
    const r = HqCredentials.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Electron: the credentials encrypted with safeStorage (DPAPI on Windows) in `<dir>/hq-link.enc`. */
export function safeStorageCredentials(dir: string, safeStorage: SafeStorageLike): CredentialStore {
  const file = path.join(dir, 'hq-link.enc');
  let cached: HqCredentials | null | undefined;
  return {
    read() {
      if (cached !== undefined) return cached;
      if (!fs.existsSync(file)) return (cached = null);
      if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption (safeStorage) is not available');
      return (cached = parse(safeStorage.decryptString(fs.readFileSync(file))));
    },
    write(c) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption (safeStorage) is not available');
      writeAtomic(file, safeStorage.encryptString(JSON.stringify(c)));
      cached = c;
    },
  };
}

/** Browser mode has no OS keychain: a 0600 file, with a warning in the log (as for the database key). */
export function fileCredentials(dir: string, log: Logger): CredentialStore {
  const file = path.join(dir, 'hq-link.json');
  let cached: HqCredentials | null | undefined;
  return {
    read() {
      if (cached !== undefined) return cached;
      cached = fs.existsSync(file) ? parse(fs.readFileSync(file, 'utf8')) : null;
      if (cached) log.warn('browser mode: the HQ device token is kept in a plain 0600 file, not in the OS keychain', { file });
      return cached;
    },
    write(c) {
      writeAtomic(file, JSON.stringify(c));
      cached = c;
    },
  };
}
