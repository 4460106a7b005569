import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from './log';

/** Keeps the local database key: created once, then returned as is. */
export interface SecretVault {
  /**
   * The root key of case data (`secrets.caseKey`, roles that work cases only) and of main's journal.
   * An install from before issue 18 pt 6 had only this key, for every collection: its cases open as before.
   */
  dbKey(): string;
  /** Another device secret kept the same way (e.g. the hand-carry signing key): `create()` runs once, on first use. */
  secret(name: SecretName, create: () => string): string;
  /** What the vault itself says about this PC's state files (issue 18, main/integrity.ts). */
  state(): VaultState;
  setState(patch: Partial<Pick<VaultState, 'sealing' | 'setUpAt'>>): void;
}

/**
 * Kept with the database key, so it cannot be deleted without losing the database too:
 * `stateKey` seals the state files and peppers PIN hashes; `sealing: 'pending'` only for a vault
 * made before seals existed (its plain files are sealed once, then it is 'done'); `setUpAt`: when
 * first run completed on this vault (first run never reopens after that).
 */
export const VaultState = z.object({ stateKey: z.string().min(32), sealing: z.enum(['pending', 'done']), setUpAt: z.string().nullable() });
export type VaultState = z.infer<typeof VaultState>;

/** The record inside `db.key.enc` since issue 18 (before: the bare key). */
const VaultRecord = VaultState.extend({ v: z.literal(2), dbKey: z.string().min(32) });
type VaultRecord = z.infer<typeof VaultRecord>;

function writeAtomic(file: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** A vault made before the state key: its files are plain, and get sealed once (`pending`). */
const upgraded = (): VaultState => ({ stateKey: newKey(), sealing: 'pending', setUpAt: null });
const fresh = (): VaultState => ({ stateKey: newKey(), sealing: 'done', setUpAt: null });

/** Names of the other secrets: a fixed list, so a name never comes from a request. */
export type SecretName = 'handcarry-signing-key' | 'local-nik-key' | 'queue-data-key';

/**
 * The root key of queue data (`secrets.dbKey`), which every signed-in role gets, the door too: it
 * opens nothing of a case. Made on first use, apart from the case key (issue 18 pt 6).
 */
export function queueDataKey(vault: SecretVault): string {
  return vault.secret('queue-data-key', newKey);
}

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

/** Electron: the key (and the vault state) encrypted with safeStorage in `<userData>/secrets/db.key.enc`. */
export function safeStorageVault(dir: string, safeStorage: SafeStorageLike): SecretVault {
  const file = path.join(dir, 'db.key.enc');
  let cached: VaultRecord | null = null;
  const available = () => {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption (safeStorage) is not available');
  };
  const save = (record: VaultRecord) => {
    writeAtomic(file, safeStorage.encryptString(JSON.stringify(record)));
    cached = record;
  };
  const load = (): VaultRecord => {
    if (cached) return cached;
    available();
    if (!fs.existsSync(file)) {
      const record: VaultRecord = { v: 2, dbKey: newKey(), ...fresh() };
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, safeStorage.encryptString(JSON.stringify(record)), { mode: 0o600, flag: 'wx' });
      return (cached = record);
    }
    const plain = safeStorage.decryptString(fs.readFileSync(file));
    if (!plain.startsWith('{')) {
      // The bare key of a vault from before issue 18: keep the key, add the state record.
      const record: VaultRecord = { v: 2, dbKey: plain, ...upgraded() };
      save(record);
      return record;
    }
    return (cached = VaultRecord.parse(JSON.parse(plain)));
  };
  return {
    dbKey: () => load().dbKey,
    secret(name, create) {
      available();
      const at = path.join(dir, `${name}.enc`);
      if (fs.existsSync(at)) return safeStorage.decryptString(fs.readFileSync(at));
      const value = create();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(at, safeStorage.encryptString(value), { mode: 0o600, flag: 'wx' });
      return value;
    },
    state() {
      const { stateKey, sealing, setUpAt } = load();
      return { stateKey, sealing, setUpAt };
    },
    setState(patch) {
      save({ ...load(), ...patch });
    },
  };
}

/**
 * Browser mode has no OS keychain: 0600 files, with a warning in the log when they are created or
 * used. The vault state sits beside the key in `vault-state.json`; anyone who can read these files
 * can also forge seals, so in browser mode the seals only catch careless edits.
 */
export function fileVault(dir: string, log: Logger): SecretVault {
  const file = path.join(dir, 'db.key');
  const stateFile = path.join(dir, 'vault-state.json');
  let cached: string | null = null;
  let state: VaultState | null = null;
  const dbKey = () => {
    if (cached) return cached;
    if (fs.existsSync(file)) {
      cached = fs.readFileSync(file, 'utf8').trim();
    } else {
      cached = newKey();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, cached, { mode: 0o600, flag: 'wx' });
      if (!fs.existsSync(stateFile)) writeAtomic(stateFile, JSON.stringify(fresh()));
    }
    log.warn('browser mode: the database key is kept in a plain 0600 file, not in the OS keychain', { file });
    return cached;
  };
  const load = (): VaultState => {
    if (state) return state;
    dbKey();
    if (fs.existsSync(stateFile)) return (state = VaultState.parse(JSON.parse(fs.readFileSync(stateFile, 'utf8'))));
    state = upgraded();
    writeAtomic(stateFile, JSON.stringify(state));
    return state;
  };
  return {
    dbKey,
    secret(name, create) {
      const at = path.join(dir, name);
      if (fs.existsSync(at)) return fs.readFileSync(at, 'utf8');
      const value = create();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(at, value, { mode: 0o600, flag: 'wx' });
      log.warn('browser mode: a device secret is kept in a plain 0600 file, not in the OS keychain', { name });
      return value;
    },
    state: () => ({ ...load() }),
    setState(patch) {
      state = { ...load(), ...patch };
      writeAtomic(stateFile, JSON.stringify(state));
    },
  };
}
