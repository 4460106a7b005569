// The device's hand-carry signing key: made once, kept in the secret vault (safeStorage in
// Electron, a 0600 file in browser mode), handed only to an unlocked head or admin, and usable to
// sign a file that the import code accepts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileVault, safeStorageVault, type SafeStorageLike } from '../../../main/secrets';
import { handcarrySigningKey } from '../../../main/storage/handcarry-key';
import { exportHandcarry, importHandcarry, importSigningKeyJwk, jwkThumbprint } from '../../../renderer/src/data/handcarry';
import { makeCore, memoryLog, setupPayload, tempDir } from './helpers';

const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

describe('the hand-carry signing key', () => {
  it('is created once and is the same after a restart (browser mode: 0600 file)', () => {
    const dir = tempDir();
    const first = handcarrySigningKey(fileVault(dir, memoryLog()));
    expect(first.publicKey).toEqual({ kty: 'EC', crv: 'P-256', x: first.privateKey.x, y: first.privateKey.y });
    expect(handcarrySigningKey(fileVault(dir, memoryLog()))).toEqual(first);
    expect((fs.statSync(path.join(dir, 'handcarry-signing-key')).mode & 0o777).toString(8)).toBe('600');
  });

  it('is kept encrypted with safeStorage in Electron, never in the clear', () => {
    const dir = tempDir();
    const key = handcarrySigningKey(safeStorageVault(dir, fakeSafeStorage));
    const stored = fs.readFileSync(path.join(dir, 'handcarry-signing-key.enc'));
    expect(stored.toString('latin1')).not.toContain(key.privateKey.d);
    expect(handcarrySigningKey(safeStorageVault(dir, fakeSafeStorage))).toEqual(key);
    const unavailable = safeStorageVault(tempDir(), { ...fakeSafeStorage, isEncryptionAvailable: () => false });
    expect(() => handcarrySigningKey(unavailable)).toThrow(/not available/);
  });

  it('refuses a kept key that is not a valid key pair', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'handcarry-signing-key'), JSON.stringify({ privateKey: { kty: 'EC' }, publicKey: {} }));
    expect(() => handcarrySigningKey(fileVault(dir, memoryLog()))).toThrow(/not a valid P-256 key pair/);
  });

  it('signs a file that the import accepts, with the key on the trust list', async () => {
    const jwk = handcarrySigningKey(fileVault(tempDir(), memoryLog()));
    const text = await exportHandcarry({
      records: [{ collection: 'tickets', id: 't-1', rev: '1-a', doc: { id: 't-1' } }],
      branchCode: 'TST01',
      deviceId: 'dev-1',
      passphrase: 'kopi tubruk jam tujuh',
      signingKey: await importSigningKeyJwk(jwk),
      kdfIterations: 1_000,
      allowWeakKdfForTests: true,
    });
    const r = await importHandcarry(text, { passphrase: 'kopi tubruk jam tujuh', expectedBranchCode: 'TST01', trustedPublicKeys: [jwk.publicKey] });
    expect(r).toMatchObject({ ok: true, meta: { trusted: true, keyThumbprint: await jwkThumbprint(jwk.publicKey) } });
  });

  it('is handed out over the bridge to the head only, the same key every time', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const a = await core.dispatch('head', 'handcarry.signingKey', undefined);
    const b = await core.dispatch('head', 'handcarry.signingKey', undefined);
    expect(a.ok && b.ok).toBe(true);
    expect((a as { value: unknown }).value).toEqual((b as { value: unknown }).value);
    expect((a as { value: unknown }).value).toMatchObject({ publicKey: { kty: 'EC', crv: 'P-256' } });
    await core.dispatch('head', 'staff.add', { staffId: 'petugas.a', name: 'Petugas A', role: 'officer', pin: '480213' });
    await core.dispatch('officer', 'staff.signIn', { staffId: 'petugas.a', pin: '480213' });
    expect(await core.dispatch('officer', 'handcarry.signingKey', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await core.dispatch('nobody', 'handcarry.signingKey', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
