import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileVault, safeStorageVault, type SafeStorageLike } from '../../../main/secrets';
import { makeCore, memoryLog, setupPayload, tempDir } from './helpers';

// A reversible stand-in for the OS keychain that makes the ciphertext visibly different.
const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

describe('the local database key', () => {
  it('browser mode: created once in a 0600 file, same key after a restart, with a warning', () => {
    const dir = tempDir();
    const log = memoryLog();
    const first = fileVault(dir, log).dbKey();
    expect(Buffer.from(first, 'base64')).toHaveLength(32);
    expect((fs.statSync(path.join(dir, 'db.key')).mode & 0o777).toString(8)).toBe('600');
    expect(fileVault(dir, log).dbKey()).toBe(first);
    expect(log.lines.some((l) => l.level === 'warn' && /0600 file/.test(l.message))).toBe(true);
  });

  it('Electron: kept encrypted with safeStorage, never in plain text', () => {
    const dir = tempDir();
    const key = safeStorageVault(dir, fakeSafeStorage).dbKey();
    const onDisk = fs.readFileSync(path.join(dir, 'db.key.enc'));
    expect(onDisk.toString()).not.toContain(key);
    expect(safeStorageVault(dir, fakeSafeStorage).dbKey()).toBe(key);
  });

  it('Electron: refuses to create a key when OS encryption is unavailable', () => {
    const vault = safeStorageVault(tempDir(), { ...fakeSafeStorage, isEncryptionAvailable: () => false });
    expect(() => vault.dbKey()).toThrow(/not available/);
  });

  it('secrets.dbKey answers only a signed-in, unlocked session', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const a = await core.dispatch('head', 'secrets.dbKey', undefined);
    const b = await core.dispatch('head', 'secrets.dbKey', undefined);
    expect(a.ok && b.ok && a.value).toEqual(b.ok && b.value);
    expect(await core.dispatch('other', 'secrets.dbKey', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
