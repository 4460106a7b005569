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

  it('Electron: a vault from before the state key keeps its database key and seals the old files once (issue 18)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'db.key.enc'), fakeSafeStorage.encryptString('b2xkLWtleS1vZi1hbi1pbnN0YWxsLWJlZm9yZS0xOA=='));
    const vault = safeStorageVault(dir, fakeSafeStorage);
    expect(vault.dbKey()).toBe('b2xkLWtleS1vZi1hbi1pbnN0YWxsLWJlZm9yZS0xOA==');
    expect(vault.state()).toMatchObject({ sealing: 'pending', setUpAt: null });
    vault.setState({ sealing: 'done', setUpAt: '2026-12-06T08:00:00.000Z' });
    const again = safeStorageVault(dir, fakeSafeStorage);
    expect(again.dbKey()).toBe('b2xkLWtleS1vZi1hbi1pbnN0YWxsLWJlZm9yZS0xOA==');
    expect(again.state()).toEqual({ ...vault.state(), sealing: 'done', setUpAt: '2026-12-06T08:00:00.000Z' });
    // The state key sits inside the encrypted file, with the database key: never in plain text.
    expect(fs.readFileSync(path.join(dir, 'db.key.enc')).toString()).not.toContain(again.state().stateKey);
    // A new vault has nothing from before to seal.
    expect(safeStorageVault(tempDir(), fakeSafeStorage).state()).toMatchObject({ sealing: 'done', setUpAt: null });
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
